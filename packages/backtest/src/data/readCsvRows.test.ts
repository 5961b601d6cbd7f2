import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CsvColumnMissingError } from '../errors/input.js'
import { openCsv } from './readCsvRows.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function readAll(path: string, required: string[], onlyRequiredColumns = false) {
  const source = await openCsv(path, required, { onlyRequiredColumns })
  const rows: { row: number; fields: readonly (string | undefined)[] }[] = []
  for await (const batch of source.rowBatches) rows.push(...batch)
  return { source, rows }
}

describe('openCsv', () => {
  it('decodes UTF-8 exactly when a multi-byte character straddles the 64 KiB read boundary', async () => {
    // '€' is 3 bytes (E2 82 AC), 'é' 2 bytes (C3 A9). The padding row puts '€' at byte offsets 65535..65537: its first
    // byte ends the first 64 KiB read and the other two start the second.
    const header = 'name,note\n'
    const k = 65533 - header.length - 3 // 'a,' + k × 'x' + '\n'
    const pad = `a,${'x'.repeat(k)}\n`
    const text = `${header}${pad}b,€uro é\r\nc,plain\n`
    expect(Buffer.from(text, 'utf8').subarray(65535, 65538)).toEqual(Buffer.from('€', 'utf8'))
    const path = join(dir, 'utf8.csv')
    writeFileSync(path, text, 'utf8')
    const { rows } = await readAll(path, ['name', 'note'])
    expect(rows.map((r) => r.fields[1])).toEqual(['x'.repeat(k), '€uro é', 'plain'])
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4])
  })

  it('ASCII files across many chunks: every line once, CRLF stripped, row numbers from the header (row 1)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i},${'7'.repeat(i % 13)},z`)
    const path = join(dir, 'ascii.csv')
    writeFileSync(path, `id,v,w\r\n${lines.join('\r\n')}\r\n`)
    const { rows } = await readAll(path, ['id', 'v'])
    expect(rows).toHaveLength(20_000)
    expect(rows[12_345]).toEqual({ row: 12_347, fields: ['12345', '7'.repeat(12_345 % 13), 'z'] })
  })

  it('onlyRequiredColumns keeps the required fields at their header positions and no others', async () => {
    const path = join(dir, 'select.csv')
    writeFileSync(path, 'a,b,c,d\n1,2,3,4\n5,6\n')
    const { source, rows } = await readAll(path, ['b', 'd'], true)
    expect(source.columns).toEqual({ b: 1, d: 3 })
    expect(rows[0]?.fields).toEqual([undefined, '2', undefined, '4'])
    // a short row leaves the missing required field undefined (the typed field parsers then name it)
    expect(rows[1]?.fields).toEqual([undefined, '6', undefined, undefined])
  })

  it('a missing required column is a CsvColumnMissingError naming the file and the column', async () => {
    const path = join(dir, 'missing.csv')
    writeFileSync(path, 'a,b\n1,2\n')
    await expect(openCsv(path, ['a', ['c', 'cc']])).rejects.toThrow(CsvColumnMissingError)
    await expect(openCsv(path, ['a', ['c', 'cc']])).rejects.toMatchObject({ file: 'missing.csv' })
  })
})
