import type { BacktestResults } from '@alp/backtest'

/** One compared quantity: the paper run's value, the backtester's, and why they differ (null when they agree). */
export type ParityRow = {
  readonly section: 'rebalances' | 'hedge' | 'pnl'
  readonly item: string
  readonly paper: string
  readonly backtest: string
  readonly equal: boolean
  /** The cause of the difference; null when equal. */
  readonly cause: string | null
}

export type ParityReport = {
  readonly window: { readonly startMs: number; readonly endMs: number; readonly speed: number }
  readonly rows: readonly ParityRow[]
  /** The rows that differ, each with its cause. */
  readonly differences: readonly ParityRow[]
  readonly rebalances: {
    readonly paper: readonly { tsMs: number; reason: string; base: [number, number]; limit: [number, number] | null }[]
    readonly backtest: readonly {
      tsMs: number
      reason: string
      base: [number, number]
      limit: [number, number] | null
    }[]
    /** Rebalances at the same kline with the same reason and the same base and limit ticks. */
    readonly matched: number
  }
  readonly hedge: { readonly paper: HedgeSummary; readonly backtest: HedgeSummary }
  readonly pnl: { readonly paper: PnlParts; readonly backtest: PnlParts }
}

export type HedgeSummary = {
  readonly fills: number
  readonly buyBase: number
  readonly sellBase: number
  readonly finalPositionBase: number
  readonly firstFillMs: number | null
  readonly feesQuote: number
}

export type PnlParts = {
  readonly feesUsd: number
  readonly impermanentLossUsd: number
  readonly hedgePnlUsd: number
  readonly gasUsd: number
  readonly pnlVsHoldUsd: number
}

export type ParityContext = {
  readonly speed: number
  /** Errors of the paper LP manager's steps, with their replay time. */
  readonly lpErrors: readonly { tsMs: number; message: string }[]
  /** Gas the paper run's transactions used and the average price anvil charged, against the backtester's model. */
  readonly gas: { readonly paperUnits: number; readonly paperAvgGwei: number; readonly modelGwei: number }
  /**
   * Gas units each side's gas-vs-gain check prices a rebalance of two positions at (2 × (burn + collect) + 2 × mint),
   * and where the paper side's come from.
   */
  readonly decisionGas?: { readonly paperUnits: number; readonly backtestUnits: number; readonly paperSource: string }
  /** Whether the trader's range hint was applied (rangeWidthFromVolatility). */
  readonly rangeHint: boolean
}

const LP_TARGET =
  "the LP exposure the hedger answers: one definition on both sides (the live LP manager's value-share target, " +
  'targetBaseShare 0.5: amount(base) − excessBase, which the backtester computes with the same createInventoryUpdate ' +
  'and turns into lpInventory with the same inventoryUpdateToEvent; ' +
  'https://github.com/alp-sdk/alp/blob/main/docs/lp-manager.md, "one inventory target"); it still differs by the fee ' +
  'rounding of the holdings and by when each side publishes it (the live manager on every holdings change, the ' +
  'backtester at each kline close after the warm-up)'

const hhmm = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(11, 19))
const usd = (x: number) => x.toFixed(2)
const base = (x: number) => x.toFixed(3)

const FILL_TIMING =
  'fill timing: on the emulator a post-only hedge quote fills when a klines print (4 per bar, 15 s apart) or the ' +
  're-centred ladder crosses it, and the trader re-quotes on the wall clock over the bus and the HTTP/WebSocket ' +
  'connector; the backtester fills at each kline by its fill model (tradeThrough) with constant 50 ms latencies'

/**
 * Compares the paper run with the backtester on the same window and strategy: every rebalance (time, reason, ticks),
 * the hedge (fills, volume, position), the PnL parts. Each row that differs carries its cause.
 */
