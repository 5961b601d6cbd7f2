import type { Order, OrderState } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { inverseAmountUsdToSizeBase } from '../amount/inverseAmountUsdToSizeBase.js'
import { isInverseInstrumentName } from './isInverseInstrumentName.js'
import { numberToDecimalString } from './numberToDecimalString.js'
import {
  readDeribitEnum,
  readDeribitNumber,
  readDeribitObject,
  readDeribitOptionalBoolean,
  readDeribitOptionalString,
  readDeribitSafeInteger,
  readDeribitString,
} from './readDeribitField.js'

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

/** Deribit `order_type` values (the API's enum). */
const ORDER_TYPES = [
  'limit',
  'market',
  'stop_limit',
  'stop_market',
  'take_limit',
  'take_market',
  'market_limit',
  'trailing_stop',
] as const
const TIME_IN_FORCE = ['good_til_cancelled', 'good_til_day', 'fill_or_kill', 'immediate_or_cancel'] as const
const ORDER_STATES = ['open', 'filled', 'rejected', 'cancelled', 'untriggered'] as const

/**
 * A Deribit order object (private/buy `order`, user.orders, get_open_orders…) → `DeribitOrder`. The label is the
 * client order id. Linear instruments and options: amounts are base coin as sent. Inverse instruments: `sizeBase` =
 * `amount` / limit price and `filledSizeBase` = `filled_amount` / `average_price`, each truncated toward zero at 12
 * decimals (`inverseAmountUsdToSizeBase`); the USD amounts stay in `sizeQuote` / `filledSizeQuote` and `raw`.
 *
 * Every field is checked: `direction` (`buy|sell`, exactly), `order_state`, `order_type` (when sent), `time_in_force`
 * are Deribit's enums; `amount` ≥ 0, 0 ≤ `filled_amount` ≤ `amount`, `price` > 0 (or `"market_price"`),
 * `average_price` ≥ 0, all finite; `last_update_timestamp` a safe integer; `post_only`/`reduce_only` booleans.
 * @throws MalformedFrameError naming the first bad field, or on an inverse order with neither a limit nor an average
 * price.
 */
export function parseDeribitOrder(data: unknown): DeribitOrder {
  const o = readDeribitObject(data, 'order')
  const symbol = readDeribitString(o, 'instrument_name')
  const orderId = readDeribitString(o, 'order_id')
  const side = readDeribitEnum(o, 'direction', ['buy', 'sell'] as const)
  const orderState = readDeribitEnum(o, 'order_state', ORDER_STATES)
  if (o.order_type !== undefined) readDeribitEnum(o, 'order_type', ORDER_TYPES)
  const tif = readDeribitEnum(o, 'time_in_force', TIME_IN_FORCE)
  const amountNumber = readDeribitNumber(o, 'amount', 'nonNegative')
  const filled = readDeribitNumber(o, 'filled_amount', 'nonNegative')
  if (filled > amountNumber)
    throw new MalformedFrameError({ venue: VENUE, field: 'filled_amount', reason: 'is larger than amount' })
  const postOnly = readDeribitOptionalBoolean(o, 'post_only') === true
  const reduceOnly = readDeribitOptionalBoolean(o, 'reduce_only') === true
  const label = readDeribitOptionalString(o, 'label') ?? ''
  const tsExchangeMs = readDeribitSafeInteger(o, 'last_update_timestamp')
  let price: string | undefined
  if (o.price !== undefined && o.price !== 'market_price')
    price = numberToDecimalString(readDeribitNumber(o, 'price', 'positive'), 'price')
  const avgFillPrice =
    o.average_price === undefined
      ? '0'
      : numberToDecimalString(readDeribitNumber(o, 'average_price', 'nonNegative'), 'average_price')
  const amount = numberToDecimalString(amountNumber, 'amount')
  const filledAmount = numberToDecimalString(filled, 'filled_amount')
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
    orderId,
    clientOrderId: label,
    side,
    price: price ?? '0',
    sizeBase,
    filledSizeBase,
    avgFillPrice,
    timeInForce: postOnly ? 'postOnly' : tif === 'immediate_or_cancel' ? 'ioc' : tif === 'fill_or_kill' ? 'fok' : 'gtc',
    reduceOnly,
    state: mapDeribitOrderState(orderState, filled),
    tsExchangeMs,
    raw: data,
    sizeQuote: inverse ? amount : undefined,
    filledSizeQuote: inverse ? filledAmount : undefined,
  }
}
