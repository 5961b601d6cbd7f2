import { InvalidParameterError } from '../errors/parameter.js'
import type { ArrivalSample } from './types.js'
import { assertArray, assertPositiveNs, assertSampleFinite, assertSampleTsNs } from './validateCalibrationInput.js'

export type AggregateArrivalsByIntervalParameters = {
  /** Arrivals in non-decreasing `tsNs` order, all at or after `originNs`. */
  readonly arrivals: readonly ArrivalSample[]
  /** Interval length in nanoseconds (hftbacktest's GLFT notebook uses 100 ms = 100_000_000n). */
  readonly intervalNs: bigint
  /** Start of the first interval; intervals are [originNs + k·intervalNs, originNs + (k+1)·intervalNs). */
  readonly originNs: bigint
}

/**
 * Collapses arrivals to one per time interval: the deepest arrival of each non-empty interval, stamped at the interval start.
 * Fitting these counts "intervals in which a quote at δ would have been hit" (hftbacktest's procedure, rate ≤ 1/interval)
 * instead of "trades reaching δ" (one aggressive order that sweeps n levels prints n trades and is counted n times).
 *
 * @throws InvalidParameterError (bad interval or origin, an arrival before `originNs`), InvalidSampleError /
 *   UnsortedTimestampsError with the index.
 */
export function aggregateArrivalsByInterval({
  arrivals,
  intervalNs,
  originNs,
}: AggregateArrivalsByIntervalParameters): readonly ArrivalSample[] {
  assertArray('arrivals', arrivals, 'an array of { tsNs, depthPrice }')
  assertPositiveNs('intervalNs', intervalNs)
  if (typeof originNs !== 'bigint' || originNs < 0n)
    throw new InvalidParameterError({ field: 'originNs', value: originNs, rule: 'a bigint >= 0n' })
  const out: ArrivalSample[] = []
  let previousTsNs: bigint | undefined
  let currentStartNs = -1n
  let currentDepth = 0
  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!
    assertSampleTsNs(`arrivals[${i}].tsNs`, i, a.tsNs, previousTsNs)
    assertSampleFinite(`arrivals[${i}].depthPrice`, i, a.depthPrice)
    if (a.tsNs < originNs)
      throw new InvalidParameterError({
        field: `arrivals[${i}].tsNs`,
        value: a.tsNs,
        rule: `>= originNs (${originNs}n)`,
      })
    previousTsNs = a.tsNs
    const startNs = originNs + ((a.tsNs - originNs) / intervalNs) * intervalNs
    if (startNs !== currentStartNs) {
      if (currentStartNs >= 0n) out.push({ tsNs: currentStartNs, depthPrice: currentDepth })
      currentStartNs = startNs
      currentDepth = a.depthPrice
    } else if (a.depthPrice > currentDepth) currentDepth = a.depthPrice
  }
  if (currentStartNs >= 0n) out.push({ tsNs: currentStartNs, depthPrice: currentDepth })
  return out
}
