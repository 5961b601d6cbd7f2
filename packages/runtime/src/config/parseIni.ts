/**
 * A small INI reader that keeps the line of every section and key.
 *
 * Why not the `ini` package: it returns plain objects without positions, accepts a malformed line silently (as a key
 * with value `true`) and lets a repeated key overwrite the first. Config errors must name file, section, key and line,
 * so positions are kept here. The dialect is the original system's: `[SECTION]` headers (dots allowed), `KEY = value`
 * (or `KEY: value`), `;` and `#` comment lines, values trimmed, optional matching double or single quotes stripped.
 */

export type IniEntry = { readonly key: string; readonly value: string; readonly line: number }
export type IniSection = { readonly name: string; readonly line: number; readonly entries: readonly IniEntry[] }
export type IniProblem = {
  readonly line: number
  readonly section: string | null
  readonly key: string | null
  readonly message: string
}
export type IniDocument = { readonly sections: readonly IniSection[]; readonly problems: readonly IniProblem[] }

const SECTION = /^\[([^\]]*)\]\s*(?:[;#].*)?$/
const ENTRY = /^([^=:]+?)\s*[=:]\s*(.*)$/
const SECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/
const KEY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

/** Parses INI text; every malformed line, duplicate section or duplicate key is a problem (all of them, in order). */
export function parseIni(text: string): IniDocument {
  const sections: { name: string; line: number; entries: IniEntry[] }[] = []
  const problems: IniProblem[] = []
  let current: { name: string; line: number; entries: IniEntry[] } | null = null
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1
    const raw = (lines[i] ?? '').trim()
    if (raw === '' || raw.startsWith(';') || raw.startsWith('#')) continue
    if (raw.startsWith('[')) {
      const match = SECTION.exec(raw)
      const name = match?.[1]?.trim() ?? ''
      if (!match || !SECTION_NAME.test(name)) {
        problems.push({
          line: lineNo,
          section: null,
          key: null,
          message: `malformed section header ${JSON.stringify(raw.slice(0, 60))} (expected [NAME])`,
        })
        current = null
        continue
      }
      const previous = sections.find((s) => s.name === name)
      if (previous) {
        problems.push({
          line: lineNo,
          section: name,
          key: null,
          message: `section repeated (first at line ${previous.line})`,
        })
        current = previous
        continue
      }
      current = { name, line: lineNo, entries: [] }
      sections.push(current)
      continue
    }
    const match = ENTRY.exec(raw)
    if (!match) {
      // The line is not echoed whole: it may be a secret pasted by mistake.
      problems.push({
        line: lineNo,
        section: current?.name ?? null,
        key: null,
        message: 'malformed line (expected KEY = value)',
      })
      continue
    }
    const key = (match[1] ?? '').trim()
    if (!KEY_NAME.test(key)) {
      problems.push({
        line: lineNo,
        section: current?.name ?? null,
        key: null,
        message: 'malformed key (letters, digits and _, starting with a letter)',
      })
      continue
    }
    if (current === null) {
      problems.push({
        line: lineNo,
        section: null,
        key,
        message: 'key outside any section (add a [SECTION] header above it)',
      })
      continue
    }
    const previous = current.entries.find((e) => e.key === key)
    if (previous) {
      problems.push({
        line: lineNo,
        section: current.name,
        key,
        message: `key repeated (first at line ${previous.line})`,
      })
      continue
    }
    current.entries.push({ key, value: unquote((match[2] ?? '').trim()), line: lineNo })
  }
  return { sections, problems }
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0])
    return value.slice(1, -1)
  return value
}
