import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { ReplayFormatError } from '../errors/binance.js'
import type { MarketDriver } from '../matching/MarketDriver.js'
import type { MatchingEngine } from '../matching/MatchingEngine.js'
import { parseScaled } from '../matching/parseScaled.js'
import type { Instrument } from '../matching/types.js'

export type BinanceReplayOptions = {
  engine: MatchingEngine
  /** Engine symbol the capture is replayed into. */
  symbol: string
  /** Capture file: gzip (or plain) text, one "<recv_ts_ns> <combined-stream json>" per line, with a REST snapshot line. */
  file: string
  /** Emulator ms at which replay starts. */
  startMs: number
  /** Time compression: 1 = real time, 10 = ten times faster. Default 1. */
  speed?: number | undefined
}

type Parsed =
  | { kind: 'snapshot'; lastUpdateId: number; bids: string[][]; asks: string[][] }
  | { kind: 'depth'; U: number; u: number; b: string[][]; a: string[][] }
  | { kind: 'trade'; p: string; q: string; m: boolean }
  | { kind: 'other' }

/**
 * Replays a real Binance combined-stream capture (hftbacktest format) into the engine's external book: the REST snapshot line
 * seeds the book, depth diffs with `u` below its lastUpdateId are skipped, later diffs are applied as absolute levels with the
 * captured update ids kept where possible (`U`/`u` of re-emitted events follow the capture), and trades become external trades.
 * bookTicker lines are not replayed: the emulator derives bookTicker from its own book (which includes account orders).
 */
export class BinanceReplayMarket implements MarketDriver {
  private readonly engine: MatchingEngine
  private readonly symbol: string
  private readonly instrument: Instrument
  private readonly file: string
  private readonly lines: string[]
  private readonly speed: number
  private readonly startMs: number
  private index: number
  private firstTsNs: bigint | null = null
  private snapshotUpdateId: number | null = null
  /** Events applied so far (depth + trade). */
  applied = 0

  constructor(options: BinanceReplayOptions) {
    this.engine = options.engine
    this.symbol = options.symbol
    this.instrument = options.engine.instrument(options.symbol)
    this.file = options.file
    this.speed = options.speed ?? 1
    this.startMs = options.startMs
    const raw = readFileSync(options.file)
    const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8')
    this.lines = text.split('\n').filter((l) => l.length > 0)
    const snapshotIndex = this.lines.findIndex((l) => l.includes('"lastUpdateId"'))
    if (snapshotIndex < 0) {
      throw new ReplayFormatError({
        file: options.file,
        line: 0,
        reason: 'no REST depth snapshot line ("lastUpdateId") found',
      })
    }
    this.index = snapshotIndex
    // Diffs received before the snapshot line but not yet contained in it (u ≥ lastUpdateId) are applied right after it, as
    // Binance's local-book procedure buffers them.
    const snapshot = this.parse(snapshotIndex, this.payload(snapshotIndex))
    const snapshotId = snapshot.kind === 'snapshot' ? snapshot.lastUpdateId : 0
    for (let i = 0; i < snapshotIndex; i++) {
      const parsed = this.parse(i, this.payload(i))
      if (parsed.kind === 'depth' && parsed.u >= snapshotId) this.buffered.push(parsed)
    }
  }

  private readonly buffered: Array<Extract<Parsed, { kind: 'depth' }>> = []

  private payload(index: number): string {
    const line = this.lines[index] as string
    return line.slice(line.indexOf(' ') + 1)
  }

  describe(): string {
    return `replay ${this.file} into ${this.symbol} (x${this.speed})`
  }

  /** True once every line has been replayed. */
  get done(): boolean {
    return this.index >= this.lines.length
  }

  advance(nowMs: number): void {
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string
      const space = line.indexOf(' ')
      const tsNs = BigInt(line.slice(0, space))
      if (this.firstTsNs === null) this.firstTsNs = tsNs
      const dueMs = this.startMs + Number((tsNs - this.firstTsNs) / 1_000_000n) / this.speed
      if (dueMs > nowMs) return
      this.applyLine(this.index, line.slice(space + 1))
      this.index += 1
    }
  }

  /** Applies the next `count` capture events regardless of time (tests); returns how many were applied. */
  stepEvents(count: number): number {
    let n = 0
    while (n < count && this.index < this.lines.length) {
      const line = this.lines[this.index] as string
      if (this.firstTsNs === null) this.firstTsNs = BigInt(line.slice(0, line.indexOf(' ')))
      if (this.applyLine(this.index, line.slice(line.indexOf(' ') + 1))) n += 1
      this.index += 1
    }
    return n
  }

  private applyLine(index: number, json: string): boolean {
    const parsed = this.parse(index, json)
    const inst = this.instrument
    const levels = (rows: string[][]): Array<[bigint, bigint]> =>
      rows.map(([p, q]) => [
        parseScaled(p ?? '', inst.priceDecimals, 'price') / inst.tickUnits,
        parseScaled(q ?? '', inst.qtyDecimals, 'quantity') / inst.stepUnits,
      ])
    switch (parsed.kind) {
      case 'snapshot': {
        this.engine.clearExternalDepth(this.symbol)
        const bids = levels(parsed.bids).filter(([, q]) => q > 0n)
        const asks = levels(parsed.asks).filter(([, q]) => q > 0n)
        // Loading takes one update id per level; start so the book ends exactly at the snapshot's lastUpdateId.
        this.engine.raiseUpdateId(this.symbol, parsed.lastUpdateId - bids.length - asks.length)
        this.engine.applyExternalDepth(this.symbol, bids, asks)
        this.engine.raiseUpdateId(this.symbol, parsed.lastUpdateId)
        this.snapshotUpdateId = parsed.lastUpdateId
        for (const diff of this.buffered.splice(0)) this.applyDepth(diff, levels)
        return false
      }
      case 'depth':
        if (this.snapshotUpdateId !== null && parsed.u < this.snapshotUpdateId) return false
        this.applyDepth(parsed, levels)
        return true
      case 'trade': {
        const [[priceTicks, lots]] = levels([[parsed.p, parsed.q]]) as [[bigint, bigint]]
        this.engine.applyExternalTrade(this.symbol, priceTicks, lots, parsed.m ? 'SELL' : 'BUY')
        this.applied += 1
        return true
      }
      default:
        return false
    }
  }

  private applyDepth(
    diff: Extract<Parsed, { kind: 'depth' }>,
    levels: (rows: string[][]) => Array<[bigint, bigint]>,
  ): void {
    this.engine.raiseUpdateId(this.symbol, diff.U - 1)
    this.engine.applyExternalDepth(this.symbol, levels(diff.b), levels(diff.a))
    this.engine.raiseUpdateId(this.symbol, diff.u)
    this.applied += 1
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
