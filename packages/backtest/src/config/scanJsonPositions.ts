/** A 1-based line and column in a text file. */
export type TextPosition = { readonly line: number; readonly column: number }

export type ScanJsonPositionsReturnType =
  | {
      readonly ok: true
      /** Where each value starts, keyed by its config path (`lp.seed.FEE_TIER`, `hedger.venues[0].tickSize`). */
      readonly positions: ReadonlyMap<string, TextPosition>
    }
  | {
      readonly ok: false
      /** The first character that breaks the JSON grammar (0-based offset, and 1-based line and column). */
      readonly offset: number
      readonly line: number
      readonly column: number
      /** What the grammar expected there, e.g. `',' or '}' after a property value`. */
      readonly expected: string
      /** The offending character (or `end of file`). */
      readonly found: string
    }

/** Appends an object key or array index to a config path, the way users write it. */
export function joinConfigPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/**
 * Walks a JSON text with the grammar of RFC 8259 and returns where each value starts (for error messages that point
 * at a line and column), or the position of the first syntax error. `JSON.parse` still builds the value: this scanner
 * only locates things (V8's own messages give no line or column, and for some errors no position at all).
 */
export function scanJsonPositions(text: string): ScanJsonPositionsReturnType {
  const positions = new Map<string, TextPosition>()
  const lineStarts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1)
  const locate = (offset: number): TextPosition => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 }
  }
  let i = 0
  const skipSpace = () => {
    while (i < text.length) {
      const c = text[i]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++
      else break
    }
  }
  const fail = (expected: string): never => {
    throw new JsonSyntax(i, expected)
  }
  const readString = (): string => {
    if (text[i] !== '"') fail('a string')
    const start = i
    i++
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i)
      if (c < 0x20) fail("a closing '\"' (control characters must be escaped)")
      if (text[i] === '\\') {
        i++
        const e = text[i]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u')
          i += 4
        } else if (e === undefined || !'"\\/bfnrt'.includes(e))
          fail('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX')
      }
      i++
    }
    if (i >= text.length) fail("a closing '\"'")
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  const readValue = (path: string): void => {
    skipSpace()
    positions.set(path, locate(i))
    const c = text[i]
    if (c === '{') {
      i++
      skipSpace()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') fail(`a property name in double quotes`)
        const key = readString()
        skipSpace()
        if (text[i] !== ':') fail(`':' after the property name "${key}"`)
        i++
        readValue(joinConfigPath(path, key))
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return
        }
        fail(`',' or '}' after the value of "${key}"`)
      }
    }
    if (c === '[') {
      i++
      skipSpace()
      if (text[i] === ']') {
        i++
        return
      }
      for (let index = 0; ; index++) {
        readValue(joinConfigPath(path, index))
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return
        }
        fail(`',' or ']' after an array element`)
      }
    }
    if (c === '"') {
      readString()
      return
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length
        return
      }
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (number === null) fail('a value (object, array, string, number, true, false or null)')
    i += number![0].length
  }
  try {
    readValue('')
    skipSpace()
    if (i < text.length) fail('end of file after the top-level value')
    return { ok: true, positions }
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error
    const at = locate(error.offset)
    const ch = text[error.offset]
    return {
      ok: false,
      offset: error.offset,
      ...at,
      expected: error.expected,
      found: ch === undefined ? 'end of file' : JSON.stringify(ch),
    }
  }
}
