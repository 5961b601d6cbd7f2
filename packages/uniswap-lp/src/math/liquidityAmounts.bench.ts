import { maxLiquidityForAmounts, SqrtPriceMath, TickMath } from '@uniswap/v3-sdk'
import { bench, describe } from 'vitest'
import { createLiquidityCases } from '../internal/benchInputs.js'
import { toJsbi } from '../internal/jsbi.js'
import { getAmountsForLiquidity, getLiquidityForAmounts } from './liquidityAmounts.js'
import { getAmount0Delta, getAmount1Delta } from './sqrtPriceMath.js'
import { getSqrtRatioAtTick } from './tickMath.js'

// Identical inputs for both sides (the parity of every result is asserted in benchParity.test.ts, not here).
const cases = createLiquidityCases(1000)
const jsbiCases = cases.map((c) => ({
  sqrtPriceX96: toJsbi(c.sqrtPriceX96),
  sqrtLowerX96: toJsbi(c.sqrtLowerX96),
  sqrtUpperX96: toJsbi(c.sqrtUpperX96),
  amount0: c.amount0Raw.toString(),
  amount1: c.amount1Raw.toString(),
  liquidity: toJsbi(c.liquidity),
}))
const ticks = cases.map((_, i) => ((i * 7919) % 1_700_000) - 850_000)

describe('liquidity for amounts (1000 cases)', () => {
  bench('@alp/uniswap-lp getLiquidityForAmounts (bigint)', () => {
    for (const c of cases)
      getLiquidityForAmounts(c.sqrtPriceX96, c.sqrtLowerX96, c.sqrtUpperX96, c.amount0Raw, c.amount1Raw)
  })
  bench('@uniswap/v3-sdk maxLiquidityForAmounts (JSBI)', () => {
    for (const c of jsbiCases)
      maxLiquidityForAmounts(c.sqrtPriceX96, c.sqrtLowerX96, c.sqrtUpperX96, c.amount0, c.amount1, false)
  })
})

describe('amounts for liquidity (1000 cases, both tokens)', () => {
  bench('@alp/uniswap-lp getAmountsForLiquidity (bigint)', () => {
    for (const c of cases) getAmountsForLiquidity(c.sqrtPriceX96, c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity)
  })
  bench('@uniswap/v3-sdk SqrtPriceMath.getAmount0/1Delta (JSBI)', () => {
    for (const c of jsbiCases) {
      SqrtPriceMath.getAmount0Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, false)
      SqrtPriceMath.getAmount1Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, false)
    }
  })
})

describe('amount deltas rounded up (1000 cases)', () => {
  bench('@alp/uniswap-lp getAmount0Delta/getAmount1Delta (bigint)', () => {
    for (const c of cases) {
      getAmount0Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, true)
      getAmount1Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, true)
    }
  })
  bench('@uniswap/v3-sdk SqrtPriceMath (JSBI)', () => {
    for (const c of jsbiCases) {
      SqrtPriceMath.getAmount0Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, true)
      SqrtPriceMath.getAmount1Delta(c.sqrtLowerX96, c.sqrtUpperX96, c.liquidity, true)
    }
  })
})

describe('getSqrtRatioAtTick (1000 ticks)', () => {
  bench('@alp/uniswap-lp (bigint)', () => {
    for (const t of ticks) getSqrtRatioAtTick(t)
  })
  bench('@uniswap/v3-sdk TickMath (JSBI)', () => {
    for (const t of ticks) TickMath.getSqrtRatioAtTick(t)
  })
})
