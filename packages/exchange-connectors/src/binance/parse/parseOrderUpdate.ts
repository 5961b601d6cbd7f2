import type { Fill } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { mapBinanceOrderStatus, mapBinanceTimeInForce } from '../enums.js'
import { asObject, readBoolean, readInteger, readString, readUnsignedDecimal } from '../schemas/fields.js'

/** An order update and, for execution type TRADE, the fill it reports. */
export type OrderUpdate = { readonly order: Order; readonly fill: Fill | undefined; readonly eventTimeMs: number }

/**
 * Futures `ORDER_TRADE_UPDATE` or spot `executionReport` → `OrderUpdate`. Spot's `C` (original client id) names the
 * cancelled order on cancels.
 */
export function parseOrderUpdate(data: unknown, venue: string): OrderUpdate {
  const envelope = asObject(data, 'data', venue)
  const isFutures = envelope.e === 'ORDER_TRADE_UPDATE'
  if (!isFutures && envelope.e !== 'executionReport')
    throw new MalformedFrameError({ venue, field: 'e', reason: 'is not an order update' })
  const o = isFutures ? asObject(envelope.o, 'o', venue) : envelope
  const status = readString(o, 'X', venue)
  const state = mapBinanceOrderStatus(status)
  if (!state) throw new MalformedFrameError({ venue, field: 'X', reason: `is unknown (${status})` })
  const sideWire = readString(o, 'S', venue)
  const side = sideWire === 'BUY' ? 'buy' : sideWire === 'SELL' ? 'sell' : undefined
  if (!side) throw new MalformedFrameError({ venue, field: 'S', reason: `is ${sideWire}` })
  const symbol = readString(o, 's', venue)
  const orderId = String(readInteger(o, 'i', venue))
  const execType = readString(o, 'x', venue)
  const clientOrderId =
    !isFutures && execType === 'CANCELED' && typeof o.C === 'string' && o.C.length > 0 ? o.C : readString(o, 'c', venue)
  const filled = readUnsignedDecimal(o, 'z', venue)
  const eventTimeMs = readInteger(envelope, 'E', venue)
  const tradeTimeMs = readInteger(o, 'T', venue)
  const order: Order = {
    venue,
    symbol,
    orderId,
    clientOrderId,
    side,
    price: readUnsignedDecimal(o, 'p', venue),
    sizeBase: readUnsignedDecimal(o, 'q', venue),
    filledSizeBase: filled,
    avgFillPrice: isFutures ? readUnsignedDecimal(o, 'ap', venue) : '0',
    timeInForce: mapBinanceTimeInForce(readString(o, 'f', venue), readString(o, 'o', venue)),
    reduceOnly: isFutures ? readBoolean(o, 'R', venue) : false,
    state,
    tsExchangeMs: tradeTimeMs,
    raw: data,
  }
  const fill: Fill | undefined =
    execType === 'TRADE'
      ? {
          venue,
          symbol,
          orderId,
          clientOrderId,
          tradeId: String(readInteger(o, 't', venue)),
          side,
          price: readUnsignedDecimal(o, 'L', venue),
          sizeBase: readUnsignedDecimal(o, 'l', venue),
          fee: typeof o.n === 'string' ? o.n : '0',
          feeAsset: typeof o.N === 'string' ? o.N : '',
          isMaker: readBoolean(o, 'm', venue),
          tsExchangeMs: tradeTimeMs,
          raw: data,
        }
      : undefined
  return { order, fill, eventTimeMs }
}
