import { type BacktestResults, createResultSeries, writeResults } from '@alp/backtest'
import type { HedgerConfigInput, LpInventoryEvent, TradeEvent } from '@alp/hedger'
import { getSqrtRatioAtTick, type PriceOrientation, sqrtPriceX96ToPrice } from '@alp/uniswap-lp'
import { JournalError } from '../errors/journal.js'
import { assembleResults, type PaperFill, pushResultSample } from '../paper/buildPaperResults.js'
import type { LpPnlMessage } from '../transport/topics.js'
import { Journal, type LpActionRecord } from './Journal.js'

export type ReplayJournalIntoBacktestOptions = {
  /** The results' `name`. Default `journal <file>`. */
  readonly name?: string | undefined
  /**
   * The venue whose journaled trade prints mark the hedge (the results' `venuePrice`). Default: the first
   * `[trader.HEDGER.VENUE.*]` of the newest trader run.
   */
  readonly markVenue?: string | undefined
  /** The holdings "hold" is valued on, token units. Default: the LP's holdings in the first journaled `lp.pnl`. */
  readonly hold?: { readonly amount0Raw: bigint; readonly amount1Raw: bigint } | undefined
}

export type ReplayJournalIntoBacktestReturnType = BacktestResults

export type ReplayJournalIntoBacktestErrorType = JournalError

/** One executed rebalance as the journal's `lp_actions` rows of its plan id hold it. */
type JournaledRebalance = {
  readonly tsMs: number
  readonly reason: string
  readonly base: { tickLower: number; tickUpper: number; liquidity: string } | null
  readonly limit: { tickLower: number; tickUpper: number; liquidity: string } | null
  readonly fees0Raw: bigint
  readonly fees1Raw: bigint
  readonly gasPaidWei: bigint
}

/**
 * Replays a deployment's journal (a live or paper run's `journal.sqlite`, every run in it) into the backtester's
 * results (`BacktestResults`, schema version 1), so that `writeResults` of @alp/backtest writes its results JSON and
 * HTML report. One sample per journaled `lp.pnl` message (the lp-manager's holdings, wallet + positions + uncollected
 * fees, and its prices), in time order; the journal's other input events fill in the rest:
 * - LP value, hold value and PnL parts as the backtester and the paper run define them (docs/backtest.md#results):
 *   fees = the manager's collected + uncollected fees (`lp.pnl` lpFeesUsd); gas = each rebalance's gas paid
 *   (`lp_actions`) at the pool price of the last `lp.pnl` at or before it; hedge = the cash of every fill up to the
 *   sample + the position they add up to × the mark venue's last trade print at or before the sample (its last BBO
 *   mid before any print); IL = LP value − hold value − fees; PnL vs hold = LP value − hold value + hedge − gas;
 * - ranges: the base and limit ranges minted by the last rebalance at or before the sample;
 * - net exposure: the last `lpInventory` event's held − target base (what the hedger core saw) + the hedge;
 * - rebalances: one per plan id of `lp_actions` (its ranges, the fees collected, gas); trades: the journal's fills
 *   (price and size on each venue's grid of the run's hedger config; inverse venues' fills are base lots already),
 *   every one, as the paper run's results list them (the PnL parts count those up to each sample).
 * The journal has no pool events: `period.poolEvents`, `replay.*` and `summary.gasUsedTotal` are 0.
 * @throws JournalError when the journal has no `lp.pnl` messages (written from journal schema version 2 on) or a
 *   fill's venue is in no run's hedger config.
 */
export function replayJournalIntoBacktest(
  journalPath: string,
  options: ReplayJournalIntoBacktestOptions = {},
): ReplayJournalIntoBacktestReturnType {
  const journal = new Journal(journalPath)
  try {
    return replayOpenJournal(journal, options)
  } finally {
    journal.close()
  }
}

/**
 * `alp history --report <dir>`: {@link replayJournalIntoBacktest}, then the backtester's `backtest_results.json` and
 * `report.html` in `outDir`.
 */
