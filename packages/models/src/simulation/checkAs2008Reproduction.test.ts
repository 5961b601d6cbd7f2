import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import type { As2008PublishedRow } from './as2008PublishedTables.js'
import { checkAs2008Reproduction } from './checkAs2008Reproduction.js'

// Published γ = 0.1 inventory row: spread 1.49, profit 65.0 ± 6.6, q_T std 2.9.
// Tolerances by hand: profit 3 · 6.6 / √1000 = 0.626131 ; spread 0.02 ; std(Profit) 0.15 · 6.6 = 0.99 ;
// std(q_T) 0.15 · 2.9 = 0.435.
const row: As2008PublishedRow = {
  gammaPerPrice: 0.1,
  strategy: 'inventory',
  averageSpread: 1.49,
  meanProfit: 65,
  stdProfit: 6.6,
  meanFinalQ: 0.08,
  stdFinalQ: 2.9,
}
const good = { averageSpread: 1.5, meanProfit: 65.6, stdProfit: 7.5, meanFinalQ: 3, stdFinalQ: 3.3 }

describe('checkAs2008Reproduction (§1.4 rule)', () => {
  it('accepts values just inside every tolerance (mean q_T is not part of the rule)', () => {
    const r = checkAs2008Reproduction(good, row, 1000)
    expect(r.ok).toBe(true)
    expect(r.checks.map((c) => [c.metric, Number(c.tolerance.toFixed(6))])).toEqual([
      ['meanProfit', 0.626131],
      ['averageSpread', 0.02],
      ['stdProfit', 0.99],
      ['stdFinalQ', 0.435],
    ])
  })

  it.each([
    ['meanProfit', { meanProfit: 64.3 }],
    ['averageSpread', { averageSpread: 1.515 }],
    ['stdProfit', { stdProfit: 5.5 }],
    ['stdFinalQ', { stdFinalQ: 3.4 }],
  ] as const)('rejects %s just outside', (metric, patch) => {
    const r = checkAs2008Reproduction({ ...good, ...patch }, row, 1000)
    expect(r.ok).toBe(false)
    expect(r.checks.filter((c) => !c.ok).map((c) => c.metric)).toEqual([metric])
  })

  it('rejects a bad path count and a non-finite simulated value', () => {
    expect(() => checkAs2008Reproduction(good, row, 1)).toThrow(InvalidParameterError)
    expect(() => checkAs2008Reproduction({ ...good, stdProfit: Number.NaN }, row, 1000)).toThrow(
      expect.objectContaining({ field: 'simulated.stdProfit' }),
    )
  })
})
