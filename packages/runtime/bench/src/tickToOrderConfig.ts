import type { Bbo } from '@alp/exchange-connectors'
import type { HedgerConfigInput } from '@alp/hedger'

export const T2O_VENUE = 'binance-usdm'
export const T2O_SYMBOL = 'ETHUSDT'

/**
 * The trader of the tick-to-order bench: the live hedge test's parameters, with a rate limit high enough that every
 * tick may move the quote (the bench paces ticks itself) and no dead-man re-arm or staleness in the way.
 */
export const T2O_HEDGER_CONFIG: HedgerConfigInput = {
  venues: [
    {
      venue: T2O_VENUE,
      tickSize: '0.01',
      stepSize: '0.001',
      minNotionalQuote: 20,
      maxPositionBase: 2,
      maxOrderSizeBase: 1,
      staleAfterMs: 600_000,
      deadManTimeoutMs: 600_000,
      deadManRearmMs: 300_000,
      rateLimitCapacity: 1_000,
      rateLimitRefillPerSec: 1_000,
    },
  ],
  calibration: {
    volatility: { halfLifeMs: 5_000, warmUpMs: 0, minIncrements: 1 },
    intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
  },
  hedge: { orderSizeBase: 0.1 },
  risk: { basisSampleMs: 50, maxBasisBps: 100, resumeBasisBps: 50, minCorrelation: -1 },
}

/** A best bid/offer 10 ticks wide around `midTicks` (0.01 USDT ticks), 5 ETH each side. */
export function tickBbo(midTicks: number): Bbo {
  const price = (ticks: number) => (ticks / 100).toFixed(2)
  return {
    venue: 'binance-usdm',
    symbol: T2O_SYMBOL,
    bidPrice: price(midTicks - 5),
    bidSizeBase: '5.000',
    askPrice: price(midTicks + 5),
    askSizeBase: '5.000',
    updateId: midTicks,
    tsExchangeMs: Date.now(),
    tsLocalNs: process.hrtime.bigint(),
    raw: null,
  }
}
