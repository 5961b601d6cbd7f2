import { computeAsQuote } from '@alp/models'
import { describe, expect, it } from 'vitest'
import { fromSeedConfig } from '../config/fromSeedConfig.js'
import { priceToSqrtPriceX96, priceToTick } from '../math/priceTick.js'
import { getTickAtSqrtRatio } from '../math/tickMath.js'
import { planRanges } from './planRanges.js'
import { modelQuoteFromAs } from './toModelQuote.js'

// The real @alp/models AS quote feeding the planner (USDC/WETH 0.05 %, token0 = USDC).
describe('planRanges with an @alp/models Avellaneda–Stoikov quote', () => {
  const orientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 } as const
  const seed = fromSeedConfig(
    { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
    { minIntervalMs: 0 },
  )
  const sqrtPriceX96 = priceToSqrtPriceX96('2000', orientation)
  const pool = { sqrtPriceX96, tick: getTickAtSqrtRatio(sqrtPriceX96), feePips: seed.feePips }

  it('long inventory: r = s − qγσ²τ below the mid, base centred on it, the limit sells ETH', () => {
    // Hand: r = 2000 − 1 · 0.01 · 40² · 1 = 1984; ψ = γσ²τ + (2/γ)·ln(1 + γ/k) = 16 + 200·ln 1.1 ≈ 35.06.
    const as = computeAsQuote({
      gammaPerPrice: 0.01,
      sigmaPerSqrtTime: 40,
      kPerPrice: 0.1,
      midPrice: 2000,
      q: 1,
      timeToHorizon: 1,
    })
    expect(as.reservationPrice).toBeCloseTo(1984, 9)
    expect(as.spread).toBeCloseTo(16 + 200 * Math.log(1.1), 9)
    const plan = planRanges({
      quote: modelQuoteFromAs(2000, as),
      pool,
      orientation,
      balances: { amount0Raw: 1000n * 10n ** 6n, amount1Raw: 2n * 10n ** 18n },
      config: { ...seed.planner, minBaseHalfWidthTicks: 0 },
      inventoryTarget: { baseShare: 0.5 },
    })
    expect(plan.centerTick).toBe(priceToTick(1984, orientation))
    // Edges r ± ψ/2 = 1966.47 / 2001.53 (USD per ETH) → ticks inverted and snapped outward to the spacing 10.
    const lowUsd = as.reservationPrice - as.spread / 2
    const highUsd = as.reservationPrice + as.spread / 2
    expect(plan.base.tickLower).toBe(Math.floor(priceToTick(highUsd, orientation) / 10) * 10)
    expect(plan.base.tickUpper).toBe(Math.ceil((priceToTick(lowUsd, orientation) + 1) / 10) * 10)
    expect(plan.limit?.side).toBe('below') // holds ETH (token1), sells it as ETH rises
    expect(plan.limit?.amount1Raw).toBeGreaterThan(10n ** 18n)
  })
})
