import { bench, describe } from 'vitest'
import { BookSide } from './BookSide.js'

// Building and tearing down a 2 000-level side (the depth of a Binance futures snapshot), random price order: BookSide's
// binary-search insert against the obvious peer, an array re-sorted after every insert.
const N = 2000
const prices: bigint[] = []
let seed = 12345
for (let i = 0; i < N; i++) {
  seed = (seed * 1103515245 + 12345) % 2147483648
  prices.push(200_000n + BigInt(seed % 100_000))
}

describe('price-level insert + remove, 2 000 levels', () => {
  bench('BookSide (binary insert)', () => {
    const side = new BookSide('BUY')
    for (const p of prices) side.getOrCreate(p).externalLots = 1n
    for (const p of prices) {
      const level = side.get(p)
      if (level) {
        level.externalLots = 0n
        side.pruneIfEmpty(level)
      }
    }
  })

  bench('sorted array re-sorted on insert (peer)', () => {
    const levels = new Map<bigint, bigint>()
    let sorted: bigint[] = []
    for (const p of prices) {
      if (!levels.has(p)) {
        levels.set(p, 1n)
        sorted.push(p)
        sorted.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))
      }
    }
    for (const p of prices) {
      if (levels.delete(p)) sorted = sorted.filter((x) => x !== p)
    }
  })
})
