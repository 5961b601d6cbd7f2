import { SqrtPriceOutOfRangeError, TickOutOfRangeError } from '../errors/tick.js'
import { MAX_UINT256 } from './constants.js'

/** The smallest tick a v3 pool accepts: log_1.0001(2^-128). */
export const MIN_TICK = -887272
/** The largest tick a v3 pool accepts: log_1.0001(2^128). */
export const MAX_TICK = 887272
/** getSqrtRatioAtTick(MIN_TICK). */
export const MIN_SQRT_RATIO = 4295128739n
/** getSqrtRatioAtTick(MAX_TICK). */
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n

// Q128.128 values of 1/sqrt(1.0001)^(2^i) for i = 0..19, the constants of v3-core TickMath (facts of the protocol).
const RATIO_FACTORS: readonly bigint[] = [
  0xfffcb933bd6fad37aa2d162d1a594001n,
  0xfff97272373d413259a46990580e213an,
  0xfff2e50f5f656932ef12357cf3c7fdccn,
  0xffe5caca7e10e4e61c3624eaa0941cd0n,
  0xffcb9843d60f6159c9db58835c926644n,
  0xff973b41fa98c081472e6896dfb254c0n,
  0xff2ea16466c96a3843ec78b326b52861n,
  0xfe5dee046a99a2a811c461f1969c3053n,
  0xfcbe86c7900a88aedcffc83b479aa3a4n,
  0xf987a7253ac413176f2b074cf7815e54n,
  0xf3392b0822b70005940c7a398e4b70f3n,
  0xe7159475a2c29b7443b29c7fa6e889d9n,
  0xd097f3bdfd2022b8845ad8f792aa5825n,
  0xa9f746462d870fdf8a65dc1f90e061e5n,
  0x70d869a156d2a1b890bb3df62baf32f7n,
  0x31be135f97d08fd981231505542fcfa6n,
  0x9aa508b5b7a84e1c677de54f3e99bc9n,
  0x5d6af8dedb81196699c329225ee604n,
  0x2216e584f5fa1ea926041bedfe98n,
  0x48a170391f7dc42444e8fa2n,
]

/**
 * `TickMath.getSqrtRatioAtTick` (v3-core): sqrt(1.0001^tick) as a Q64.96, rounded up, bit-identical to the contract.
 * @throws TickOutOfRangeError when `tick` is not an integer in [MIN_TICK, MAX_TICK] (the contract reverts `T`).
 */
export function getSqrtRatioAtTick(tick: number): bigint {
  if (!Number.isInteger(tick) || tick < MIN_TICK || tick > MAX_TICK) {
    throw new TickOutOfRangeError({ field: 'tick', value: tick, min: MIN_TICK, max: MAX_TICK })
  }
  const absTick = tick < 0 ? -tick : tick
  let ratio = (absTick & 1) !== 0 ? (RATIO_FACTORS[0] as bigint) : 1n << 128n
  for (let bit = 1; bit < 20; bit++) {
    if ((absTick & (1 << bit)) !== 0) ratio = (ratio * (RATIO_FACTORS[bit] as bigint)) >> 128n
  }
  if (tick > 0) ratio = MAX_UINT256 / ratio
  // Q128.128 -> Q64.96, rounding up so that getTickAtSqrtRatio(getSqrtRatioAtTick(t)) === t.
  return (ratio >> 32n) + ((ratio & 0xffffffffn) === 0n ? 0n : 1n)
}

/**
 * `TickMath.getTickAtSqrtRatio` (v3-core): the greatest tick with getSqrtRatioAtTick(tick) <= sqrtPriceX96.
 * Same log2 fixed-point algorithm and constants as the contract, on native bigint.
 * @throws SqrtPriceOutOfRangeError when sqrtPriceX96 is outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO) (the contract reverts `R`).
 */
export function getTickAtSqrtRatio(sqrtPriceX96: bigint): number {
  if (sqrtPriceX96 < MIN_SQRT_RATIO || sqrtPriceX96 >= MAX_SQRT_RATIO) {
    throw new SqrtPriceOutOfRangeError({
      field: 'sqrtPriceX96',
      value: sqrtPriceX96,
      min: MIN_SQRT_RATIO,
      max: MAX_SQRT_RATIO,
    })
  }
  const ratio = sqrtPriceX96 << 32n // Q128.128
  const msb = BigInt(ratio.toString(2).length - 1)
  let r = msb >= 128n ? ratio >> (msb - 127n) : ratio << (127n - msb)
  let log2 = (msb - 128n) << 64n
  for (let bit = 63n; bit >= 50n; bit--) {
    r = (r * r) >> 127n
    const f = r >> 128n
    log2 |= f << bit
    r >>= f
  }
  const logSqrt10001 = log2 * 255738958999603826347141n // 128.128 number
  const tickLow = Number((logSqrt10001 - 3402992956809132418596140100660247210n) >> 128n)
  const tickHigh = Number((logSqrt10001 + 291339464771989622907027621153398088495n) >> 128n)
  if (tickLow === tickHigh) return tickLow
  return getSqrtRatioAtTick(tickHigh) <= sqrtPriceX96 ? tickHigh : tickLow
}
