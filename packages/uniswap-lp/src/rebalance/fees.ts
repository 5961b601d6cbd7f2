import { maxBigInt as max, minBigInt as min } from '../internal/bigintMinMax.js'

/** EIP-1559 fee fields for one transaction. */
export type FeeFields = { readonly maxFeePerGasWei: bigint; readonly maxPriorityFeePerGasWei: bigint }

/**
 * Fees for a new transaction under a cap (pure). `required` = base fee + priority fee is what inclusion in the next
 * block needs; above the cap the result is `{ aboveCap: true }` (the caller waits or fails, never pays more).
 * Otherwise maxFee = min(2 × base fee + priority, cap): the usual headroom for two full blocks, clamped.
 */
export function chooseFees(p: {
  baseFeePerGasWei: bigint
  priorityFeePerGasWei: bigint
  maxFeePerGasCapWei: bigint
}): ({ aboveCap: false } & FeeFields) | { aboveCap: true; requiredFeePerGasWei: bigint } {
  const required = p.baseFeePerGasWei + p.priorityFeePerGasWei
  if (required > p.maxFeePerGasCapWei) return { aboveCap: true, requiredFeePerGasWei: required }
  const wanted = 2n * p.baseFeePerGasWei + p.priorityFeePerGasWei
  const maxFee = min(wanted, p.maxFeePerGasCapWei)
  return { aboveCap: false, maxFeePerGasWei: maxFee, maxPriorityFeePerGasWei: p.priorityFeePerGasWei }
}

/** old + 10 % + 1 wei (rounded up): the minimum bump nodes accept for a same-nonce replacement. */
export function minReplacementFee(oldWei: bigint): bigint {
  return oldWei + (oldWei + 9n) / 10n + 1n
}

/**
 * Fees for replacing a stuck transaction (pure): both fields ≥ old + 10 % + 1 wei, and at least what the chain needs
 * now. Null when the bumped max fee would exceed the cap (the caller keeps waiting for the old one instead).
 */
export function bumpFees(p: {
  previous: FeeFields
  baseFeePerGasWei: bigint
  priorityFeePerGasWei: bigint
  maxFeePerGasCapWei: bigint
}): FeeFields | null {
  const priority = max(minReplacementFee(p.previous.maxPriorityFeePerGasWei), p.priorityFeePerGasWei)
  const maxFee = max(minReplacementFee(p.previous.maxFeePerGasWei), 2n * p.baseFeePerGasWei + priority)
  const cappedMaxFee = min(maxFee, p.maxFeePerGasCapWei)
  if (cappedMaxFee < minReplacementFee(p.previous.maxFeePerGasWei)) return null
  if (cappedMaxFee < p.baseFeePerGasWei + priority) return null
  return { maxFeePerGasWei: cappedMaxFee, maxPriorityFeePerGasWei: priority }
}
