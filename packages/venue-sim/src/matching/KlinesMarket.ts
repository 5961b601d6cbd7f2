import { readFileSync } from 'node:fs'
import { ReplayFormatError } from '../errors/binance.js'
import type { MarketDriver } from './MarketDriver.js'
import { type MarketTimeline, timelineMapping } from './MarketTimeline.js'
import type { MatchingEngine } from './MatchingEngine.js'
import { createInstrumentUnits, type InstrumentUnits, type MarketSizeUnits } from './marketUnits.js'
import { parseScaled } from './parseScaled.js'
import { SimulatedMarket } from './SimulatedMarket.js'
import type { Side } from './types.js'

export type KlinesMarketOptions = {
  engine: MatchingEngine
  symbol: string
  /** CSV with header open_time,open,high,low,close,volume (Binance kline columns, first six; volume in the base coin). */
  file: string
  /** Seed of the ladder sizes. */
  seed: number
  timeline: MarketTimeline
  /** How the CSV's base-coin volume becomes lots. Default base lots. */
  units?: MarketSizeUnits | undefined
  /** Emulator ms between ladder re-centerings. Default 1000 on a data timeline, 100 on a wall timeline. */
  stepMs?: number | undefined
  /** Ladder levels per side (default 20), ticks from the mid to the touch (default 1), size per level (1..2000 lots). */
  levels?: number | undefined
  halfSpreadTicks?: number | undefined
  maxLevelLots?: number | undefined
}

export type KlineBar = {
  openMs: number
  openE8: bigint
  highE8: bigint
  lowE8: bigint
  closeE8: bigint
  volumeE8: bigint
}

/** Offsets of the four prints of a bar from its open time. */
export const KLINE_PRINT_OFFSETS_MS = [0, 15_000, 30_000, 45_000] as const
const BAR_MS = 60_000

type Print = { dataMs: number; priceTicks: bigint; lots: bigint; side: Side }

/**
 * Klines-driven market whose tape reproduces each bar. A bar with open time T prints four external trades at T, T+15 s,
 * T+30 s and T+45 s: open, high, low, close for a bar that closes down (close < open), open, low, high, close for one that
 * closes flat or up, so the path visits both extremes and ends where the bar ends. The bar's volume is split over the four
 * prints (lots: the rounded total divided in four, the remainder on the first prints; inverse: the base volume divided in
 * four, each part converted to contracts at its print's price); a print rounding to 0 lots is skipped. Prices are rounded
 * to the nearest tick. The external ladder (seeded sizes, no random prints) is re-centred every `stepMs` on a mid that goes
 * linearly between the prints and on to the next bar's open; after the file ends it holds the last close.
 */
export class KlinesMarket implements MarketDriver {
  readonly bars: readonly KlineBar[]
  private readonly engine: MatchingEngine
  private readonly symbol: string
  private readonly file: string
  private readonly u: InstrumentUnits
  private readonly sizeUnits: MarketSizeUnits
  private readonly map: ReturnType<typeof timelineMapping>
  /** The external book around the mid; on a data timeline created at the first `advance` (ladder steps start then). */
  private ladder: SimulatedMarket | null = null
  private readonly stepMs: number
  private readonly ladderOptions: Pick<KlinesMarketOptions, 'seed' | 'levels' | 'halfSpreadTicks' | 'maxLevelLots'>
  private barIndex = 0
  private printIndex = 0
  private pending: Print[] | null = null
  private lastSide: Side = 'BUY'
  private lastTapeMs = Number.NEGATIVE_INFINITY

