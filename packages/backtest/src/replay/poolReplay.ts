import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from '@alp/uniswap-lp'
import type { PoolLogEvent } from '../data/types.js'
import { PoolSimulator } from '../pool/poolSimulator.js'
import type { SwapEvent } from '../pool/types.js'
import { findTickSegment } from './findTickSegment.js'
import { clearUnusedTick, patchRangeLiquidity } from './patchRangeLiquidity.js'

/** Owner id of the day's recorded positions inside the simulator (pool positions are keyed per owner). */
export const HISTORICAL_OWNER = 'historical'

export type PoolReplayStats = {
  swaps: number
  /** Swaps whose simulated amount0 and amount1 equal the recorded ones to the wei. */
  swapsExact: number
  /** Swaps that needed a second, price-targeted leg (the simulated liquidity was larger than the real one). */
  swapsTopUp: number
  /** Background liquidity inferred past a crossed tick because the active liquidity after a swap differed from the record. */
  liquidityNetInferred: number
  /** Active-liquidity differences with no tick boundary crossed (after mints/burns of unknown positions, or inside a tick). */
  liquidityUnexplained: number
  mints: number
  burns: number
  /** Burns of liquidity minted before the data starts (removed from the background). */
  burnsOfBackground: number
  collects: number
  /**
   * Mint/burn rows whose recorded `total_liquidity` was never updated for the event itself (see
   * {@link PoolReplay.recordedLiquidity}), corrected by the event's own liquidity delta.
   */
  staleTotalsCorrected: number
  /** Token-in volume (including fees) as simulated and as recorded. */
  simulatedIn0: bigint
  simulatedIn1: bigint
  recordedIn0: bigint
  recordedIn1: bigint
}

export type PoolReplayParameters = {
  feePips: number
  tickSpacing: number
  /** Pool price before the first event (the day's opening price: rel-price.csv row 00:00). */
  initialSqrtPriceX96: bigint
  /** Active liquidity before the first event (the first event's total_liquidity when it is a swap within one tick). */
  initialLiquidity: bigint
  /**
   * Correct mint/burn rows whose recorded active liquidity is stale (default true; false replays the rows as recorded,
   * for comparison).
   */
  correctStaleTotals?: boolean | undefined
}

const MAX_AMOUNT = (1n << 255n) - 1n

/**
 * Replays a pool's recorded events through {@link PoolSimulator} in block / log-index order. The tick map at the start
 * is unknown, so the replay starts from full-range background liquidity equal to the recorded active liquidity and
 * infers liquidityNet from the recorded active liquidity after every event (docs/backtest.md#replay has the method and
 * its limits). Swaps land exactly on the recorded price: first as an exact-input swap of the recorded input amount
 * limited at the recorded price, then, if the simulated pool is deeper than the real one (e.g. with our own positions
 * inserted), a price-targeted top-up to the recorded price. Our own positions can be minted into `pool` between events.
 */
export class PoolReplay {
  /** The simulated pool (replaced by a copy after a dust swap; always read it through this property). */
  pool: PoolSimulator
  readonly stats: PoolReplayStats = {
    swaps: 0,
    swapsExact: 0,
    swapsTopUp: 0,
    liquidityNetInferred: 0,
    liquidityUnexplained: 0,
    mints: 0,
    burns: 0,
    burnsOfBackground: 0,
    collects: 0,
    staleTotalsCorrected: 0,
    simulatedIn0: 0n,
    simulatedIn1: 0n,
    recordedIn0: 0n,
    recordedIn1: 0n,
  }

  /** File rows (1-based, as `PoolLogEvent.row`) of the mint/burn rows whose stale total was corrected. */
  readonly correctedRows: number[] = []
  /**
   * The active liquidity after the last applied event according to the record, after the stale-total correction: what
   * `pool.liquidity` is reconciled to.
   */
  recordedLiquidity: bigint
  readonly #correctStaleTotals: boolean
  /** `total_liquidity` of the previous non-collect row, as reported. */
  #previousReported: bigint

