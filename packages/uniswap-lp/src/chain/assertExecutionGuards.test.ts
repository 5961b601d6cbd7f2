import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertExecutionGuards } from './assertExecutionGuards.js'
import type { ExecutionGuards } from './executionContext.js'

const valid: ExecutionGuards = {
  expectedChainId: 1n,
  slippageBps: 50,
  deadlineSec: 300,
  twap: { windowSec: 600, maxDeviationTicks: 100 },
  gasLimitPaddingBps: 3_000,
  receiptTimeoutMs: 120_000,
  receiptPollIntervalMs: 1_000,
}

describe('assertExecutionGuards', () => {
  it('accepts a complete, sane guard set (zero deviation and zero padding are allowed)', () => {
    expect(() => assertExecutionGuards(valid)).not.toThrow()
    expect(() =>
      assertExecutionGuards({ ...valid, twap: { windowSec: 60, maxDeviationTicks: 0 }, gasLimitPaddingBps: 0 }),
    ).not.toThrow()
  })

  it.each([
    ['slippageBps', { ...valid, slippageBps: -1 }],
    ['expectedChainId', { ...valid, expectedChainId: 0n }],
    ['deadlineSec', { ...valid, deadlineSec: 0 }],
    ['twap.windowSec', { ...valid, twap: { windowSec: Number.NaN, maxDeviationTicks: 100 } }],
    ['twap.maxDeviationTicks', { ...valid, twap: { windowSec: 600, maxDeviationTicks: -5 } }],
    ['gasLimitPaddingBps', { ...valid, gasLimitPaddingBps: 0.5 }],
    ['receiptTimeoutMs', { ...valid, receiptTimeoutMs: 0 }],
    ['receiptPollIntervalMs', { ...valid, receiptPollIntervalMs: -20 }],
  ])('rejects a bad %s naming the field', (field, guards) => {
    try {
      assertExecutionGuards(guards as ExecutionGuards)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidParameterError)
      expect((error as InvalidParameterError).field).toBe(field)
    }
  })
})
