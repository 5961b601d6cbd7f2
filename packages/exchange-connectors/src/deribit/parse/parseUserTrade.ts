import type { Fill } from '../../common/types/account.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { numberToDecimalString } from './numberToDecimalString.js'

/** One element of `user.trades.*` (or the `trades` of private/buy) → `Fill`. */
export function parseDeribitUserTrade(data: unknown): Fill {
  if (data === null || typeof data !== 'object')
    throw new MalformedFrameError({ venue: 'deribit', field: 'trade', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  for (const key of ['price', 'amount', 'fee', 'timestamp'])
    if (typeof o[key] !== 'number')
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a number' })
  for (const key of ['instrument_name', 'order_id', 'trade_id', 'direction', 'fee_currency'])
    if (typeof o[key] !== 'string')
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a string' })
  return {
    venue: 'deribit',
    symbol: o.instrument_name as string,
    orderId: o.order_id as string,
    clientOrderId: typeof o.label === 'string' ? o.label : '',
    tradeId: o.trade_id as string,
    side: o.direction === 'buy' ? 'buy' : 'sell',
    price: numberToDecimalString(o.price as number, 'price'),
    sizeBase: numberToDecimalString(o.amount as number, 'amount'),
    fee: numberToDecimalString(o.fee as number, 'fee'),
    feeAsset: o.fee_currency as string,
    isMaker: o.liquidity === 'M',
    tsExchangeMs: o.timestamp as number,
    raw: data,
  }
}
