import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { MAINNET_DAY } from './src/dataPaths.js'

// The real bin as a child process (built dist): exit codes and the text a user sees.
const BIN = fileURLToPath(new URL('../bin/alp-backtest.mjs', import.meta.url))
const EXAMPLE = fileURLToPath(new URL('../../../examples/two-venue-backtest/config.json', import.meta.url))
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version

const dir = mkdtempSync(join(tmpdir(), 'alp-backtest-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir, timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

type Json = Record<string, unknown>
/** The example config with absolute data paths, changed by `edit`. */
function exampleConfig(edit: (config: Json) => void = () => {}): Json {
  const config = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Json
  config.data = { poolEvents: MAINNET_DAY.tickCsv, klines: MAINNET_DAY.klinesCsv }
  edit(config)
  return config
}
let files = 0
function writeConfig(config: Json | string): string {
  const path = join(dir, `config-${files++}.json`)
  writeFileSync(path, typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`)
  return path
}
const at = (config: Json, path: string): Json =>
  path === '' ? config : path.split('.').reduce((node, key) => node[key] as Json, config)
/** An edit for exampleConfig: sets the field at dotted `path`. */
const set = (path: string, value: unknown) => (config: Json) => {
  const keys = path.split('.')
  at(config, keys.slice(0, -1).join('.'))[keys.at(-1)!] = value
}

describe('alp-backtest command line', () => {
  it('--version prints the package version and exits 0', () => {
    const r = cli('--version')
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(PACKAGE_VERSION)
  })

  it('`run --help` and `sweep --help` exit 0 and list the exit codes', () => {
    for (const command of ['run', 'sweep', 'as2008']) {
      const r = cli(command, '--help')
      expect(r.code, command).toBe(0)
      expect(r.stdout).toContain(`alp-backtest ${command}`)
    }
    expect(cli('--help').stdout).toContain('Exit codes: 0 ok, 1 the run failed, 2 bad command line, 3 invalid config')
  })

  it('an unknown command is a usage error (exit 2)', () => {
    const r = cli('bogus')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown command 'bogus'")
  })

  it('`run --bogus` names --bogus, not --config', () => {
    const r = cli('run', '--bogus')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown option '--bogus'")
    expect(r.stderr).not.toContain('--config')
  })

  it('`run` without --config is a usage error naming --config', () => {
    const r = cli('run')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("required option '--config <file>' not specified")
  })

  it('`sweep --threads abc` and `run --events abc` are usage errors, before anything runs', () => {
    const config = writeConfig(exampleConfig())
    const sweep = cli('sweep', '--config', config, '--param', 'lp.seed.BASE_SPREAD=0.01,0.02', '--threads', 'abc')
    expect(sweep.code).toBe(2)
    expect(sweep.stderr).toContain("option '--threads <n>' argument 'abc' is invalid")
    expect(sweep.stdout).toBe('')
    const run = cli('run', '--config', config, '--events', 'abc')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("option '--events <n>' argument 'abc' is invalid")
  })

  it('`sweep --param` with a value that is not a number is a usage error naming the value', () => {
    const config = writeConfig(exampleConfig())
    const r = cli('sweep', '--config', config, '--param', 'lp.seed.BASE_SPREAD=0.01,abc')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("value 'abc' is not a finite number")
  })
})

describe('alp-backtest run: config errors name the field as written, all at once (exit 3)', () => {
  it('malformed JSON: file, line and column of the first syntax error', () => {
    // Line 3 has a trailing comma; the error is the '}' at line 4, column 1.
    const path = writeConfig('{\n  "name": "x",\n  "data": {},\n}\n')
    const r = cli('run', '--config', path)
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/config-\d+\.json:4:1: invalid JSON: expected a property name in double quotes, found "}"/)
  })

  it('several errors in one report, each with its path and line', () => {
    const config = exampleConfig((c) => {
      at(c, 'pool').baseToken = 'token2'
      at(c, 'pool').initialSqrtPriceX96 = '12abc'
      at(c, 'lp').warmUpMinutes = -10
      at(c, 'models.latency').entryMs = -5
    })
    const r = cli('run', '--config', writeConfig(config))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('the run config has 4 problems')
    expect(r.stderr).toMatch(/:\d+:\d+ {2}pool\.initialSqrtPriceX96 = "12abc": must be a decimal integer string/)
    expect(r.stderr).toMatch(/pool\.baseToken = "token2": must be "token0" or "token1"/)
    expect(r.stderr).toMatch(/lp\.warmUpMinutes = -10: must be an integer ≥ 0/)
    expect(r.stderr).toMatch(/models\.latency\.entryMs = -5: must be a finite number ≥ 0/)
    expect(r.stderr).not.toContain('BigInt')
    expect(r.stderr).not.toContain('entryNs')
  })

  it('the report as a user reads it (snapshot)', () => {
    const config = exampleConfig((c) => {
      set('pool.baseToken', 'token2')(c)
      set('lp.warmUpMinutes', -10)(c)
      set('venue.tickSize', '0.1')(c)
      const latency = at(c, 'models.latency')
      latency.entryMS = latency.entryMs
      delete latency.entryMs
    })
    const r = cli('run', '--config', writeConfig(config))
    expect(r.code).toBe(3)
    expect(r.stderr.replace(/config-\d+\.json/g, 'config.json')).toMatchInlineSnapshot(`
      "alp-backtest: config.json: the run config has 5 problems.

        config.json:13:18  pool.baseToken = "token2": must be "token0" or "token1" (the volatile token whose price is quoted)
        config.json:31:22  lp.warmUpMinutes = -10: must be an integer ≥ 0
        config.json:60:17  venue.tickSize = "0.1": must equal hedger.venues[0].tickSize "0.01": the hedger quotes on its grid and the simulator fills on this one (a mismatch silently breaks the hedge)
        config.json:75:16  models.latency.entryMs: is missing; "entryMS" is there instead
        config.json:78:18  models.latency.entryMS: unknown key; did you mean "entryMs"?

      Next: fix the fields above (all of them were checked); https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config lists every field.
      Docs: https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config
      "
    `)
  })

  it('an unknown or misspelt key is an error with a suggestion', () => {
    const config = exampleConfig((c) => {
      const lp = at(c, 'lp')
      lp.warmUpMinute = lp.warmUpMinutes
      delete lp.warmUpMinutes
      at(c, 'hedger.hedge').orderSizeBas = 0.2
    })
    const r = cli('run', '--config', writeConfig(config))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('lp.warmUpMinute: unknown key; did you mean "warmUpMinutes"?')
    expect(r.stderr).toContain('lp.warmUpMinutes: is missing; "warmUpMinute" is there instead')
    expect(r.stderr).toContain('hedger.hedge.orderSizeBas: unknown key; did you mean "orderSizeBase"?')
  })

  it('a missing data file names the config field and the resolved path', () => {
    const config = exampleConfig((c) => {
      at(c, 'data').klines = 'no-such-klines.csv'
    })
    const r = cli('run', '--config', writeConfig(config))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`data.klines: no such file: ${join(dir, 'no-such-klines.csv')}`)
    expect(r.stderr).not.toMatch(/^ENOENT/m)
  })

  it('a bad pool.feePips is blamed on pool.feePips, not on lp.seed.FEE_TIER', () => {
    const r = cli('run', '--config', writeConfig(exampleConfig(set('pool.feePips', 501))))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('pool.feePips = 501: must be one of 100, 500, 3000, 10000')
    expect(r.stderr).not.toContain('lp.seed.FEE_TIER')
  })

  it('a seed fee tier that disagrees with a valid pool.feePips names both fields', () => {
    const r = cli('run', '--config', writeConfig(exampleConfig(set('lp.seed.FEE_TIER', 0.003))))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('lp.seed.FEE_TIER = 0.003: is the 3000-pip tier but pool.feePips is 500')
  })

  it("a venue tick size that differs from the hedger's is an error (it silently zeroed the hedge)", () => {
    const r = cli('run', '--config', writeConfig(exampleConfig(set('venue.tickSize', '0.1'))))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('venue.tickSize = "0.1": must equal hedger.venues[0].tickSize "0.01"')
  })

  it('a model with an unknown kind lists the choices', () => {
    const r = cli('run', '--config', writeConfig(exampleConfig(set('models.fill.kind', 'magic'))))
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('models.fill.kind = "magic": must be "touch" or "tradeThrough"')
  })
})

/** The first two hours of the mainnet day: 600 pool events and 120 one-minute klines, 720 data rows. */
function shortDataConfig(): Json {
  const tick = readFileSync(MAINNET_DAY.tickCsv, 'utf8').split('\n')
  const klines = readFileSync(MAINNET_DAY.klinesCsv, 'utf8').split('\n')
  const poolEvents = join(dir, 'short.tick.csv')
  const klinesFile = join(dir, 'short.klines.csv')
  writeFileSync(poolEvents, `${tick.slice(0, 601).join('\n')}\n`)
  writeFileSync(klinesFile, `${klines.slice(0, 121).join('\n')}\n`)
  return exampleConfig((c) => {
    c.data = { poolEvents, klines: klinesFile }
  })
}

describe('alp-backtest progress on stderr without a TTY', () => {
  it('run: plain lines with the total from the data files, then the summary', () => {
    const r = cli('run', '--config', writeConfig(shortDataConfig()), '--out', join(dir, 'out'))
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stderr.trim().split('\n')
    // One line per 10 % step (some steps may share a line), each with the real total; never the old fixed 7,674.
    const steps = lines.filter((line) => /^backtest: \d+ % \(\d+\/720 events, \d+\.\d s\)$/.test(line))
    expect(steps.length).toBeGreaterThanOrEqual(5)
    expect(lines.at(-1)).toMatch(/^backtest: done, 7\d\d events in \d+\.\d s$/)
    expect(r.stderr).not.toContain('7,674')
    expect(r.stdout).toContain('wrote')
  })

  it('sweep: a line per finished job, then the table on stdout', () => {
    const config = writeConfig(shortDataConfig())
    const r = cli('sweep', '--config', config, '--param', 'lp.seed.BASE_SPREAD=0.02,0.04', '--threads', '2')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^sweep: 50 % \(1\/2 jobs, \d+\.\d s\) \(finished lp\.seed\.BASE_SPREAD=0\.0[24]\)$/m)
    expect(r.stderr).toMatch(/^sweep: done, 2 jobs in \d+\.\d s$/m)
    const table = r.stdout.trim().split('\n')
    expect(table).toHaveLength(3)
    expect(table[1]).toMatch(/^\s*lp\.seed\.BASE_SPREAD=0\.02 /)
  })

  it('sweep: a value that breaks the schema is a config error naming the field (exit 3)', () => {
    const config = writeConfig(exampleConfig())
    const r = cli('sweep', '--config', config, '--param', 'lp.warmUpMinutes=10,-1')
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('lp.warmUpMinutes = -1: must be an integer ≥ 0')
  })
})
