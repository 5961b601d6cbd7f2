import { type Fill, type GrvtConnector, parseGrvtFill, parseGrvtInstrumentName } from '@alp/exchange-connectors'

/** The account a GRVT fill-history read needs: the connector's authenticated REST client and the sub-account. */
export type GrvtFillAccount = {
  readonly http: Pick<GrvtConnector['http'], 'trade'>
  readonly subAccountId: string
}

/**
 * The sub-account's fills of instrument `symbol` since `sinceMs` from GRVT's fill history (`/full/v1/fill_history`,
 * the connector's full-schema REST; newest first, at most 1000 a page), parsed as the private stream's `v1.fill` are
 * (`parseGrvtFill`: the client order id, trade id, side and venue time of the stream), oldest first, each once. Restart
 * reconciliation of the trading engine.
 *
 * The request filters by kind/base/quote only, so other instruments of the same pair are dropped here. Pages are walked
 * by time (the connector's REST client returns `result` without the `next` cursor): the next page ends at the oldest
 * event time of the last one (inclusive; repeats are dropped by trade id); a full page all at one event time is read
 * again with the venue's largest page for that instant alone.
 */
export async function readGrvtFills(
  account: GrvtFillAccount,
  symbol: string,
  sinceMs: number,
  options: { readonly pageSize?: number; readonly nowMs?: () => number } = {},
): Promise<Fill[]> {
  const name = parseGrvtInstrumentName(symbol)
  const pageSize = Math.min(1000, Math.max(1, Math.floor(options.pageSize ?? 1000)))
  const startNs = BigInt(Math.max(0, Math.floor(sinceMs))) * 1_000_000n
  let endNs = BigInt(Math.floor((options.nowMs ?? Date.now)() + 60_000)) * 1_000_000n
  const fills = new Map<string, { fill: Fill; ns: bigint }>()
  const read = async (from: bigint, to: bigint, limit: number) => {
    const result = await account.http.trade('fill_history', {
      sub_account_id: account.subAccountId,
      kind: [name.kind === 'perpetual' ? 'PERPETUAL' : name.kind === 'future' ? 'FUTURE' : 'CALL'],
      base: [name.base],
      quote: [name.quote],
      start_time: String(from),
      end_time: String(to),
      limit,
    })
    if (!Array.isArray(result)) throw new Error('grvt: fill_history answered no result list')
    const page = result.map((raw) => ({ fill: parseGrvtFill(raw), ns: BigInt(String(raw.event_time)) }))
    for (const entry of page) if (entry.fill.symbol === symbol) fills.set(entry.fill.tradeId, entry)
    return page
  }
  for (let pages = 0; pages < 1000; pages++) {
    const page = await read(startNs, endNs, pageSize)
    if (page.length < pageSize) break
    const oldest = page.reduce((min, entry) => (entry.ns < min ? entry.ns : min), endNs)
    if (oldest >= endNs) {
      // A full page at one instant: that instant alone with the largest page, then before it.
      await read(oldest, oldest, 1000)
      endNs = oldest - 1n
    } else endNs = oldest
    if (endNs < startNs) break
  }
  return [...fills.values()]
    .sort((a, b) => (a.ns === b.ns ? compareIds(a.fill.tradeId, b.fill.tradeId) : a.ns < b.ns ? -1 : 1))
    .map((entry) => entry.fill)
}

function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length
}
