import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { CsvColumnMissingError } from '../errors/input.js'

export type CsvRow = {
  /** 1-based line number in the file (the header is row 1). */
  readonly row: number
  readonly fields: readonly string[]
}

export type CsvSource = {
  readonly file: string
  /** Column name → index, for the required columns. */
  readonly columns: Readonly<Record<string, number>>
  readonly header: readonly string[]
  readonly rows: AsyncIterable<CsvRow>
}

/**
 * Streams a comma-separated file line by line (bounded memory: one line at a time). Fields are split on commas; the
 * readers here only need files without quoted commas (tick.csv, minute.csv, klines, gas prices), which is why this is a
 * plain split and not a general CSV parser (see the README: why hand-written).
 * @throws CsvColumnMissingError when a required column is absent from the header.
 */
export async function openCsv(path: string, required: readonly (string | readonly string[])[]): Promise<CsvSource> {
  const file = basename(path)
  const iterator = readLines(path)
  const close = () => void iterator.return(undefined)
  const first = await iterator.next()
  const header = first.done ? [] : first.value.split(',').map((h) => h.trim())
  const columns: Record<string, number> = {}
  // A required entry may list alternative spellings; the first one is the canonical key in `columns`.
  for (const entry of required) {
    const names = typeof entry === 'string' ? [entry] : entry
    const index = names.map((name) => header.indexOf(name)).find((i) => i >= 0)
    if (index === undefined) {
      close()
      throw new CsvColumnMissingError({ file, field: names.join(' or '), header })
    }
    columns[names[0]!] = index
  }
  async function* rows(): AsyncGenerator<CsvRow> {
    let row = 1
    try {
      for (;;) {
        const next = await iterator.next()
        if (next.done) return
        row++
        if (next.value.length === 0) continue
        yield { row, fields: next.value.split(',') }
      }
    } finally {
      close()
    }
  }
  return { file, columns, header, rows: rows() }
}

/**
 * Lines of a UTF-8 file, streamed in 256 KiB chunks (memory: one chunk plus one partial line). `\r\n` and `\n` both end
 * a line. Faster than node:readline for these files and available in Deno's node compatibility layer.
 */
async function* readLines(path: string): AsyncGenerator<string, void, undefined> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 18 })
  let rest = ''
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk
      let start = 0
      for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
        yield text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end)
        start = end + 1
      }
      rest = text.slice(start)
    }
    if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest
  } finally {
    stream.destroy()
  }
}
