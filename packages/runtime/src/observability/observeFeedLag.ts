import type { MarketDataClient } from '@alp/exchange-connectors'
import type { RuntimeMetrics } from './metrics.js'

/** What a feed-lag watch needs of a venue: its hedger id, the hedged symbol and the connector's market data. */
export type FeedLagSource = {
  readonly venue: string
  readonly symbol: string
  readonly binding: { readonly marketData: Pick<MarketDataClient, 'on' | 'off'> }
}

/**
 * Observes `alp_feed_lag_seconds{venue}` on every book, best bid/offer and trade of the hedged symbol: the local
 * receive time minus the venue's event time (both wall clocks: a skewed host clock shows here, as `alp doctor` does).
 * Events without a venue time are skipped. Returns the detach.
 */
export function observeFeedLag(
  sources: Iterable<FeedLagSource>,
  metrics: RuntimeMetrics,
  nowMs: () => number = Date.now,
): () => void {
  const detaches: (() => void)[] = []
  for (const source of sources) {
    const onEvent = (event: { symbol: string; tsExchangeMs: number }): void => {
      if (event.symbol !== source.symbol || !(event.tsExchangeMs > 0)) return
      metrics.feedLagSeconds.observe({ venue: source.venue }, Math.max(0, nowMs() - event.tsExchangeMs) / 1000)
    }
    const md = source.binding.marketData
    md.on('book', onEvent).on('bbo', onEvent).on('trade', onEvent)
    detaches.push(() => {
      md.off('book', onEvent).off('bbo', onEvent).off('trade', onEvent)
    })
  }
  return () => {
    for (const detach of detaches.splice(0)) detach()
  }
}
