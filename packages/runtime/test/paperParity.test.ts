import type { BacktestResults } from '@alp/backtest'
import { describe, expect, it } from 'vitest'
import { buildParityReport, renderParityMarkdown } from '../src/paper/buildParityReport.js'

// The parity report's rules on hand-made results: which rows differ and the cause given for each.
const T = (h: number, m: number) => Date.UTC(2024, 0, 5, h, m)
type Rebalance = BacktestResults['rebalances'][number]
const rebalance = (tsMs: number, reason: string, lower: number): Rebalance => ({
  tsMs,
  reason,
  base: { tickLower: lower, tickUpper: lower + 400, liquidity: '1' },
  limit: null,
  rangeHalfWidthBps: null,
  gasUsd: 0,
  fees0Raw: '0',
  fees1Raw: '0',
  feesFromGrowth0Raw: '0',
  feesFromGrowth1Raw: '0',
})
const results = (
  rebalances: Rebalance[],
  trades: BacktestResults['trades'],
  parts: { fees: number; il: number; hedge: number; gas: number },
): BacktestResults =>
  ({
    period: { startMs: T(0, 0), endMs: T(3, 0), poolEvents: 1, klines: 180 },
    rebalances,
    trades,
    summary: {
      feesUsd: parts.fees,
      impermanentLossUsd: parts.il,
      hedgePnlUsd: parts.hedge,
      gasUsd: parts.gas,
      pnlVsHoldUsd: parts.fees + parts.il + parts.hedge - parts.gas,
    },
  }) as unknown as BacktestResults
const fill = (tsMs: number, side: 'buy' | 'sell', size: string) => ({
  tsMs,
  side,
  price: '2270.00',
  sizeBase: size,
  feeQuote: '0.1',
  clientOrderId: 'x',
})
const context = {
  speed: 50,
  lpErrors: [],
  gas: { paperUnits: 800_000, paperAvgGwei: 1, modelGwei: 20 },
  rangeHint: false,
}

describe('buildParityReport', () => {
  it('equal runs: every row equal, no cause', () => {
    const a = results([rebalance(T(0, 11), 'NO_POSITION', 198850)], [fill(T(0, 14), 'sell', '0.500')], {
      fees: 1,
      il: -1,
      hedge: 2,
      gas: 3,
    })
    const report = buildParityReport(a, a, context)
    expect(report.differences).toEqual([])
    expect(report.rows.every((r) => r.equal && r.cause === null)).toBe(true)
    expect(report.rebalances.matched).toBe(1)
  })

  it('a rebalance one kline apart, a later one on one side only, other fills and gas: each row with its cause', () => {
    const paper = results(
      [rebalance(T(0, 11), 'NO_POSITION', 198850), rebalance(T(1, 51), 'PRICE_NEAR_EDGE', 199010)],
      [fill(T(0, 11), 'sell', '0.779'), fill(T(0, 12), 'buy', '0.099')],
      { fees: 11, il: -8, hedge: -25, gas: 5 },
    )
    const backtest = results(
      [
        rebalance(T(0, 11), 'NO_POSITION', 198850),
        rebalance(T(1, 52), 'PRICE_NEAR_EDGE', 199030),
        rebalance(T(2, 52), 'INVENTORY_DEVIATION', 198960),
      ],
      [fill(T(0, 14), 'sell', '0.500')],
      { fees: 12, il: -9, hedge: 11, gas: 189 },
    )
    const report = buildParityReport(paper, backtest, context)
    const row = (item: string) => report.rows.find((r) => r.item === item)!
    expect(row('rebalance at 00:11:00').equal).toBe(true)
    expect(row('rebalance at 01:51:00').cause).toContain(
      'gas-vs-gain check one kline apart (the other side at 01:52:00',
    )
    expect(row('rebalance at 01:52:00').cause).toContain(
      'gas-vs-gain check one kline apart (the other side at 01:51:00',
    )
    expect(row('rebalance at 02:52:00').cause).toContain('follows the earlier difference at 01:51:00')
    expect(row('rebalances').paper).toBe('2')
    expect(row('rebalances').backtest).toBe('3')
    expect(row('hedge fills').cause).toContain('value-share target')
    expect(row('sold (base)').paper).toBe('0.779')
    expect(row('gasUsd').cause).toContain('gas actually paid on anvil (800000 gas units')
    expect(row('feesUsd').cause).toContain('ranges in force differ')
    expect(report.rebalances.matched).toBe(1)
    for (const r of report.rows) expect(r.equal ? r.cause === null : (r.cause?.length ?? 0) > 20).toBe(true)
    const markdown = renderParityMarkdown(report)
    expect(markdown).toContain(`${report.differences.length} of ${report.rows.length} compared items differ`)
    for (const r of report.differences) expect(markdown).toContain(r.cause!)
  })

  it('a failed LP step is named as the cause of the rebalance it missed', () => {
    const paper = results([], [], { fees: 0, il: 0, hedge: 0, gas: 0 })
    const backtest = results([rebalance(T(0, 11), 'NO_POSITION', 198850)], [], { fees: 0, il: 0, hedge: 0, gas: 0 })
    const report = buildParityReport(paper, backtest, {
      ...context,
      lpErrors: [{ tsMs: T(0, 11), message: 'RPC timeout' }],
    })
    expect(report.rows.find((r) => r.item === 'rebalance at 00:11:00')!.cause).toBe(
      "the paper LP manager's step failed at 00:11:00: RPC timeout",
    )
  })

  it('with the range hint on, a first range that differs is put down to what the hint was estimated from, not the clock', () => {
    const paper = results([rebalance(T(0, 11), 'NO_POSITION', 198810)], [], { fees: 0, il: 0, hedge: 0, gas: 0 })
    const backtest = results([rebalance(T(0, 11), 'NO_POSITION', 198700)], [], { fees: 0, il: 0, hedge: 0, gas: 0 })
    const report = buildParityReport(paper, backtest, { ...context, rangeHint: true })
    const cause = report.rows.find((r) => r.item === 'rebalance at 00:11:00')!.cause!
    // Both traders run on replay time now (createDeployment's clock option): the cause is the market data the
    // hedger's volatility estimator sees.
    expect(cause).toContain('suggestRange hint')
    expect(cause).toContain('replay time')
    expect(cause).toContain("emulator's market data")
    expect(cause).not.toContain('wall clock')
  })
})
