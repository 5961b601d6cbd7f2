import {
  getAmount0DeltaSigned,
  getAmount1DeltaSigned,
  getFeeGrowthInside,
  getTickAtSqrtRatio,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
  mulDiv,
  Q128,
} from '@alp/uniswap-lp'
import { PoolRevertError } from '../errors/pool.js'
import { computeSwapStepFast, type SwapStepResult } from './computeSwapStepFast.js'
import { positionKey } from './positionKey.js'
import { sqrtRatioAtTickCached } from './sqrtRatioAtTickCached.js'
import { tickAtSqrtRatioFast } from './tickAtSqrtRatioFast.js'
import { flipTick, nextInitializedTickWithinOneWord, type TickBitmap } from './tickBitmap.js'
import type { CollectEvent, ModifyLiquidityEvent, PositionInfo, Slot0, SwapEvent, TickInfo } from './types.js'

const MAX_UINT128 = (1n << 128n) - 1n
const MAX_UINT256 = (1n << 256n) - 1n
const MAX_INT128 = (1n << 127n) - 1n
const MIN_INT128 = -(1n << 127n)

export type PoolSimulatorParameters = {
  /** Fee in hundredths of a bip (500 = 0.05 %). */
  feePips: number
  tickSpacing: number
}

function revert(operation: string, revertReason: string, field: string, value: unknown): never {
  throw new PoolRevertError({ operation, revertReason, field, value: String(value) })
}

/** `LiquidityMath.addDelta` with the contract's revert strings. */
function addDelta(x: bigint, y: bigint, operation: string): bigint {
  const z = x + y
  if (y < 0n && z < 0n) revert(operation, 'LS', 'liquidityDelta', y)
  if (z > MAX_UINT128) revert(operation, 'LA', 'liquidityDelta', y)
  return z
}

function emptyTick(): TickInfo {
  return {
    liquidityGross: 0n,
    liquidityNet: 0n,
    feeGrowthOutside0X128: 0n,
    feeGrowthOutside1X128: 0n,
    initialized: false,
  }
}

const ZERO_TICK: Readonly<TickInfo> = Object.freeze(emptyTick())

/**
 * A native-bigint port of UniswapV3Pool's state machine (v3-core 1.0): tick bitmap, initialized ticks with
 * liquidityGross/liquidityNet and fee growth outside, the swap loop (exact input and output, price limits), fee growth
 * global/inside, the protocol fee, positions with tokensOwed, and mint/burn/collect. Every method computes what the
 * contract computes, to the wei, and reverts (throws {@link PoolRevertError}) where the contract reverts, with its reason.
 *
 * Not simulated: the TWAP oracle (observations, tickCumulative, secondsPerLiquidity), token transfers and callbacks
 * (the caller accounts for balances), flash loans.
 * Mutable by design (a hot loop over millions of swaps); use {@link PoolSimulator.clone} for snapshots.
 */
export class PoolSimulator {
  readonly feePips: number
  readonly tickSpacing: number
  readonly maxLiquidityPerTick: bigint
  readonly #feePipsBig: bigint
  readonly #feeComplementPips: bigint
  readonly #step: SwapStepResult = { sqrtRatioNextX96: 0n, amountIn: 0n, amountOut: 0n, feeAmount: 0n }
  readonly slot0: Slot0 = { sqrtPriceX96: 0n, tick: 0, feeProtocol: 0 }
  liquidity = 0n
  feeGrowthGlobal0X128 = 0n
  feeGrowthGlobal1X128 = 0n
  readonly protocolFees = { token0: 0n, token1: 0n }
  readonly ticks = new Map<number, TickInfo>()
  readonly tickBitmap: TickBitmap = new Map()
  readonly positions = new Map<string, PositionInfo>()

