import type { Bbo, OrderBookView, Trade } from '@alp/exchange-connectors'
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
 * arrives, as the live runner does.
 */
export async function startQuoteServer(parameters: StartQuoteServerParameters): Promise<RoleHandle> {
  const { bus, link, clock } = parameters
  const instance = parameters.instance ?? `${link.venue}.quote-server`
  const publisher = await bus.publisher('marketData', {
    endpoints: link.endpoints,
    publisher: `quote-server/${link.venue}`,
  })
  let gap = false
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
  const onBook = (book: OrderBookView): void => {
    if (book.symbol !== link.symbol) return
    gap = false
    if (parameters.collectOrderBook !== false) publish(() => bookToEvent(link.config, book, clock.nowNs()))
  }
  const onTrade = (trade: Trade): void => {
    if (trade.symbol === link.symbol) publish(() => tradeToEvent(link.config, trade, clock.nowNs()))
  }
  const onResync = (event: { symbol: string }): void => {
    if (event.symbol === link.symbol) gap = true
  }
  const md = link.binding.marketData
  md.on('book', onBook).on('trade', onTrade).on('resync', onResync)
  if (parameters.collectTicker !== false) md.on('bbo', onBbo)
  await md.subscribeBook(link.symbol)
  if (parameters.collectTicker !== false) await md.subscribeBbo(link.symbol)
  await md.subscribeTrades(link.symbol)
  return {
    role: 'quote-server',
    instance,
    async stop() {
      md.off('bbo', onBbo).off('book', onBook).off('trade', onTrade).off('resync', onResync)
      await publisher.close()
    },
  }
}
