import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HedgerConfigInput } from '@alp/hedger'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import { Journal } from '../src/journal/Journal.js'
import { lpActionRecords } from '../src/journal/lpActionRecords.js'
import { replayJournalIntoBacktest } from '../src/journal/replayJournalIntoBacktest.js'
import type { LpActionMessage, LpPnlMessage } from '../src/transport/topics.js'

/*
 * The journal replayed into the backtester's results (`replayJournalIntoBacktest`, `alp history --report`) on a
 * journal written by hand: three lp.pnl messages of a USDC/WETH LP (token0 USDC, 6 decimals; base token1 WETH, 18),
 * one rebalance, two hedge fills on binance-usdm, one trade print and one inventory event. Every expected value below
 * is worked out by hand from those inputs (docs/backtest.md#results definitions), not taken from the code's output.
 * (The replay of a real paper run against that run's own results is in test/paperVenues.test.ts: one paper run.)
 */
const dir = mkdtempSync(join(tmpdir(), 'alp-journal-replay-'))
const path = join(dir, 'journal.sqlite')
const T0 = 1_704_412_800_000 // 2024-01-05T00:00Z
const ns = (ms: number) => BigInt(ms) * 1_000_000n
const SOURCE = 'uniswap-v3:1:0xpool'

const pnl = (minute: number, amount0Raw: string, amount1Raw: string, ethUsd: string, lpFeesUsd: number) =>
  ({
    type: 'lp.pnl',
    source: SOURCE,
    tsMs: T0 + minute * 60_000,
    valueUsd: '0',
    usdPrice0: '1',
    usdPrice1: ethUsd,
    amount0Raw,
    amount1Raw,
    decimals0: 6,
    decimals1: 18,
    baseToken: 'token1',
    lpFeesUsd,
    gasPaidWei: '0',
    gasUsd: 0,
    lpPnlVsHoldUsd: 0,
  }) satisfies LpPnlMessage

const rebalance: LpActionMessage = {
  type: 'lp.action',
  id: 'plan-1',
  source: SOURCE,
  tsMs: T0 + 100_000,
  reason: 'inventory',
  decidedAtBlock: 10,
  closed: [
    {
      tokenId: '7',
      tickLower: 190_000,
      tickUpper: 200_000,
      liquidity: '1000',
      collected0Raw: '600000000',
      collected1Raw: '300000000000000000',
      fees0Raw: '500000',
      fees1Raw: '1000000000000000',
      skipped: false,
      txHash: '0x01',
      gasCostWei: '600000000000000',
    },
  ],
  swap: null,
  minted: [
    {
      role: 'base',
      tokenId: '8',
      tickLower: 199_000,
      tickUpper: 201_000,
      liquidity: '2000',
      amount0Raw: '500000000',
      amount1Raw: '250000000000000000',
      txHash: '0x02',
      gasCostWei: '400000000000000',
    },
  ],
  gasPaidWei: '1000000000000000', // 0.001 ETH
  expectedGainUsd: 10,
  gasCostUsd: 2,
}

