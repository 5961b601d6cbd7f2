import type { Order, OrderState } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { numberToDecimalString } from './numberToDecimalString.js'

const VENUE = 'deribit'

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
 * A Deribit order object (private/buy `order`, user.orders, get_open_orders…) → `Order`. The label is the client order
 * id. Amounts stay in Deribit's unit for the instrument (base coin for linear perps and options, USD for inverse).
 */
export function parseDeribitOrder(data: unknown): Order {
  if (data === null || typeof data !== 'object')
    throw new MalformedFrameError({ venue: VENUE, field: 'order', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  const filled = num(o, 'filled_amount')
  const postOnly = o.post_only === true
  const tif = str(o, 'time_in_force')
  const price = o.price
  return {
    venue: VENUE,
    symbol: str(o, 'instrument_name'),
    orderId: str(o, 'order_id'),
    clientOrderId: typeof o.label === 'string' ? o.label : '',
    side: str(o, 'direction') === 'buy' ? 'buy' : 'sell',
    price: typeof price === 'number' ? numberToDecimalString(price, 'price') : '0',
    sizeBase: numberToDecimalString(num(o, 'amount'), 'amount'),
    filledSizeBase: numberToDecimalString(filled, 'filled_amount'),
    avgFillPrice: numberToDecimalString(typeof o.average_price === 'number' ? o.average_price : 0, 'average_price'),
    timeInForce: postOnly ? 'postOnly' : tif === 'immediate_or_cancel' ? 'ioc' : tif === 'fill_or_kill' ? 'fok' : 'gtc',
    reduceOnly: o.reduce_only === true,
    state: mapDeribitOrderState(str(o, 'order_state'), filled),
    tsExchangeMs: num(o, 'last_update_timestamp'),
    raw: data,
  }
}
