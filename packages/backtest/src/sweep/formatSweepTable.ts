import type { SweepRow } from './sweepTypes.js'

/** A plain-text table of sweep rows (one column per value name, 4 significant digits). */
export function formatSweepTable(rows: readonly SweepRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))]
  const cells = rows.map((r) => [
    r.label,
    ...columns.map((c) => (r.values[c] === undefined ? '' : Number(r.values[c]!.toPrecision(4)).toString())),
  ])
  const header = ['job', ...columns]
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)))
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')
  return [line(header), ...cells.map(line)].join('\n')
}
