import type { Order, OrderState, TimeInForce } from '../../common/types/order.js'
import {
  failGrvtField,
  readGrvtBoolean,
  readGrvtDecimal,
  readGrvtEnum,
  readGrvtNanosToMs,
  readGrvtObject,
  readGrvtOptionalBoolean,
  readGrvtString,
} from './readGrvtField.js'

const STATUSES = ['PENDING', 'OPEN', 'FILLED', 'CANCELLED', 'REJECTED'] as const
const TIME_IN_FORCE = [
  'GOOD_TILL_TIME',
  'ALL_OR_NONE',
  'IMMEDIATE_OR_CANCEL',
  'FILL_OR_KILL',
  'RETAIL_PRICE_IMPROVEMENT',
] as const

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
      return failGrvtField('state.status', `"${status.slice(0, 40)}" is unknown`)
  }
}

/** The first element of an optional per-leg array (`traded_size`, `avg_fill_price`), `"0"` when absent. */
function firstLegDecimal(value: unknown, field: string): string {
  if (value === undefined) return '0'
  if (!Array.isArray(value)) failGrvtField(field, 'is not an array')
  return value.length === 0 ? '0' : readGrvtDecimal(value[0], `${field}[0]`)
}

/**
 * A GRVT order (full form, REST result or `v1.order` feed) → `Order`. Single-leg orders only. Every field used is
 * checked (enums, booleans, finite decimal strings, nanosecond times); anything else is a `MalformedFrameError`.
 */
export function parseGrvtOrder(data: unknown): Order {
  const o = readGrvtObject(data, 'order')
  if (!Array.isArray(o.legs) || o.legs.length !== 1) failGrvtField('legs', 'is not a one-leg array')
  const leg = readGrvtObject(o.legs[0], 'legs[0]')
  const state = readGrvtObject(o.state, 'state')
  const metadata = readGrvtObject(o.metadata, 'metadata')
  const status = readGrvtEnum(state.status, 'state.status', STATUSES)
  const traded = firstLegDecimal(state.traded_size, 'state.traded_size')
  const avg = firstLegDecimal(state.avg_fill_price, 'state.avg_fill_price')
  const tif = readGrvtEnum(o.time_in_force, 'time_in_force', TIME_IN_FORCE)
  const postOnly = readGrvtOptionalBoolean(o.post_only, 'post_only', false)
  const clientOrderId = readGrvtString(metadata.client_order_id, 'metadata.client_order_id')
  if (!/^\d{1,20}$/.test(clientOrderId)) failGrvtField('metadata.client_order_id', 'is not a uint64 decimal string')
  let orderId: string | undefined
  if (o.order_id !== undefined) {
    const id = readGrvtString(o.order_id, 'order_id')
    if (!/^0x[0-9a-fA-F]{1,64}$/.test(id)) failGrvtField('order_id', 'is not a 0x hex id')
    orderId = id === '0x0' ? undefined : id
  }
  const timeInForce: TimeInForce = postOnly
    ? 'postOnly'
    : tif === 'IMMEDIATE_OR_CANCEL'
      ? 'ioc'
      : tif === 'FILL_OR_KILL'
        ? 'fok'
        : 'gtc'
  return {
    venue: 'grvt',
    symbol: readGrvtString(leg.instrument, 'legs[0].instrument'),
    orderId,
    clientOrderId,
    side: readGrvtBoolean(leg.is_buying_asset, 'legs[0].is_buying_asset') ? 'buy' : 'sell',
    price: readGrvtDecimal(leg.limit_price, 'legs[0].limit_price'),
    sizeBase: readGrvtDecimal(leg.size, 'legs[0].size'),
    filledSizeBase: traded,
    avgFillPrice: avg,
    timeInForce,
    reduceOnly: readGrvtOptionalBoolean(o.reduce_only, 'reduce_only', false),
    state: mapGrvtOrderStatus(status, traded),
    tsExchangeMs: readGrvtNanosToMs(state.update_time, 'state.update_time'),
    raw: data,
  }
}