  constructor({ feePips, tickSpacing }: PoolSimulatorParameters) {
    if (!Number.isInteger(feePips) || feePips < 0 || feePips >= 1_000_000)
      revert('constructor', 'fee', 'feePips', feePips)
    if (!Number.isInteger(tickSpacing) || tickSpacing <= 0 || tickSpacing >= 16384) {
      revert('constructor', 'tickSpacing', 'tickSpacing', tickSpacing)
    }
    this.feePips = feePips
    this.tickSpacing = tickSpacing
    this.#feePipsBig = BigInt(feePips)
    this.#feeComplementPips = 1_000_000n - this.#feePipsBig
    // Tick.tickSpacingToMaxLiquidityPerTick: int24 division truncates toward zero.
    const minTick = Math.trunc(MIN_TICK / tickSpacing) * tickSpacing
    const maxTick = Math.trunc(MAX_TICK / tickSpacing) * tickSpacing
    const numTicks = BigInt((maxTick - minTick) / tickSpacing + 1)
    this.maxLiquidityPerTick = MAX_UINT128 / numTicks
  }

  /** `initialize(sqrtPriceX96)`: reverts 'AI' when already initialized. */
  initialize(sqrtPriceX96: bigint): void {
    if (this.slot0.sqrtPriceX96 !== 0n) revert('initialize', 'AI', 'sqrtPriceX96', sqrtPriceX96)
    this.slot0.tick = getTickAtSqrtRatio(sqrtPriceX96)
    this.slot0.sqrtPriceX96 = sqrtPriceX96
  }

  /** `ticks(tick)`: the zero record for an uninitialized tick, as the contract's storage read. */
  getTick(tick: number): Readonly<TickInfo> {
    return this.ticks.get(tick) ?? ZERO_TICK
  }

  /** `positions(key)` for (owner, tickLower, tickUpper): zeros for an unknown position. */
  getPosition(owner: string, tickLower: number, tickUpper: number): Readonly<PositionInfo> {
    return (
      this.positions.get(positionKey(owner, tickLower, tickUpper)) ?? {
        liquidity: 0n,
        feeGrowthInside0LastX128: 0n,
        feeGrowthInside1LastX128: 0n,
        tokensOwed0: 0n,
        tokensOwed1: 0n,
      }
    )
  }

  /** `tickBitmap(wordPos)`. */
  getTickBitmapWord(wordPos: number): bigint {
    return this.tickBitmap.get(wordPos) ?? 0n
  }

  /** `setFeeProtocol(feeProtocol0, feeProtocol1)`: each 0 or 4..10 (1/N of the swap fee), else reverts. */
  setFeeProtocol(feeProtocol0: number, feeProtocol1: number): void {
    const ok = (f: number) => f === 0 || (Number.isInteger(f) && f >= 4 && f <= 10)
    if (!ok(feeProtocol0)) revert('setFeeProtocol', '', 'feeProtocol0', feeProtocol0)
    if (!ok(feeProtocol1)) revert('setFeeProtocol', '', 'feeProtocol1', feeProtocol1)
    this.slot0.feeProtocol = feeProtocol0 + (feeProtocol1 << 4)
  }

  /** `collectProtocol(recipient, amount0Requested, amount1Requested)`: leaves 1 wei in a fully drained slot, as the contract. */
  collectProtocol(amount0Requested: bigint, amount1Requested: bigint): CollectEvent {
    let amount0 = amount0Requested > this.protocolFees.token0 ? this.protocolFees.token0 : amount0Requested
    let amount1 = amount1Requested > this.protocolFees.token1 ? this.protocolFees.token1 : amount1Requested
    if (amount0 > 0n) {
      if (amount0 === this.protocolFees.token0) amount0--
      this.protocolFees.token0 -= amount0
    }
    if (amount1 > 0n) {
      if (amount1 === this.protocolFees.token1) amount1--
      this.protocolFees.token1 -= amount1
    }
    return { amount0, amount1 }
  }

  /** `mint(recipient, tickLower, tickUpper, amount)`: returns the amounts the pool takes (rounded up). */
  mint(owner: string, tickLower: number, tickUpper: number, amount: bigint): ModifyLiquidityEvent {
    this.requireInitialized('mint')
    if (amount <= 0n) revert('mint', '', 'amount', amount)
    const { amount0, amount1 } = this.modifyPosition('mint', owner, tickLower, tickUpper, amount)
    return { amount, amount0, amount1 }
  }

