import type { InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import type { InvalidParameterError } from '../errors/parameter.js'
import type { AggressorSide, ArrivalSample, PriceSample, TradeSample } from './types.js'
import { assertAggressorSide, assertArray, assertSamplePrice, assertSampleTsNs } from './validateCalibrationInput.js'

export type ComputeArrivalDepthsParameters = {
  /** Trades in non-decreasing `tsNs` order. */
  readonly trades: readonly TradeSample[]
  /** Mid prices (`price` = (bid + ask)/2) in non-decreasing `tsNs` order, on the same clock as `trades`. */
  readonly mids: readonly PriceSample[]
}

export type ComputeArrivalDepthsReturnType = {
  /** One arrival per matched trade, in trade order; `depthPrice` in price units (may be negative). */
  readonly arrivals: readonly ArrivalSample[]
  /** Trades with no mid strictly before them (they are at the start of `trades` and are not in `arrivals`). */
  readonly unmatchedTradeCount: number
}

export type ComputeArrivalDepthsErrorType = InvalidParameterError | InvalidSampleError | UnsortedTimestampsError

/**
 * Depth at which each trade arrived, measured from the mid prevailing **before** it (the latest mid with `tsNs` strictly
 * less than the trade's; a mid stamped at the same instant may already contain the trade's own effect):
 * buy-initiated `price − mid`, sell-initiated `mid − price`, in price units.
 *
 * Use exchange timestamps for both series when the venue provides them (Binance `T`): the bookTicker and trade streams
 * arrive with different latencies, and local receive times put many trades behind an already-updated mid.
 *
 * @throws InvalidParameterError (not arrays), InvalidSampleError / UnsortedTimestampsError naming `trades[i]…` or `mids[i]…`.
 */
export function computeArrivalDepths({ trades, mids }: ComputeArrivalDepthsParameters): ComputeArrivalDepthsReturnType {
  assertArray('trades', trades, 'an array of { tsNs, price, aggressorSide }')
  assertArray('mids', mids, 'an array of { tsNs, price }')
  let previousTsNs: bigint | undefined
  for (let i = 0; i < mids.length; i++) {
    const m = mids[i]!
    assertSampleTsNs(`mids[${i}].tsNs`, i, m.tsNs, previousTsNs)
    assertSamplePrice(`mids[${i}].price`, i, m.price)
    previousTsNs = m.tsNs
  }
  previousTsNs = undefined
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]!
    assertSampleTsNs(`trades[${i}].tsNs`, i, t.tsNs, previousTsNs)
    assertSamplePrice(`trades[${i}].price`, i, t.price)
    assertAggressorSide(`trades[${i}].aggressorSide`, i, t.aggressorSide)
    previousTsNs = t.tsNs
  }
  const arrivals: ArrivalSample[] = []
  let unmatchedTradeCount = 0
  let next = 0
  for (const t of trades) {
    while (next < mids.length && mids[next]!.tsNs < t.tsNs) next++
    if (next === 0) {
      unmatchedTradeCount++
      continue
    }
    arrivals.push({ tsNs: t.tsNs, depthPrice: arrivalDepthPrice(t.price, mids[next - 1]!.price, t.aggressorSide) })
  }
  return { arrivals, unmatchedTradeCount }
}

/** Depth of one trade from a mid, in price units: buy `price − mid`, sell `mid − price`. */
export function arrivalDepthPrice(tradePrice: number, midPrice: number, aggressorSide: AggressorSide): number {
  return aggressorSide === 'buy' ? tradePrice - midPrice : midPrice - tradePrice
}
