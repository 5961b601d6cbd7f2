import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.js'

/*
 * Paper mode loads @alp/venue-sim and @alp/backtest (optional peer dependencies of @alp/runtime) only through
 * `alp paper`'s dynamic import: the built main entry, the CLI entry and `alp start` never load them. A child process
 * imports the built entries (run `build` first) with an ESM resolve hook that logs every module it resolves, and
 * lists the CommonJS modules its require() loaded.
 */
const dist = new URL('../dist/', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'alp-paper-entry-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function loadedBy(imports: string[], requires: string[]): { esm: string[]; cjs: string[] } {
  const log = join(dir, `resolved-${Math.random().toString(36).slice(2)}.log`)
  writeFileSync(log, '')
  const hook = `import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n')
  return result
}`
  const script = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`)
  writeFileSync(
    script,
    `import { register, createRequire } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}))
for (const file of ${JSON.stringify(imports)}) await import(file)
const require = createRequire(import.meta.url)
for (const file of ${JSON.stringify(requires)}) require(file)
process.stdout.write(JSON.stringify(Object.keys(require.cache)))
`,
  )
  const cjs = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' })) as string[]
  return { esm: readFileSync(log, 'utf8').trim().split('\n'), cjs }
}
const paperPeers = (files: string[]) => files.filter((f) => /venue-sim|[/\\]backtest[/\\]|@alp[/\\]backtest/.test(f))

describe('paper mode is a chunk of its own', () => {
  it('the built main entry and the CLI entry load neither @alp/venue-sim nor @alp/backtest (ESM and CommonJS)', () => {
    const loaded = loadedBy([`${dist}index.js`, `${dist}cli/main.js`], [`${dist}index.cjs`, `${dist}cli/main.cjs`])
    // The hook saw the runtime's own dependencies (it works), and nothing of paper mode's peers.
    expect(loaded.esm.some((url) => url.includes('hedger'))).toBe(true)
    expect(loaded.cjs.some((file) => file.includes('hedger'))).toBe(true)
    expect(paperPeers(loaded.esm)).toEqual([])
    expect(paperPeers(loaded.cjs)).toEqual([])
  })

  it('@alp/runtime/paper is exported and is what loads them', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(pkg.exports['./paper'].import.default).toBe('./dist/paper/index.js')
    expect(pkg.peerDependenciesMeta['@alp/venue-sim'].optional).toBe(true)
    expect(pkg.peerDependenciesMeta['@alp/backtest'].optional).toBe(true)
    const loaded = loadedBy([`${dist}paper/index.js`], [])
    expect(paperPeers(loaded.esm).length).toBeGreaterThan(0)
    // The CLI reaches it through a dynamic import of the chunk, never a static one.
    const cliChunks = readFileSync(`${dist}cli/main.js`, 'utf8')
    expect(cliChunks).not.toMatch(/from ["']@alp\/(venue-sim|backtest)/)
  })
})

describe('alp paper: the command line', () => {
  const run = async (argv: string[]) => {
    let stdout = ''
    let stderr = ''
    const code = await main(['node', 'alp', ...argv], {
      stdout: (t) => {
        stdout += t
      },
      stderr: (t) => {
        stderr += t
      },
      env: {},
      readStdin: async () => '',
    })
    return { code, stdout, stderr }
  }

  it('documents its flags in --help', async () => {
    const { stdout } = await run(['paper', '--help'])
    for (const flag of ['--day', '--from', '--to', '--speed', '--out', '--config', '--json'])
      expect(stdout).toContain(flag)
    expect(stdout).toContain('2024-01-05')
  })

  it('a bad window or speed is a usage error (exit 2) before anything starts', async () => {
    const bad = await run(['paper', '--from', '25:00', '--out', join(dir, 'bad')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--from must be HH:MM')
    const backwards = await run(['paper', '--from', '03:00', '--to', '01:00', '--out', join(dir, 'bad')])
    expect(backwards.code).toBe(2)
    expect(backwards.stderr).toContain('--to must be after --from')
    const speed = await run(['paper', '--speed', '0'])
    expect(speed.code).toBe(2)
    const day = await run(['paper', '--day', '2031-02-30', '--out', join(dir, 'bad'), '--data-dir', dir])
    expect(day.code).toBe(2)
  })
})
