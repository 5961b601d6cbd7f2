/**
 * Order latency (hftbacktest's `LatencyModel`): `entryNs` is the delay from the strategy sending an order to the venue
 * acting on it; `responseNs` the delay from the venue acting to the strategy seeing the answer. Both in nanoseconds,
 * evaluated at the local send time.
 */
export type LatencyModel = {
  readonly kind: string
  readonly entryNs: (tsLocalNs: bigint) => bigint
  readonly responseNs: (tsExchangeNs: bigint) => bigint
}
