import { type DeribitConnector, type Fill, parseDeribitUserTrade } from '@alp/exchange-connectors'

/**
 * The account's fills of instrument `symbol` since `sinceMs` from Deribit's trade history
 * (`private/get_user_trades_by_instrument_and_time`, oldest first, 1000 a page), parsed as the private stream's
 * `user.trades` are (`parseDeribitUserTrade`: the order's label is the client order id, the trade id the stream's), so
 * a fill read here and on the stream is the same fill. Restart reconciliation of the trading engine.
 *
 * The connector has no fill-history method yet; this sends the documented request on its authenticated connection.
 */
export async function readDeribitFills(
  connector: Pick<DeribitConnector, 'tradingRpc'>,
  symbol: string,
  sinceMs: number,
  nowMs: () => number = Date.now,
): Promise<Fill[]> {
  const rpc = connector.tradingRpc
  if (rpc === undefined)
    throw new Error('deribit: fill history needs the authenticated connection (API_KEY/API_SECRET)')
  const fills = new Map<string, Fill>()
  let start = Math.max(0, Math.floor(sinceMs))
  for (let page = 0; page < 100; page++) {
    const result = (await rpc.request('private/get_user_trades_by_instrument_and_time', {
      instrument_name: symbol,
      start_timestamp: start,
      end_timestamp: nowMs() + 60_000,
      count: 1000,
      sorting: 'asc',
    })) as { trades?: unknown[]; has_more?: boolean }
    const trades = (result.trades ?? []).map(parseDeribitUserTrade)
    for (const fill of trades) fills.set(fill.tradeId, fill)
    const last = trades.at(-1)
    if (result.has_more !== true || last === undefined || last.tsExchangeMs <= start) break
    start = last.tsExchangeMs // the same millisecond again: its fills are deduplicated by trade id
  }
  return [...fills.values()]
}