  constructor(options: KlinesMarketOptions) {
    this.engine = options.engine
    this.symbol = options.symbol
    this.file = options.file
    this.sizeUnits = options.units ?? { kind: 'base' }
    this.u = createInstrumentUnits(options.engine.instrument(options.symbol), this.sizeUnits)
    this.bars = readKlinesCsv(options.file)
    const first = this.bars[0] as KlineBar
    this.map = timelineMapping(options.timeline, first.openMs)
    this.stepMs = options.stepMs ?? (options.timeline.kind === 'data' ? 1000 : 100)
    this.ladderOptions = {
      seed: options.seed,
      levels: options.levels,
      halfSpreadTicks: options.halfSpreadTicks,
      maxLevelLots: options.maxLevelLots,
    }
    if (options.timeline.kind === 'wall') this.ladder = this.createLadder(options.timeline.startMs)
    options.engine.onEvent((event) => {
      if (event.kind === 'trade' && event.symbol === this.symbol && event.tsMs > this.lastTapeMs)
        this.lastTapeMs = event.tsMs
    })
  }

  private createLadder(startMs: number): SimulatedMarket {
    return new SimulatedMarket({
      engine: this.engine,
      symbol: this.symbol,
      ...this.ladderOptions,
      startMidTicks: this.u.nearestTicks((this.bars[0] as KlineBar).openE8),
      startMs,
      stepMs: this.stepMs,
      tradeProbability: 0,
      midAt: (emulatorMs) => this.u.nearestTicks(this.midE8AtData(this.map.toDataMs(emulatorMs))),
    })
  }

  describe(): string {
    return `klines ${this.file} into ${this.symbol} (${this.bars.length} bars)`
  }

  /** Mid (10^-8 quote) of the print path at data time `dataMs`. */
  midE8AtData(dataMs: number): bigint {
    const bars = this.bars
    const first = bars[0] as KlineBar
    if (dataMs <= first.openMs) return first.openE8
    let lo = 0
    let hi = bars.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if ((bars[mid] as KlineBar).openMs <= dataMs) lo = mid
      else hi = mid - 1
    }
    const bar = bars[lo] as KlineBar
    const next = bars[lo + 1]
    const path = pathOf(bar)
    const end = next !== undefined && next.openMs === bar.openMs + BAR_MS ? next.openE8 : bar.closeE8
    const vertices: Array<[number, bigint]> = KLINE_PRINT_OFFSETS_MS.map((o, i) => [bar.openMs + o, path[i] as bigint])
    vertices.push([bar.openMs + BAR_MS, end])
    for (let i = 0; i + 1 < vertices.length; i++) {
      const [t0, p0] = vertices[i] as [number, bigint]
      const [t1, p1] = vertices[i + 1] as [number, bigint]
      if (dataMs < t1) {
        const fractionPpm = BigInt(Math.floor(((dataMs - t0) / (t1 - t0)) * 1_000_000))
        return p0 + ((p1 - p0) * fractionPpm) / 1_000_000n
      }
    }
    return bar.closeE8
  }

  advance(nowMs: number): void {
    // data timeline: the ladder steps on one grid for every venue on the clock (whole multiples of stepMs), from the
    // step at or before the first advance (not from the file's start)
    if (this.ladder === null) this.ladder = this.createLadder(Math.floor(nowMs / this.stepMs) * this.stepMs)
    const ladder = this.ladder
    for (;;) {
      const print = this.nextPrint()
      if (print === null) break
      const atMs = this.map.toEmulatorMs(print.dataMs)
      if (atMs > nowMs) break
      ladder.advance(atMs)
      // stamped with the data's time; never before a print already on the tape (the tape stays in time order)
      const stampMs = Math.max(Math.floor(atMs), this.lastTapeMs)
      this.engine.atTime(stampMs, () =>
        this.engine.applyExternalTrade(this.symbol, print.priceTicks, print.lots, print.side),
      )
      this.printIndex += 1
    }
    ladder.advance(nowMs)
  }

  /** The next print due (null after the last bar), skipping prints of 0 lots. */
  private nextPrint(): Print | null {
    for (;;) {
      if (this.pending === null) {
        const bar = this.bars[this.barIndex]
        if (bar === undefined) return null
        this.pending = this.printsOf(bar)
        this.printIndex = 0
      }
      const print = this.pending[this.printIndex]
      if (print !== undefined) return print
      this.pending = null
      this.barIndex += 1
    }
  }

  private printsOf(bar: KlineBar): Print[] {
    const path = pathOf(bar)
    const ticks = path.map((p) => this.u.nearestTicks(p))
    const parts = 4n
    let lots: bigint[]
    if (this.sizeUnits.kind === 'base') {
      const total = this.u.lots(bar.volumeE8, 0n)
      lots = [0n, 1n, 2n, 3n].map((k) => total / parts + (k < total % parts ? 1n : 0n))
    } else {
      lots = [0n, 1n, 2n, 3n].map((k) => {
        const qtyE8 = bar.volumeE8 / parts + (k < bar.volumeE8 % parts ? 1n : 0n)
        return this.u.lots(qtyE8, ticks[Number(k)] as bigint)
      })
    }
    const out: Print[] = []
    let previous = this.lastPrintTicks ?? (ticks[0] as bigint)
    ticks.forEach((priceTicks, k) => {
      const side: Side = priceTicks > previous ? 'BUY' : priceTicks < previous ? 'SELL' : this.lastSide
      this.lastSide = side
      previous = priceTicks
      const n = lots[k] as bigint
      if (n > 0n) out.push({ dataMs: bar.openMs + (KLINE_PRINT_OFFSETS_MS[k] as number), priceTicks, lots: n, side })
    })
    this.lastPrintTicks = previous
    return out
  }

  private lastPrintTicks: bigint | null = null
}