  constructor(parameters: PoolReplayParameters) {
    this.#correctStaleTotals = parameters.correctStaleTotals ?? true
    this.recordedLiquidity = parameters.initialLiquidity
    this.#previousReported = parameters.initialLiquidity
    this.pool = new PoolSimulator({ feePips: parameters.feePips, tickSpacing: parameters.tickSpacing })
    this.pool.initialize(parameters.initialSqrtPriceX96)
    const spacing = parameters.tickSpacing
    const lower = Math.ceil(-887272 / spacing) * spacing
    const upper = Math.floor(887272 / spacing) * spacing
    patchRangeLiquidity(this.pool, lower, upper, parameters.initialLiquidity)
  }

  /** Applies one recorded event; returns the simulated swap for swaps. */
  apply(event: PoolLogEvent): SwapEvent | undefined {
    switch (event.kind) {
      case 'swap':
        this.#previousReported = event.totalLiquidity
        this.recordedLiquidity = event.totalLiquidity
        return this.applySwap(event)
      case 'mint':
        this.stats.mints++
        this.#recordModify(event, event.liquidity!)
        this.pool.mint(HISTORICAL_OWNER, event.tickLower!, event.tickUpper!, event.liquidity!)
        this.reconcileLiquidity(undefined)
        return undefined
      case 'burn':
        this.#recordModify(event, -event.liquidity!)
        this.applyBurn(event)
        this.reconcileLiquidity(undefined)
        return undefined
      case 'collect':
        this.stats.collects++
        this.pool.collect(HISTORICAL_OWNER, event.tickLower!, event.tickUpper!, event.amount0, event.amount1)
        return undefined
    }
  }

