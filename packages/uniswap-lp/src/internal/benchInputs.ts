import { getSqrtRatioAtTick } from '../math/tickMath.js'

/** One liquidity/amount case: a price, a range and balances (as the planner sees them). */
export type LiquidityCase = {
  sqrtPriceX96: bigint
  sqrtLowerX96: bigint
  sqrtUpperX96: bigint
  amount0Raw: bigint
  amount1Raw: bigint
  liquidity: bigint
}

/**
 * Deterministic pseudo-random cases shared by the benchmark and the parity test (a 32-bit LCG with a fixed seed,
 * so no Math.random): ticks within ±200000, ranges of 10–4000 ticks, balances up to ~1e24 raw.
 */
export function createLiquidityCases(count: number, seed = 12345): LiquidityCase[] {
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const cases: LiquidityCase[] = []
  for (let i = 0; i < count; i++) {
    const tick = Math.floor((next() - 0.5) * 400000)
    const lower = tick - 10 - Math.floor(next() * 2000)
    const upper = tick + 10 + Math.floor(next() * 2000)
    const current = tick + Math.floor((next() - 0.5) * 3000) // sometimes outside the range
    cases.push({
      sqrtPriceX96: getSqrtRatioAtTick(current),
      sqrtLowerX96: getSqrtRatioAtTick(lower),
      sqrtUpperX96: getSqrtRatioAtTick(upper),
      amount0Raw: BigInt(Math.floor(next() * 1e15)) * 10n ** 9n,
      amount1Raw: BigInt(Math.floor(next() * 1e15)) * 10n ** 9n,
      liquidity: BigInt(Math.floor(next() * 1e15)) * 10n ** 6n,
    })
  }
  return cases
}
