import { InvalidAmountError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { TickOutOfRangeError } from '../errors/tick.js'
import { computeInventoryDeviation } from '../inventory/computeInventoryDeviation.js'
import { getModifyPositionAmounts } from '../math/modifyPositionAmounts.js'
import { assertValidDecimals, priceToTick, sqrtPriceX96ToPrice } from '../math/priceTick.js'
import { getSqrtRatioAtTick, MAX_TICK, MIN_TICK } from '../math/tickMath.js'
import { ceilTick, floorTick, getTickSpacing, maxUsableTick, minUsableTick } from '../math/tickSpacing.js'
import { getCharmRanges } from './getCharmRanges.js'
import { getLiquidityForBalances } from './getLiquidityForBalances.js'
import type { ModelQuote, PlannedPosition, PlanRangesParameters, RangePlan, RangePlannerConfig } from './types.js'

export type PlanRangesErrorType =
  | InvalidParameterError
  | InvalidAmountError
  | TickOutOfRangeError
  | import('../errors/feeTier.js').UnknownFeeTierError
  | import('../errors/token.js').InvalidDecimalsError
  | import('../errors/token.js').InvalidPriceError
  | import('../errors/math.js').MathOverflowError

type TickRange = { tickLower: number; tickUpper: number }

/**
 * Plans a base range around the model's reservation price and a one-sided limit range that sells the token left
 * over after the base (Charm/Gamma base + limit). All ticks are aligned to the fee tier's spacing, the limit satisfies
 * belowUpper ≤ pool tick < aboveLower strictly, and the amounts are exactly what the pool charges at mint (rounded up),
 * never more than the balances.
 *
 * Pure: no I/O, no clock. See docs/uniswap-lp.md for the picture.
 * @throws {PlanRangesErrorType}
 */
export function planRanges(parameters: PlanRangesParameters & { inventoryTarget?: { baseShare: number } }): RangePlan {
  const { quote, pool, orientation, balances, config, inventoryTarget } = parameters
  validate(parameters)
  const tickSpacing = getTickSpacing(pool.feePips)
  const minTick = minUsableTick(tickSpacing)
  const maxTick = maxUsableTick(tickSpacing)
  const flooredTick = floorTick(pool.tick, tickSpacing)

  // 1. Base range, tick-aligned, snapped outward.
  const centerTick =
    config.baseCenter === 'pool' ? pool.tick : clampTick(priceToTick(quote.reservationPrice, orientation))
  let base: TickRange
  if (config.width.mode === 'fixed') {
    base = getCharmRanges({
      tick: centerTick,
      tickSpacing,
      baseThresholdTicks: config.width.baseThresholdTicks,
      limitThresholdTicks: config.width.limitThresholdTicks,
    }).base
  } else {
    const halfSpread = Math.max(0, (quote.bidDepth + quote.askDepth) / 2) * config.width.baseSpreadMultiplier
    const center =
      config.baseCenter === 'pool' ? sqrtPriceX96ToPrice(pool.sqrtPriceX96, orientation) : quote.reservationPrice
    const edgeA = tickOfPrice(center - halfSpread, orientation, minTick, maxTick)
    const edgeB = tickOfPrice(center + halfSpread, orientation, minTick, maxTick)
    // priceToTick floors, so the price of the upper edge lies in [t, t + 1): include t + 1.
    base = {
      tickLower: floorTick(Math.min(edgeA, edgeB), tickSpacing),
      tickUpper: ceilTick(Math.max(edgeA, edgeB) + 1, tickSpacing),
    }
  }
  if (config.minBaseHalfWidthTicks > 0) {
    base.tickLower = Math.min(base.tickLower, floorTick(centerTick - config.minBaseHalfWidthTicks, tickSpacing))
    base.tickUpper = Math.max(base.tickUpper, ceilTick(centerTick + config.minBaseHalfWidthTicks, tickSpacing))
  }
  if (config.baseContainsPrice) {
    base.tickLower = Math.min(base.tickLower, flooredTick)
    base.tickUpper = Math.max(base.tickUpper, flooredTick + tickSpacing)
  }
  base = clampRange(base, minTick, maxTick, tickSpacing)

  // 2. Fund the base with as much liquidity as both balances allow.
  const sqrtPriceX96 = pool.sqrtPriceX96
  const baseLiquidity = getLiquidityForBalances(
    sqrtPriceX96,
    getSqrtRatioAtTick(base.tickLower),
    getSqrtRatioAtTick(base.tickUpper),
    balances.amount0Raw,
    balances.amount1Raw,
  )
  const basePosition = toPosition('base', sideOf(base, pool.tick), base, baseLiquidity, pool)
  const left0 = balances.amount0Raw - basePosition.amount0Raw
  const left1 = balances.amount1Raw - basePosition.amount1Raw

  // 3. Limit candidates strictly on each side of the current tick, snapped away from it.
  const widths = limitWidths(config, base, centerTick, tickSpacing)
  const quoteTicks = quoteEdgeTicks(quote, orientation, minTick, maxTick)
  const belowUpper =
    config.limitPlacement === 'modelQuote' ? Math.min(flooredTick, floorTick(quoteTicks.low, tickSpacing)) : flooredTick
  const aboveLower =
    config.limitPlacement === 'modelQuote'
      ? Math.max(flooredTick + tickSpacing, ceilTick(quoteTicks.high + 1, tickSpacing))
      : flooredTick + tickSpacing
  const below = fitRange({ tickLower: belowUpper - widths.below, tickUpper: belowUpper }, minTick, maxTick)
  const above = fitRange({ tickLower: aboveLower, tickUpper: aboveLower + widths.above }, minTick, maxTick)

  // Below the price a range holds only token1; above it, only token0.
  const belowLiquidity = below === null ? 0n : oneSidedLiquidity(below, sqrtPriceX96, 0n, left1)
  const aboveLiquidity = above === null ? 0n : oneSidedLiquidity(above, sqrtPriceX96, left0, 0n)

  // 4. Mint one limit: the side selling the token in excess of the target when a target is given, otherwise the
  //    side with more liquidity (Charm).
  let side: 'below' | 'above' | null
  if (inventoryTarget !== undefined) {
    const { deviation } = computeInventoryDeviation({
      amount0Raw: balances.amount0Raw,
      amount1Raw: balances.amount1Raw,
      sqrtPriceX96,
      baseToken: orientation.baseToken,
      targetBaseShare: inventoryTarget.baseShare,
    })
    // Excess base → sell base. Base token0 is sold by the range above, base token1 by the range below.
    const sellBase = deviation > 0
    const sellToken0 = orientation.baseToken === 'token0' ? sellBase : !sellBase
    side = deviation === 0 ? null : sellToken0 ? 'above' : 'below'
  } else {
    side = belowLiquidity === 0n && aboveLiquidity === 0n ? null : aboveLiquidity > belowLiquidity ? 'above' : 'below'
  }
  let limit: PlannedPosition | null = null
  if (side === 'below' && below !== null && belowLiquidity > 0n) {
    limit = toPosition('limit', 'below', below, belowLiquidity, pool)
  } else if (side === 'above' && above !== null && aboveLiquidity > 0n) {
    limit = toPosition('limit', 'above', above, aboveLiquidity, pool)
  }

  return {
    base: basePosition,
    limit,
    tickSpacing,
    flooredTick,
    centerTick,
    idle0Raw: left0 - (limit?.amount0Raw ?? 0n),
    idle1Raw: left1 - (limit?.amount1Raw ?? 0n),
  }
}

function toPosition(
  kind: PlannedPosition['kind'],
  side: PlannedPosition['side'],
  range: TickRange,
  liquidity: bigint,
  pool: PlanRangesParameters['pool'],
): PlannedPosition {
  const { amount0Raw, amount1Raw } = getModifyPositionAmounts({
    tickCurrent: pool.tick,
    sqrtPriceX96: pool.sqrtPriceX96,
    tickLower: range.tickLower,
    tickUpper: range.tickUpper,
    liquidityDelta: liquidity,
  })
  return { kind, side, tickLower: range.tickLower, tickUpper: range.tickUpper, liquidity, amount0Raw, amount1Raw }
}

function oneSidedLiquidity(range: TickRange, sqrtPriceX96: bigint, amount0Raw: bigint, amount1Raw: bigint): bigint {
  const a = getSqrtRatioAtTick(range.tickLower)
  const b = getSqrtRatioAtTick(range.tickUpper)
  return getLiquidityForBalances(sqrtPriceX96, a, b, amount0Raw, amount1Raw)
}

function sideOf(range: TickRange, tick: number): PlannedPosition['side'] {
  if (tick < range.tickLower) return 'above'
  if (tick >= range.tickUpper) return 'below'
  return 'straddle'
}

function clampTick(tick: number): number {
  return Math.min(Math.max(tick, MIN_TICK), MAX_TICK)
}

/** Tick of a human price, with prices ≤ 0 (a depth beyond the price) mapped to the far usable bound. */
function tickOfPrice(
  price: number,
  orientation: PlanRangesParameters['orientation'],
  minTick: number,
  maxTick: number,
): number {
  // A human price → 0 means raw price → 0 (base token0) or → ∞ (base token1).
  if (price <= 0) return orientation.baseToken === 'token0' ? minTick : maxTick
  const tick = priceToTick(price, orientation)
  return Math.min(Math.max(tick, minTick), maxTick)
}

/** Ticks of the model's bid and ask prices, sorted (low tick first, whichever human side it is). */
function quoteEdgeTicks(
  quote: ModelQuote,
  orientation: PlanRangesParameters['orientation'],
  minTick: number,
  maxTick: number,
): { low: number; high: number } {
  const bidTick = tickOfPrice(quote.midPrice - quote.bidDepth, orientation, minTick, maxTick)
  const askTick = tickOfPrice(quote.midPrice + quote.askDepth, orientation, minTick, maxTick)
  return { low: Math.min(bidTick, askTick), high: Math.max(bidTick, askTick) }
}

function limitWidths(
  config: RangePlannerConfig,
  base: TickRange,
  centerTick: number,
  tickSpacing: number,
): { below: number; above: number } {
  const minimum = Math.max(tickSpacing, ceilTick(config.minLimitWidthTicks, tickSpacing))
  if (config.width.mode === 'fixed') {
    const width = Math.max(config.width.limitThresholdTicks, minimum)
    return { below: width, above: width }
  }
  const m = config.width.limitWidthMultiplier
  const belowWidth = ceilTick(Math.ceil(Math.max(0, centerTick - base.tickLower) * m), tickSpacing)
  const aboveWidth = ceilTick(Math.ceil(Math.max(0, base.tickUpper - centerTick) * m), tickSpacing)
  return { below: Math.max(belowWidth, minimum), above: Math.max(aboveWidth, minimum) }
}

/** Clamps a base range into the usable ticks, keeping at least one spacing of width. */
function clampRange(range: TickRange, minTick: number, maxTick: number, tickSpacing: number): TickRange {
  let tickLower = Math.max(range.tickLower, minTick)
  let tickUpper = Math.min(range.tickUpper, maxTick)
  if (tickUpper <= tickLower) {
    if (tickLower + tickSpacing <= maxTick) tickUpper = tickLower + tickSpacing
    else tickLower = tickUpper - tickSpacing
  }
  return { tickLower, tickUpper }
}

/** Clamps a limit range into the usable ticks; null when no room is left on that side. */
function fitRange(range: TickRange, minTick: number, maxTick: number): TickRange | null {
  const tickLower = Math.max(range.tickLower, minTick)
  const tickUpper = Math.min(range.tickUpper, maxTick)
  return tickLower < tickUpper ? { tickLower, tickUpper } : null
}

function requireFinite(field: string, value: number, rule: string, ok: boolean): void {
  if (!Number.isFinite(value) || !ok) throw new InvalidParameterError({ field, value, rule })
}

function validate(parameters: PlanRangesParameters & { inventoryTarget?: { baseShare: number } }): void {
  const { quote, pool, orientation, balances, config, inventoryTarget } = parameters
  assertValidDecimals(orientation)
  requireFinite('quote.midPrice', quote.midPrice, 'finite and > 0', quote.midPrice > 0)
  requireFinite('quote.reservationPrice', quote.reservationPrice, 'finite and > 0', quote.reservationPrice > 0)
  requireFinite('quote.bidDepth', quote.bidDepth, 'finite', true)
  requireFinite('quote.askDepth', quote.askDepth, 'finite', true)
  if (!Number.isInteger(pool.tick) || pool.tick < MIN_TICK || pool.tick > MAX_TICK) {
    throw new TickOutOfRangeError({ field: 'pool.tick', value: pool.tick, min: MIN_TICK, max: MAX_TICK })
  }
  // The pool keeps ratio(tick) ≤ sqrtPrice ≤ ratio(tick + 1) (equality on the right after a swap that ends on a boundary).
  const upper = pool.tick < MAX_TICK ? getSqrtRatioAtTick(pool.tick + 1) : getSqrtRatioAtTick(MAX_TICK)
  if (pool.sqrtPriceX96 < getSqrtRatioAtTick(pool.tick) || pool.sqrtPriceX96 > upper) {
    throw new InvalidParameterError({
      field: 'pool.sqrtPriceX96',
      value: pool.sqrtPriceX96,
      rule: `consistent with pool.tick ${pool.tick} (getSqrtRatioAtTick(tick) <= sqrtPriceX96 <= getSqrtRatioAtTick(tick + 1))`,
      next: 'read sqrtPriceX96 and tick from the same slot0() call.',
    })
  }
  if (balances.amount0Raw < 0n) {
    throw new InvalidAmountError({ field: 'balances.amount0Raw', value: balances.amount0Raw, rule: '>= 0' })
  }
  if (balances.amount1Raw < 0n) {
    throw new InvalidAmountError({ field: 'balances.amount1Raw', value: balances.amount1Raw, rule: '>= 0' })
  }
  const nonNegativeInteger = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 0)
      throw new InvalidParameterError({ field, value, rule: 'an integer >= 0' })
  }
  nonNegativeInteger('config.minBaseHalfWidthTicks', config.minBaseHalfWidthTicks)
  nonNegativeInteger('config.minLimitWidthTicks', config.minLimitWidthTicks)
  if (config.width.mode === 'model') {
    const { baseSpreadMultiplier: b, limitWidthMultiplier: l } = config.width
    requireFinite('config.width.baseSpreadMultiplier', b, 'finite and > 0', b > 0)
    requireFinite('config.width.limitWidthMultiplier', l, 'finite and > 0', l > 0)
  }
  if (inventoryTarget !== undefined) {
    const share = inventoryTarget.baseShare
    requireFinite('inventoryTarget.baseShare', share, 'in [0, 1]', share >= 0 && share <= 1)
  }
}
