import type { Provider } from 'ethers'
import { TwapDeviationError } from '../errors/chain.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { readPoolState } from './readPoolState.js'
import { readTwapTick } from './readTwapTick.js'

export type AssertTwapDeviationErrorType =
  | TwapDeviationError
  | InvalidParameterError
  | import('../errors/chain.js').TwapUnavailableError
  | import('../errors/chain.js').ChainReadError

/** Pure check: throws `TwapDeviationError` when |spotTick − twapTick| > maxDeviationTicks. */
export function checkTwapDeviation(p: {
  spotTick: number
  twapTick: number
  windowSec: number
  maxDeviationTicks: number
}): void {
  if (!Number.isInteger(p.maxDeviationTicks) || p.maxDeviationTicks < 0) {
    throw new InvalidParameterError({
      field: 'maxDeviationTicks',
      value: p.maxDeviationTicks,
      rule: 'a non-negative integer',
    })
  }
  if (Math.abs(p.spotTick - p.twapTick) > p.maxDeviationTicks) throw new TwapDeviationError(p)
}

/**
 * Reads slot0's tick and the `windowSec` TWAP tick at the same block and refuses (TwapDeviationError) when they are
 * further apart than `maxDeviationTicks`. Returns both ticks.
 */
export async function assertTwapDeviation(
  provider: Provider,
  p: { pool: string; windowSec: number; maxDeviationTicks: number },
): Promise<{ spotTick: number; twapTick: number; blockNumber: number }> {
  const state = await readPoolState(provider, p.pool)
  const twapTick = await readTwapTick(provider, { pool: p.pool, windowSec: p.windowSec, blockTag: state.blockNumber })
  checkTwapDeviation({ spotTick: state.tick, twapTick, windowSec: p.windowSec, maxDeviationTicks: p.maxDeviationTicks })
  return { spotTick: state.tick, twapTick, blockNumber: state.blockNumber }
}
