import { readFileSync } from 'node:fs'

/**
 * Reads a small CSV file (RFC 4180 quoting: a double-quoted field may hold commas, "" escapes a quote; no newlines
 * inside fields) into records keyed by the header row. Test harness only.
 */
export function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/)
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const [headerLine, ...body] = lines
  if (headerLine === undefined) throw new Error(`${path}: empty CSV`)
  const header = splitCsvLine(headerLine)
  return body.map((line, index) => {
    const cells = splitCsvLine(line)
    if (cells.length !== header.length) {
      throw new Error(`${path}: line ${index + 2} has ${cells.length} fields, header has ${header.length}`)
    }
    const record: Record<string, string> = {}
    for (let i = 0; i < header.length; i++) record[header[i]!] = cells[i]!
    return record
  })
}

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',')
  const cells: string[] = []
  let i = 0
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = ''
      let j = i + 1
      for (;;) {
        const close = line.indexOf('"', j)
        if (close === -1) throw new Error(`unterminated quote in: ${line.slice(0, 80)}`)
        value += line.slice(j, close)
        if (line[close + 1] === '"') {
          value += '"'
          j = close + 2
        } else {
          i = close + 1
          break
        }
      }
      cells.push(value)
      if (i < line.length && line[i] !== ',') throw new Error(`text after a closing quote in: ${line.slice(0, 80)}`)
      i++
    } else {
      const comma = line.indexOf(',', i)
      const end = comma === -1 ? line.length : comma
      cells.push(line.slice(i, end))
      i = end + 1
    }
  }
  return cells
}
