import type { Bbo, Fill, Order, OrderBookView, Position, Trade } from '@alp/exchange-connectors'
import type { ResolvedVenueConfig } from '../config/parseHedgerConfig.js'
import { VenueDataError } from '../errors/adapter.js'
import type {
  BboEvent,
  BookEvent,
  BookLevelTicks,
  FillEvent,
  OrderUpdateEvent,
  PositionEvent,
  TradeEvent,
  VenueOrderStatus,
} from '../messages/events.js'
import { quoteContractsToBaseLots } from '../venue/quoteContractsToBaseLots.js'
import { toPriceTicks, toSizeLots } from './toGridUnits.js'

/**
 * Pure conversions from @alp/exchange-connectors' venue-neutral types to hedger events. Decimal strings become exact
 * grid integers (off-grid values throw VenueDataError), except base sizes on inverse venues, rounded to the nearest lot
 * (`toSizeLots`); `tsNs` is the runner's local receive time (one clock for the core), never the exchange's.
 */
export function bboToEvent(venue: ResolvedVenueConfig, bbo: Bbo, tsNs: bigint): BboEvent {
  return {
    type: 'bbo',
    tsNs,
    venue: venue.venue,
    bidPriceTicks: toPriceTicks(venue, 'bidPrice', bbo.bidPrice),
    bidSizeLots: toSizeLots(venue, 'bidSizeBase', bbo.bidSizeBase),
    askPriceTicks: toPriceTicks(venue, 'askPrice', bbo.askPrice),
    askSizeLots: toSizeLots(venue, 'askSizeBase', bbo.askSizeBase),
  }
}

/**
 * The connector's book view is already on the instrument grid (integer ticks and lots). Linear venues: those lots are
 * the hedger's base lots, passed through. Inverse venues: they are contracts (`contract.contractSizeQuote` USD each);
 * each level becomes base lots at its own price, to the nearest lot (`quoteContractsToBaseLots`).
 * @throws VenueDataError when an inverse level has no usable price (≤ 0 ticks) or an unsafe size.
 */
export function bookToEvent(venue: ResolvedVenueConfig, book: OrderBookView, tsNs: bigint): BookEvent {
  const contractSizeQuote = venue.contractSizeQuoteStep
  if (contractSizeQuote === null) return { type: 'book', tsNs, venue: venue.venue, bids: book.bids, asks: book.asks }
  const toBase = (side: 'bids' | 'asks') =>
    book[side].map(([priceTicks, contracts]): BookLevelTicks => {
      const lots = quoteContractsToBaseLots({
        contracts,
        priceTicks,
        contractSizeQuote,
        tick: venue.tick,
        step: venue.step,
      })
      if (lots === null)
        throw new VenueDataError({
          venue: venue.venue,
          field: `${side} level`,
          value: [priceTicks, contracts],
          rule: 'a positive price in ticks and a safe contract count',
        })
      return [priceTicks, lots]
    })
  return { type: 'book', tsNs, venue: venue.venue, bids: toBase('bids'), asks: toBase('asks') }
}

export function tradeToEvent(venue: ResolvedVenueConfig, trade: Trade, tsNs: bigint): TradeEvent {
  return {
    type: 'trade',
    tsNs,
    venue: venue.venue,
    priceTicks: toPriceTicks(venue, 'price', trade.price),
    sizeLots: toSizeLots(venue, 'sizeBase', trade.sizeBase),
    aggressorSide: trade.side,
  }
}

const STATUS: Partial<Record<Order['state'], VenueOrderStatus>> = {
  new: 'new',
  partiallyFilled: 'partiallyFilled',
  filled: 'filled',
  canceled: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
}

/** An order update, or null for the connector's local states (pendingNew, pendingCancel, unknown): only the venue's word counts. */
export function orderToEvent(venue: ResolvedVenueConfig, order: Order, tsNs: bigint): OrderUpdateEvent | null {
  const status = STATUS[order.state]
  if (status === undefined) return null
  return {
    type: 'orderUpdate',
    tsNs,
    venue: venue.venue,
    clientOrderId: order.clientOrderId,
    side: order.side,
    priceTicks: toPriceTicks(venue, 'price', order.price),
    sizeLots: toSizeLots(venue, 'sizeBase', order.sizeBase),
    filledLots: toSizeLots(venue, 'filledSizeBase', order.filledSizeBase),
    status,
    ...venueTime(order.tsExchangeMs),
  }
}

/** The venue's own timestamp, when it gave one (0 = none): orders fills against position reports, and updates. */
function venueTime(tsExchangeMs: number): { venueTimeMs?: number } {
  return Number.isSafeInteger(tsExchangeMs) && tsExchangeMs > 0 ? { venueTimeMs: tsExchangeMs } : {}
}

export function fillToEvent(venue: ResolvedVenueConfig, fill: Fill, tsNs: bigint): FillEvent {
  return {
    type: 'fill',
    tsNs,
    venue: venue.venue,
    clientOrderId: fill.clientOrderId,
    tradeId: fill.tradeId,
    side: fill.side,
    priceTicks: toPriceTicks(venue, 'price', fill.price),
    sizeLots: toSizeLots(venue, 'sizeBase', fill.sizeBase),
    feeQuote: fill.fee,
    ...venueTime(fill.tsExchangeMs),
  }
}

export function positionToEvent(venue: ResolvedVenueConfig, position: Position, tsNs: bigint): PositionEvent {
  return {
    type: 'position',
    tsNs,
    venue: venue.venue,
    sizeLots: toSizeLots(venue, 'sizeBase', position.sizeBase),
    ...venueTime(position.tsExchangeMs),
  }
}
