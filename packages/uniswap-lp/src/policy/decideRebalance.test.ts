import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { createRebalancePolicyState } from './createRebalancePolicyState.js'
import { decideRebalance } from './decideRebalance.js'
import type { DecideRebalanceParameters, RebalancePolicyConfig } from './types.js'

const config: RebalancePolicyConfig = {
  edgeBufferFraction: 0.1,
  inventoryThreshold: 0.1, // REBALANCE_THRESHOLD
  inventoryHysteresis: 0.04,
  minIntervalMs: 60_000,
  minGainToGasRatio: 1,
}
// Range [0, 1000): 10 % buffer = 100 ticks; in range for 0 ≤ tick ≤ 999.
const base: DecideRebalanceParameters = {
  nowMs: 1_000_000,
  tick: 500,
  position: { tickLower: 0, tickUpper: 1000 },
  inventoryDeviation: 0,
  expectedGainUsd: 10,
  gasCostUsd: 2,
  state: { lastRebalanceTsMs: 0, inventoryArmed: true },
  config,
}

describe('decideRebalance triggers', () => {
  it('holds in the middle of the range with inventory on target', () => {
    const d = decideRebalance(base)
    expect([d.action, d.reason]).toEqual(['hold', 'IN_RANGE'])
    expect(d.triggers).toEqual([])
    expect([d.distanceToLowerTicks, d.distanceToUpperTicks, d.edgeBufferTicks]).toEqual([500, 499, 100])
  })
  it('mints when there is no position, even inside the min interval and whatever the gas', () => {
    const d = decideRebalance({
      ...base,
      position: null,
      state: { lastRebalanceTsMs: base.nowMs, inventoryArmed: true },
      gasCostUsd: 1e9,
    })
    expect([d.action, d.reason]).toEqual(['rebalance', 'NO_POSITION'])
  })
  it('price out of range on either side (upper edge is exclusive)', () => {
    expect(decideRebalance({ ...base, tick: -1 }).reason).toBe('PRICE_OUT_OF_RANGE')
    expect(decideRebalance({ ...base, tick: 1000 }).reason).toBe('PRICE_OUT_OF_RANGE')
    expect(decideRebalance({ ...base, tick: 999 }).reason).toBe('PRICE_NEAR_EDGE')
  })
  it('price within the buffer: 99 ticks from an edge triggers, 100 does not', () => {
    expect(decideRebalance({ ...base, tick: 99 }).reason).toBe('PRICE_NEAR_EDGE')
    expect(decideRebalance({ ...base, tick: 100 }).reason).toBe('IN_RANGE')
    expect(decideRebalance({ ...base, tick: 899 }).reason).toBe('IN_RANGE') // 999 − 899 = 100
    expect(decideRebalance({ ...base, tick: 900 }).reason).toBe('PRICE_NEAR_EDGE')
  })
  it('inventory beyond the threshold on either side', () => {
    expect(decideRebalance({ ...base, inventoryDeviation: 0.11 }).reason).toBe('INVENTORY_DEVIATION')
    expect(decideRebalance({ ...base, inventoryDeviation: -0.11 }).reason).toBe('INVENTORY_DEVIATION')
    expect(decideRebalance({ ...base, inventoryDeviation: 0.1 }).reason).toBe('IN_RANGE')
  })
  it('lists every trigger, the price first', () => {
    const d = decideRebalance({ ...base, tick: -5, inventoryDeviation: 0.3 })
    expect(d.triggers).toEqual(['PRICE_OUT_OF_RANGE', 'INVENTORY_DEVIATION'])
    expect(d.reason).toBe('PRICE_OUT_OF_RANGE')
  })
})

