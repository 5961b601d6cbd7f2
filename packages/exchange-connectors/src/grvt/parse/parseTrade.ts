import type { Trade } from '../../common/types/marketData.js'
import { readGrvtBoolean, readGrvtDecimal, readGrvtNanosToMs, readGrvtObject, readGrvtString } from './readGrvtField.js'

/** A GRVT `v1.trade` feed → `Trade` (`is_taker_buyer` must be a boolean: the aggressor side is never guessed). */
export function parseGrvtTrade(data: unknown, receivedAtNs: bigint): Trade {
  const feed = readGrvtObject(data, 'feed')
  return {
    venue: 'grvt',
    symbol: readGrvtString(feed.instrument, 'feed.instrument'),
    tradeId: readGrvtString(feed.trade_id, 'feed.trade_id'),
    price: readGrvtDecimal(feed.price, 'feed.price'),
    sizeBase: readGrvtDecimal(feed.size, 'feed.size'),
    side: readGrvtBoolean(feed.is_taker_buyer, 'feed.is_taker_buyer') ? 'buy' : 'sell',
    tsExchangeMs: readGrvtNanosToMs(feed.event_time, 'feed.event_time'),
    tsLocalNs: receivedAtNs,
    raw: data,
  }
}
