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
  /**
   * The same rows, one array per file chunk (a few hundred rows): a reader loops over each batch synchronously, one
   * await per chunk instead of one per row. Use either `rows` or `rowBatches`, not both.
   */
  readonly rowBatches: AsyncIterable<readonly CsvRow[]>
}

/**
 * Streams a comma-separated file line by line (bounded memory: one line at a time). Fields are split on commas; the
 * readers here only need files without quoted commas (tick.csv, minute.csv, klines, gas prices), which is why this is a
 * plain split and not a general CSV parser (see the README: why hand-written).
 * @throws CsvColumnMissingError when a required column is absent from the header.
 */
export async function openCsv(path: string, required: readonly (string | readonly string[])[]): Promise<CsvSource> {
  const file = basename(path)
  const iterator = readLineBatches(path)
  const close = () => void iterator.return(undefined)
  // The header is the first line of the first non-empty batch; the rest of that batch are data rows.
  let pending: string[] = []
  let headerLine: string | undefined
  while (headerLine === undefined) {
    const batch = await iterator.next()
    if (batch.done) break
    if (batch.value.length > 0) {
      headerLine = batch.value[0]
      pending = batch.value.slice(1)
    }
  }
  const header = headerLine === undefined ? [] : headerLine.split(',').map((h) => h.trim())
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
  async function* rowBatches(): AsyncGenerator<CsvRow[]> {
    let row = 1
    try {
      for (let lines = pending; ; ) {
        const batch: CsvRow[] = []
        for (const line of lines) {
          row++
          if (line.length === 0) continue
          batch.push({ row, fields: line.split(',') })
        }
        if (batch.length > 0) yield batch
        const next = await iterator.next()
        if (next.done) return
        lines = next.value
      }
    } finally {
      close()
    }
  }
  async function* rows(): AsyncGenerator<CsvRow> {
    for await (const batch of rowBatches()) yield* batch
  }
  return { file, columns, header, rows: rows(), rowBatches: rowBatches() }
}

/**
 * Lines of a UTF-8 file, streamed in 256 KiB chunks and yielded as one batch of complete lines per chunk (memory: one
 * chunk's lines plus one partial line). `\r\n` and `\n` both end a line. Faster than node:readline for these files and
 * available in Deno's node compatibility layer.
 */
async function* readLineBatches(path: string): AsyncGenerator<string[], void, undefined> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 18 })
  let rest = ''
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk
      const lines: string[] = []
      let start = 0
      for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
        lines.push(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end))
        start = end + 1
      }
      rest = text.slice(start)
      yield lines
    }
    if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest]
  } finally {
    stream.destroy()
  }
}
