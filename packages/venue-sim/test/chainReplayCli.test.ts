import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readPoolEvents } from '../src/chain/replay/index.js'

// The real bin (built dist) as a child process, run from the repository root so that `--day` finds data/.
const BIN = fileURLToPath(new URL('../bin/alp-venue-sim.mjs', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DAY_FILE = fileURLToPath(
  new URL(
    '../../../data/uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.tick.csv',
    import.meta.url,
  ),
)

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('alp-venue-sim chain', () => {
  it('starts anvil, prints the RPC URL, the pool and token addresses, progress and the report, and exits when done', async () => {
    const r = await run(
      ['chain', '--day', '2024-01-05', '--events', '120', '--progress-every', '50', '--exit-when-done'],
      120_000,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^anvil http:\/\/127\.0\.0\.1:\d+ \(chain id 31337\)$/m)
    expect(r.stdout).toMatch(/^pool 0x[0-9a-fA-F]{40} \(fee 500, tick spacing 10\)$/m)
    expect(r.stdout).toMatch(
      /^token0 USDC 0x[0-9a-fA-F]{40} \(6 decimals\) {2}token1 WETH 0x[0-9a-fA-F]{40} \(18 decimals\)$/m,
    )
    const progress = r.stdout.split('\n').filter((l) => l.startsWith('progress '))
    expect(progress.map((l) => l.split(' ')[1])).toEqual(['50/120', '100/120', '120/120'])
    const swaps = readPoolEvents(DAY_FILE)
      .slice(0, 120)
      .filter((e) => e.kind === 'SWAP').length
    expect(r.stdout).toContain(`done: ${swaps}/${swaps} swaps sent, ${swaps} at the recorded sqrtPriceX96`)
    // The record's time of the 120th event (line 121 of the file: 2024-01-05 00:29:23).
    expect(progress[2]).toContain('record time 2024-01-05T00:29:23.000Z')
  }, 150_000)

  it('a day without data, or a bad --speed, is a usage error (exit 2) before anything starts', () => {
    const missing = spawnSync(process.execPath, [BIN, 'chain', '--day', '1999-01-01', '--exit-when-done'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('no uniswap-mainnet-1999-01-01/*-1999-01-01.tick.csv')
    const badSpeed = spawnSync(process.execPath, [BIN, 'chain', '--day', '2024-01-05', '--speed', 'fast'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(badSpeed.status).toBe(2)
    expect(badSpeed.stderr).toContain('--speed')
  })
})