/** Open, then the extreme the bar is less likely to end near, the other extreme, and the close. */
function pathOf(bar: KlineBar): [bigint, bigint, bigint, bigint] {
  return bar.closeE8 >= bar.openE8
    ? [bar.openE8, bar.lowE8, bar.highE8, bar.closeE8]
    : [bar.openE8, bar.highE8, bar.lowE8, bar.closeE8]
}

/** Reads a klines CSV (header open_time,open,high,low,close,volume; more columns are ignored), oldest bar first. */
export function readKlinesCsv(file: string): KlineBar[] {
  const rows = readFileSync(file, 'utf8').split('\n')
  const header = rows[0]?.trim() ?? ''
  if (!/^open_time,open,high,low,close,volume\b/.test(header))
    throw new ReplayFormatError({ file, line: 1, reason: 'expected the header open_time,open,high,low,close,volume' })
  const bars: KlineBar[] = []
  for (let i = 1; i < rows.length; i++) {
    const row = (rows[i] as string).trim()
    if (row.length === 0) continue
    const cols = row.split(',')
    if (cols.length < 6) throw new ReplayFormatError({ file, line: i + 1, reason: 'expected 6 columns' })
    const openMs = Number(cols[0])
    if (!Number.isSafeInteger(openMs)) throw new ReplayFormatError({ file, line: i + 1, reason: 'bad open_time' })
    const e8 = (k: number, what: string): bigint => {
      try {
        return parseScaled((cols[k] as string).trim(), 8, what)
      } catch (cause) {
        throw new ReplayFormatError({ file, line: i + 1, reason: `bad ${what} "${cols[k]}"`, cause })
      }
    }
    const bar = {
      openMs,
      openE8: e8(1, 'open'),
      highE8: e8(2, 'high'),
      lowE8: e8(3, 'low'),
      closeE8: e8(4, 'close'),
      volumeE8: e8(5, 'volume'),
    }
    const last = bars[bars.length - 1]
    if (last !== undefined && openMs <= last.openMs)
      throw new ReplayFormatError({ file, line: i + 1, reason: 'open_time not increasing' })
    if (bar.highE8 < bar.lowE8 || [bar.openE8, bar.closeE8].some((p) => p > bar.highE8 || p < bar.lowE8))
      throw new ReplayFormatError({ file, line: i + 1, reason: 'open/close outside [low, high]' })
    bars.push(bar)
  }
  if (bars.length === 0) throw new ReplayFormatError({ file, line: 2, reason: 'no kline rows' })
  return bars
}