export async function writeJournalReport(
  journalPath: string,
  outDir: string,
  options: ReplayJournalIntoBacktestOptions = {},
): Promise<{ results: BacktestResults; resultsPath: string; reportPath: string }> {
  const results = replayJournalIntoBacktest(journalPath, options)
  const written = await writeResults(results, outDir)
  return { results, resultsPath: written.resultsPath, reportPath: written.reportPath }
}

function replayOpenJournal(journal: Journal, options: ReplayJournalIntoBacktestOptions): BacktestResults {
  const pnl = journal.lpPnl()
  const first = pnl[0]
  if (first === undefined)
    throw new JournalError({
      path: journal.path,
      problem: 'has no lp.pnl messages to replay (journaled by traders from journal schema version 2 on)',
    })
  const { decimals0, decimals1, baseToken } = first
  const orientation: PriceOrientation = { baseToken, decimals0, decimals1 }
  const baseIs1 = baseToken === 'token1'
  const quoteOf = (raw0: bigint, raw1: bigint) =>
    baseIs1 ? Number(raw0) / 10 ** decimals0 : Number(raw1) / 10 ** decimals1
  const baseOf = (raw0: bigint, raw1: bigint) =>
    baseIs1 ? Number(raw1) / 10 ** decimals1 : Number(raw0) / 10 ** decimals0
  const priceOf = (m: LpPnlMessage) =>
    baseIs1 ? Number(m.usdPrice1) / Number(m.usdPrice0) : Number(m.usdPrice0) / Number(m.usdPrice1)
  const hold = options.hold ?? { amount0Raw: BigInt(first.amount0Raw), amount1Raw: BigInt(first.amount1Raw) }
  const holdBase = baseOf(hold.amount0Raw, hold.amount1Raw)
  const holdQuote = quoteOf(hold.amount0Raw, hold.amount1Raw)
  const tickPrice = (tick: number) => sqrtPriceX96ToPrice(getSqrtRatioAtTick(tick), orientation)
  const bounds = (range: { tickLower: number; tickUpper: number } | null): [number | null, number | null] => {
    if (range === null) return [null, null]
    const a = tickPrice(range.tickLower)
    const b = tickPrice(range.tickUpper)
    return [Math.min(a, b), Math.max(a, b)]
  }

  // Each venue's grid, from the runs' hedger configs (the newest run's wins).
  const grids = new Map<string, { tickSize: string; stepSize: string }>()
  let markVenue = options.markVenue
  for (const run of journal.runs()) {
    const config: HedgerConfigInput | null = journal.hedgerConfig(run.runId)
    for (const venue of config?.venues ?? [])
      grids.set(venue.venue, { tickSize: String(venue.tickSize), stepSize: String(venue.stepSize) })
    if (options.markVenue === undefined && config?.venues?.[0] !== undefined) markVenue = config.venues[0].venue
  }
  const fills: PaperFill[] = journal.fills().map((f) => {
    const grid = grids.get(f.venue)
    if (grid === undefined)
      throw new JournalError({
        path: journal.path,
        problem: `has a fill on ${f.venue}, a venue of no run's hedger config (its tick and step size are unknown)`,
      })
    const price = f.priceTicks * Number(grid.tickSize)
    const sizeBase = f.sizeLots * Number(grid.stepSize)
    return {
      tsMs: f.venueTimeMs ?? Number(f.tsNs / 1_000_000n),
      side: f.side,
      price,
      sizeBase,
      feeQuote: Number(f.feeQuote),
      priceText: price.toFixed(decimalsOf(grid.tickSize)),
      sizeText: sizeBase.toFixed(decimalsOf(grid.stepSize)),
      clientOrderId: f.clientOrderId,
    }
  })
  fills.sort((a, b) => a.tsMs - b.tsMs)

  const rebalances = rebalancesOf(journal.lpActions())
  // The pool price of the last lp.pnl at or before an instant (the first one before any).
  const pnlPriceAt = (tsMs: number): number => {
    let price = priceOf(first)
    for (const m of pnl) {
      if (m.tsMs > tsMs) break
      price = priceOf(m)
    }
    return price
  }
  const rebalancePrice = rebalances.map((r) => pnlPriceAt(r.tsMs))

  const marks = journal
    .events(['trade', 'bbo'])
    .filter((e) => 'venue' in e && e.venue === markVenue)
    .map((e) => {
      const grid = grids.get(markVenue as string)
      const tick = Number(grid?.tickSize ?? '1')
      if (e.type === 'trade')
        return { tsMs: Number(e.tsNs / 1_000_000n), price: (e as TradeEvent).priceTicks * tick, trade: true }
      const bbo = e as Extract<typeof e, { type: 'bbo' }>
      return {
        tsMs: Number(bbo.tsNs / 1_000_000n),
        price: ((bbo.bidPriceTicks + bbo.askPriceTicks) / 2) * tick,
        trade: false,
      }
    })
  const inventory = journal.events(['lpInventory']) as LpInventoryEvent[]

  const series = createResultSeries()
  let fillIndex = 0
  let hedgeBase = 0
  let cash = 0
  let rebalanceIndex = 0
  let gasUsd = 0
  let markIndex = 0
  let lastTrade: number | null = null
  let lastMid: number | null = null
  let inventoryIndex = 0
  let excessBase = 0
  let inRange = 0
  let current: JournaledRebalance | null = null
  for (const m of pnl) {
    const tsMs = m.tsMs
    while (fillIndex < fills.length && fills[fillIndex]!.tsMs <= tsMs) {
      const f = fills[fillIndex++]!
      const signed = f.side === 'buy' ? f.sizeBase : -f.sizeBase
      hedgeBase += signed
      cash -= signed * f.price + f.feeQuote
    }
    while (rebalanceIndex < rebalances.length && rebalances[rebalanceIndex]!.tsMs <= tsMs) {
      current = rebalances[rebalanceIndex]!
      gasUsd += (Number(current.gasPaidWei) / 1e18) * rebalancePrice[rebalanceIndex]!
      rebalanceIndex++
    }
    while (markIndex < marks.length && marks[markIndex]!.tsMs <= tsMs) {
      const mark = marks[markIndex++]!
      if (mark.trade) lastTrade = mark.price
      else lastMid = mark.price
    }
    while (inventoryIndex < inventory.length && Number(inventory[inventoryIndex]!.tsNs / 1_000_000n) <= tsMs) {
      const event = inventory[inventoryIndex++]!
      excessBase = Number(event.baseHeldBase) - Number(event.baseTargetBase)
    }
    const price = priceOf(m)
    const venuePrice = lastTrade ?? lastMid ?? price
    const amount0 = BigInt(m.amount0Raw)
    const amount1 = BigInt(m.amount1Raw)
    const lpBase = baseOf(amount0, amount1)
    const lpValue = quoteOf(amount0, amount1) + lpBase * price
    const holdValue = holdQuote + holdBase * price
    const feesUsd = m.lpFeesUsd
    const hedgePnlUsd = cash + hedgeBase * venuePrice
    const [baseLower, baseUpper] = bounds(current?.base ?? null)
    const [limitLower, limitUpper] = bounds(current?.limit ?? null)
    if (baseLower !== null && baseUpper !== null && price >= baseLower && price <= baseUpper) inRange++
    pushResultSample(series, {
      tsMs,
      poolPrice: price,
      venuePrice,
      base: [baseLower, baseUpper],
      limit: [limitLower, limitUpper],
      lpBase,
      lpValueUsd: lpValue,
      holdValueUsd: holdValue,
      hedgeBase,
      netExposureBase: excessBase + hedgeBase,
      feesUsd,
      hedgePnlUsd,
      gasUsd,
    })
  }

  const applied = rebalances.slice(0, rebalanceIndex)
  return assembleResults({
    name: options.name ?? `journal ${journal.path}`,
    models: {
      fill: 'journal: the venues’ fills',
      exchange: `journal: ${[...grids.keys()].join(', ')}`,
      fee: 'journal: the venues’ fees',
      latency: 'journal: as it happened',
      gas: 'journal: receipts (gas used × effective gas price)',
    },
    period: {
      startMs: series.tsMs[0] as number,
      endMs: series.tsMs.at(-1) as number,
      poolEvents: 0,
      klines: series.tsMs.length,
    },
    series,
    initialValueUsd: holdQuote + holdBase * (series.poolPrice[0] as number),
    holdValueUsd: holdQuote + holdBase * (series.poolPrice.at(-1) as number),
    timeInRange: inRange / series.tsMs.length,
    rebalances: applied.map((r, i) => ({
      tsMs: r.tsMs,
      reason: r.reason,
      base: r.base ?? { tickLower: 0, tickUpper: 0, liquidity: '0' },
      limit: r.limit,
      rangeHalfWidthBps: null,
      gasUsd: (Number(r.gasPaidWei) / 1e18) * rebalancePrice[i]!,
      fees0Raw: r.fees0Raw.toString(),
      fees1Raw: r.fees1Raw.toString(),
      feesFromGrowth0Raw: r.fees0Raw.toString(),
      feesFromGrowth1Raw: r.fees1Raw.toString(),
    })),
    fills,
    feesCollected0Raw: applied.reduce((a, r) => a + r.fees0Raw, 0n),
    feesCollected1Raw: applied.reduce((a, r) => a + r.fees1Raw, 0n),
    gasUsedTotal: 0,
    replay: { swaps: 0, swapsExact: 0, swapsTopUp: 0, liquidityInferred: 0, liquidityUnexplained: 0 },
    performance: { wallMs: 0, eventsPerSec: 0, peakRssBytes: 0 },
  })
}

