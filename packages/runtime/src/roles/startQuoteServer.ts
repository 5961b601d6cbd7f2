import type { Bbo, ConnectionHealthEvent, OrderBookView, Trade } from '@alp/exchange-connectors'
import { bboToEvent, bookToEvent, tradeToEvent } from '@alp/hedger'
import type { MessageBus } from '../transport/bus.js'
import type { MarketDataMessage } from '../transport/topics.js'
import type { RoleClock, RoleErrorSink, RoleHandle, VenueLink } from './VenueLink.js'

export type StartQuoteServerParameters = {
  readonly bus: MessageBus
  readonly link: VenueLink
  readonly clock: RoleClock
  readonly onError: RoleErrorSink
  /** `[MARKET_DATA] COLLECT_ORDERBOOK`: publish book events. Default true. */
  readonly collectOrderBook?: boolean | undefined
  /** `[MARKET_DATA] COLLECT_TICKER`: publish best bid/offer events. Default true. */
  readonly collectTicker?: boolean | undefined
  readonly instance?: string | undefined
}

/**
 * The quote-server role of one venue: the connector's market data (book, best bid/offer, trades of the hedged symbol)
 * converted to the hedger's events on the venue grid and published on the `marketData` topic of the venue's slot.
 * After a book resync (a sequence gap in the venue's feed) no best bid/offer is published until the rebuilt book
 * arrives, as the live runner does. The health of the market-data connections goes on the same topic as the live
 * runner feeds it to the core: `venueHealth` `disconnected` when one of them goes down, `connected` when all are up
 * again, `feedGap` at a resync and `resynced` with the rebuilt book (the trader halts quoting on that venue meanwhile;
 * a silent feed is the core's staleness check).
 */
export async function startQuoteServer(parameters: StartQuoteServerParameters): Promise<RoleHandle> {
  const { bus, link, clock } = parameters
  const instance = parameters.instance ?? `${link.venue}.quote-server`
  const publisher = await bus.publisher('marketData', {
    endpoints: link.endpoints,
    publisher: `quote-server/${link.venue}`,
  })
  let gap = false
  const connections = new Map<string, boolean>()
  const publish = (build: () => MarketDataMessage): void => {
    try {
      publisher.publish(build())
    } catch (error) {
      parameters.onError(error, { role: 'quote-server', venue: link.venue })
    }
  }
  const onBbo = (bbo: Bbo): void => {
    if (bbo.symbol === link.symbol && !gap) publish(() => bboToEvent(link.config, bbo, clock.nowNs()))
  }
  const health = (status: 'connected' | 'disconnected' | 'feedGap' | 'resynced'): MarketDataMessage => ({
    type: 'venueHealth',
    tsNs: clock.nowNs(),
    venue: link.venue,
    status,
  })
  const onBook = (book: OrderBookView): void => {
    if (book.symbol !== link.symbol) return
    if (gap) publish(() => health('resynced'))
    gap = false
    if (parameters.collectOrderBook !== false) publish(() => bookToEvent(link.config, book, clock.nowNs()))
  }
  const onTrade = (trade: Trade): void => {
    if (trade.symbol === link.symbol) publish(() => tradeToEvent(link.config, trade, clock.nowNs()))
  }
  const onResync = (event: { symbol: string }): void => {
    if (event.symbol !== link.symbol) return
    gap = true
    publish(() => health('feedGap'))
  }
  const onHealth = (event: ConnectionHealthEvent): void => {
    const wasUp = [...connections.values()].every(Boolean)
    if (event.kind === 'open') connections.set(event.connection, true)
    else if (event.kind === 'close' || event.kind === 'reconnecting') connections.set(event.connection, false)
    else if (event.kind === 'error') {
      parameters.onError(event.error, { role: 'quote-server', venue: link.venue })
      return
    } else return
    const isUp = [...connections.values()].every(Boolean)
    if (isUp !== wasUp) publish(() => health(isUp ? 'connected' : 'disconnected'))
  }
  const md = link.binding.marketData
  md.on('book', onBook).on('trade', onTrade).on('resync', onResync).on('health', onHealth)
  if (parameters.collectTicker !== false) md.on('bbo', onBbo)
  await md.subscribeBook(link.symbol)
  if (parameters.collectTicker !== false) await md.subscribeBbo(link.symbol)
  await md.subscribeTrades(link.symbol)
  return {
    role: 'quote-server',
    instance,
    async stop() {
      md.off('bbo', onBbo).off('book', onBook).off('trade', onTrade).off('resync', onResync).off('health', onHealth)
      await publisher.close()
    },
  }
}