  /** `burn(tickLower, tickUpper, amount)`: credits the amounts (rounded down) to tokensOwed; amount 0 pokes fees. */
  burn(owner: string, tickLower: number, tickUpper: number, amount: bigint): ModifyLiquidityEvent {
    this.requireInitialized('burn')
    if (amount < 0n || amount > MAX_INT128) revert('burn', '', 'amount', amount)
    const result = this.modifyPosition('burn', owner, tickLower, tickUpper, -amount)
    const amount0 = -result.amount0
    const amount1 = -result.amount1
    if (amount0 > 0n || amount1 > 0n) {
      const position = result.position
      position.tokensOwed0 = (position.tokensOwed0 + amount0) & MAX_UINT128
      position.tokensOwed1 = (position.tokensOwed1 + amount1) & MAX_UINT128
    }
    return { amount, amount0, amount1 }
  }

  /** `collect(recipient, tickLower, tickUpper, amount0Requested, amount1Requested)`. */
  collect(
    owner: string,
    tickLower: number,
    tickUpper: number,
    amount0Requested: bigint,
    amount1Requested: bigint,
  ): CollectEvent {
    const position = this.positions.get(positionKey(owner, tickLower, tickUpper))
    if (position === undefined) return { amount0: 0n, amount1: 0n }
    const amount0 = amount0Requested > position.tokensOwed0 ? position.tokensOwed0 : amount0Requested
    const amount1 = amount1Requested > position.tokensOwed1 ? position.tokensOwed1 : amount1Requested
    if (amount0 > 0n) position.tokensOwed0 -= amount0
    if (amount1 > 0n) position.tokensOwed1 -= amount1
    return { amount0, amount1 }
  }

