import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import type { MarketDriver } from './MarketDriver.js'
import type { MatchingEngine } from './MatchingEngine.js'

export type SimulatedMarketOptions = {
  engine: MatchingEngine
  symbol: string
  seed: number
  /** Mid price in ticks at the start. */
  startMidTicks: bigint
  startMs: number
  /** Emulator ms between steps. Default 100. */
  stepMs?: number | undefined
  /** Each step the mid moves by a uniform integer in [-maxStepTicks, maxStepTicks]. Default 2. */
  maxStepTicks?: number | undefined
  /** Price levels per side. Default 20. */
  levels?: number | undefined
  /** Ticks between the mid and the best external bid/ask. Default 1. */
  halfSpreadTicks?: number | undefined
  /** External size per level, uniform in [minLevelLots, maxLevelLots]. Defaults 1 and 2000. */
  minLevelLots?: number | undefined
  maxLevelLots?: number | undefined
  /** Probability of one external trade per step. Default 0.3. */
  tradeProbability?: number | undefined
  /** External trade size, uniform in [1, maxTradeLots]. Default 500. */
  maxTradeLots?: number | undefined
  /** Overrides the random walk: the mid in ticks at emulator time `nowMs` (used by the klines driver). */
  midAt?: ((nowMs: number) => bigint) | undefined
}

/**
 * Seeded simulated market: a random-walk mid with a ladder of external liquidity around it and random external trades at the
 * touch. Each step replaces the external ladder (levels that left the ladder are set to 0). Same seed, same path.
 */
export class SimulatedMarket implements MarketDriver {
  private readonly o: Required<Omit<SimulatedMarketOptions, 'midAt'>> & Pick<SimulatedMarketOptions, 'midAt'>
  private readonly rng: RandomGenerator
  private midTicks: bigint
  private nextStepMs: number
  private previous: { bids: bigint[]; asks: bigint[] } = { bids: [], asks: [] }

  constructor(options: SimulatedMarketOptions) {
    this.o = {
      stepMs: 100,
      maxStepTicks: 2,
      levels: 20,
      halfSpreadTicks: 1,
      minLevelLots: 1,
      maxLevelLots: 2000,
      tradeProbability: 0.3,
      maxTradeLots: 500,
      ...stripUndefined(options),
    } as SimulatedMarket['o']
    this.rng = xoroshiro128plus(options.seed)
    this.midTicks = options.startMidTicks
    this.nextStepMs = options.startMs
  }

  describe(): string {
    return `simulated ${this.o.symbol} (seed ${this.o.seed}, step ${this.o.stepMs} ms)`
  }

  get currentMidTicks(): bigint {
    return this.midTicks
  }

  advance(nowMs: number): void {
    while (this.nextStepMs <= nowMs) {
      this.step(this.nextStepMs)
      this.nextStepMs += this.o.stepMs
    }
  }

  private step(atMs: number): void {
    const o = this.o
    if (o.midAt) this.midTicks = o.midAt(atMs)
    else {
      this.midTicks += BigInt(uniformInt(this.rng, -o.maxStepTicks, o.maxStepTicks))
      const floor = BigInt(o.halfSpreadTicks + o.levels + 1)
      if (this.midTicks < floor) this.midTicks = floor
    }
    const bids: Array<[bigint, bigint]> = []
    const asks: Array<[bigint, bigint]> = []
    for (let i = 0; i < o.levels; i++) {
      bids.push([
        this.midTicks - BigInt(o.halfSpreadTicks + i),
        BigInt(uniformInt(this.rng, o.minLevelLots, o.maxLevelLots)),
      ])
      asks.push([
        this.midTicks + BigInt(o.halfSpreadTicks + i),
        BigInt(uniformInt(this.rng, o.minLevelLots, o.maxLevelLots)),
      ])
    }
    const keepBids = new Set(bids.map(([p]) => p))
    const keepAsks = new Set(asks.map(([p]) => p))
    const removeBids = this.previous.bids.filter((p) => !keepBids.has(p)).map((p): [bigint, bigint] => [p, 0n])
    const removeAsks = this.previous.asks.filter((p) => !keepAsks.has(p)).map((p): [bigint, bigint] => [p, 0n])
    // Removals first so a moving ladder never crosses itself.
    o.engine.applyExternalDepth(o.symbol, removeBids, removeAsks)
    o.engine.applyExternalDepth(o.symbol, bids, asks)
    this.previous = { bids: [...keepBids], asks: [...keepAsks] }
    if (uniformFloat64(this.rng) < o.tradeProbability) {
      const buy = uniformInt(this.rng, 0, 1) === 1
      const lots = BigInt(uniformInt(this.rng, 1, o.maxTradeLots))
      const top = o.engine.bestBidAsk(o.symbol)
      const level = buy ? top.ask : top.bid
      if (level) o.engine.applyExternalTrade(o.symbol, level[0], lots, buy ? 'BUY' : 'SELL')
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v
  return out
}