describe('decideRebalance guards', () => {
  it('waits for the minimum interval', () => {
    const state = { lastRebalanceTsMs: base.nowMs - 59_999, inventoryArmed: true }
    const d = decideRebalance({ ...base, tick: -1, state })
    expect([d.action, d.reason, d.triggers]).toEqual(['hold', 'MIN_INTERVAL_NOT_ELAPSED', ['PRICE_OUT_OF_RANGE']])
    expect(
      decideRebalance({ ...base, tick: -1, state: { ...state, lastRebalanceTsMs: base.nowMs - 60_000 } }).action,
    ).toBe('rebalance')
  })
  it('skips when the gain does not cover gas × ratio', () => {
    expect(decideRebalance({ ...base, tick: -1, expectedGainUsd: 1.99, gasCostUsd: 2 }).reason).toBe('GAS_EXCEEDS_GAIN')
    expect(decideRebalance({ ...base, tick: -1, expectedGainUsd: 2, gasCostUsd: 2 }).action).toBe('rebalance')
    const strict = { ...config, minGainToGasRatio: 3 }
    expect(decideRebalance({ ...base, tick: -1, expectedGainUsd: 5, gasCostUsd: 2, config: strict }).reason).toBe(
      'GAS_EXCEEDS_GAIN',
    )
  })
})

describe('decideRebalance hysteresis', () => {
  it('after an inventory rebalance, the trigger re-arms only below threshold − band (0.06)', () => {
    let state = createRebalancePolicyState()
    const step = (nowMs: number, inventoryDeviation: number) => {
      const d = decideRebalance({ ...base, nowMs, inventoryDeviation, state })
      state = d.nextState
      return d
    }
    expect(step(1_000_000, 0.12).reason).toBe('INVENTORY_DEVIATION') // fires, disarms
    expect(state).toEqual({ lastRebalanceTsMs: 1_000_000, inventoryArmed: false })
    expect(step(2_000_000, 0.12).reason).toBe('INVENTORY_TRIGGER_DISARMED') // still over, no flapping
    expect(step(3_000_000, 0.07).reason).toBe('IN_RANGE') // inside the band: not re-armed yet
    expect(state.inventoryArmed).toBe(false)
    expect(step(4_000_000, 0.11).reason).toBe('INVENTORY_TRIGGER_DISARMED')
    expect(step(5_000_000, 0.05).reason).toBe('IN_RANGE') // below 0.06: re-armed
    expect(state.inventoryArmed).toBe(true)
    expect(step(6_000_000, 0.11).reason).toBe('INVENTORY_DEVIATION')
  })
  it('a hold never changes lastRebalanceTsMs and never disarms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2000, max: 3000 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000_000 }),
        (tick, dev, armed, last) => {
          const state = { lastRebalanceTsMs: last, inventoryArmed: armed }
          const d = decideRebalance({ ...base, tick, inventoryDeviation: dev, state })
          if (d.action === 'hold') {
            expect(d.nextState.lastRebalanceTsMs).toBe(last)
            if (armed) expect(d.nextState.inventoryArmed).toBe(true)
          } else {
            expect(d.nextState.lastRebalanceTsMs).toBe(base.nowMs)
            expect(d.triggers[0]).toBe(d.reason)
          }
        },
      ),
    )
  })
})

describe('decideRebalance validation', () => {
  it('rejects bad inputs with typed errors', () => {
    expect(() => decideRebalance({ ...base, nowMs: Number.NaN })).toThrow(InvalidParameterError)
    expect(() => decideRebalance({ ...base, position: { tickLower: 10, tickUpper: 10 } })).toThrow(/position/)
    expect(() => decideRebalance({ ...base, config: { ...config, inventoryHysteresis: 0.1 } })).toThrow(
      /inventoryHysteresis/,
    )
    expect(() =>
      decideRebalance({ ...base, state: { lastRebalanceTsMs: base.nowMs + 1, inventoryArmed: true } }),
    ).toThrow(/lastRebalanceTsMs/)
    expect(() => decideRebalance({ ...base, gasCostUsd: -1 })).toThrow(InvalidParameterError)
  })
})
