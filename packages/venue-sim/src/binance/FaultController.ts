import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

/** Faults on the diff-depth stream. Probabilities are in [0, 1]; `…Next` counts apply to the next N depth events first. */
export type DepthFaults = {
  dropProbability?: number | undefined
  duplicateProbability?: number | undefined
  /** Holds an event back and sends it after the following one. */
  reorderProbability?: number | undefined
  dropNext?: number | undefined
  duplicateNext?: number | undefined
  reorderNext?: number | undefined
}

/** Faults on WebSocket connections (market and private). */
export type WsFaults = {
  /** Every outgoing frame is delayed by this many wall-clock ms (order kept). */
  delayMs?: number | undefined
  /** After this many more frames (over all connections), every open connection is terminated without a close frame. One-shot. */
  disconnectAfterMessages?: number | undefined
  /** The next N market-data frames are replaced by malformed ones (the real event is lost). */
  malformedNext?: number | undefined
  malformedKind?: 'invalidJson' | 'truncated' | undefined
}

/** Faults on the REST API. `…Next` counts are consumed by the next N requests (any endpoint except the admin API). */
export type RestFaults = {
  /** Answer the next N requests with an HTTP 5xx. */
  http5xxNext?: number | undefined
  http5xxStatus?: 500 | 502 | 503 | 504 | undefined
  /** 'before': not executed; 'after': executed (an order IS placed) and then answered with 5xx / -1007 (status unknown). */
  http5xxMode?: 'before' | 'after' | undefined
  /** Never answer the next N requests (the client times out). */
  timeoutNext?: number | undefined
  /** 'before': not executed; 'after': executed (the order WAS placed) but no response is sent. */
  timeoutMode?: 'before' | 'after' | undefined
  /** Every response is delayed by this many wall-clock ms. */
  delayMs?: number | undefined
  /** Answer the next N requests with 429; a client that keeps calling before Retry-After gets 418 (IP ban). */
  rateLimitNext?: number | undefined
  /**
   * Hold the next N order-entry requests (REST and WebSocket API: those that count against the ORDERS limits, i.e.
   * order create, modify and batch) `lagMs` wall-clock ms before the venue looks at them (a request stuck in the
   * network or the venue's queue): requests sent after it (cancels, lookups) are executed first, and its timestamp is
   * checked against recvWindow only when it is finally executed. On REST an `http5xxNext`/`timeoutNext` in mode
   * 'after' binds to the lagged request on arrival: the 5xx (or silence) is sent at once and the request is still
   * executed when the lag ends (Binance `-1007`: the gateway gave up on a slow backend, execution status unknown).
   */
  lagNext?: number | undefined
  /** How long `lagNext` holds each request. Default 0 (no lag). */
  lagMs?: number | undefined
}

export type FaultSettings = {
  depth?: DepthFaults | undefined
  ws?: WsFaults | undefined
  rest?: RestFaults | undefined
}

export type DepthDecision = 'send' | 'drop' | 'duplicate' | 'reorder'

/**
 * Holds the fault knobs of one emulator and makes every random decision from one seeded generator, so a run with the same
 * seed and the same traffic makes the same decisions.
 */
export class FaultController {
  private rng: RandomGenerator
  depth: DepthFaults = {}
  ws: WsFaults = {}
  rest: RestFaults = {}

  constructor(seed: number, initial?: FaultSettings | undefined) {
    this.rng = xoroshiro128plus(seed)
    if (initial) this.set(initial)
  }

  /** Merges new settings into the current ones (a field set to undefined is left unchanged; set 0 to disable). */
  set(settings: FaultSettings): void {
    if (settings.depth) this.depth = { ...this.depth, ...stripUndefined(settings.depth) }
    if (settings.ws) this.ws = { ...this.ws, ...stripUndefined(settings.ws) }
    if (settings.rest) this.rest = { ...this.rest, ...stripUndefined(settings.rest) }
  }

  /** Clears every knob. */
  reset(): void {
    this.depth = {}
    this.ws = {}
    this.rest = {}
  }

  snapshot(): FaultSettings {
    return { depth: { ...this.depth }, ws: { ...this.ws }, rest: { ...this.rest } }
  }

  random(): number {
    return uniformFloat64(this.rng)
  }

  /** Decides the fate of the next depth event: explicit counts first (drop, duplicate, reorder), then probabilities. */
  nextDepthDecision(): DepthDecision {
    const d = this.depth
    if ((d.dropNext ?? 0) > 0) {
      d.dropNext = (d.dropNext ?? 0) - 1
      return 'drop'
    }
    if ((d.duplicateNext ?? 0) > 0) {
      d.duplicateNext = (d.duplicateNext ?? 0) - 1
      return 'duplicate'
    }
    if ((d.reorderNext ?? 0) > 0) {
      d.reorderNext = (d.reorderNext ?? 0) - 1
      return 'reorder'
    }
    const anyProbability = (d.dropProbability ?? 0) + (d.duplicateProbability ?? 0) + (d.reorderProbability ?? 0)
    if (anyProbability <= 0) return 'send'
    const u = this.random()
    let edge = d.dropProbability ?? 0
    if (u < edge) return 'drop'
    edge += d.duplicateProbability ?? 0
    if (u < edge) return 'duplicate'
    edge += d.reorderProbability ?? 0
    if (u < edge) return 'reorder'
    return 'send'
  }

  /** Consumes one unit of a REST `…Next` counter; true when the fault applies to this request. */
  takeRest(knob: 'http5xxNext' | 'timeoutNext' | 'rateLimitNext' | 'lagNext'): boolean {
    const n = this.rest[knob] ?? 0
    if (n <= 0) return false
    this.rest[knob] = n - 1
    return true
  }

  /** Consumes one `lagNext` count when the request is order entry; returns how long to hold it (0 = execute now). */
  takeLagMs(isOrderEntry: boolean): number {
    const lagMs = this.rest.lagMs ?? 0
    if (lagMs <= 0 || !isOrderEntry || !this.takeRest('lagNext')) return 0
    return lagMs
  }

  /** Consumes one malformed-frame count; returns the malformed text for `frame`, or null to send it intact. */
  malform(frame: string): string | null {
    const n = this.ws.malformedNext ?? 0
    if (n <= 0) return null
    this.ws.malformedNext = n - 1
    return this.ws.malformedKind === 'truncated'
      ? frame.slice(0, Math.max(1, Math.floor(frame.length / 2)))
      : `${frame}}{`
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v
  return out
}
