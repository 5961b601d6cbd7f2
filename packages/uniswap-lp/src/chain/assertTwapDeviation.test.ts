import { describe, expect, it } from 'vitest'
import { TwapDeviationError } from '../errors/chain.js'
import { checkTwapDeviation } from './assertTwapDeviation.js'

describe('checkTwapDeviation', () => {
  it('passes at the bound and refuses one tick beyond it, in both directions', () => {
    expect(() =>
      checkTwapDeviation({ spotTick: 150, twapTick: 50, windowSec: 600, maxDeviationTicks: 100 }),
    ).not.toThrow()
    expect(() =>
      checkTwapDeviation({ spotTick: -50, twapTick: 50, windowSec: 600, maxDeviationTicks: 100 }),
    ).not.toThrow()
    expect(() => checkTwapDeviation({ spotTick: 151, twapTick: 50, windowSec: 600, maxDeviationTicks: 100 })).toThrow(
      TwapDeviationError,
    )
    expect(() => checkTwapDeviation({ spotTick: -51, twapTick: 50, windowSec: 600, maxDeviationTicks: 100 })).toThrow(
      TwapDeviationError,
    )
  })

  it('names spot, TWAP, window and bound in the error', () => {
    try {
      checkTwapDeviation({ spotTick: -199_796, twapTick: -200_180, windowSec: 600, maxDeviationTicks: 100 })
      expect.unreachable()
    } catch (error) {
      const e = error as TwapDeviationError
      expect(e.code).toBe('TWAP_DEVIATION')
      expect(e.shortMessage).toBe('Spot tick -199796 deviates from the 600s TWAP tick -200180 by 384 ticks (max 100).')
    }
  })
})