  /**
   * The recorded active liquidity after a mint/burn. Some exported rows (2024-01-05 tick.csv rows 313, 315, 1654, 1656,
   * 1754, 1756, 4246, 4248, all with `total_liquidity_delta` 0) repeat the previous row's total although the event
   * changed it. Rule: a mint/burn in range (tickLower ≤ tick < tickUpper) whose own liquidity is non-zero and whose
   * reported total equals the previous non-collect row's reported total is stale; its total is the previous
   * (corrected) total plus the event's liquidity delta (+L for a mint, −L for a burn). Collect rows are skipped as
   * "previous row": they never change liquidity and carry a stale total of their own.
   */
  #recordModify(event: PoolLogEvent, liquidityDelta: bigint): void {
    const reported = event.totalLiquidity
    const inRange = event.tickLower! <= event.tick && event.tick < event.tickUpper!
    const stale = inRange && liquidityDelta !== 0n && reported === this.#previousReported
    this.#previousReported = reported
    if (stale && this.#correctStaleTotals) {
      this.stats.staleTotalsCorrected++
      this.correctedRows.push(event.row)
      this.recordedLiquidity += liquidityDelta
    } else {
      this.recordedLiquidity = reported
    }
  }

  private applyBurn(event: PoolLogEvent): void {
    this.stats.burns++
    const tickLower = event.tickLower!
    const tickUpper = event.tickUpper!
    const amount = event.liquidity!
    const own = this.pool.getPosition(HISTORICAL_OWNER, tickLower, tickUpper).liquidity
    // biome-ignore lint/complexity/useMathMinMax: bigint operands (Math.min takes numbers)
    const fromPosition = amount < own ? amount : own
    if (fromPosition > 0n || (amount === 0n && own > 0n)) {
      this.pool.burn(HISTORICAL_OWNER, tickLower, tickUpper, fromPosition)
      clearUnusedTick(this.pool, tickLower)
      clearUnusedTick(this.pool, tickUpper)
    }
    const fromBackground = amount - fromPosition
    // Liquidity minted before the data starts is part of the background; the recorded active liquidity after the burn
    // (reconcileLiquidity) removes it from the current segment.
    if (fromBackground > 0n) this.stats.burnsOfBackground++
  }

  private applySwap(event: PoolLogEvent): SwapEvent {
    const pool = this.pool
    const stats = this.stats
    stats.swaps++
    const zeroForOne = event.amount0 > 0n
    const amountIn = zeroForOne ? event.amount0 : event.amount1
    if (zeroForOne) stats.recordedIn0 += amountIn
    else stats.recordedIn1 += amountIn
    const tickBefore = pool.slot0.tick
    const target = event.sqrtPriceX96
    let result: SwapEvent
    if (target === pool.slot0.sqrtPriceX96) {
      // No price impact recorded: the whole input went to the fee (a dust swap). Simulate it on a copy to check it.
      const trial = pool.clone()
      const r = trial.swap(zeroForOne, amountIn, zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n)
      if (r.sqrtPriceX96 === target) this.pool = trial
      result =
        r.sqrtPriceX96 === target
          ? r
          : { ...r, amount0: 0n, amount1: 0n, sqrtPriceX96: target, liquidity: pool.liquidity, tick: pool.slot0.tick }
    } else if (zeroForOne !== target < pool.slot0.sqrtPriceX96) {
      // The recorded move goes against the swap direction: only possible when our state drifted; move the price there.
      result = pool.swap(!zeroForOne, MAX_AMOUNT, target)
    } else {
      result = pool.swap(zeroForOne, amountIn, target)
      if (pool.slot0.sqrtPriceX96 !== target) {
        stats.swapsTopUp++
        const topUp = pool.swap(zeroForOne, MAX_AMOUNT, target)
        result = {
          ...topUp,
          amount0: result.amount0 + topUp.amount0,
          amount1: result.amount1 + topUp.amount1,
          feeAmount: result.feeAmount + topUp.feeAmount,
          ticksCrossed: result.ticksCrossed + topUp.ticksCrossed,
        }
      }
    }
    if (result.amount0 === event.amount0 && result.amount1 === event.amount1) stats.swapsExact++
    if (result.amount0 > 0n) stats.simulatedIn0 += result.amount0
    if (result.amount1 > 0n) stats.simulatedIn1 += result.amount1
    this.reconcileLiquidity(tickBefore)
    return result
  }

  /**
   * Makes the active liquidity equal the recorded one by adding background liquidity to the segment of constant
   * liquidity that holds the current tick, cut at the last tick boundary the swap crossed: the region the swap was
   * observed to end in. Everything outside that segment keeps its liquidity, so the tick map stays consistent and no
   * later swap can see negative liquidity.
   */
  private reconcileLiquidity(tickBefore: number | undefined): void {
    const pool = this.pool
    const difference = this.recordedLiquidity - pool.liquidity
    if (difference === 0n) return
    const spacing = pool.tickSpacing
    const tickAfter = pool.slot0.tick
    const segment = findTickSegment(pool, tickAfter)
    let { lower, upper } = segment
    let crossed = false
    if (tickBefore !== undefined && tickAfter > tickBefore) {
      const b = Math.floor(tickAfter / spacing) * spacing
      if (b > tickBefore) {
        crossed = true
        if (b > lower) lower = b
      }
    } else if (tickBefore !== undefined && tickAfter < tickBefore) {
      const b = (Math.floor(tickAfter / spacing) + 1) * spacing
      if (b <= tickBefore) {
        crossed = true
        if (b < upper) upper = b
      }
    }
    if (crossed) this.stats.liquidityNetInferred++
    else this.stats.liquidityUnexplained++
    // Keep the patch on usable ticks (multiples of the spacing) inside the segment.
    lower = Math.max(lower, Math.ceil(-887272 / spacing) * spacing)
    upper = Math.min(upper, Math.floor(887272 / spacing) * spacing)
    patchRangeLiquidity(pool, lower, upper, difference)
  }
}
