import { InvalidConfigError } from '../errors/config.js'
import type { LatencyModel } from './types.js'

/** A fixed entry and response latency. */
export function constantLatency({ entryNs, responseNs }: { entryNs: bigint; responseNs: bigint }): LatencyModel {
  if (entryNs < 0n) throw new InvalidConfigError({ field: 'latency.entryNs', value: String(entryNs), rule: '≥ 0' })
  if (responseNs < 0n)
    throw new InvalidConfigError({ field: 'latency.responseNs', value: String(responseNs), rule: '≥ 0' })
  return { kind: 'constant', entryNs: () => entryNs, responseNs: () => responseNs }
}
