import { describe, expect, it } from 'vitest'
import { fromSeedConfig } from '../src/config/fromSeedConfig.js'
import type { Holdings } from '../src/manager/computeHoldings.js'
import { decideLpAction } from '../src/manager/decideLpAction.js'
import { estimateExpectedGainUsd } from '../src/manager/estimateExpectedGain.js'
import { type PriceOrientation, priceToSqrtPriceX96 } from '../src/math/priceTick.js'
import { getTickAtSqrtRatio } from '../src/math/tickMath.js'
import { createRebalancePolicyState } from '../src/policy/createRebalancePolicyState.js'

// USDC (6 decimals) = token0, WETH (18) = token1, the base token; 2000 USDC per WETH.
const orientation: PriceOrientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 }
const sqrtPriceX96 = priceToSqrtPriceX96('2000', orientation)
const tick = getTickAtSqrtRatio(sqrtPriceX96)
const seed = fromSeedConfig(
  { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
  { minIntervalMs: 0 },
)

/** Wallet-only holdings: 6000 USDC + 1 WETH (value share of WETH = 2000 / 8000 = 0.25). */
const holdings: Holdings = {
  blockNumber: 1,
  sqrtPriceX96,
  tick,
  wallet0Raw: 6000n * 10n ** 6n,
  wallet1Raw: 10n ** 18n,
  positions: [],
  fees0Raw: 0n,
  fees1Raw: 0n,
  total0Raw: 6000n * 10n ** 6n,
  total1Raw: 10n ** 18n,
}

const base = {
  nowMs: 1_000,
  holdings,
  baseRange: null,
  feePips: 500,
  orientation,
  policyState: createRebalancePolicyState(),
  policyConfig: seed.policy,
  planner: seed.planner,
  quote: null,
  rangeHalfWidthHint: null,
  expectedGainUsd: 0,
  gasCostUsd: 0,
}

describe('decideLpAction: one inventory target, the policy, the planner and the range-width hint', () => {
  it('the deviation is the value share of the base token minus the one target (0.25 − 0.5 and 0.25 − 0.25)', () => {
    expect(decideLpAction({ ...base, targetBaseShare: 0.5 }).inventoryDeviation).toBeCloseTo(-0.25, 9)
    expect(decideLpAction({ ...base, targetBaseShare: 0.25 }).inventoryDeviation).toBeCloseTo(0, 9)
  })

  it('no position → rebalance with a base range around the pool price (no quote) and the seed BASE_SPREAD width', () => {
    const r = decideLpAction({ ...base, targetBaseShare: 0.5 })
    expect(r.decision.reason).toBe('NO_POSITION')
    const b = r.request!.mints[0]!
    expect(r.request!.mints[0]!.role).toBe('base')
    expect(b.tickLower).toBeLessThanOrEqual(tick - 199)
    expect(b.tickUpper).toBeGreaterThanOrEqual(tick + 199)
    expect(r.request!.close).toEqual([])
  })

  it('the suggestRange hint widens the base to at least that many ticks each side (ticks, or bps as the hedger emits it)', () => {
    const r = decideLpAction({ ...base, targetBaseShare: 0.5, rangeHalfWidthHint: { ticks: 1500 } })
    const b = r.request!.mints[0]!
    expect(b.tickLower).toBeLessThanOrEqual(tick - 1500)
    expect(b.tickUpper).toBeGreaterThanOrEqual(tick + 1500)
    // 1000 bps = ±10 %: ln(1.1)/ln(1.0001) = 953.1… → at least 954 ticks each side.
    const q = decideLpAction({ ...base, targetBaseShare: 0.5, rangeHalfWidthHint: { bps: 1000 } }).request!.mints[0]!
    expect(q.tickLower).toBeLessThanOrEqual(tick - 954)
    expect(q.tickUpper).toBeGreaterThanOrEqual(tick + 954)
    // A hint narrower than BASE_SPREAD's 199 ticks does not narrow the base.
    const n = decideLpAction({ ...base, targetBaseShare: 0.5, rangeHalfWidthHint: { ticks: 20 } }).request!.mints[0]!
    expect(n.tickUpper - n.tickLower).toBeGreaterThanOrEqual(2 * 199)
  })

  it('in range and on target → hold; gas above the expected gain blocks an out-of-range rebalance', () => {
    const inRange = { tickLower: tick - 1000, tickUpper: tick + 1000 }
    expect(decideLpAction({ ...base, targetBaseShare: 0.25, baseRange: inRange }).decision.reason).toBe('IN_RANGE')
    const out = { tickLower: tick + 100, tickUpper: tick + 1000 }
    const blocked = decideLpAction({
      ...base,
      targetBaseShare: 0.25,
      baseRange: out,
      expectedGainUsd: 1,
      gasCostUsd: 5,
      policyConfig: { ...seed.policy, minGainToGasRatio: 1 },
    })
    expect(blocked.decision.reason).toBe('GAS_EXCEEDS_GAIN')
    expect(blocked.request).toBeNull()
  })

  it('expected gain: the trailing hour of fees × 24, as the backtester estimates it', () => {
    const samples = [
      { tsMs: 0, feesUsd: 0 },
      { tsMs: 1_800_000, feesUsd: 3 },
      { tsMs: 3_600_000, feesUsd: 5 },
      { tsMs: 5_400_000, feesUsd: 9 },
    ]
    // Window (1.8e6, 5.4e6]: from the sample at 1.8e6 (3 USD) to 9 USD → 6 × 24.
    expect(estimateExpectedGainUsd(samples, 5_400_000)).toBe(144)
    expect(estimateExpectedGainUsd(samples.slice(0, 2), 1_800_000)).toBe(72)
    expect(estimateExpectedGainUsd([], 0)).toBe(0)
  })
})
