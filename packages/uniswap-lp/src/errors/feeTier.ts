import { UniswapLpError } from './base.js'
import { formatValue } from './format.js'

export type UnknownFeeTierErrorType = UnknownFeeTierError & { name: 'UnknownFeeTierError' }

/** A fee tier (in pips, hundredths of a bip) that has no enabled tick spacing in the v3 factory. */
export class UnknownFeeTierError extends UniswapLpError {
  override name = 'UnknownFeeTierError' as const
  readonly field: string
  readonly value: unknown

  constructor({ field, value, known }: { field: string; value: unknown; known: readonly number[] }) {
    super(`${field} = ${formatValue(value)} is not a known fee tier (pips).`, {
      code: 'UNKNOWN_FEE_TIER',
      metaMessages: [
        `Known tiers: ${known.join(', ')} pips (500 = 0.05 %).`,
        `Next: pass one of them; convert a fraction with feePips = fraction * 1e6 (0.0005 -> 500).`,
      ],
    })
    this.field = field
    this.value = value
  }
}
