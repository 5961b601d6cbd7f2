import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { parseOrder } from '../parse/parseOrder.js'
import { BINANCE_PATHS, type BinanceProduct } from '../urls.js'
import type { BinanceHttpClient } from './client.js'

/** Per-request hooks of signed order requests. */
export type SignedRequestOptions = {
  /** Receives the `timestamp` signed into the request (server-time ms; see `BinanceRequest.onSigned`). */
  onSigned?: ((timestampMs: number) => void) | undefined
}

/**
 * Wire params of a new limit order. Post-only is `timeInForce=GTX` on USDⓈ-M and `type=LIMIT_MAKER` on spot.
 * `newOrderRespType=RESULT` so the answer carries the full order.
 */
export function buildNewOrderParams(product: BinanceProduct, p: PlaceOrderParameters): [string, string][] {
  const side = p.side === 'buy' ? 'BUY' : 'SELL'
  const params: [string, string][] = [
    ['symbol', p.symbol],
    ['side', side],
  ]
  if (product === 'spot' && p.timeInForce === 'postOnly') params.push(['type', 'LIMIT_MAKER'])
  else {
    params.push(['type', 'LIMIT'])
    const tif = { gtc: 'GTC', ioc: 'IOC', fok: 'FOK', postOnly: 'GTX' }[p.timeInForce]
    params.push(['timeInForce', tif])
  }
  params.push(['quantity', p.sizeBase], ['price', p.price], ['newClientOrderId', p.clientOrderId])
  if (product === 'usdm' && p.reduceOnly) params.push(['reduceOnly', 'true'])
  params.push(['newOrderRespType', 'RESULT'])
  return params
}

/** `POST …/order`. Never retried by the transport (unknown outcomes are reconciled by the execution client). */
export async function postOrder(
  client: BinanceHttpClient,
  product: BinanceProduct,
  p: PlaceOrderParameters,
  options: SignedRequestOptions = {},
): Promise<Order> {
  const { body } = await client.request<unknown>({
    method: 'POST',
    path: BINANCE_PATHS[product].order,
    params: buildNewOrderParams(product, p),
    security: 'SIGNED',
    cost: { weight: product === 'usdm' ? 0 : 1, orders: 1 },
    retry: 'never',
    order: { clientOrderId: p.clientOrderId, price: p.price },
    onSigned: options.onSigned,
  })
  return parseOrder(body, client.venue)
}

/** `GET …/order?origClientOrderId=` (reconciliation; safe to retry). */
export async function getOrderByClientId(
  client: BinanceHttpClient,
  product: BinanceProduct,
  symbol: string,
  clientOrderId: string,
  options: SignedRequestOptions = {},
): Promise<Order> {
  const { body } = await client.request<unknown>({
    method: 'GET',
    path: BINANCE_PATHS[product].order,
    params: [
      ['symbol', symbol],
      ['origClientOrderId', clientOrderId],
    ],
    security: 'SIGNED',
    cost: { weight: product === 'usdm' ? 1 : 4 },
    retry: 'safe',
    onSigned: options.onSigned,
  })
  return parseOrder(body, client.venue)
}

/** `DELETE …/order?origClientOrderId=` (idempotent: a repeated cancel answers -2011, never a second effect). */
export async function deleteOrder(
  client: BinanceHttpClient,
  product: BinanceProduct,
  symbol: string,
  clientOrderId: string,
): Promise<Order> {
  const { body } = await client.request<unknown>({
    method: 'DELETE',
    path: BINANCE_PATHS[product].order,
    params: [
      ['symbol', symbol],
      ['origClientOrderId', clientOrderId],
    ],
    security: 'SIGNED',
    cost: { weight: 1 },
    retry: 'safe',
  })
  return parseOrder(body, client.venue)
}

