import { UniswapLpError } from './base.js'
import { formatValue } from './format.js'

export type TickNotAlignedErrorType = TickNotAlignedError & { name: 'TickNotAlignedError' }

/** A tick is not a multiple of the pool's tick spacing (the pool reverts with `TLM`/`TUM` style checks in the periphery). */
export class TickNotAlignedError extends UniswapLpError {
  override name = 'TickNotAlignedError' as const
  readonly field: string
  readonly value: number
  readonly tickSpacing: number

  constructor({ field, value, tickSpacing }: { field: string; value: number; tickSpacing: number }) {
    super(`${field} = ${value} is not a multiple of tickSpacing ${tickSpacing}.`, {
      code: 'TICK_NOT_ALIGNED',
      metaMessages: [
        `Next: snap ${field} with floorTick/ceilTick/nearestUsableTick(${value}, ${tickSpacing}) before minting.`,
      ],
    })
    this.field = field
    this.value = value
    this.tickSpacing = tickSpacing
  }
}

export type TickOrderErrorType = TickOrderError & { name: 'TickOrderError' }

/** `tickLower >= tickUpper` (the pool reverts with `TLU`). */
export class TickOrderError extends UniswapLpError {
  override name = 'TickOrderError' as const
  readonly tickLower: number
  readonly tickUpper: number

  constructor({ tickLower, tickUpper, field = 'tickLower' }: { tickLower: number; tickUpper: number; field?: string }) {
    super(`${field} = ${tickLower} must be below tickUpper = ${tickUpper}.`, {
      code: 'TICK_ORDER',
      metaMessages: ['Next: pass tickLower < tickUpper (a range must span at least one tick spacing).'],
    })
    this.tickLower = tickLower
    this.tickUpper = tickUpper
  }
}

export type TickOutOfRangeErrorType = TickOutOfRangeError & { name: 'TickOutOfRangeError' }

/** A tick is outside [MIN_TICK, MAX_TICK] or not an integer (TickMath reverts with `T`). */
export class TickOutOfRangeError extends UniswapLpError {
  override name = 'TickOutOfRangeError' as const
  readonly field: string
  readonly value: unknown

  constructor({ field, value, min, max }: { field: string; value: unknown; min: number; max: number }) {
    super(`${field} = ${formatValue(value)} is not an integer tick in [${min}, ${max}].`, {
      code: 'TICK_OUT_OF_RANGE',
      metaMessages: [`Next: pass an integer ${field} within [${min}, ${max}] (v3-core TickMath bounds).`],
    })
    this.field = field
    this.value = value
  }
}

export type SqrtPriceOutOfRangeErrorType = SqrtPriceOutOfRangeError & { name: 'SqrtPriceOutOfRangeError' }

/** A sqrt price is outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO) (TickMath reverts with `R`). */
export class SqrtPriceOutOfRangeError extends UniswapLpError {
  override name = 'SqrtPriceOutOfRangeError' as const
  readonly field: string
  readonly value: bigint

  constructor({ field, value, min, max }: { field: string; value: bigint; min: bigint; max: bigint }) {
    super(`${field} = ${value}n is outside [${min}n, ${max}n).`, {
      code: 'SQRT_PRICE_OUT_OF_RANGE',
      metaMessages: [`Next: pass a Q64.96 ${field} in [MIN_SQRT_RATIO, MAX_SQRT_RATIO).`],
    })
    this.field = field
    this.value = value
  }
}
