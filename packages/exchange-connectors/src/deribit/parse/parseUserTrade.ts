import type { Fill } from '../../common/types/account.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { inverseAmountUsdToSizeBase } from '../amount/inverseAmountUsdToSizeBase.js'
import { isInverseInstrumentName } from './isInverseInstrumentName.js'
import { numberToDecimalString } from './numberToDecimalString.js'

/** A Deribit fill; on inverse instruments `sizeQuote` is Deribit's USD `amount` (undefined otherwise). */
export type DeribitFill = Fill & { readonly sizeQuote: string | undefined }

/**
 * One element of `user.trades.*` (or the `trades` of private/buy) → `DeribitFill`. Inverse instruments: `sizeBase` =
 * USD `amount` / fill `price`, truncated toward zero at 12 decimals; the fee is in the coin (`fee_currency`).
 */
export function parseDeribitUserTrade(data: unknown): DeribitFill {
  if (data === null || typeof data !== 'object')
    throw new MalformedFrameError({ venue: 'deribit', field: 'trade', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  for (const key of ['price', 'amount', 'fee', 'timestamp'])
    if (typeof o[key] !== 'number')
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a number' })
  for (const key of ['instrument_name', 'order_id', 'trade_id', 'direction', 'fee_currency'])
    if (typeof o[key] !== 'string')
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a string' })
  const symbol = o.instrument_name as string
  const price = numberToDecimalString(o.price as number, 'price')
  const amount = numberToDecimalString(o.amount as number, 'amount')
  const inverse = isInverseInstrumentName(symbol)
  return {
    venue: 'deribit',
    symbol,
    orderId: o.order_id as string,
    clientOrderId: typeof o.label === 'string' ? o.label : '',
    tradeId: o.trade_id as string,
    side: o.direction === 'buy' ? 'buy' : 'sell',
    price,
    sizeBase: inverse ? inverseAmountUsdToSizeBase(amount, price) : amount,
    fee: numberToDecimalString(o.fee as number, 'fee'),
    feeAsset: o.fee_currency as string,
    isMaker: o.liquidity === 'M',
    tsExchangeMs: o.timestamp as number,
    raw: data,
    sizeQuote: inverse ? amount : undefined,
  }
}