beforeAll(() => {
  const journal = new Journal(path)
  try {
    const runId = journal.startRun({
      processName: 'trader',
      startedMs: T0,
      hedgerConfig: {
        venues: [{ venue: 'binance-usdm', tickSize: '0.01', stepSize: '0.001' }],
      } as unknown as HedgerConfigInput,
    })
    // minute 1: 1 000 USDC + 1 ETH at 2 000 (the hold basis); minute 2 and 3 as below.
    expect(journal.appendLpPnl(runId, pnl(1, '1000000000', '1000000000000000000', '2000', 0))).toBe(true)
    expect(journal.appendLpPnl(runId, pnl(2, '1100000000', '950000000000000000', '2000', 1.5))).toBe(true)
    // The same message again (a snapshot, a late join): kept once.
    expect(journal.appendLpPnl(runId, pnl(2, '1100000000', '950000000000000000', '2000', 1.5))).toBe(false)
    expect(journal.appendLpPnl(runId, pnl(3, '1200000000', '900000000000000000', '2100', 3))).toBe(true)
    expect(journal.appendLpExecution(runId, rebalance.id, lpActionRecords(rebalance))).toBe(true)
    const fill = (tsMs: number, side: 'buy' | 'sell', priceTicks: number, sizeLots: number, feeQuote: string) =>
      journal.appendStep(
        runId,
        {
          type: 'fill',
          tsNs: ns(tsMs + 30),
          venue: 'binance-usdm',
          clientOrderId: `c${tsMs}`,
          tradeId: `t${tsMs}`,
          side,
          priceTicks,
          sizeLots,
          feeQuote,
          venueTimeMs: tsMs,
        },
        [],
      )
    fill(T0 + 110_000, 'buy', 200_000, 500, '0.2') // 0.5 ETH at 2 000.00
    fill(T0 + 150_000, 'sell', 205_000, 200, '0.1') // 0.2 ETH at 2 050.00
    fill(T0 + 200_000, 'sell', 210_000, 100, '0.1') // after the last sample: a trade, not in the PnL parts
    journal.appendStep(
      runId,
      {
        type: 'trade',
        tsNs: ns(T0 + 170_000),
        venue: 'binance-usdm',
        priceTicks: 209_000,
        sizeLots: 1,
        aggressorSide: 'buy',
      },
      [],
    )
    journal.appendStep(
      runId,
      { type: 'lpInventory', tsNs: ns(T0 + 175_000), baseHeldBase: '0.9', baseTargetBase: '0.6', poolPrice: '2100' },
      [],
    )
  } finally {
    journal.close()
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('replayJournalIntoBacktest', () => {
  it('gives the backtester results of the journal: one sample per lp.pnl, PnL parts, rebalances and trades', () => {
    const results = replayJournalIntoBacktest(path)
    expect(results.schemaVersion).toBe(1)
    expect(results.series.tsMs).toEqual([T0 + 60_000, T0 + 120_000, T0 + 180_000])
    expect(results.series.poolPrice).toEqual([2000, 2000, 2100])
    // LP value 1 200 + 0.9 × 2 100 = 3 090; hold 1 000 + 1 × 2 100 = 3 100; fees 3 (the manager's); IL = −10 − 3.
    const s = results.summary
    expect(s.holdValueUsd).toBeCloseTo(3100, 9)
    expect(s.feesUsd).toBeCloseTo(3, 9)
    expect(s.impermanentLossUsd).toBeCloseTo(-13, 9)
    // Hedge: buy 0.5 at 2 000 (fee 0.2), sell 0.2 at 2 050 (fee 0.1): cash −1 000.2 + 409.9 = −590.3, 0.3 ETH marked
    // at the last print before minute 3 (2 090): −590.3 + 627 = 36.7.
    expect(s.hedgePnlUsd).toBeCloseTo(36.7, 9)
    // Gas: 0.001 ETH at the pool price of the last lp.pnl before the rebalance (minute 1: 2 000) = 2.
    expect(s.gasUsd).toBeCloseTo(2, 9)
    expect(s.pnlVsHoldUsd).toBeCloseTo(-10 + 36.7 - 2, 9)
    expect(s.finalValueUsd).toBeCloseTo(3090 + 36.7 - 2, 9)
    // Minute 2: the first fill only, no print yet: marked at the pool price (2 000): −1 000.2 + 1 000 = −0.2.
    expect(results.series.hedgePnlUsd[1]).toBeCloseTo(-0.2, 9)
    expect(results.series.hedgeBase.map((b) => Number(b.toFixed(9)))).toEqual([0, 0.5, 0.3])
    // Net exposure: the inventory event's 0.9 − 0.6 plus the 0.3 ETH hedge.
    expect(results.series.netExposureBase[2]).toBeCloseTo(0.6, 9)
    expect(s.rebalances).toBe(1)
    expect(results.rebalances).toEqual([
      expect.objectContaining({
        tsMs: T0 + 100_000,
        reason: 'inventory',
        base: { tickLower: 199_000, tickUpper: 201_000, liquidity: '2000' },
        limit: null,
        fees0Raw: '500000',
        fees1Raw: '1000000000000000',
      }),
    ])
    expect(results.rebalances[0]?.gasUsd).toBeCloseTo(2, 9)
    expect(s.feesCollected0Raw).toBe('500000')
    // Minute 3 is inside the minted base range [tick 199 000, 201 000] ↔ about 1 865 … 2 277 USD per ETH.
    expect(results.series.baseLowerPrice[2]).toBeGreaterThan(1800)
    expect(results.series.baseUpperPrice[2]).toBeLessThan(2300)
    expect(results.series.baseLowerPrice[0]).toBeNull()
    expect(results.trades).toEqual([
      {
        tsMs: T0 + 110_000,
        side: 'buy',
        price: '2000.00',
        sizeBase: '0.500',
        feeQuote: '0.2',
        clientOrderId: `c${T0 + 110_000}`,
      },
      {
        tsMs: T0 + 150_000,
        side: 'sell',
        price: '2050.00',
        sizeBase: '0.200',
        feeQuote: '0.1',
        clientOrderId: `c${T0 + 150_000}`,
      },
      {
        tsMs: T0 + 200_000,
        side: 'sell',
        price: '2100.00',
        sizeBase: '0.100',
        feeQuote: '0.1',
        clientOrderId: `c${T0 + 200_000}`,
      },
    ])
  })

  it('refuses a journal without lp.pnl messages, naming it', () => {
    const empty = join(dir, 'empty.sqlite')
    new Journal(empty).close()
    expect(() => replayJournalIntoBacktest(empty)).toThrow(/empty\.sqlite.*no lp\.pnl messages/s)
  })
})

describe('alp history --report', () => {
  it('writes the backtester results JSON and HTML report of the journal', async () => {
    const out = join(dir, 'report')
    let stdout = ''
    let stderr = ''
    const code = await main(['node', 'alp', 'history', '--journal', path, '--report', out], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
      readStdin: async () => '',
    })
    expect(stderr).toBe('')
    expect(code).toBe(EXIT.OK)
    const results = JSON.parse(readFileSync(join(out, 'backtest_results.json'), 'utf8'))
    expect(results.summary.hedgePnlUsd).toBeCloseTo(36.7, 9)
    expect(results.summary.rebalances).toBe(1)
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(stdout).toContain(join(out, 'report.html'))
  })
})