/** USDⓈ-M `PUT /fapi/v1/order` (modify price/quantity of a LIMIT order, keeps the order id). */
export async function putOrder(client: BinanceHttpClient, p: AmendOrderParameters): Promise<Order> {
  const { body } = await client.request<unknown>({
    method: 'PUT',
    path: BINANCE_PATHS.usdm.order,
    params: [
      ['symbol', p.symbol],
      ['origClientOrderId', p.clientOrderId],
      ['side', p.side === 'buy' ? 'BUY' : 'SELL'],
      ['quantity', p.sizeBase],
      ['price', p.price],
    ],
    security: 'SIGNED',
    cost: { weight: 1, orders: 1 },
    retry: 'never',
    order: { clientOrderId: p.clientOrderId, price: p.price },
  })
  return parseOrder(body, client.venue)
}

/** `DELETE …/allOpenOrders` (USDⓈ-M) / `DELETE /api/v3/openOrders` (spot). */
export async function deleteAllOpenOrders(
  client: BinanceHttpClient,
  product: BinanceProduct,
  symbol: string,
): Promise<void> {
  await client.request<unknown>({
    method: 'DELETE',
    path: product === 'usdm' ? BINANCE_PATHS.usdm.allOpenOrders : BINANCE_PATHS.spot.openOrders,
    params: [['symbol', symbol]],
    security: 'SIGNED',
    cost: { weight: 1 },
    retry: 'safe',
  })
}

/** `GET …/openOrders?symbol=` (weight 1 with a symbol; 40 without, so a symbol is required here). */
export async function getOpenOrders(
  client: BinanceHttpClient,
  product: BinanceProduct,
  symbol: string,
): Promise<Order[]> {
  const { body } = await client.request<unknown>({
    method: 'GET',
    path: BINANCE_PATHS[product].openOrders,
    params: [['symbol', symbol]],
    security: 'SIGNED',
    cost: { weight: product === 'usdm' ? 1 : 6 },
    retry: 'safe',
  })
  if (!Array.isArray(body)) return [parseOrder(body, client.venue)]
  return body.map((o) => parseOrder(o, client.venue))
}

/** Result of one entry of a batch: the order, or the venue's error for that entry. */
export type BatchEntryResult = { ok: true; order: Order } | { ok: false; code: number; msg: string }

/** USDⓈ-M `POST /fapi/v1/batchOrders` (max 5). Each entry succeeds or fails on its own. */
export async function postBatchOrders(
  client: BinanceHttpClient,
  orders: readonly PlaceOrderParameters[],
  options: SignedRequestOptions = {},
): Promise<BatchEntryResult[]> {
  const batch = orders.map((p) => Object.fromEntries(buildNewOrderParams('usdm', p)))
  const { body } = await client.request<unknown>({
    method: 'POST',
    path: BINANCE_PATHS.usdm.batchOrders,
    params: [['batchOrders', JSON.stringify(batch)]],
    security: 'SIGNED',
    cost: { weight: 5, orders: orders.length },
    retry: 'never',
    onSigned: options.onSigned,
  })
  // one answer per entry, in order; anything else cannot be matched to the entries (the caller reconciles them all)
  if (!Array.isArray(body) || body.length !== orders.length)
    throw new MalformedFrameError({
      venue: client.venue,
      field: 'batchOrders answer',
      reason: `is not an array of ${orders.length} entries`,
    })
  return body.map((entry: unknown) => {
    const e = entry as { code?: unknown; msg?: unknown }
    if (typeof e.code === 'number' && e.code < 0) return { ok: false, code: e.code, msg: String(e.msg) }
    return { ok: true, order: parseOrder(entry, client.venue) }
  })
}

/** USDⓈ-M `POST /fapi/v1/countdownCancelAll` (dead-man switch; `countdownTimeMs` 0 disarms). */
export async function postCountdownCancelAll(
  client: BinanceHttpClient,
  symbol: string,
  countdownTimeMs: number,
): Promise<void> {
  await client.request<unknown>({
    method: 'POST',
    path: BINANCE_PATHS.usdm.countdownCancelAll,
    params: [
      ['symbol', symbol],
      ['countdownTime', String(countdownTimeMs)],
    ],
    security: 'SIGNED',
    cost: { weight: 10 },
    retry: 'safe',
  })
}
