import { InvalidParameterError } from '../errors/parameter.js'
import { assertSlippageBps } from './applySlippage.js'
import type { ExecutionGuards } from './executionContext.js'

export type AssertExecutionGuardsErrorType = InvalidParameterError

const isPositiveInteger = (value: number) => Number.isInteger(value) && value > 0

/** Rejects guard settings that would silently disable a check (NaN, negative, zero windows or timeouts). */
export function assertExecutionGuards(guards: ExecutionGuards): void {
  assertSlippageBps(guards.slippageBps)
  if (guards.expectedChainId <= 0n) {
    throw new InvalidParameterError({
      field: 'expectedChainId',
      value: guards.expectedChainId,
      rule: 'a positive chain id',
    })
  }
  const positive: [string, number][] = [
    ['deadlineSec', guards.deadlineSec],
    ['twap.windowSec', guards.twap.windowSec],
    ['receiptTimeoutMs', guards.receiptTimeoutMs],
    ['receiptPollIntervalMs', guards.receiptPollIntervalMs],
  ]
  for (const [field, value] of positive) {
    if (!isPositiveInteger(value)) throw new InvalidParameterError({ field, value, rule: 'a positive integer' })
  }
  const nonNegative: [string, number][] = [
    ['twap.maxDeviationTicks', guards.twap.maxDeviationTicks],
    ['gasLimitPaddingBps', guards.gasLimitPaddingBps],
  ]
  for (const [field, value] of nonNegative) {
    if (!Number.isInteger(value) || value < 0)
      throw new InvalidParameterError({ field, value, rule: 'a non-negative integer' })
  }
}