/** The executed rebalances of `lp_actions`, one per plan id (`detail.executionId`), in journal order. */
function rebalancesOf(actions: readonly LpActionRecord[]): JournaledRebalance[] {
  const byId = new Map<string, LpActionRecord[]>()
  for (const action of actions) {
    const id = (action.detail as { executionId?: string } | undefined)?.executionId
    if (id === undefined) continue
    const rows = byId.get(id) ?? []
    rows.push(action)
    byId.set(id, rows)
  }
  const out: JournaledRebalance[] = []
  for (const rows of byId.values()) {
    const summary = rows.find((r) => r.action === 'rebalance')
    if (summary === undefined) continue
    const detail = summary.detail as { reason?: string; gasPaidWei?: string | null }
    const mint = (role: 'base' | 'limit') => {
      const row = rows.find((r) => r.action === 'mint' && (r.detail as { role?: string }).role === role)
      return row === undefined
        ? null
        : {
            tickLower: row.tickLower as number,
            tickUpper: row.tickUpper as number,
            liquidity: String((row.detail as { liquidity?: string }).liquidity ?? '0'),
          }
    }
    const collects = rows.filter((r) => r.action === 'collect')
    out.push({
      tsMs: Number(summary.tsNs / 1_000_000n),
      reason: detail.reason ?? '',
      base: mint('base'),
      limit: mint('limit'),
      fees0Raw: collects.reduce((a, r) => a + BigInt(r.fees0Raw ?? '0'), 0n),
      fees1Raw: collects.reduce((a, r) => a + BigInt(r.fees1Raw ?? '0'), 0n),
      gasPaidWei: BigInt(detail.gasPaidWei ?? '0'),
    })
  }
  return out.sort((a, b) => a.tsMs - b.tsMs)
}

function decimalsOf(step: string): number {
  return step.includes('.') ? (step.split('.')[1] as string).length : 0
}
