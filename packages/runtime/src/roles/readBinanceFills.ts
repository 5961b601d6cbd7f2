import { type BinanceConnector, type Fill, parseOrder } from '@alp/exchange-connectors'

type UserTrade = {
  id: number
  orderId: number
  side: 'BUY' | 'SELL'
  price: string
  qty: string
  commission: string
  commissionAsset?: string
  maker: boolean
  symbol: string
  time: number
}

/**
 * The account's fills of `symbol` since `sinceMs` from Binance USDⓈ-M's trade history (`GET /fapi/v1/userTrades`,
 * oldest first, paged by `fromId`), with each trade's client order id from `GET /fapi/v1/allOrders` (userTrades carries
 * the venue's order id only). The trade ids are the private stream's (`t`), so a fill read here and on the stream is
 * the same fill. Restart reconciliation of the trading engine: the fills made while the trader was down.
 *
 * The connector has no fill-history method yet (its `execution` reads open orders and positions only); this reads the
 * documented endpoints through its signed HTTP client.
 */
export async function readBinanceFills(
  connector: Pick<BinanceConnector, 'http'>,
  symbol: string,
  sinceMs: number,
): Promise<Fill[]> {
  const venue = 'binance-usdm'
  const trades: UserTrade[] = []
  let params: [string, string][] = [
    ['symbol', symbol],
    ['startTime', String(Math.max(0, Math.floor(sinceMs)))],
    ['limit', '1000'],
  ]
  for (;;) {
    const { body } = await connector.http.request<UserTrade[]>({
      method: 'GET',
      path: '/fapi/v1/userTrades',
      params,
      security: 'SIGNED',
      cost: { weight: 5 },
      retry: 'safe',
    })
    trades.push(...body)
    if (body.length < 1000) break
    params = [
      ['symbol', symbol],
      ['fromId', String((body.at(-1) as UserTrade).id + 1)],
      ['limit', '1000'],
    ]
  }
  if (trades.length === 0) return []
  const clientIds = new Map<string, string>()
  let fromOrderId = Math.min(...trades.map((trade) => trade.orderId))
  const wanted = new Set(trades.map((trade) => String(trade.orderId)))
  while ([...wanted].some((id) => !clientIds.has(id))) {
    const { body } = await connector.http.request<unknown[]>({
      method: 'GET',
      path: '/fapi/v1/allOrders',
      params: [
        ['symbol', symbol],
        ['orderId', String(fromOrderId)],
        ['limit', '1000'],
      ],
      security: 'SIGNED',
      cost: { weight: 5 },
      retry: 'safe',
    })
    for (const row of body) {
      const order = parseOrder(row, venue)
      if (order.orderId !== undefined) clientIds.set(order.orderId, order.clientOrderId ?? '')
    }
    if (body.length < 1000) break
    fromOrderId = Math.max(...body.map((row) => Number(parseOrder(row, venue).orderId))) + 1
  }
  return trades.map((trade) => ({
    venue,
    symbol: trade.symbol,
    orderId: String(trade.orderId),
    clientOrderId: clientIds.get(String(trade.orderId)) ?? '',
    tradeId: String(trade.id),
    side: trade.side === 'BUY' ? 'buy' : 'sell',
    price: trade.price,
    sizeBase: trade.qty,
    fee: trade.commission,
    feeAsset: trade.commissionAsset ?? '',
    isMaker: trade.maker,
    tsExchangeMs: trade.time,
    raw: trade,
  }))
}
