import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../../common/types/order.js'
import { buildNewOrderParams, type SignedRequestOptions } from '../http/orders.js'
import { parseOrder } from '../parse/parseOrder.js'
import type { BinanceProduct } from '../urls.js'
import type { BinanceWsApiClient } from './wsApiClient.js'

/** WebSocket-API `order.place`: the REST params of a new limit order; the answer is the REST order object. */
export async function wsPlaceOrder(
  client: BinanceWsApiClient,
  product: BinanceProduct,
  p: PlaceOrderParameters,
  options: SignedRequestOptions = {},
): Promise<Order> {
  const result = await client.request({
    method: 'order.place',
    params: buildNewOrderParams(product, p),
    cost: { weight: product === 'usdm' ? 0 : 1, orders: 1 },
    retry: 'never',
    order: { clientOrderId: p.clientOrderId, price: p.price },
    onSigned: options.onSigned,
  })
  return parseOrder(result, client.venue)
}

/** WebSocket-API `order.cancel` by client order id (idempotent: a repeated cancel answers -2011). */
export async function wsCancelOrder(client: BinanceWsApiClient, symbol: string, clientOrderId: string): Promise<Order> {
  const result = await client.request({
    method: 'order.cancel',
    params: [
      ['symbol', symbol],
      ['origClientOrderId', clientOrderId],
    ],
    cost: { weight: 1 },
    retry: 'safe',
  })
  return parseOrder(result, client.venue)
}

/** USDⓈ-M WebSocket-API `order.modify` (price/quantity of a LIMIT order; same order id). */
export async function wsModifyOrder(client: BinanceWsApiClient, p: AmendOrderParameters): Promise<Order> {
  const result = await client.request({
    method: 'order.modify',
    params: [
      ['symbol', p.symbol],
      ['origClientOrderId', p.clientOrderId],
      ['side', p.side === 'buy' ? 'BUY' : 'SELL'],
      ['quantity', p.sizeBase],
      ['price', p.price],
    ],
    cost: { weight: 1, orders: 1 },
    retry: 'never',
    order: { clientOrderId: p.clientOrderId, price: p.price },
  })
  return parseOrder(result, client.venue)
}
