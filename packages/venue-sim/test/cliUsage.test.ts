import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// The real bin as a child process (built dist). Every bad-input case must fail fast, before an emulator starts; the
// timeout only turns a CLI that wrongly starts and waits for Ctrl-C into a failed assertion instead of a hang.
const BIN = fileURLToPath(new URL('../bin/alp-venue-sim.mjs', import.meta.url))
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version
const ENV = {
  ...process.env,
  ALP_VENUE_SIM_API_SECRET: 'test-secret',
  ALP_VENUE_SIM_DERIBIT_SECRET: 'test-secret',
  ALP_VENUE_SIM_GRVT_SIGNER_KEY: '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d',
}

const dir = mkdtempSync(join(tmpdir(), 'alp-venue-sim-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV, timeout: 8_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('alp-venue-sim command line', () => {
  it('--version prints the package version', () => {
    const r = cli('--version')
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(VERSION)
  })

  it('--help of every subcommand exits 0 and shows its own options', () => {
    const own: Record<string, string> = {
      binance: '--klines <file>',
      deribit: '--client-secret-env <VAR>',
      grvt: '--signer-key-env <VAR>',
      fault: '--disconnect <scope>',
    }
    for (const [command, option] of Object.entries(own)) {
      const r = cli(command, '--help')
      expect(r.code, `${command} --help: ${r.stderr}`).toBe(0)
      expect(r.stdout).toContain(`alp-venue-sim ${command}`)
      expect(r.stdout).toContain(option)
    }
    expect(cli('fault', '--help').stdout).toContain('depth: dropProbability (a probability in [0, 1])')
  })

  it('an unknown subcommand is a usage error (exit 2)', () => {
    const r = cli('bogus')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown command 'bogus'")
  })

  it('no subcommand prints the usage and exits 2', () => {
    const r = cli()
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Usage: alp-venue-sim')
  })

  it('--port abc and --seed abc are rejected before anything starts, naming the option', () => {
    for (const command of ['binance', 'deribit', 'grvt']) {
      const port = cli(command, '--port', 'abc')
      expect(port.code, command).toBe(2)
      expect(port.stderr).toContain(
        "option '--port <n>' argument 'abc' is invalid. Expected a port number in 0..65535.",
      )
      const seed = cli(command, '--port', '0', '--simulate', '--seed', 'abc')
      expect(seed.code, command).toBe(2)
      expect(seed.stderr).toContain("option '--seed <n>' argument 'abc' is invalid")
      expect(seed.stdout).not.toContain('NaN')
    }
  })

  it('an unknown option of a subcommand is a usage error', () => {
    const r = cli('deribit', '--bogus')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown option '--bogus'")
  })

  it('a bad --klines CSV names the file, the row and the column', () => {
    const path = join(dir, 'bad.klines.csv')
    writeFileSync(
      path,
      'open_time,open,high,low,close,volume\n1704412800000,2267.85,2269.39,2267.27,2268.56,1.0\n1704412860000,2268.56,2270.30,2268.06,abc,1.0\n',
    )
    const r = cli('binance', '--port', '0', '--klines', path)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${path} row 3 column close: "abc" is not a decimal price > 0`)
    const missing = cli('binance', '--port', '0', '--klines', join(dir, 'none.csv'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(`${join(dir, 'none.csv')}: no such file`)
  })

  it('fault: an unknown knob or a value out of range is a usage error, nothing is sent', () => {
    // Port 9 (discard) is never an emulator: a CLI that tried to send would fail with exit 1, not 2.
    const bogus = cli('fault', '--url', 'http://127.0.0.1:9', 'depth.bogus=1')
    expect(bogus.code).toBe(2)
    expect(bogus.stderr).toContain("unknown knob 'depth.bogus'")
    const typo = cli('fault', '--url', 'http://127.0.0.1:9', 'depth.dropNxt=1')
    expect(typo.stderr).toContain("did you mean 'depth.dropNext'?")
    const range = cli('fault', '--url', 'http://127.0.0.1:9', 'depth.dropProbability=1.5', 'rest.http5xxStatus=501')
    expect(range.code).toBe(2)
    expect(range.stderr).toContain('depth.dropProbability must be a probability in [0, 1]')
    expect(range.stderr).toContain('rest.http5xxStatus must be one of 500, 502, 503, 504')
  })

  it('fault: the report as a user reads it (snapshot)', () => {
    const r = cli('fault', '--url', 'http://127.0.0.1:9', 'depth.dropNxt=1', 'ws.delayMs=-5', 'book.x=1')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatchInlineSnapshot(`
      "error: fault knobs:
        "depth.dropNxt=1": unknown knob 'depth.dropNxt'; did you mean 'depth.dropNext'? (depth knobs: dropProbability, duplicateProbability, reorderProbability, dropNext, duplicateNext, reorderNext)
        "ws.delayMs=-5": ws.delayMs must be milliseconds ≥ 0
        "book.x=1": unknown group 'book' (groups: depth, ws, rest)
      (run with --help for usage)
      "
    `)
  })

  it('fault: an emulator that cannot be reached is a run failure (exit 1) naming the url', () => {
    const r = cli('fault', '--url', 'http://127.0.0.1:9', 'depth.dropNext=1')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('cannot reach the emulator at http://127.0.0.1:9/__admin/faults')
  })
})
