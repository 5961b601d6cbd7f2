import type { HedgerState, QuoteLevel, VenueQuote, VenueState, WorkingOrder } from '../core/types.js'
import type { HedgerCommand } from '../messages/commands.js'
import type { Side } from '../messages/events.js'
import { formatGridUnits } from '../venue/decimalTicks.js'

/**
 * The order manager for one venue: diffs the desired quote against the working orders and appends the fewest
 * commands to `commands`, mutating the venue's order book of record (pending flags) and rate budget.
 *
 * Per side: extra orders are cancelled; a missing order is placed (if the venue is under `maxOpenOrders`, pending and
 * cancelling orders included, and no order of that side is still being cancelled: a replacement waits for the
 * venue's confirmation, so the venue never holds two of our orders on one side); a live order is left alone when its
 * price is within `refreshToleranceTicks` / `refreshToleranceBps` and its remaining size within
 * `refreshToleranceSizeFraction`, else amended (or cancelled, to be replaced once the venue confirms, on venues without
 * amend). Orders with an unconfirmed action are never touched again until the venue answers, and an order whose create
 * had no definite answer blocks its side until the venue says it is absent. Cancels go first, then amends, then
 * places; every action spends one token of the venue's budget and nothing is sent without a token (the next event
 * retries).
 */
export function planVenueOrders(
  state: HedgerState,
  venue: VenueState,
  quote: VenueQuote,
  commands: HedgerCommand[],
): void {
  refillTokens(venue, state.nowNs)
  const bid = sideOrders(venue, 'buy')
  const ask = sideOrders(venue, 'sell')
  // Cancels first: extras and sides we no longer want.
  cancelUnwanted(state, venue, bid, quote.bid, commands)
  cancelUnwanted(state, venue, ask, quote.ask, commands)
  // Amends, then places. When the quotes move up, the ask moves first (and the bid first when they move down), so a
  // new price never meets our own resting order on the other side; one that would is deferred to a later event.
  const askFirst = quote.bid !== null && quote.bid.priceTicks >= ownBest(venue, 'sell')
  let bidAction: 'place' | 'none' = 'none'
  let askAction: 'place' | 'none' = 'none'
  if (askFirst) askAction = adjust(state, venue, ask[0], quote.ask, commands)
  bidAction = adjust(state, venue, bid[0], quote.bid, commands)
  if (!askFirst) askAction = adjust(state, venue, ask[0], quote.ask, commands)
  if (bidAction === 'place' && quote.bid && !cancelling(venue, 'buy')) place(state, venue, 'buy', quote.bid, commands)
  if (askAction === 'place' && quote.ask && !cancelling(venue, 'sell')) place(state, venue, 'sell', quote.ask, commands)
}

/** An order of ours on `side` is being cancelled (the venue may still hold it). */
function cancelling(venue: VenueState, side: Side): boolean {
  for (const order of venue.orders.values()) if (order.side === side && order.pending === 'cancel') return true
  return false
}

/**
 * Our best resting price on a side (lowest ask, highest bid), pending orders included, and for an unconfirmed amend
 * both its old and new price (the venue may hold either); ±Infinity when none.
 */
export function ownBest(venue: VenueState, side: Side): number {
  let best = side === 'sell' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  for (const order of venue.orders.values()) {
    if (order.side !== side || order.awaitingFills) continue
    best = side === 'sell' ? Math.min(best, order.priceTicks) : Math.max(best, order.priceTicks)
    const previous = order.previousPriceTicks
    if (order.pending === 'amend' && previous !== undefined)
      best = side === 'sell' ? Math.min(best, previous) : Math.max(best, previous)
  }
  return best
}

/**
 * A resting price that the touch has moved through (a bid at or above the best ask): the book we see no longer has it
 * resting there, so the order is repriced whatever the tolerance.
 */
function wouldCross(venue: VenueState, side: Side, priceTicks: number): boolean {
  const bbo = venue.bbo
  if (bbo === null) return false
  return side === 'buy' ? priceTicks >= bbo.askPriceTicks : priceTicks <= bbo.bidPriceTicks
}

/** A price on `side` that would meet our own resting order on the other side (self-trade, post-only reject). */
function meetsOwnOrder(venue: VenueState, side: Side, priceTicks: number): boolean {
  return side === 'buy' ? priceTicks >= ownBest(venue, 'sell') : priceTicks <= ownBest(venue, 'buy')
}

/** Token-bucket refill from the event clock. */
export function refillTokens(venue: VenueState, nowNs: bigint): void {
  const config = venue.config
  if (venue.tokensNs !== null && nowNs > venue.tokensNs) {
    const elapsedSec = Number(nowNs - venue.tokensNs) / 1e9
    venue.tokens = Math.min(config.rateLimitCapacity, venue.tokens + elapsedSec * config.rateLimitRefillPerSec)
  }
  if (venue.tokensNs === null || nowNs > venue.tokensNs) venue.tokensNs = nowNs
}

