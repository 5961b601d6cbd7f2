import type { Bbo, ConnectionHealthEvent, OrderBookView, Trade } from '@alp/exchange-connectors'
import { bboToEvent, bookToEvent, tradeToEvent } from '@alp/hedger'
import type { MessageBus } from '../transport/bus.js'
import type { MarketDataMessage } from '../transport/topics.js'
import type { RoleClock, RoleErrorSink, RoleHandle, VenueLink } from './VenueLink.js'

/** Repeats of the quote-server's health after it is healthy again (a subscriber that lost the `connected`). */
export const HEALTH_REPEATS_AFTER_RECOVERY = 10

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
  /**
   * Republish the current market-data health this often (ms; 0 = never) while a connection is down or the book is in a
   * gap, and {@link HEALTH_REPEATS_AFTER_RECOVERY} times once healthy again: `connected`/`disconnected` and
   * `feedGap`/`resynced`. marketData is lossy and has no snapshot, so a trader that starts while the feed is down or
   * loses the `connected` learns the current health within this period. Default 1000.
   */
  readonly healthRepeatMs?: number | undefined
}

/**
 * The quote-server role of one venue: the connector's market data (book, best bid/offer, trades of the hedged symbol)
 * converted to the hedger's events on the venue grid and published on the `marketData` topic of the venue's slot.
 * After a book resync (a sequence gap in the venue's feed) no best bid/offer is published until the rebuilt book
 * arrives, as the live runner does. The health of the market-data connections goes on the same topic as the live
 * runner feeds it to the core: `venueHealth` `disconnected` when one of them goes down, `connected` when all are up
 * again, `feedGap` at a resync and `resynced` with the rebuilt book (the trader halts quoting on that venue meanwhile;
 * a silent feed is the core's staleness check). While unhealthy, and for a few periods after, the current health (both
 * pairs) is republished every `healthRepeatMs` (a lossy topic without snapshot: a late or lossy subscriber still
 * converges); the trader passes a repeat to its core only when it differs from the core's view.
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
  // The current health, both pairs: connections (none seen yet = up: the connector opened them before this role) and gap.
  const healthy = (): boolean => [...connections.values()].every(Boolean) && !gap
  const republish = (): void => {
    publish(() => health([...connections.values()].every(Boolean) ? 'connected' : 'disconnected'))
    publish(() => health(gap ? 'feedGap' : 'resynced'))
  }
  // Repeated while unhealthy, and HEALTH_REPEATS_AFTER_RECOVERY times once healthy again; silent while healthy.
  const repeatMs = parameters.healthRepeatMs ?? 1000
  let repeatsLeft = 0
  const repeat =
    repeatMs > 0
      ? setInterval(() => {
          if (healthy()) {
            if (repeatsLeft <= 0) return
            repeatsLeft -= 1
          } else repeatsLeft = HEALTH_REPEATS_AFTER_RECOVERY
          republish()
        }, repeatMs)
      : undefined
  repeat?.unref()
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
      clearInterval(repeat)
      md.off('bbo', onBbo).off('book', onBook).off('trade', onTrade).off('resync', onResync).off('health', onHealth)
      await publisher.close()
    },
  }
}