  /**
   * `swap(recipient, zeroForOne, amountSpecified, sqrtPriceLimitX96, data)`: `amountSpecified` > 0 is exact input,
   * < 0 exact output. Returns the Swap event (amounts are the pool's deltas: positive = paid in).
   */
  swap(zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96: bigint): SwapEvent {
    if (amountSpecified === 0n) revert('swap', 'AS', 'amountSpecified', amountSpecified)
    this.requireInitialized('swap')
    const slot0 = this.slot0
    if (
      zeroForOne
        ? !(sqrtPriceLimitX96 < slot0.sqrtPriceX96 && sqrtPriceLimitX96 > MIN_SQRT_RATIO)
        : !(sqrtPriceLimitX96 > slot0.sqrtPriceX96 && sqrtPriceLimitX96 < MAX_SQRT_RATIO)
    ) {
      revert('swap', 'SPL', 'sqrtPriceLimitX96', sqrtPriceLimitX96)
    }
    const feeProtocol = zeroForOne ? slot0.feeProtocol % 16 : slot0.feeProtocol >> 4
    const feeProtocolBig = BigInt(feeProtocol)
    const exactInput = amountSpecified > 0n
    const liquidityStart = this.liquidity
    const tickSpacing = this.tickSpacing
    const fee = this.feePips

    let amountSpecifiedRemaining = amountSpecified
    let amountCalculated = 0n
    let sqrtPriceX96 = slot0.sqrtPriceX96
    let tick = slot0.tick
    let feeGrowthGlobalX128 = zeroForOne ? this.feeGrowthGlobal0X128 : this.feeGrowthGlobal1X128
    let protocolFee = 0n
    let liquidity = liquidityStart
    let feeTotal = 0n
    let ticksCrossed = 0

    while (amountSpecifiedRemaining !== 0n && sqrtPriceX96 !== sqrtPriceLimitX96) {
      const sqrtPriceStartX96 = sqrtPriceX96
      const next = nextInitializedTickWithinOneWord(this.tickBitmap, tick, tickSpacing, zeroForOne)
      let tickNext = next.tickNext
      if (tickNext < MIN_TICK) tickNext = MIN_TICK
      else if (tickNext > MAX_TICK) tickNext = MAX_TICK
      const sqrtPriceNextX96 = sqrtRatioAtTickCached(tickNext)
      const target = (zeroForOne ? sqrtPriceNextX96 < sqrtPriceLimitX96 : sqrtPriceNextX96 > sqrtPriceLimitX96)
        ? sqrtPriceLimitX96
        : sqrtPriceNextX96
      const step = this.#step
      computeSwapStepFast(
        step,
        sqrtPriceX96,
        target,
        liquidity,
        amountSpecifiedRemaining,
        fee,
        this.#feePipsBig,
        this.#feeComplementPips,
      )
      sqrtPriceX96 = step.sqrtRatioNextX96
      let feeAmount = step.feeAmount
      feeTotal += feeAmount
      if (exactInput) {
        amountSpecifiedRemaining -= step.amountIn + feeAmount
        amountCalculated -= step.amountOut
      } else {
        amountSpecifiedRemaining += step.amountOut
        amountCalculated += step.amountIn + feeAmount
      }
      if (feeProtocol > 0) {
        const delta = feeAmount / feeProtocolBig
        feeAmount -= delta
        protocolFee = (protocolFee + delta) & MAX_UINT128
      }
      // FullMath.mulDiv(feeAmount, Q128, liquidity): feeAmount·2^128 / liquidity, checked against uint256 by mulDiv's rule.
      if (liquidity > 0n) {
        const growthX128 = (feeAmount << 128n) / liquidity
        feeGrowthGlobalX128 =
          (feeGrowthGlobalX128 + (growthX128 > MAX_UINT256 ? mulDiv(feeAmount, Q128, liquidity) : growthX128)) &
          MAX_UINT256
      }
      if (sqrtPriceX96 === sqrtPriceNextX96) {
        if (next.initialized) {
          let liquidityNet = this.crossTick(
            tickNext,
            zeroForOne ? feeGrowthGlobalX128 : this.feeGrowthGlobal0X128,
            zeroForOne ? this.feeGrowthGlobal1X128 : feeGrowthGlobalX128,
          )
          ticksCrossed++
          if (zeroForOne) liquidityNet = -liquidityNet
          liquidity = addDelta(liquidity, liquidityNet, 'swap')
        }
        tick = zeroForOne ? tickNext - 1 : tickNext
      } else if (sqrtPriceX96 !== sqrtPriceStartX96) {
        tick = tickAtSqrtRatioFast(sqrtPriceX96)
      }
    }

    slot0.sqrtPriceX96 = sqrtPriceX96
    slot0.tick = tick
    if (liquidityStart !== liquidity) this.liquidity = liquidity
    if (zeroForOne) {
      this.feeGrowthGlobal0X128 = feeGrowthGlobalX128
      if (protocolFee > 0n) this.protocolFees.token0 = (this.protocolFees.token0 + protocolFee) & MAX_UINT128
    } else {
      this.feeGrowthGlobal1X128 = feeGrowthGlobalX128
      if (protocolFee > 0n) this.protocolFees.token1 = (this.protocolFees.token1 + protocolFee) & MAX_UINT128
    }
    const [amount0, amount1] =
      zeroForOne === exactInput
        ? [amountSpecified - amountSpecifiedRemaining, amountCalculated]
        : [amountCalculated, amountSpecified - amountSpecifiedRemaining]
    return { amount0, amount1, sqrtPriceX96, liquidity, tick, feeAmount: feeTotal, ticksCrossed }
  }

