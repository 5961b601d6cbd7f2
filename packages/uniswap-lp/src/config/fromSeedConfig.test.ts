import { describe, expect, it } from 'vitest'
import { UnknownFeeTierError } from '../errors/feeTier.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { fromSeedConfig } from './fromSeedConfig.js'

const seed = { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'GLFT' as const }

describe('fromSeedConfig', () => {
  it('maps the seed values', () => {
    const c = fromSeedConfig(seed, { minIntervalMs: 3_600_000 })
    expect(c.feePips).toBe(500)
    expect(c.tickSpacing).toBe(10)
    expect(c.modelType).toBe('GLFT')
    expect(c.planner.minBaseHalfWidthTicks).toBe(199) // 1.0001^199 ≥ 1.02 > 1.0001^198
    expect(c.policy.inventoryThreshold).toBe(0.1)
    expect(c.policy.inventoryHysteresis).toBe(0.05)
    expect(c.policy.minIntervalMs).toBe(3_600_000)
  })
  it('rejects an unknown fee tier, model or threshold', () => {
    expect(() => fromSeedConfig({ ...seed, FEE_TIER: 0.002 }, { minIntervalMs: 0 })).toThrow(UnknownFeeTierError)
    expect(() => fromSeedConfig({ ...seed, MODEL_TYPE: 'XX' as 'AS' }, { minIntervalMs: 0 })).toThrow(/MODEL_TYPE/)
    expect(() => fromSeedConfig({ ...seed, REBALANCE_THRESHOLD: 0 }, { minIntervalMs: 0 })).toThrow(
      InvalidParameterError,
    )
    expect(() => fromSeedConfig({ ...seed, BASE_SPREAD: -1 }, { minIntervalMs: 0 })).toThrow(InvalidParameterError)
  })
})
