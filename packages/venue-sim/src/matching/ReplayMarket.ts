import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { ReplayFormatError } from '../errors/binance.js'
import type { MarketDriver } from './MarketDriver.js'
import { type MarketTimeline, timelineMapping } from './MarketTimeline.js'
import type { MatchingEngine } from './MatchingEngine.js'
import { createInstrumentUnits, type InstrumentUnits, type MarketSizeUnits } from './marketUnits.js'
import { parseScaled } from './parseScaled.js'

export type ReplayMarketOptions = {
  engine: MatchingEngine
  /** Engine symbol the capture is replayed into (any venue's: the book is relabelled). */
  symbol: string
  /** Capture file: gzip (or plain) text, one "<recv_ts_ns> <combined-stream json>" per line, with a REST snapshot line. */
  file: string
  timeline: MarketTimeline
  /** How the capture's base-coin sizes become lots. Default base lots. */
  units?: MarketSizeUnits | undefined
  /**
   * Keep the capture's update ids on the engine's book (Binance re-emits the captured `U`/`u`/`pu` chain). Only
   * meaningful when the instrument has the capture's tick and lot. Default false.
   */
  keepUpdateIds?: boolean | undefined
}

type Depth = { kind: 'depth'; U: number; u: number; b: string[][]; a: string[][] }
type Parsed =
  | { kind: 'snapshot'; lastUpdateId: number; bids: string[][]; asks: string[][] }
  | Depth
  | { kind: 'trade'; p: string; q: string; m: boolean }
  | { kind: 'other' }

/**
 * One side of the capture's book at its own prices, keyed as written (Binance prints every price of a symbol with the same
 * decimals), and its sums per engine tick.
 */
class SourceSide {
  private readonly levels = new Map<string, bigint>()
  /** Engine tick of each capture price seen (the capture has a few thousand distinct prices). */
  private readonly tickOf = new Map<string, bigint>()
  readonly bucketE8 = new Map<bigint, bigint>()
  constructor(private readonly bucketOf: (price: string) => bigint) {}

  /** Sets the capture level; returns the engine tick whose sum changed. */
  set(price: string, qtyE8: bigint): bigint {
    let tick = this.tickOf.get(price)
    if (tick === undefined) {
      tick = this.bucketOf(price)
      this.tickOf.set(price, tick)
    }
    const old = this.levels.get(price) ?? 0n
    if (qtyE8 === 0n) this.levels.delete(price)
    else this.levels.set(price, qtyE8)
    const sum = (this.bucketE8.get(tick) ?? 0n) + qtyE8 - old
    if (sum === 0n) this.bucketE8.delete(tick)
    else this.bucketE8.set(tick, sum)
    return tick
  }

  clear(): void {
    this.levels.clear()
    this.bucketE8.clear()
  }
}

/**
 * Replays a Binance combined-stream capture (hftbacktest format) into any venue's engine: the REST snapshot line seeds
 * the book, depth diffs with `u` below its lastUpdateId are skipped, later diffs set absolute levels, and trades become
 * external prints. The book is Binance's book relabelled as the engine's instrument: capture prices go onto the
 * instrument's tick (bids down, asks up, so the book is never better than captured; several capture levels in one tick
 * are summed) and sizes onto its lot (rounded half up; inverse: coin × tick price / contract size; a level rounding to 0
 * lots is left out). Prints go to the nearest tick; a print rounding to 0 lots is skipped. bookTicker lines are not
 * replayed (venues derive the top from their own book, which includes account orders).
 */
export class ReplayMarket implements MarketDriver {
  private readonly engine: MatchingEngine
  private readonly symbol: string
  private readonly file: string
  private readonly lines: string[]
  private readonly u: InstrumentUnits
  private readonly keepUpdateIds: boolean
  private readonly map: ReturnType<typeof timelineMapping>
  private readonly bids: SourceSide
  private readonly asks: SourceSide
  private readonly buffered: Depth[] = []
  private index: number
  private snapshotUpdateId: number | null = null
  private lastTapeMs = Number.NEGATIVE_INFINITY
  /** Capture time (ms) of the snapshot line: the start of the replay. */
  readonly firstDataMs: number
  /** Events applied so far (depth + trade). */
  applied = 0

