import { formatScaled, parseDecimal } from '../../common/decimal.js'
import type { Order } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { mapBinanceOrderStatus, mapBinanceTimeInForce } from '../enums.js'
import { asObject, readDecimal, readInteger, readString, readUnsignedDecimal } from '../schemas/fields.js'

/** REST order JSON (futures v1, spot v3 RESULT/FULL) → `Order`. */
export function parseOrder(data: unknown, venue: string): Order {
  const o = asObject(data, 'order', venue)
  const status = readString(o, 'status', venue)
  const state = mapBinanceOrderStatus(status)
  if (!state) throw new MalformedFrameError({ venue, field: 'status', reason: `is unknown (${status})` })
  const side = readString(o, 'side', venue)
  if (side !== 'BUY' && side !== 'SELL') throw new MalformedFrameError({ venue, field: 'side', reason: `is ${side}` })
  const executed = readUnsignedDecimal(o, 'executedQty', venue)
  let avg = typeof o.avgPrice === 'string' ? o.avgPrice : '0'
  // spot has no avgPrice: cummulativeQuoteQty / executedQty, exact decimal division rounded down to 8 decimals
  if (typeof o.avgPrice !== 'string' && typeof o.cummulativeQuoteQty === 'string') {
    const quote = parseDecimal(readDecimal(o, 'cummulativeQuoteQty', venue))
    const base = parseDecimal(executed)
    if (base.mantissa > 0n)
      avg = formatScaled(
        (quote.mantissa * 10n ** BigInt(8 + base.scale)) / (base.mantissa * 10n ** BigInt(quote.scale)),
        8,
      )
  }
  const ts = [o.updateTime, o.transactTime, o.time].find((t) => typeof t === 'number') as number | undefined
  return {
    venue,
    symbol: readString(o, 'symbol', venue),
    orderId: String(readInteger(o, 'orderId', venue)),
    clientOrderId: readString(o, 'clientOrderId', venue),
    side: side === 'BUY' ? 'buy' : 'sell',
    price: readUnsignedDecimal(o, 'price', venue),
    sizeBase: readUnsignedDecimal(o, 'origQty', venue),
    filledSizeBase: executed,
    avgFillPrice: avg,
    timeInForce: mapBinanceTimeInForce(readString(o, 'timeInForce', venue), readString(o, 'type', venue)),
    reduceOnly: o.reduceOnly === true,
    state,
    tsExchangeMs: ts ?? 0,
    raw: data,
  }
}
