import { InvalidConfigError } from '../errors/config.js'
import type { LatencyModel } from './types.js'

/** One recorded round trip: when the order was sent (local), when the venue stamped it, when the answer arrived. */
export type LatencySample = { tsRequestNs: bigint; tsExchangeNs: bigint; tsResponseNs: bigint }

/**
 * Latency interpolated linearly in time between recorded round trips (hftbacktest's `IntpOrderLatency`): entry =
 * exchange − request, response = response − exchange, held flat before the first and after the last sample.
 * Samples must be sorted by request time.
 */
export function interpolatedLatency(samples: readonly LatencySample[]): LatencyModel {
  if (samples.length === 0)
    throw new InvalidConfigError({ field: 'latency.samples', value: '[]', rule: 'at least one sample' })
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!
    if (i > 0 && s.tsRequestNs < samples[i - 1]!.tsRequestNs) {
      throw new InvalidConfigError({
        field: `latency.samples[${i}].tsRequestNs`,
        value: String(s.tsRequestNs),
        rule: 'sorted ascending',
      })
    }
    if (s.tsExchangeNs < s.tsRequestNs || s.tsResponseNs < s.tsExchangeNs) {
      throw new InvalidConfigError({
        field: `latency.samples[${i}]`,
        value: `${s.tsRequestNs}/${s.tsExchangeNs}/${s.tsResponseNs}`,
        rule: 'request ≤ exchange ≤ response',
      })
    }
  }
  const at = (tsNs: bigint, pick: (s: LatencySample) => bigint): bigint => {
    let lo = 0
    let hi = samples.length - 1
    if (tsNs <= samples[0]!.tsRequestNs) return pick(samples[0]!)
    if (tsNs >= samples[hi]!.tsRequestNs) return pick(samples[hi]!)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (samples[mid]!.tsRequestNs <= tsNs) lo = mid
      else hi = mid
    }
    const a = samples[lo]!
    const b = samples[hi]!
    const span = b.tsRequestNs - a.tsRequestNs
    if (span === 0n) return pick(a)
    return pick(a) + ((pick(b) - pick(a)) * (tsNs - a.tsRequestNs)) / span
  }
  return {
    kind: 'interpolated',
    entryNs: (ts) => at(ts, (s) => s.tsExchangeNs - s.tsRequestNs),
    responseNs: (ts) => at(ts, (s) => s.tsResponseNs - s.tsExchangeNs),
  }
}