function sideOrders(venue: VenueState, side: Side): WorkingOrder[] {
  const out: WorkingOrder[] = []
  for (const order of venue.orders.values()) if (order.side === side && order.pending !== 'cancel') out.push(order)
  return out
}

function cancelUnwanted(
  state: HedgerState,
  venue: VenueState,
  orders: WorkingOrder[],
  desired: QuoteLevel | null,
  commands: HedgerCommand[],
): void {
  for (let i = desired === null ? 0 : 1; i < orders.length; i++) {
    const order = orders[i] as WorkingOrder
    if (order.pending !== null || order.awaitingFills || order.unknown) continue
    if (!cancel(state, venue, order, commands)) return
  }
}

/** Sends a cancel for a confirmed order if the budget allows; returns false when out of budget. */
export function cancel(state: HedgerState, venue: VenueState, order: WorkingOrder, commands: HedgerCommand[]): boolean {
  if (venue.tokens < 1) return false
  venue.tokens -= 1
  order.pending = 'cancel'
  order.sentNs = state.nowNs
  commands.push({
    type: 'cancelOrder',
    tsNs: state.nowNs,
    venue: venue.config.venue,
    clientOrderId: order.clientOrderId,
  })
  return true
}

function adjust(
  state: HedgerState,
  venue: VenueState,
  order: WorkingOrder | undefined,
  desired: QuoteLevel | null,
  commands: HedgerCommand[],
): 'place' | 'none' {
  if (desired === null) return 'none'
  if (order === undefined) return 'place'
  if (order.pending !== null || order.awaitingFills || order.unknown) return 'none'
  const config = venue.config
  const remainingLots = order.sizeLots - order.filledLots
  const bbo = venue.bbo
  const toleranceBpsTicks =
    bbo === null ? 0 : (((bbo.bidPriceTicks + bbo.askPriceTicks) / 2) * config.refreshToleranceBps) / 10_000
  const priceOk =
    Math.abs(order.priceTicks - desired.priceTicks) < Math.max(config.refreshToleranceTicks, toleranceBpsTicks) &&
    !wouldCross(venue, order.side, order.priceTicks)
  const sizeOk =
    Math.abs(remainingLots - desired.sizeLots) <= config.refreshToleranceSizeFraction * Math.max(1, remainingLots)
  if (priceOk && sizeOk) return 'none'
  if (venue.tokens < 1 || meetsOwnOrder(venue, order.side, desired.priceTicks)) return 'none'
  if (!config.supportsAmend) {
    cancel(state, venue, order, commands)
    return 'none'
  }
  venue.tokens -= 1
  const sizeLots = order.filledLots + desired.sizeLots
  order.pending = 'amend'
  order.previousPriceTicks = order.priceTicks
  order.previousSizeLots = order.sizeLots
  order.priceTicks = desired.priceTicks
  order.sizeLots = sizeLots
  order.sentNs = state.nowNs
  commands.push({
    type: 'amendOrder',
    tsNs: state.nowNs,
    venue: config.venue,
    clientOrderId: order.clientOrderId,
    side: order.side,
    priceTicks: desired.priceTicks,
    sizeLots,
    price: formatGridUnits(desired.priceTicks, config.tick),
    sizeBase: formatGridUnits(sizeLots, config.step),
  })
  return 'none'
}

function place(
  state: HedgerState,
  venue: VenueState,
  side: Side,
  desired: QuoteLevel,
  commands: HedgerCommand[],
): void {
  const config = venue.config
  if (venue.orders.size >= config.maxOpenOrders || venue.tokens < 1 || meetsOwnOrder(venue, side, desired.priceTicks))
    return
  venue.tokens -= 1
  const clientOrderId = `${state.config.hedge.clientOrderIdPrefix}${state.runTag}${config.index}x${state.nextOrderSeq.toString(36)}`
  state.nextOrderSeq += 1
  venue.orders.set(clientOrderId, {
    clientOrderId,
    side,
    priceTicks: desired.priceTicks,
    sizeLots: desired.sizeLots,
    filledLots: 0,
    filledByUpdatesLots: 0,
    filledByFillsLots: 0,
    awaitingFills: false,
    finalVenueTimeMs: null,
    lastVenueTimeMs: null,
    pending: 'new',
    sentNs: state.nowNs,
    unknown: false,
    nextLookupNs: null,
    lookupAttempts: 0,
  })
  commands.push({
    type: 'placeOrder',
    tsNs: state.nowNs,
    venue: config.venue,
    clientOrderId,
    side,
    priceTicks: desired.priceTicks,
    sizeLots: desired.sizeLots,
    price: formatGridUnits(desired.priceTicks, config.tick),
    sizeBase: formatGridUnits(desired.sizeLots, config.step),
    postOnly: true,
  })
}