  /** A deep copy (ticks, bitmap, positions): a snapshot to revert to. */
  clone(): PoolSimulator {
    const copy = new PoolSimulator({ feePips: this.feePips, tickSpacing: this.tickSpacing })
    Object.assign(copy.slot0, this.slot0)
    copy.liquidity = this.liquidity
    copy.feeGrowthGlobal0X128 = this.feeGrowthGlobal0X128
    copy.feeGrowthGlobal1X128 = this.feeGrowthGlobal1X128
    Object.assign(copy.protocolFees, this.protocolFees)
    for (const [k, v] of this.ticks) copy.ticks.set(k, { ...v })
    for (const [k, v] of this.tickBitmap) copy.tickBitmap.set(k, v)
    for (const [k, v] of this.positions) copy.positions.set(k, { ...v })
    return copy
  }

  private requireInitialized(operation: string): void {
    if (this.slot0.sqrtPriceX96 === 0n) revert(operation, 'LOK', 'slot0.sqrtPriceX96', 0n)
  }

  /** `Tick.cross`: flips fee growth outside and returns liquidityNet. */
  private crossTick(tick: number, feeGrowthGlobal0X128: bigint, feeGrowthGlobal1X128: bigint): bigint {
    const info = this.ticks.get(tick)
    if (info === undefined) return 0n
    info.feeGrowthOutside0X128 = (feeGrowthGlobal0X128 - info.feeGrowthOutside0X128) & MAX_UINT256
    info.feeGrowthOutside1X128 = (feeGrowthGlobal1X128 - info.feeGrowthOutside1X128) & MAX_UINT256
    return info.liquidityNet
  }

  /** `Tick.update`: returns whether the tick flipped between initialized and not. */
  private updateTick(tick: number, tickCurrent: number, liquidityDelta: bigint, upper: boolean): boolean {
    let info = this.ticks.get(tick)
    if (info === undefined) {
      info = emptyTick()
      this.ticks.set(tick, info)
    }
    const liquidityGrossBefore = info.liquidityGross
    const liquidityGrossAfter = addDelta(liquidityGrossBefore, liquidityDelta, 'Tick.update')
    if (liquidityGrossAfter > this.maxLiquidityPerTick)
      revert('Tick.update', 'LO', 'liquidityGross', liquidityGrossAfter)
    const flipped = (liquidityGrossAfter === 0n) !== (liquidityGrossBefore === 0n)
    if (liquidityGrossBefore === 0n) {
      if (tick <= tickCurrent) {
        info.feeGrowthOutside0X128 = this.feeGrowthGlobal0X128
        info.feeGrowthOutside1X128 = this.feeGrowthGlobal1X128
      }
      info.initialized = true
    }
    info.liquidityGross = liquidityGrossAfter
    const net = upper ? info.liquidityNet - liquidityDelta : info.liquidityNet + liquidityDelta
    if (net > MAX_INT128 || net < MIN_INT128) revert('Tick.update', 'SafeCast', 'liquidityNet', net)
    info.liquidityNet = net
    return flipped
  }

