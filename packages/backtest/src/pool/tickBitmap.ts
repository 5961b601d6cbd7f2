import { PoolRevertError } from '../errors/pool.js'
import { leastSignificantBit, mostSignificantBit } from './bitMath.js'

/** The pool's `tickBitmap`: int16 word position → uint256 word, one bit per compressed (tick / tickSpacing) tick. */
export type TickBitmap = Map<number, bigint>

const MAX_UINT256 = (1n << 256n) - 1n

/** Masks by bit position, built once: bits 0..bitPos (at or below) and bitPos..255 (at or above). */
const MASK_AT_OR_BELOW: readonly bigint[] = Array.from(
  { length: 256 },
  (_, b) => (1n << BigInt(b)) - 1n + (1n << BigInt(b)),
)
const MASK_AT_OR_ABOVE: readonly bigint[] = Array.from(
  { length: 256 },
  (_, b) => ~((1n << BigInt(b)) - 1n) & MAX_UINT256,
)

function compress(tick: number, tickSpacing: number): number {
  // Solidity int24 division truncates toward zero; round toward negative infinity.
  let compressed = Math.trunc(tick / tickSpacing)
  if (tick < 0 && tick % tickSpacing !== 0) compressed--
  return compressed
}

/** `TickBitmap.flipTick` (v3-core): toggles the initialized bit of `tick` (a multiple of `tickSpacing`). */
export function flipTick(bitmap: TickBitmap, tick: number, tickSpacing: number): void {
  if (tick % tickSpacing !== 0) {
    throw new PoolRevertError({
      operation: 'TickBitmap.flipTick',
      revertReason: '',
      field: 'tick',
      value: String(tick),
    })
  }
  const compressed = tick / tickSpacing
  const wordPos = compressed >> 8
  const bitPos = BigInt(compressed & 0xff)
  const word = (bitmap.get(wordPos) ?? 0n) ^ (1n << bitPos)
  if (word === 0n) bitmap.delete(wordPos)
  else bitmap.set(wordPos, word)
}

export type NextInitializedTick = { tickNext: number; initialized: boolean }

/**
 * `TickBitmap.nextInitializedTickWithinOneWord` (v3-core): the next initialized tick at or below (`lte`) or above
 * `tick`, looking only inside the current 256-bit word; otherwise the word boundary with `initialized: false`.
 */
export function nextInitializedTickWithinOneWord(
  bitmap: TickBitmap,
  tick: number,
  tickSpacing: number,
  lte: boolean,
): NextInitializedTick {
  const compressed = compress(tick, tickSpacing)
  if (lte) {
    const wordPos = compressed >> 8
    const bitPos = compressed & 0xff
    const mask = MASK_AT_OR_BELOW[bitPos]!
    const masked = (bitmap.get(wordPos) ?? 0n) & mask
    const initialized = masked !== 0n
    const tickNext = initialized
      ? (compressed - (bitPos - mostSignificantBit(masked))) * tickSpacing
      : (compressed - bitPos) * tickSpacing
    return { tickNext, initialized }
  }
  const next = compressed + 1
  const wordPos = next >> 8
  const bitPos = next & 0xff
  const mask = MASK_AT_OR_ABOVE[bitPos]!
  const masked = (bitmap.get(wordPos) ?? 0n) & mask
  const initialized = masked !== 0n
  const tickNext = initialized
    ? (next + (leastSignificantBit(masked) - bitPos)) * tickSpacing
    : (next + (255 - bitPos)) * tickSpacing
  return { tickNext, initialized }
}
