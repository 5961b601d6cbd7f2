import { maxLiquidityForAmounts, SqrtPriceMath, TickMath } from '@uniswap/v3-sdk'
import { describe, expect, it } from 'vitest'
import { createLiquidityCases } from '../internal/benchInputs.js'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { getAmountsForLiquidity, getLiquidityForAmounts } from './liquidityAmounts.js'
import { getAmount0Delta, getAmount1Delta } from './sqrtPriceMath.js'
import { getSqrtRatioAtTick } from './tickMath.js'

// The exact inputs of liquidityAmounts.bench.ts: the speed comparison is between identical computations.
const cases = createLiquidityCases(1000)

describe('benchmark parity with @uniswap/v3-sdk on the benchmark inputs', () => {
  it('getLiquidityForAmounts = maxLiquidityForAmounts(useFullPrecision = false)', () => {
    for (const c of cases) {
      const sdk = maxLiquidityForAmounts(
        toJsbi(c.sqrtPriceX96),
        toJsbi(c.sqrtLowerX96),
        toJsbi(c.sqrtUpperX96),
        c.amount0Raw.toString(),
        c.amount1Raw.toString(),
        false,
      )
      expect(getLiquidityForAmounts(c.sqrtPriceX96, c.sqrtLowerX96, c.sqrtUpperX96, c.amount0Raw, c.amount1Raw)).toBe(
        fromJsbi(sdk),
      )
    }
  })
  it('amounts (both roundings) = SqrtPriceMath', () => {
    for (const c of cases) {
      const [a, b, l] = [toJsbi(c.sqrtLowerX96), toJsbi(c.sqrtUpperX96), toJsbi(c.liquidity)]
      for (const roundUp of [false, true]) {
        expect(getAmount0Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, roundUp)).toBe(
          fromJsbi(SqrtPriceMath.getAmount0Delta(a, b, l, roundUp)),
        )
        expect(getAmount1Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, roundUp)).toBe(
          fromJsbi(SqrtPriceMath.getAmount1Delta(a, b, l, roundUp)),
        )
      }
      const amounts = getAmountsForLiquidity(c.sqrtPriceX96, c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity)
      expect(amounts.amount0 >= 0n && amounts.amount1 >= 0n).toBe(true)
    }
  })
  it('getSqrtRatioAtTick = TickMath on the benchmark ticks', () => {
    for (let i = 0; i < cases.length; i++) {
      const t = ((i * 7919) % 1_700_000) - 850_000
      expect(getSqrtRatioAtTick(t)).toBe(fromJsbi(TickMath.getSqrtRatioAtTick(t)))
    }
  })
})
