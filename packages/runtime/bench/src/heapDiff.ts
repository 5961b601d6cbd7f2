/**
 * Compares two V8 heap snapshots (the soak's ALP_SOAK_HEAP_SNAPSHOTS): the object kinds (node type and constructor or
 * string) whose count and self size grew most between them. Diagnosis only, not part of `pnpm bench`: bundle it
 * (esbuild, as bench/src/bundleScript.ts does) and run `node heapDiff.mjs <first> <last> [top]`.
 */
import { readFileSync } from 'node:fs'

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

function tally(file: string): Map<string, { count: number; bytes: number }> {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot
  const fields = heap.snapshot.meta.node_fields
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const types = heap.snapshot.meta.node_types[0]
  const out = new Map<string, { count: number; bytes: number }>()
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt] as number] ?? '?'
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string'
        ? ''
        : (heap.strings[heap.nodes[i + nameAt] as number] ?? '?')
    const key = `${type} ${name.slice(0, 60)}`
    const entry = out.get(key) ?? { count: 0, bytes: 0 }
    entry.count += 1
    entry.bytes += heap.nodes[i + sizeAt] as number
    out.set(key, entry)
  }
  return out
}

const [firstFile, lastFile, topArg] = process.argv.slice(2)
if (firstFile === undefined || lastFile === undefined) throw new Error('usage: heapDiff <first> <last> [top]')
const first = tally(firstFile)
const last = tally(lastFile)
const rows = [...last].map(([key, l]) => {
  const f = first.get(key) ?? { count: 0, bytes: 0 }
  return { key, count: l.count - f.count, bytes: l.bytes - f.bytes, total: l.bytes }
})
rows.sort((a, b) => b.bytes - a.bytes)
for (const r of rows.slice(0, Number(topArg ?? 20)))
  console.log(`${(r.bytes / 1024).toFixed(0).padStart(8)} KiB  ${String(r.count).padStart(8)} objects  ${r.key}`)
