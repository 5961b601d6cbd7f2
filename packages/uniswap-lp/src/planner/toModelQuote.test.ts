import { describe, expect, it } from 'vitest'
import { modelQuoteFromAs, modelQuoteFromDepths } from './toModelQuote.js'

describe('model quote adapters', () => {
  it('AS: passes r and the depths through with the mid', () => {
    expect(modelQuoteFromAs(100, { reservationPrice: 99, bidDepth: 1.5, askDepth: 0.5 })).toEqual({
      midPrice: 100,
      reservationPrice: 99,
      bidDepth: 1.5,
      askDepth: 0.5,
    })
  })
  it('GLFT: the centre of bid 98 and ask 101 is 99.5 = 100 + (1 − 2)/2', () => {
    const q = modelQuoteFromDepths({ midPrice: 100, bidDepthPrice: 2, askDepthPrice: 1 })
    expect(q.reservationPrice).toBe(99.5)
    expect(q.midPrice - q.bidDepth).toBe(98)
    expect(q.midPrice + q.askDepth).toBe(101)
  })
})
