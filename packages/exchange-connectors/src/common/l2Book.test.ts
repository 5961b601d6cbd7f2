import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { L2Book } from './l2Book.js'

describe('L2Book', () => {
  it('keeps best levels first, deletes on size 0, ignores deletes of absent levels', () => {
    const book = new L2Book()
    book.setBid(100, 5)
    book.setBid(102, 1)
    book.setBid(101, 2)
    book.setAsk(105, 3)
    book.setAsk(103, 4)
    book.setAsk(104, 1)
    expect(book.bids()).toEqual([
      [102, 1],
      [101, 2],
      [100, 5],
    ])
    expect(book.asks(2)).toEqual([
      [103, 4],
      [104, 1],
    ])
    book.setBid(102, 0)
    book.setAsk(999, 0)
    expect(book.bestBidTicks()).toBe(101)
    expect(book.askDepth).toBe(3)
    book.setBid(101, 7)
    expect(book.bestBidLots()).toBe(7)
    expect(book.checkCrossed()).toBeUndefined()
    book.setBid(103, 1)
    expect(book.checkCrossed()?.invariant).toBe('crossed')
  })

  it('property: equals a Map-based reference model after any sequence of updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 300,
        }),
        (ops) => {
          const book = new L2Book()
          const bids = new Map<number, number>()
          const asks = new Map<number, number>()
          for (const [isBid, tick, lots] of ops) {
            const m = isBid ? bids : asks
            if (lots === 0) m.delete(tick)
            else m.set(tick, lots)
            if (isBid) book.setBid(tick, lots)
            else book.setAsk(tick, lots)
          }
          const refBids = [...bids.entries()].sort((a, b) => b[0] - a[0])
          const refAsks = [...asks.entries()].sort((a, b) => a[0] - b[0])
          expect(book.bids()).toEqual(refBids)
          expect(book.asks()).toEqual(refAsks)
          const audit = book.audit()
          return audit === undefined || audit.invariant === 'crossed'
        },
      ),
    )
  })
})
