import { InvalidParameterError } from '../errors/parameter.js'

export type ApplySlippageErrorType = InvalidParameterError

/** Minimum acceptable amount: floor(amount × (10 000 − slippageBps) / 10 000). */
export function applySlippage(amountRaw: bigint, slippageBps: number): bigint {
  assertSlippageBps(slippageBps)
  return (amountRaw * BigInt(10_000 - slippageBps)) / 10_000n
}

/** slippageBps must be an integer in [0, 10 000]. */
export function assertSlippageBps(slippageBps: number): void {
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > 10_000) {
    throw new InvalidParameterError({ field: 'slippageBps', value: slippageBps, rule: 'an integer in [0, 10000]' })
  }
}
