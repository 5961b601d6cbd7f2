/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, the tick-to-order bench's ALP_T2O_CPU_PROF): the functions with the
 * most self time, and the most inclusive time (a function and everything it called), with their share of the busy
 * (non-idle) samples. Diagnosis only, not part of `pnpm bench`: run it with `node --experimental-strip-types` or bundle
 * it (esbuild, as bench/src/bundleScript.ts does): `node cpuProfileTop.mjs <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs'

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, topArg] = process.argv.slice(2)
if (file === undefined) throw new Error('usage: cpuProfileTop <file.cpuprofile> [top]')
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const label = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame
  const where = url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|packages|src)\//, '$1/')}:${lineNumber + 1}`
  return `${functionName === '' ? '(anonymous)' : functionName}${where}`
}
const selfUs = new Map<string, number>()
const totalUs = new Map<string, number>()
let busyUs = 0
let idleUs = 0
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i + 1] ?? 0
  const node = byId.get(profile.samples[i] as number)
  if (node === undefined) continue
  const name = node.callFrame.functionName
  if (name === '(idle)' || name === '(program)') {
    idleUs += us
    continue
  }
  busyUs += us
  selfUs.set(label(node), (selfUs.get(label(node)) ?? 0) + us)
  const seen = new Set<string>()
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const key = label(byId.get(id) as ProfileNode)
    if (seen.has(key)) continue
    seen.add(key)
    totalUs.set(key, (totalUs.get(key) ?? 0) + us)
  }
}
const show = (title: string, rows: Map<string, number>): void => {
  console.log(title)
  for (const [key, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${key}`)
}
console.log(`${file}: busy ${(busyUs / 1000).toFixed(0)} ms, idle/program ${(idleUs / 1000).toFixed(0)} ms`)
show('self time', selfUs)
show('inclusive time', totalUs)
