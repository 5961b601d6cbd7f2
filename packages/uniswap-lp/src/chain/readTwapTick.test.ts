import { describe, expect, it } from 'vitest'
import { meanTickFromCumulatives } from './readTwapTick.js'

// OracleLibrary.consult (v3-periphery): int24(delta / secondsAgo), then minus one when delta < 0 and inexact.
describe('meanTickFromCumulatives', () => {
  it('exact quotients are taken as is, positive or negative', () => {
    expect(meanTickFromCumulatives(0n, 600n * 199_045n, 600)).toBe(199_045)
    expect(meanTickFromCumulatives(0n, -600n * 200_180n, 600)).toBe(-200_180)
  })

  it('positive inexact quotients truncate (7 / 2 = 3)', () => {
    expect(meanTickFromCumulatives(100n, 107n, 2)).toBe(3)
  })

  it('negative inexact quotients round toward negative infinity (-7 / 2 = -4, not -3)', () => {
    expect(meanTickFromCumulatives(107n, 100n, 2)).toBe(-4)
    expect(meanTickFromCumulatives(0n, -1n, 600)).toBe(-1)
  })

  it('works from large cumulative values (int56 range)', () => {
    const older = -(2n ** 54n)
    expect(meanTickFromCumulatives(older, older + 300n * 12n + 299n, 300)).toBe(12)
  })
})
