import type { Order, OrderState } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'

function fail(field: string, reason: string): never {
  throw new MalformedFrameError({ venue: 'grvt', field, reason })
}

/** GRVT `state.status` (+ traded size) → normalised state. */
export function mapGrvtOrderStatus(status: string, traded: string): OrderState {
  switch (status) {
    case 'PENDING':
      return 'pendingNew'
    case 'OPEN':
      return /^0(\.0+)?$/.test(traded) ? 'new' : 'partiallyFilled'
    case 'FILLED':
      return 'filled'
    case 'CANCELLED':
      return 'canceled'
    case 'REJECTED':
      return 'rejected'
    default:
      return fail('state.status', `"${status}" is unknown`)
  }
}

/** A GRVT order (full form) → `Order`. Single-leg orders only. */
export function parseGrvtOrder(data: unknown): Order {
  if (data === null || typeof data !== 'object') fail('order', 'is not an object')
  const o = data as Record<string, unknown>
  const leg = (Array.isArray(o.legs) ? o.legs[0] : undefined) as Record<string, unknown> | undefined
  const state = o.state as Record<string, unknown> | undefined
  const metadata = o.metadata as Record<string, unknown> | undefined
  if (!leg || typeof leg.instrument !== 'string' || typeof leg.size !== 'string' || typeof leg.limit_price !== 'string')
    fail('legs[0]', 'lacks instrument/size/limit_price')
  if (!state || typeof state.status !== 'string') fail('state.status', 'is missing')
  const traded = (Array.isArray(state.traded_size) ? state.traded_size[0] : undefined) ?? '0'
  const avg = (Array.isArray(state.avg_fill_price) ? state.avg_fill_price[0] : undefined) ?? '0'
  const tif = String(o.time_in_force)
  return {
    venue: 'grvt',
    symbol: leg.instrument,
    orderId: typeof o.order_id === 'string' && o.order_id !== '0x0' ? o.order_id : undefined,
    clientOrderId: String(metadata?.client_order_id ?? ''),
    side: leg.is_buying_asset === true ? 'buy' : 'sell',
    price: leg.limit_price,
    sizeBase: leg.size,
    filledSizeBase: String(traded),
    avgFillPrice: String(avg),
    timeInForce:
      o.post_only === true
        ? 'postOnly'
        : tif === 'IMMEDIATE_OR_CANCEL'
          ? 'ioc'
          : tif === 'FILL_OR_KILL'
            ? 'fok'
            : 'gtc',
    reduceOnly: o.reduce_only === true,
    state: mapGrvtOrderStatus(state.status, String(traded)),
    tsExchangeMs: Number(BigInt(String(state.update_time ?? '0')) / 1_000_000n),
    raw: data,
  }
}
