import { describe, expect, it } from 'vitest'
import { fromSeedConfig } from '../config/fromSeedConfig.js'
import { priceToSqrtPriceX96, sqrtPriceX96ToPrice } from '../math/priceTick.js'
import { computeSwapStep } from '../math/swapMath.js'
import { getSqrtRatioAtTick, getTickAtSqrtRatio } from '../math/tickMath.js'
import { planRanges } from './planRanges.js'

// The planned limit range really is a sell order for the excess token: push the pool price through it with v3-core's
// SwapMath and check what it pays out and takes in.
describe('the limit range fills as a one-sided order', () => {
  const orientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 } as const // USDC/WETH, token0 = USDC
  const seed = fromSeedConfig(
    { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
    { minIntervalMs: 0 },
  )
  const sqrtPriceX96 = priceToSqrtPriceX96('2000', orientation)
  const plan = planRanges({
    quote: { midPrice: 2000, reservationPrice: 1975, bidDepth: 65, askDepth: 15 },
    pool: { sqrtPriceX96, tick: getTickAtSqrtRatio(sqrtPriceX96), feePips: 500 },
    orientation,
    balances: { amount0Raw: 1000n * 10n ** 6n, amount1Raw: 2n * 10n ** 18n },
    config: seed.planner,
    inventoryTarget: { baseShare: 0.5 },
  })

  it('ETH rising through the range sells all of the limit’s ETH for USDC between its edge prices, plus the fee', () => {
    const limit = plan.limit
    if (limit === null || limit.side !== 'below') throw new Error('expected a limit below the tick')
    const upper = getSqrtRatioAtTick(limit.tickUpper)
    const lower = getSqrtRatioAtTick(limit.tickLower)
    // Traders sell USDC (token0 in, zeroForOne) from the range's upper edge down to its lower edge, with a huge input.
    const step = computeSwapStep(upper, lower, limit.liquidity, 10n ** 30n, 500)
    expect(step.sqrtRatioNextX96).toBe(lower) // crossed entirely
    // All the ETH comes out (the pool pays rounded down; the mint charged rounded up: at most 1 wei apart).
    expect(limit.amount1Raw - step.amountOut).toBeGreaterThanOrEqual(0n)
    expect(limit.amount1Raw - step.amountOut).toBeLessThanOrEqual(1n)
    // The USDC received per ETH lies between the range's edge prices (USD per ETH).
    const usdPerEth = Number(step.amountIn) / 1e6 / (Number(step.amountOut) / 1e18)
    const edgeA = sqrtPriceX96ToPrice(upper, orientation)
    const edgeB = sqrtPriceX96ToPrice(lower, orientation)
    expect(usdPerEth).toBeGreaterThan(Math.min(edgeA, edgeB))
    expect(usdPerEth).toBeLessThan(Math.max(edgeA, edgeB))
    // …and the LP also earns the 0.05 % fee on the input: ceil(amountIn · 500 / 999500).
    expect(step.feeAmount).toBe((step.amountIn * 500n + 999_499n) / 999_500n)
  })
})
