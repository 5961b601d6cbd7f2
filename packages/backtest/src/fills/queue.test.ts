import { describe, expect, it } from 'vitest'
import { powerProbQueue } from './powerProbQueue.js'
import { riskAverseQueue } from './riskAverseQueue.js'

describe('queue position models (hand-worked)', () => {
  it('risk-averse: only trades and shrinking below our place move us', () => {
    const q = riskAverseQueue()
    const p = q.newOrder(100) // 100 lots ahead
    q.depth(p, 100, 150) // 50 join behind: nothing changes
    expect(p.front).toBe(100)
    q.depth(p, 150, 80) // level shrinks to 80 < 100 ahead: at most 80 can be ahead now
    expect(p.front).toBe(80)
    q.trade(p, 90) // 90 trade at our price: the 80 ahead and 10 of ours
    expect(q.filledLots(p, 25)).toBe(10)
  })

  it('power-prob n = 1: a cancel of 30 with 60 ahead and 40 behind takes 30·40/100 = 12 from ahead', () => {
    const q = powerProbQueue({ exponent: 1 })
    const p = { front: 60, back: 40 }
    q.depth(p, 100, 70)
    expect(p.front).toBeCloseTo(48, 12)
    expect(p.back).toBeCloseTo(22, 12)
  })

  it('power-prob n = 2: weight 40²/(40² + 60²) = 1600/5200 → 30·0.307692… = 9.2307… from ahead', () => {
    const q = powerProbQueue({ exponent: 2 })
    const p = { front: 60, back: 40 }
    q.depth(p, 100, 70)
    expect(p.front).toBeCloseTo(60 - (30 * 1600) / 5200, 12)
    expect(() => powerProbQueue({ exponent: 0 })).toThrow(/queue.exponent/)
  })
})