  private modifyPosition(
    operation: string,
    owner: string,
    tickLower: number,
    tickUpper: number,
    liquidityDelta: bigint,
  ): { amount0: bigint; amount1: bigint; position: PositionInfo } {
    if (!Number.isInteger(tickLower) || !Number.isInteger(tickUpper)) revert(operation, 'T', 'tickLower', tickLower)
    if (tickLower >= tickUpper) revert(operation, 'TLU', 'tickLower', tickLower)
    if (tickLower < MIN_TICK) revert(operation, 'TLM', 'tickLower', tickLower)
    if (tickUpper > MAX_TICK) revert(operation, 'TUM', 'tickUpper', tickUpper)
    const tickCurrent = this.slot0.tick
    const key = positionKey(owner, tickLower, tickUpper)
    const existing = this.positions.get(key)
    // Position.update reverts 'NP' on a zero-liquidity poke: check before touching any state.
    if (liquidityDelta === 0n && (existing === undefined || existing.liquidity === 0n)) {
      revert(operation, 'NP', 'liquidity', 0n)
    }
    if (liquidityDelta < 0n && (existing?.liquidity ?? 0n) < -liquidityDelta) {
      revert(operation, 'LS', 'amount', -liquidityDelta)
    }
    // The tick update can revert ('LO'): validate it on copies first so a revert leaves the state untouched.
    if (liquidityDelta > 0n) {
      for (const t of [tickLower, tickUpper]) {
        const gross = (this.ticks.get(t)?.liquidityGross ?? 0n) + liquidityDelta
        if (gross > this.maxLiquidityPerTick) revert('Tick.update', 'LO', 'liquidityGross', gross)
      }
      if (tickLower % this.tickSpacing !== 0) revert(operation, '', 'tickLower', tickLower)
      if (tickUpper % this.tickSpacing !== 0) revert(operation, '', 'tickUpper', tickUpper)
    }

    let flippedLower = false
    let flippedUpper = false
    if (liquidityDelta !== 0n) {
      flippedLower = this.updateTick(tickLower, tickCurrent, liquidityDelta, false)
      flippedUpper = this.updateTick(tickUpper, tickCurrent, liquidityDelta, true)
      if (flippedLower) flipTick(this.tickBitmap, tickLower, this.tickSpacing)
      if (flippedUpper) flipTick(this.tickBitmap, tickUpper, this.tickSpacing)
    }
    const inside = getFeeGrowthInside({
      tickLower,
      tickUpper,
      tickCurrent,
      feeGrowthGlobal0X128: this.feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: this.feeGrowthGlobal1X128,
      lower: this.getTick(tickLower),
      upper: this.getTick(tickUpper),
    })
    let position = existing
    if (position === undefined) {
      position = {
        liquidity: 0n,
        feeGrowthInside0LastX128: 0n,
        feeGrowthInside1LastX128: 0n,
        tokensOwed0: 0n,
        tokensOwed1: 0n,
      }
      this.positions.set(key, position)
    }
    // Position.update
    const liquidityNext = liquidityDelta === 0n ? position.liquidity : position.liquidity + liquidityDelta
    const owed0 =
      mulDiv(
        (inside.feeGrowthInside0X128 - position.feeGrowthInside0LastX128) & MAX_UINT256,
        position.liquidity,
        Q128,
      ) & MAX_UINT128
    const owed1 =
      mulDiv(
        (inside.feeGrowthInside1X128 - position.feeGrowthInside1LastX128) & MAX_UINT256,
        position.liquidity,
        Q128,
      ) & MAX_UINT128
    if (liquidityDelta !== 0n) position.liquidity = liquidityNext
    position.feeGrowthInside0LastX128 = inside.feeGrowthInside0X128
    position.feeGrowthInside1LastX128 = inside.feeGrowthInside1X128
    if (owed0 > 0n || owed1 > 0n) {
      position.tokensOwed0 = (position.tokensOwed0 + owed0) & MAX_UINT128
      position.tokensOwed1 = (position.tokensOwed1 + owed1) & MAX_UINT128
    }
    if (liquidityDelta < 0n) {
      if (flippedLower) this.ticks.delete(tickLower)
      if (flippedUpper) this.ticks.delete(tickUpper)
    }

    let amount0 = 0n
    let amount1 = 0n
    if (liquidityDelta !== 0n) {
      if (tickCurrent < tickLower) {
        amount0 = getAmount0DeltaSigned(
          sqrtRatioAtTickCached(tickLower),
          sqrtRatioAtTickCached(tickUpper),
          liquidityDelta,
        )
      } else if (tickCurrent < tickUpper) {
        amount0 = getAmount0DeltaSigned(this.slot0.sqrtPriceX96, sqrtRatioAtTickCached(tickUpper), liquidityDelta)
        amount1 = getAmount1DeltaSigned(sqrtRatioAtTickCached(tickLower), this.slot0.sqrtPriceX96, liquidityDelta)
        this.liquidity = addDelta(this.liquidity, liquidityDelta, operation)
      } else {
        amount1 = getAmount1DeltaSigned(
          sqrtRatioAtTickCached(tickLower),
          sqrtRatioAtTickCached(tickUpper),
          liquidityDelta,
        )
      }
    }
    return { amount0, amount1, position }
  }
}