export function buildParityReport(
  paper: BacktestResults,
  backtest: BacktestResults,
  context: ParityContext,
): ParityReport {
  const rows: ParityRow[] = []
  const toRebalance = (r: BacktestResults['rebalances'][number]) => ({
    tsMs: r.tsMs,
    reason: r.reason,
    base: [r.base.tickLower, r.base.tickUpper] as [number, number],
    limit: r.limit === null ? null : ([r.limit.tickLower, r.limit.tickUpper] as [number, number]),
  })
  const paperRebalances = paper.rebalances.map(toRebalance)
  const backtestRebalances = backtest.rebalances.map(toRebalance)
  const show = (r: ReturnType<typeof toRebalance> | undefined) =>
    r === undefined
      ? '-'
      : `${hhmm(r.tsMs)} ${r.reason} base [${r.base.join(', ')}) limit ${r.limit === null ? '-' : `[${r.limit.join(', ')})`}`
  const errorNear = (tsMs: number) => context.lpErrors.find((e) => Math.abs(e.tsMs - tsMs) <= 60_000)
  let matched = 0
  let firstDifferenceMs: number | null = null
  const times = [...new Set([...paperRebalances, ...backtestRebalances].map((r) => r.tsMs))].sort((a, b) => a - b)
  for (const ts of times) {
    const p = paperRebalances.find((r) => r.tsMs === ts)
    const b = backtestRebalances.find((r) => r.tsMs === ts)
    const equal =
      p !== undefined && b !== undefined && p.reason === b.reason && `${p.base}|${p.limit}` === `${b.base}|${b.limit}`
    if (equal) matched++
    let cause: string | null = null
    if (!equal) {
      const error = errorNear(ts)
      const other = p === undefined ? paperRebalances : backtestRebalances
      const near = other.find((r) => Math.abs(r.tsMs - ts) <= 30 * 60_000 && r.tsMs !== ts)
      const self = p ?? b
      if (error !== undefined) cause = `the paper LP manager's step failed at ${hhmm(error.tsMs)}: ${error.message}`
      else if (
        near !== undefined &&
        self !== undefined &&
        near.reason === self.reason &&
        Math.abs(near.tsMs - ts) <= 60_000
      )
        cause = `decision timing, the gas-vs-gain check one kline apart (the other side at ${hhmm(near.tsMs)}, same reason): the expected gain is the trailing hour of fees × 24, and the live manager's hour (estimateExpectedGainUsd over its fee samples) ends at this kline while the backtester's (feeHistory, sampled after its decision) ends at the previous one; with gas priced at 0 both sides rebalance at the same klines`
      else if (firstDifferenceMs !== null && firstDifferenceMs < ts)
        cause = `follows the earlier difference at ${hhmm(firstDifferenceMs)}: the positions in force since then differ (ranges, liquidity, fees, time since the last rebalance), so the policy's inputs differ`
      else if (p !== undefined && b !== undefined && p.reason === b.reason)
        cause = context.rangeHint
          ? "ranges planned with the trader's suggestRange hint, which differs: both traders run on replay time, but the paper hedger's volatility estimator sees the emulator's market data (each kline replayed as prints, the BBO re-centred every tick) where the backtester's sees its kline events"
          : 'ranges planned from a different AS model quote: the base held (q) on the chain differs from the simulated pool by the fee rounding of the positions in force'
      else if (near !== undefined)
        cause = `decision timing: the other side rebalanced at ${hhmm(near.tsMs)}; the policy's inputs (the trailing hour of fees against the gas cost, the inventory deviation against REBALANCE_THRESHOLD) crossed their threshold at a different kline`
      else
        cause =
          'the policy decided differently: the trailing-hour fees (exact v3 fee growth on anvil vs the simulated pool) or the inventory deviation were on the other side of the threshold'
    }
    if (!equal && firstDifferenceMs === null) firstDifferenceMs = ts
    rows.push({
      section: 'rebalances',
      item: `rebalance at ${hhmm(ts)}`,
      paper: show(p),
      backtest: show(b),
      equal,
      cause,
    })
  }
  const dg = context.decisionGas
  if (dg !== undefined)
    rows.push({
      section: 'rebalances',
      item: 'gas units priced per rebalance (2 positions)',
      paper: String(dg.paperUnits),
      backtest: String(dg.backtestUnits),
      equal: dg.paperUnits === dg.backtestUnits,
      cause:
        dg.paperUnits === dg.backtestUnits
          ? null
          : `the gas-vs-gain check prices a rebalance with different gas units: ${dg.paperSource}; the backtester uses the gasUsed table of the strategy`,
    })
  rows.push({
    section: 'rebalances',
    item: 'rebalances',
    paper: String(paperRebalances.length),
    backtest: String(backtestRebalances.length),
    equal: paperRebalances.length === backtestRebalances.length,
    cause: paperRebalances.length === backtestRebalances.length ? null : 'the rebalance rows above that differ',
  })

  const hedgeOf = (r: BacktestResults): HedgeSummary => {
    let buyBase = 0
    let sellBase = 0
    let feesQuote = 0
    for (const t of r.trades) {
      if (t.side === 'buy') buyBase += Number(t.sizeBase)
      else sellBase += Number(t.sizeBase)
      feesQuote += Number(t.feeQuote)
    }
    return {
      fills: r.trades.length,
      buyBase,
      sellBase,
      finalPositionBase: buyBase - sellBase,
      firstFillMs: r.trades[0]?.tsMs ?? null,
      feesQuote,
    }
  }
  const hp = hedgeOf(paper)
  const hb = hedgeOf(backtest)
  const hedgeRow = (
    item: string,
    p: string,
    b: string,
    tolerance: (pv: number, bv: number) => boolean,
    cause: string,
  ) => {
    const equal = p === b || tolerance(Number(p), Number(b))
    rows.push({ section: 'hedge', item, paper: p, backtest: b, equal, cause: equal ? null : cause })
  }
  const within = (abs: number) => (a: number, b: number) => Math.abs(a - b) <= abs
  hedgeRow(
    'hedge fills',
    String(hp.fills),
    String(hb.fills),
    within(0),
    `${LP_TARGET}; ${FILL_TIMING}; a quote resting across a print fills in one piece or in several`,
  )
  hedgeRow('first fill', hhmm(hp.firstFillMs), hhmm(hb.firstFillMs), () => false, FILL_TIMING)
  hedgeRow(
    'bought (base)',
    base(hp.buyBase),
    base(hb.buyBase),
    within(0.0005),
    `${LP_TARGET}; ${FILL_TIMING}; the exposure each fill answers differs once an earlier fill did`,
  )
  hedgeRow(
    'sold (base)',
    base(hp.sellBase),
    base(hb.sellBase),
    within(0.0005),
    `${LP_TARGET}; ${FILL_TIMING}; the exposure each fill answers differs once an earlier fill did`,
  )
  hedgeRow(
    'final hedge position (base)',
    base(hp.finalPositionBase),
    base(hb.finalPositionBase),
    within(0.0005),
    `the fills above: ${LP_TARGET}`,
  )
  hedgeRow(
    'hedge fees (USD)',
    usd(hp.feesQuote),
    usd(hb.feesQuote),
    within(0.005),
    'the filled volume above (maker fee on both sides)',
  )

  const partsOf = (r: BacktestResults): PnlParts => ({
    feesUsd: r.summary.feesUsd,
    impermanentLossUsd: r.summary.impermanentLossUsd,
    hedgePnlUsd: r.summary.hedgePnlUsd,
    gasUsd: r.summary.gasUsd,
    pnlVsHoldUsd: r.summary.pnlVsHoldUsd,
  })
  const pp = partsOf(paper)
  const pb = partsOf(backtest)
  const rebalancesEqual = matched === times.length
  const pnlCauses: Record<keyof PnlParts, string> = {
    feesUsd: rebalancesEqual
      ? 'fee rounding: both sides earn the exact v3 fee growth on the same price path (priceTarget exact), up to the rounding of each swap step and of the fee growth'
      : 'the ranges in force differ (rebalance rows above), so the positions earn different fees',
    impermanentLossUsd: rebalancesEqual
      ? 'the LP value without fees follows the same ranges and price path; what remains is the fee rounding carried in the positions and the valuation price of the last sample'
      : 'the ranges in force differ (rebalance rows above)',
    hedgePnlUsd: `the hedge fills differ (hedge rows above): ${LP_TARGET}; ${FILL_TIMING}`,
    gasUsd: gasCause(context.gas, pp.gasUsd, pb.gasUsd, backtest.summary.gasUsedTotal),
    pnlVsHoldUsd: 'the sum of the parts above (fees + IL + hedge − gas on both sides)',
  }
  for (const key of Object.keys(pnlCauses) as (keyof PnlParts)[]) {
    const equal = Math.abs(pp[key] - pb[key]) <= 0.005
    rows.push({
      section: 'pnl',
      item: key,
      paper: usd(pp[key]),
      backtest: usd(pb[key]),
      equal,
      cause: equal ? null : pnlCauses[key],
    })
  }
  return {
    window: { startMs: paper.period.startMs, endMs: paper.period.endMs, speed: context.speed },
    rows,
    differences: rows.filter((r) => !r.equal),
    rebalances: { paper: paperRebalances, backtest: backtestRebalances, matched },
    hedge: { paper: hp, backtest: hb },
    pnl: { paper: pp, backtest: pb },
  }
}

