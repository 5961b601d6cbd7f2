import type { Order, OrderState } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { inverseAmountUsdToSizeBase } from '../amount/inverseAmountUsdToSizeBase.js'
import { isInverseInstrumentName } from './isInverseInstrumentName.js'
import { numberToDecimalString } from './numberToDecimalString.js'

const VENUE = 'deribit'

/**
 * A Deribit order. On inverse instruments (`BTC-PERPETUAL`, `BTC-27DEC24`) Deribit's amounts are USD: they are kept in
 * `sizeQuote` / `filledSizeQuote`, and `sizeBase` / `filledSizeBase` are the coin equivalents (see `parseDeribitOrder`).
 * On linear instruments and options the two `…Quote` fields are undefined.
 */
export type DeribitOrder = Order & {
  /** Inverse only: Deribit `amount` in USD. */
  readonly sizeQuote: string | undefined
  /** Inverse only: Deribit `filled_amount` in USD. */
  readonly filledSizeQuote: string | undefined
}

function num(o: Record<string, unknown>, key: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new MalformedFrameError({ venue: VENUE, field: key, reason: 'is not a number' })
  return v
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key]
  if (typeof v !== 'string') throw new MalformedFrameError({ venue: VENUE, field: key, reason: 'is not a string' })
  return v
}

/** Deribit `order_state` (+ fill progress) → normalised state. */
export function mapDeribitOrderState(orderState: string, filledAmount: number): OrderState {
  switch (orderState) {
    case 'open':
      return filledAmount > 0 ? 'partiallyFilled' : 'new'
    case 'filled':
      return 'filled'
    case 'cancelled':
      return 'canceled'
    case 'rejected':
      return 'rejected'
    case 'untriggered':
      return 'new'
    default:
      throw new MalformedFrameError({ venue: VENUE, field: 'order_state', reason: `"${orderState}" is unknown` })
  }
}

/**
 * A Deribit order object (private/buy `order`, user.orders, get_open_orders…) → `DeribitOrder`. The label is the
 * client order id. Linear instruments and options: amounts are base coin as sent. Inverse instruments: `sizeBase` =
 * `amount` / limit price and `filledSizeBase` = `filled_amount` / `average_price`, each truncated toward zero at 12
 * decimals (`inverseAmountUsdToSizeBase`); the USD amounts stay in `sizeQuote` / `filledSizeQuote` and `raw`.
 * @throws MalformedFrameError on a missing field, or an inverse order with neither a limit nor an average price.
 */
export function parseDeribitOrder(data: unknown): DeribitOrder {
  if (data === null || typeof data !== 'object')
    throw new MalformedFrameError({ venue: VENUE, field: 'order', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  const symbol = str(o, 'instrument_name')
  const filled = num(o, 'filled_amount')
  const amount = numberToDecimalString(num(o, 'amount'), 'amount')
  const filledAmount = numberToDecimalString(filled, 'filled_amount')
  const postOnly = o.post_only === true
  const tif = str(o, 'time_in_force')
  const price = typeof o.price === 'number' ? numberToDecimalString(o.price, 'price') : undefined
  const avgFillPrice = numberToDecimalString(typeof o.average_price === 'number' ? o.average_price : 0, 'average_price')
  let sizeBase = amount
  let filledSizeBase = filledAmount
  let inverse = false
  if (isInverseInstrumentName(symbol)) {
    inverse = true
    const hasAverage = avgFillPrice !== '0'
    const sizingPrice = price ?? (hasAverage ? avgFillPrice : undefined)
    if (sizingPrice === undefined)
      throw new MalformedFrameError({
        venue: VENUE,
        field: 'price',
        reason: 'is missing on an inverse order with no fills: its base size is unknown',
      })
    if (filled > 0 && !hasAverage)
      throw new MalformedFrameError({ venue: VENUE, field: 'average_price', reason: 'is 0 on a filled inverse order' })
    sizeBase = inverseAmountUsdToSizeBase(amount, sizingPrice)
    filledSizeBase = filled > 0 ? inverseAmountUsdToSizeBase(filledAmount, avgFillPrice) : '0'
  }
  return {
    venue: VENUE,
    symbol,
    orderId: str(o, 'order_id'),
    clientOrderId: typeof o.label === 'string' ? o.label : '',
    side: str(o, 'direction') === 'buy' ? 'buy' : 'sell',
    price: price ?? '0',
    sizeBase,
    filledSizeBase,
    avgFillPrice,
    timeInForce: postOnly ? 'postOnly' : tif === 'immediate_or_cancel' ? 'ioc' : tif === 'fill_or_kill' ? 'fok' : 'gtc',
    reduceOnly: o.reduce_only === true,
    state: mapDeribitOrderState(str(o, 'order_state'), filled),
    tsExchangeMs: num(o, 'last_update_timestamp'),
    raw: data,
    sizeQuote: inverse ? amount : undefined,
    filledSizeQuote: inverse ? filledAmount : undefined,
  }
}