  constructor(options: ReplayMarketOptions) {
    this.engine = options.engine
    this.symbol = options.symbol
    this.file = options.file
    this.keepUpdateIds = options.keepUpdateIds ?? false
    this.u = createInstrumentUnits(options.engine.instrument(options.symbol), options.units)
    this.bids = new SourceSide((p) => this.u.floorTicks(this.e8(p, this.index, 'price')))
    this.asks = new SourceSide((p) => this.u.ceilTicks(this.e8(p, this.index, 'price')))
    const raw = readFileSync(options.file)
    const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8')
    this.lines = text.split('\n').filter((l) => l.length > 0)
    const snapshotIndex = this.lines.findIndex((l) => l.includes('"lastUpdateId"'))
    if (snapshotIndex < 0)
      throw new ReplayFormatError({
        file: options.file,
        line: 0,
        reason: 'no REST depth snapshot line ("lastUpdateId") found',
      })
    this.index = snapshotIndex
    this.firstDataMs = this.dataMsOf(snapshotIndex)
    this.map = timelineMapping(options.timeline, this.firstDataMs)
    // Diffs received before the snapshot line but not yet contained in it (u ≥ lastUpdateId) are applied right after it,
    // as Binance's local-book procedure buffers them.
    const snapshot = this.parse(snapshotIndex, this.payload(snapshotIndex))
    const snapshotId = snapshot.kind === 'snapshot' ? snapshot.lastUpdateId : 0
    for (let i = 0; i < snapshotIndex; i++) {
      const parsed = this.parse(i, this.payload(i))
      if (parsed.kind === 'depth' && parsed.u >= snapshotId) this.buffered.push(parsed)
    }
    options.engine.onEvent((event) => {
      if (event.kind === 'trade' && event.symbol === this.symbol && event.tsMs > this.lastTapeMs)
        this.lastTapeMs = event.tsMs
    })
  }

  describe(): string {
    return `replay ${this.file} into ${this.symbol}`
  }

  /** True once every line has been replayed. */
  get done(): boolean {
    return this.index >= this.lines.length
  }

  /** Emulator time at which the capture line `index` (0-based) is due. */
  private dataMsOf(index: number): number {
    const line = this.lines[index] as string
    return Number(BigInt(line.slice(0, line.indexOf(' '))) / 1_000_000n)
  }

  private payload(index: number): string {
    const line = this.lines[index] as string
    return line.slice(line.indexOf(' ') + 1)
  }

  advance(nowMs: number): void {
    while (this.index < this.lines.length) {
      const dueMs = this.map.toEmulatorMs(this.dataMsOf(this.index))
      if (dueMs > nowMs) return
      this.applyLine(this.index, Math.floor(dueMs))
      this.index += 1
    }
  }

  /** Applies the next `count` capture events regardless of time (tests); returns how many were applied. */
  stepEvents(count: number): number {
    let n = 0
    while (n < count && this.index < this.lines.length) {
      if (this.applyLine(this.index, null)) n += 1
      this.index += 1
    }
    return n
  }

  /** Applies line `index` with the engine's time pinned to `atMs` (null: the emulator clock's time). */
  private applyLine(index: number, atMs: number | null): boolean {
    const at = <T>(ms: number | null, apply: () => T): T => (ms === null ? apply() : this.engine.atTime(ms, apply))
    const payload = this.payload(index)
    // most capture lines are bookTicker, which is not replayed: skip them before parsing
    if (payload.startsWith('{"stream":"') && payload.includes('@bookTicker"', 10)) return false
    const parsed = this.parse(index, payload)
    switch (parsed.kind) {
      case 'snapshot': {
        at(atMs, () => this.loadSnapshot(parsed, index))
        return false
      }
      case 'depth':
        if (this.snapshotUpdateId !== null && parsed.u < this.snapshotUpdateId) return false
        at(atMs, () => this.applyDepth(parsed, index))
        return true
      case 'trade': {
        const priceTicks = this.u.nearestTicks(this.e8(parsed.p, index, 'price'))
        const lots = this.u.lots(this.e8(parsed.q, index, 'quantity'), priceTicks)
        this.applied += 1
        if (lots === 0n) return true
        // never before a print already on the tape (the tape stays in time order)
        at(atMs === null ? null : Math.max(atMs, this.lastTapeMs), () =>
          this.engine.applyExternalTrade(this.symbol, priceTicks, lots, parsed.m ? 'SELL' : 'BUY'),
        )
        return true
      }
      default:
        return false
    }
  }

