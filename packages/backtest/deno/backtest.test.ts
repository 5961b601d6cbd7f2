// Deno suite: the built package (../dist/index.js) under Deno, node:assert only, no network.
import assert from 'node:assert/strict'
import { EventsOutOfOrderError, mergeSources, PoolReplay, PoolSimulator, readPoolLogEvents } from '../dist/index.js'

const TICK_CSV = new URL(
  '../../../data/uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.tick.csv',
  import.meta.url,
).pathname

Deno.test('replays the 2024-01-05 day: 6234 events, recorded price after every swap', async () => {
  let replay: InstanceType<typeof PoolReplay> | undefined
  let events = 0
  let mismatches = 0
  for await (const event of readPoolLogEvents(TICK_CSV)) {
    replay ??= new PoolReplay({
      feePips: 500,
      tickSpacing: 10,
      initialSqrtPriceX96: 1662989727226084088942105379516512n,
      initialLiquidity: event.totalLiquidity,
    })
    replay.apply(event)
    events++
    if (event.kind === 'swap' && replay.pool.slot0.sqrtPriceX96 !== event.sqrtPriceX96) mismatches++
  }
  assert.equal(events, 6234) // PROVENANCE.md
  assert.equal(mismatches, 0)
})

Deno.test('one swap inside a single range equals the v3 formula worked by hand', () => {
  // Price 1 (sqrtPriceX96 = 2^96), L = 10^18 on [-600, 600), fee 0.05 %. Exact output of 10^15 token1:
  // the pool moves √P down by Δy/L = 10^15/10^18 of 2^96 … the input is then L·(1/√P' − 1/√P) rounded up plus the fee.
  const sim = new PoolSimulator({ feePips: 500, tickSpacing: 10 })
  const Q96 = 1n << 96n
  sim.initialize(Q96)
  sim.mint('lp', -600, 600, 10n ** 18n)
  const swap = sim.swap(true, -(10n ** 15n), 4295128740n)
  assert.equal(swap.amount1, -(10n ** 15n))
  const sqrtAfter = Q96 - (10n ** 15n * Q96 + 10n ** 18n - 1n) / 10n ** 18n // getNextSqrtPriceFromAmount1RoundingDown, output: rounds the price down
  assert.equal(swap.sqrtPriceX96, sqrtAfter)
  const numerator = 10n ** 18n * Q96 * (Q96 - sqrtAfter)
  const amountIn = (numerator / Q96 + (numerator % Q96 > 0n ? 1n : 0n) + sqrtAfter - 1n) / sqrtAfter // ceil(ceil(L·2^96·Δ/√P)/√P')
  const fee = (amountIn * 500n + 999_500n - 1n) / 999_500n
  assert.equal(swap.amount0, amountIn + fee)
})

Deno.test('a source going back in time is a typed error naming file and row', async () => {
  async function* source() {
    yield { tsNs: 10n, file: 'a.csv', row: 2 }
    yield { tsNs: 5n, file: 'a.csv', row: 3 }
  }
  await assert.rejects(
    async () => {
      for await (const _ of mergeSources([source()])) {
        // drain
      }
    },
    (error: unknown) => error instanceof EventsOutOfOrderError && error.file === 'a.csv' && error.row === 3,
  )
})

Deno.test('sweep across worker threads: AS 2008 for γ = 0.01, 0.1, 1, rows in job order', async () => {
  const { runSweep, formatSweepTable } = await import('../dist/index.js')
  const jobs = [0.01, 0.1, 1].map((gammaPerPrice) => ({
    kind: 'as2008' as const,
    label: `gamma=${gammaPerPrice}`,
    gammaPerPrice,
    seed: 7,
    paths: 100,
  }))
  const rows = await runSweep({ jobs, threads: 2, workerUrl: new URL('../dist/sweep/sweepWorker.js', import.meta.url) })
  assert.deepEqual(
    rows.map((r) => r.label),
    ['gamma=0.01', 'gamma=0.1', 'gamma=1'],
  )
  // The paper's finding (AS 2008, Tables 1-3): the inventory strategy has a lower profit dispersion and a much lower
  // terminal-inventory dispersion than the symmetric one, for every γ.
  for (const r of rows) {
    assert.ok(r.values.inventoryStdProfit! < r.values.symmetricStdProfit!, r.label)
    assert.ok(r.values.inventoryStdFinalQ! < r.values.symmetricStdFinalQ!, r.label)
  }
  assert.match(formatSweepTable(rows), /gamma=0\.1/)
})
