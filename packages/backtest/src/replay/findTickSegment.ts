import type { PoolSimulator } from '../pool/poolSimulator.js'
import { nextInitializedTickWithinOneWord } from '../pool/tickBitmap.js'

/**
 * The segment [lower, upper) of constant active liquidity that holds `tick`: `lower` is the highest initialized tick
 * ≤ tick, `upper` the lowest initialized tick > tick (searched word by word through the bitmap; ±887272 when none).
 */
export function findTickSegment(pool: PoolSimulator, tick: number): { lower: number; upper: number } {
  const spacing = pool.tickSpacing
  let lower = -887272
  let cursor = tick
  while (cursor >= -887272) {
    const next = nextInitializedTickWithinOneWord(pool.tickBitmap, cursor, spacing, true)
    if (next.initialized) {
      lower = next.tickNext
      break
    }
    cursor = next.tickNext - 1
  }
  let upper = 887272
  cursor = tick
  while (cursor < 887272) {
    const next = nextInitializedTickWithinOneWord(pool.tickBitmap, cursor, spacing, false)
    if (next.initialized) {
      upper = next.tickNext
      break
    }
    cursor = next.tickNext
  }
  return { lower, upper }
}