/** The parity report as Markdown: one table per section, a row per compared item, the cause beside each difference. */
export function renderParityMarkdown(report: ParityReport): string {
  const cell = (s: string) => s.replaceAll('|', '\\|')
  const table = (section: ParityRow['section'], title: string) => {
    const rows = report.rows.filter((r) => r.section === section)
    return [
      `## ${title}`,
      '',
      '| item | paper (anvil + emulator) | backtester | same | cause of the difference |',
      '| --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${cell(r.item)} | ${cell(r.paper)} | ${cell(r.backtest)} | ${r.equal ? 'yes' : 'no'} | ${cell(r.cause ?? '')} |`,
      ),
      '',
    ].join('\n')
  }
  const w = report.window
  return [
    `# Paper run vs backtester, ${new Date(w.startMs).toISOString().slice(0, 16)} – ${new Date(w.endMs).toISOString().slice(11, 16)} UTC (speed ${w.speed})`,
    '',
    `${report.differences.length} of ${report.rows.length} compared items differ; each has its cause. ` +
      `Rebalances matched exactly: ${report.rebalances.matched} (paper ${report.rebalances.paper.length}, backtester ${report.rebalances.backtest.length}).`,
    '',
    table('rebalances', 'Rebalances'),
    table('hedge', 'Hedge'),
    table('pnl', 'PnL decomposition (USD; fees + IL + hedge − gas = PnL vs hold)'),
  ].join('\n')
}

