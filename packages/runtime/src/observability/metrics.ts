import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/**
 * Every Prometheus metric of the runtime, defined in this one place. Units are in the names (`_seconds`, `_base`,
 * `_usd`, `_total` for counters), as Prometheus' naming guide asks; help texts say what is counted.
 */
export function createMetrics(registry: Registry = new Registry()) {
  // Gauges read from the running deployment's status are refreshed when scraped (once per scrape, not per gauge).
  const refreshers = new Set<() => void>()
  let refreshedMs = Number.NEGATIVE_INFINITY
  const collect = (): void => {
    const now = Date.now()
    if (now - refreshedMs < 50) return
    refreshedMs = now
    for (const refresh of refreshers) refresh()
  }
  const lagBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
  return {
    registry,
    /**
     * Runs `refresh` when the status-derived gauges are scraped (PnL parts, reservation price, optimal spread, LP
     * holdings and fees): it sets them from the current state. Returns the removal.
     */
    onScrape(refresh: () => void): () => void {
      refreshers.add(refresh)
      return () => {
        refreshers.delete(refresh)
      }
    },
    quotesTotal: new Counter({
      name: 'alp_quotes_total',
      help: 'Quotes the hedger decided (one per side per decision), by venue and side.',
      labelNames: ['venue', 'side'] as const,
      registers: [registry],
    }),
    ordersTotal: new Counter({
      name: 'alp_orders_total',
      help: 'Order commands sent to venues, by venue, action (place, amend, cancel, cancelAll) and outcome (ok, rejected, unknown).',
      labelNames: ['venue', 'action', 'outcome'] as const,
      registers: [registry],
    }),
    openOrders: new Gauge({
      name: 'alp_open_orders',
      help: 'Our working orders on a venue, as the hedger sees them.',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fillsTotal: new Counter({
      name: 'alp_fills_total',
      help: 'Fills of our orders, by venue and side.',
      labelNames: ['venue', 'side'] as const,
      registers: [registry],
    }),
    filledBaseTotal: new Counter({
      name: 'alp_filled_base_total',
      help: 'Filled size of our orders, base units, by venue and side.',
      labelNames: ['venue', 'side'] as const,
      registers: [registry],
    }),
    netExposureBase: new Gauge({
      name: 'alp_net_exposure_base',
      help: 'Net exposure (LP base holdings minus target, plus CEX positions), base units.',
      registers: [registry],
    }),
    positionBase: new Gauge({
      name: 'alp_position_base',
      help: 'Position on a venue (signed, long > 0), base units.',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    pnlUsd: new Gauge({
      name: 'alp_pnl_usd',
      help: 'PnL by part (lp_fees, impermanent_loss, gas, hedge, fees_paid, total), USD.',
      labelNames: ['part'] as const,
      registers: [registry],
      collect,
    }),
    haltsTotal: new Counter({
      name: 'alp_halts_total',
      help: 'Halts of quoting, by scope (venue id or all) and reason (operatorKill, positionLimit, staleMarketData, …).',
      labelNames: ['scope', 'reason'] as const,
      registers: [registry],
    }),
    halted: new Gauge({
      name: 'alp_halted',
      help: '1 while quoting is halted on a scope (venue id or all), by reason; 0 otherwise.',
      labelNames: ['scope', 'reason'] as const,
      registers: [registry],
    }),
    quoteSpreadBps: new Gauge({
      name: 'alp_quote_spread_bps',
      help: 'Our working ask minus our working bid on a venue over its mid, basis points (absent while a side is missing).',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    reservationPrice: new Gauge({
      name: 'alp_reservation_price_quote',
      help: 'The model’s reservation price on a venue (mid shifted by the net exposure), quote units per base.',
      labelNames: ['venue'] as const,
      registers: [registry],
      collect,
    }),
    optimalSpreadBps: new Gauge({
      name: 'alp_optimal_spread_bps',
      help: 'The model’s optimal spread (bid depth + ask depth) on a venue over its mid, basis points.',
      labelNames: ['venue'] as const,
      registers: [registry],
      collect,
    }),
    lpHoldingsTokens: new Gauge({
      name: 'alp_lp_holdings_tokens',
      help: 'LP holdings (positions, uncollected fees and idle balance) by token (base, quote), whole tokens.',
      labelNames: ['token'] as const,
      registers: [registry],
      collect,
    }),
    lpValueUsd: new Gauge({
      name: 'alp_lp_value_usd',
      help: 'LP holdings valued at the pool price, USD.',
      registers: [registry],
      collect,
    }),
    lpUncollectedFeesTokens: new Gauge({
      name: 'alp_lp_uncollected_fees_tokens',
      help: 'Fees owed to the LP positions, not yet collected, by token (base, quote), whole tokens.',
      labelNames: ['token'] as const,
      registers: [registry],
      collect,
    }),
    errorsTotal: new Counter({
      name: 'alp_errors_total',
      help: 'Failures the roles reported (refused commands, venue and stream errors), by role.',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    feedLagSeconds: new Histogram({
      name: 'alp_feed_lag_seconds',
      help: 'Market-data lag: local receive time minus the venue event time, seconds, by venue.',
      labelNames: ['venue'] as const,
      buckets: lagBuckets,
      registers: [registry],
    }),
    busLagSeconds: new Histogram({
      name: 'alp_bus_lag_seconds',
      help: 'Bus lag: delivery time minus publish time of a message, seconds, by topic.',
      labelNames: ['topic'] as const,
      buckets: lagBuckets,
      registers: [registry],
    }),
  }
}

export type RuntimeMetrics = ReturnType<typeof createMetrics>