  private loadSnapshot(parsed: Extract<Parsed, { kind: 'snapshot' }>, index: number): void {
    this.engine.clearExternalDepth(this.symbol)
    this.bids.clear()
    this.asks.clear()
    for (const [p, q] of parsed.bids) this.bids.set(String(p), this.e8(q, index, 'quantity'))
    for (const [p, q] of parsed.asks) this.asks.set(String(p), this.e8(q, index, 'quantity'))
    const bids = this.engineLevels(this.bids, [...this.bids.bucketE8.keys()]).filter(([, l]) => l > 0n)
    const asks = this.engineLevels(this.asks, [...this.asks.bucketE8.keys()]).filter(([, l]) => l > 0n)
    // Loading takes one update id per level; start so the book ends exactly at the snapshot's lastUpdateId.
    if (this.keepUpdateIds) this.engine.raiseUpdateId(this.symbol, parsed.lastUpdateId - bids.length - asks.length)
    this.engine.applyExternalDepth(this.symbol, bids, asks)
    if (this.keepUpdateIds) this.engine.raiseUpdateId(this.symbol, parsed.lastUpdateId)
    this.snapshotUpdateId = parsed.lastUpdateId
    for (const diff of this.buffered.splice(0)) this.applyDepth(diff, index)
  }

  private applyDepth(diff: Depth, index: number): void {
    const bidTicks = new Set<bigint>()
    const askTicks = new Set<bigint>()
    for (const [p, q] of diff.b) bidTicks.add(this.bids.set(String(p), this.e8(q, index, 'quantity')))
    for (const [p, q] of diff.a) askTicks.add(this.asks.set(String(p), this.e8(q, index, 'quantity')))
    if (this.keepUpdateIds) this.engine.raiseUpdateId(this.symbol, diff.U - 1)
    this.engine.applyExternalDepth(
      this.symbol,
      this.engineLevels(this.bids, [...bidTicks]),
      this.engineLevels(this.asks, [...askTicks]),
    )
    if (this.keepUpdateIds) this.engine.raiseUpdateId(this.symbol, diff.u)
    this.applied += 1
  }

  private engineLevels(side: SourceSide, ticks: bigint[]): Array<[bigint, bigint]> {
    return ticks.map((t) => [t, this.u.lots(side.bucketE8.get(t) ?? 0n, t)])
  }

  private e8(value: string | undefined, index: number, what: string): bigint {
    try {
      return parseScaled(value ?? '', 8, what)
    } catch (cause) {
      throw new ReplayFormatError({ file: this.file, line: index + 1, reason: `bad ${what} "${value}"`, cause })
    }
  }

  private parse(index: number, json: string): Parsed {
    let value: unknown
    try {
      value = JSON.parse(json)
    } catch (cause) {
      throw new ReplayFormatError({ file: this.file, line: index + 1, reason: 'invalid JSON', cause })
    }
    const v = value as Record<string, unknown>
    if (typeof v.lastUpdateId === 'number') {
      return { kind: 'snapshot', lastUpdateId: v.lastUpdateId, bids: v.bids as string[][], asks: v.asks as string[][] }
    }
    const stream = typeof v.stream === 'string' ? v.stream : ''
    const data = v.data as Record<string, unknown> | undefined
    if (!data) throw new ReplayFormatError({ file: this.file, line: index + 1, reason: 'missing "data"' })
    if (stream.includes('@depth')) {
      return { kind: 'depth', U: Number(data.U), u: Number(data.u), b: data.b as string[][], a: data.a as string[][] }
    }
    if (stream.endsWith('@trade') || stream.endsWith('@aggTrade')) {
      return { kind: 'trade', p: String(data.p), q: String(data.q), m: data.m === true }
    }
    return { kind: 'other' }
  }
}