/**
 * Why gas differs: anvil charges its own EIP-1559 base fee (the replayed blocks use far less than the gas target, so
 * it decays from 1 gwei toward 0) plus the 1 gwei priority fee the transactions take from its eth_maxPriorityFeePerGas,
 * not the model's price. Rescaled to the model's price the paper's gas would be its USD × model / paid gwei: what
 * remains then is the gas units of the real contracts against the gasUsed table.
 */
function gasCause(
  gas: { readonly paperUnits: number; readonly paperAvgGwei: number; readonly modelGwei: number },
  paperUsd: number,
  backtestUsd: number,
  tableUnits: number,
): string {
  const atModel = gas.paperAvgGwei > 0 ? (paperUsd * gas.modelGwei) / gas.paperAvgGwei : 0
  if (Math.abs(gas.paperAvgGwei - gas.modelGwei) < 1e-9)
    return (
      `gas actually paid on anvil (${gas.paperUnits} gas units of the real contracts at ${gas.paperAvgGwei.toFixed(3)} gwei, ` +
      `the gas model's price: base fee 0 and that priority fee) vs the gas model (the gasUsed table, ${tableUnits} units, ` +
      `at ${gas.modelGwei} gwei): the same price, so what remains is the gas units of the real contracts vs the table`
    )
  return (
    `gas actually paid on anvil (${gas.paperUnits} gas units of the real contracts at ${gas.paperAvgGwei.toFixed(3)} gwei: ` +
    `anvil's EIP-1559 base fee of the replayed blocks, decaying toward 0, plus the 1 gwei priority fee of its ` +
    `eth_maxPriorityFeePerGas) vs the gas model (the gasUsed table, ${tableUnits} units, at ${gas.modelGwei} gwei); ` +
    `at ${gas.modelGwei} gwei the paper's gas would cost ${usd(atModel)} USD against the backtester's ${usd(backtestUsd)}: ` +
    `what remains is the gas units of the real contracts vs the table (anvil --base-fee 0 and ` +
    `createLpManagerFromConfig's priorityFeePerGasWei at the model's price make the paper pay exactly the model's price)`
  )
}
