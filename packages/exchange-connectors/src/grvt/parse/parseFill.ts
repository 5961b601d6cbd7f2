import type { Fill } from '../../common/types/account.js'
import {
  failGrvtField,
  readGrvtBoolean,
  readGrvtDecimal,
  readGrvtNanosToMs,
  readGrvtObject,
  readGrvtSignedDecimal,
  readGrvtString,
} from './readGrvtField.js'

/**
 * A GRVT `v1.fill` feed → `Fill`. `is_buyer` and `is_taker` must be booleans (a fill without a side is malformed, never
 * guessed), sizes/prices finite decimals, the fee a signed decimal (rebates are negative), `event_time` unix ns.
 */
export function parseGrvtFill(data: unknown): Fill {
  const feed = readGrvtObject(data, 'feed')
  let clientOrderId = ''
  if (feed.client_order_id !== undefined) {
    clientOrderId = readGrvtString(feed.client_order_id, 'feed.client_order_id')
    if (!/^\d{1,20}$/.test(clientOrderId)) failGrvtField('feed.client_order_id', 'is not a uint64 decimal string')
  }
  return {
    venue: 'grvt',
    symbol: readGrvtString(feed.instrument, 'feed.instrument'),
    orderId: readGrvtString(feed.order_id, 'feed.order_id'),
    clientOrderId,
    tradeId: readGrvtString(feed.trade_id, 'feed.trade_id'),
    side: readGrvtBoolean(feed.is_buyer, 'feed.is_buyer') ? 'buy' : 'sell',
    price: readGrvtDecimal(feed.price, 'feed.price'),
    sizeBase: readGrvtDecimal(feed.size, 'feed.size'),
    fee: readGrvtSignedDecimal(feed.fee, 'feed.fee'),
    feeAsset: 'USDT',
    isMaker: !readGrvtBoolean(feed.is_taker, 'feed.is_taker'),
    tsExchangeMs: readGrvtNanosToMs(feed.event_time, 'feed.event_time'),
    raw: data,
  }
}
