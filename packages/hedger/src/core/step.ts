import type { HaltReason, HedgerCommand } from '../messages/commands.js'
import type {
  BboEvent,
  BookEvent,
  CommandFailedEvent,
  FillEvent,
  HedgerEvent,
  LpInventoryEvent,
  OpenOrdersEvent,
  OperatorEvent,
  OrderAbsentEvent,
  OrderUpdateEvent,
  PositionEvent,
  TradeEvent,
  VenueHealthEvent,
} from '../messages/events.js'
import { planVenueOrders } from '../orders/planVenueOrders.js'
import { computeDesiredQuotes } from '../quote/computeDesiredQuotes.js'
import { checkLimits } from '../risk/checkLimits.js'
import { sampleBasis } from '../risk/sampleBasis.js'
import { suggestRangeHalfWidth } from '../risk/suggestRangeHalfWidth.js'
import { computeNetExposure } from './computeNetExposure.js'
import { ownLotsAt, subtractOwnOrders } from './subtractOwnOrders.js'
import type { HedgerState, VenueQuote, VenueState, WorkingOrder } from './types.js'

/** What one step returns: the next state (the same object, updated) and the commands to execute, in order. */
export type StepResult = { readonly state: HedgerState; readonly commands: HedgerCommand[] }

/** Trade ids remembered per venue for fill de-duplication. */
const SEEN_TRADE_IDS = 4096
/** Final client order ids remembered per venue (a stale snapshot must not bring them back). */
const FINAL_ORDERS = 4096

/**
 * The deterministic hedger core: (state, event) → (state, commands).
 *
 * - Clock: the only time is `event.tsNs` (the core's `nowNs` is the latest event time seen). No wall clock, no timers,
 *   no randomness; client order ids are `prefix + venueIndex + 'x' + counter` from the state.
 * - State is threaded: the returned state is the argument, updated in place (cheap: no copy per event). Use it linearly:
 *   keep only the returned value. Two states built from the same config and fed the same events emit the same commands.
 * - Never throws on market or venue data: bad or out-of-order data is dropped with a `log` command.
 * - Safety (checked by the model-based property tests): a kill or venue halt repeats its cancel-all with backoff until
 *   an open-orders snapshot shows none of ours; every fill counts once whatever the order of fill, order update and
 *   position report; a create without a definite answer is looked up by client id, never replaced, until the venue
 *   says it is absent; at most one order per side as the venue may see it (a replacement waits for the cancel).
 */
export function step(state: HedgerState, event: HedgerEvent): StepResult {
  const commands: HedgerCommand[] = []
  if (event.tsNs > state.nowNs) state.nowNs = event.tsNs
  // The LP inventory's age is checked on every event (an LP update first counts itself, see onLpInventory).
  if (event.type !== 'lpInventory') updateLpHalt(state, commands)
  switch (event.type) {
    case 'bbo':
      onBbo(state, event, commands)
      break
    case 'book':
      onBook(state, event, commands)
      break
    case 'trade':
      onTrade(state, event, commands)
      break
    case 'lpInventory':
      onLpInventory(state, event, commands)
      break
    case 'orderUpdate':
      onOrderUpdate(state, event, commands)
      break
    case 'fill':
      onFill(state, event, commands)
      break
    case 'position':
      onPosition(state, event, commands)
      break
    case 'openOrders':
      onOpenOrders(state, event, commands)
      break
    case 'orderAbsent':
      onOrderAbsent(state, event, commands)
      break
    case 'commandFailed':
      onCommandFailed(state, event, commands)
      break
    case 'balance':
      break
    case 'venueHealth':
      onVenueHealth(state, event, commands)
      break
    case 'timer':
      onTimer(state, commands)
      break
    case 'operator':
      onOperator(state, event, commands)
      break
  }
  return { state, commands }
}

function venueOf(state: HedgerState, name: string, commands: HedgerCommand[]): VenueState | undefined {
  const venue = state.venueByName.get(name)
  if (venue === undefined) log(state, commands, 'warn', 'UNKNOWN_VENUE', `event for unconfigured venue ${name} dropped`)
  return venue
}

function log(
  state: HedgerState,
  commands: HedgerCommand[],
  level: 'info' | 'warn' | 'error',
  code: string,
  message: string,
): void {
  commands.push({ type: 'log', tsNs: state.nowNs, level, code, message })
}

/** Accepts market data only in time order; returns false (with a log) for late data. */
function acceptMarketTime(state: HedgerState, venue: VenueState, tsNs: bigint, commands: HedgerCommand[]): boolean {
  if (venue.lastMarketNs !== null && tsNs < venue.lastMarketNs) {
    log(
      state,
      commands,
      'warn',
      'LATE_MARKET_DATA',
      `${venue.config.venue}: market data at ${tsNs} after ${venue.lastMarketNs} dropped`,
    )
    return false
  }
  venue.lastMarketNs = tsNs
  if (venue.stale) {
    venue.stale = false
    updateVenueHalt(state, venue, commands)
  }
  return true
}

function setTouch(
  state: HedgerState,
  venue: VenueState,
  tsNs: bigint,
  bidPriceTicks: number,
  bidSizeLots: number,
  askPriceTicks: number,
  askSizeLots: number,
  commands: HedgerCommand[],
): boolean {
  if (!(bidPriceTicks >= 1 && askPriceTicks > bidPriceTicks)) {
    log(
      state,
      commands,
      'warn',
      'INVALID_BOOK',
      `${venue.config.venue}: crossed or empty touch ${bidPriceTicks}/${askPriceTicks} dropped`,
    )
    return false
  }
  if (!acceptMarketTime(state, venue, tsNs, commands)) return false
  const bbo = venue.bbo
  if (bbo === null) venue.bbo = { bidPriceTicks, bidSizeLots, askPriceTicks, askSizeLots }
  else {
    bbo.bidPriceTicks = bidPriceTicks
    bbo.bidSizeLots = bidSizeLots
    bbo.askPriceTicks = askPriceTicks
    bbo.askSizeLots = askSizeLots
  }
  const midPrice = ((bidPriceTicks + askPriceTicks) / 2) * venue.config.tickSizePrice
  venue.volatility.update(tsNs, midPrice)
  venue.intensity?.updateMid(tsNs, midPrice)
  refreshIntensity(state, venue)
  return true
}

function onBbo(state: HedgerState, event: BboEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  // A side of the BBO that is only our own order says nothing about the external touch: keep the last one we know.
  let { bidPriceTicks, bidSizeLots, askPriceTicks, askSizeLots } = event
  const ownBid = ownLotsAt(venue.orders, 'buy', bidPriceTicks)
  const ownAsk = ownLotsAt(venue.orders, 'sell', askPriceTicks)
  const last = venue.bbo
  if (ownBid > 0 && last !== null) {
    if (bidSizeLots > ownBid) bidSizeLots -= ownBid
    else {
      bidPriceTicks = last.bidPriceTicks
      bidSizeLots = last.bidSizeLots
    }
  }
  if (ownAsk > 0 && last !== null) {
    if (askSizeLots > ownAsk) askSizeLots -= ownAsk
    else {
      askPriceTicks = last.askPriceTicks
      askSizeLots = last.askSizeLots
    }
  }
  if (!setTouch(state, venue, event.tsNs, bidPriceTicks, bidSizeLots, askPriceTicks, askSizeLots, commands)) return
  requoteAll(state, commands)
}

function onBook(state: HedgerState, event: BookEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  // The external book: our own orders taken out (see subtractOwnOrders).
  const bids = subtractOwnOrders(event.bids, venue.orders, 'buy')
  const asks = subtractOwnOrders(event.asks, venue.orders, 'sell')
  const bestBid = bids[0]
  const bestAsk = asks[0]
  if (bestBid === undefined || bestAsk === undefined) {
    log(state, commands, 'warn', 'INVALID_BOOK', `${venue.config.venue}: one-sided external book dropped`)
    return
  }
  if (!setTouch(state, venue, event.tsNs, bestBid[0], bestBid[1], bestAsk[0], bestAsk[1], commands)) return
  venue.bids = bids
  venue.asks = asks
  requoteAll(state, commands)
}

function onTrade(state: HedgerState, event: TradeEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined || venue.intensity === null) return
  // Trades feed the intensity fit only. They never refresh the book's staleness clock: a book that stopped updating
  // halts quoting even while trades flow (the quotes are priced off the book).
  if (
    (venue.lastTradeNs !== null && event.tsNs < venue.lastTradeNs) ||
    (venue.lastMarketNs !== null && event.tsNs < venue.lastMarketNs)
  )
    return
  if (!(event.priceTicks >= 1)) return
  venue.lastTradeNs = event.tsNs
  venue.intensity.updateTrade(event.tsNs, event.priceTicks * venue.config.tickSizePrice, event.aggressorSide)
}

/** Re-reads the online λ(δ) fit at most every `refreshMs`; a fit is kept until a newer usable one replaces it. */
function refreshIntensity(state: HedgerState, venue: VenueState): void {
  const intensity = venue.intensity
  const config = state.config.calibration.intensity
  if (intensity === null || config.mode !== 'online') return
  const now = venue.lastMarketNs ?? state.nowNs
  if (venue.intensityReadNs !== null && now - venue.intensityReadNs < BigInt(config.refreshMs) * 1_000_000n) return
  venue.intensityReadNs = now
  const fit = intensity.read(now)
  if (
    fit.ready &&
    fit.aPerSec > 0 &&
    fit.kPerPrice > 0 &&
    Number.isFinite(fit.aPerSec) &&
    Number.isFinite(fit.kPerPrice)
  ) {
    venue.aPerSec = fit.aPerSec
    venue.kPerPrice = fit.kPerPrice
    venue.intensityStatus = 'ready'
  } else if (venue.aPerSec === null) {
    venue.intensityStatus = fit.ready
      ? 'warmingUp: intensity fit not usable (k ≤ 0)'
      : fit.reason === 'warmUp'
        ? `warmingUp: intensity ${fit.historyNs / 1_000_000_000n}/${fit.neededHistoryNs / 1_000_000_000n} s of trades (${fit.arrivalCount} arrivals)`
        : `warmingUp: intensity ${fit.reason} (${fit.arrivalCount} arrivals, ${fit.usablePointCount} of 2 usable depths)`
  }
}

function onLpInventory(state: HedgerState, event: LpInventoryEvent, commands: HedgerCommand[]): void {
  const held = Number(event.baseHeldBase)
  const target = Number(event.baseTargetBase)
  const pool = Number(event.poolPrice)
  if (!Number.isFinite(held) || !Number.isFinite(target) || !(pool > 0) || !Number.isFinite(pool)) {
    log(
      state,
      commands,
      'warn',
      'INVALID_LP_INVENTORY',
      `lpInventory ${event.baseHeldBase}/${event.baseTargetBase}@${event.poolPrice} dropped`,
    )
    updateLpHalt(state, commands)
    return
  }
  state.lpDeviationBase = held - target
  state.poolPrice = pool
  state.lpSeen = true
  if (state.lpUpdatedNs === null || event.tsNs > state.lpUpdatedNs) state.lpUpdatedNs = event.tsNs
  updateLpHalt(state, commands)
  requoteAll(state, commands)
}

/** The halt that stops every venue: the latched kill switch, else a stale LP inventory (null = none). */
function globalHaltReason(state: HedgerState): HaltReason | null {
  return state.killed ?? (state.lpStale ? 'lpInventoryStale' : null)
}

/**
 * The LP halt: once no LP inventory update has arrived for longer than `hedge.lpInventoryStaleAfterMs`, the net
 * exposure is unknown, so every venue cancels all and quotes nothing (`halt` scope `all`, reason `lpInventoryStale`);
 * a fresh update ends it (`resume` scope `all`, dead-man switches re-armed), unless the kill switch is latched. An
 * update stamped older than the bound does not end it.
 */
function updateLpHalt(state: HedgerState, commands: HedgerCommand[]): void {
  const bound = state.config.lpInventoryStaleAfterNs
  const stale = state.lpUpdatedNs !== null && state.nowNs - state.lpUpdatedNs > bound
  if (stale === state.lpStale) return
  state.lpStale = stale
  if (stale) {
    const ageMs = (state.nowNs - (state.lpUpdatedNs as bigint)) / 1_000_000n
    if (state.killed === null) for (const venue of state.venues) cancelAllOn(state, venue, 'lpInventoryStale', commands)
    commands.push({ type: 'halt', tsNs: state.nowNs, scope: 'all', reason: 'lpInventoryStale' })
    log(
      state,
      commands,
      'error',
      'LP_INVENTORY_STALE',
      `no LP inventory update for ${ageMs} ms (hedge.lpInventoryStaleAfterMs ${bound / 1_000_000n}): quoting halted`,
    )
    return
  }
  log(state, commands, 'info', 'LP_INVENTORY_FRESH', 'LP inventory updated again')
  if (state.killed !== null) return
  commands.push({ type: 'resume', tsNs: state.nowNs, scope: 'all' })
  for (const venue of state.venues)
    if (venue.connected && venue.haltAnnounced === null) armDeadMan(state, venue, commands)
}

function onOrderUpdate(state: HedgerState, event: OrderUpdateEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  applyOrderUpdate(state, venue, event, commands)
  sweepIfHalted(state, venue, commands)
  requoteVenue(state, venue, commands)
}

/** The venue's word on one order (stream update, lookup answer, or one line of a snapshot). */
function applyOrderUpdate(
  state: HedgerState,
  venue: VenueState,
  event: Pick<
    OrderUpdateEvent,
    'clientOrderId' | 'side' | 'priceTicks' | 'sizeLots' | 'filledLots' | 'status' | 'snapshot' | 'venueTimeMs'
  >,
  commands: HedgerCommand[],
): void {
  const order = venue.orders.get(event.clientOrderId)
  const final =
    event.status === 'filled' ||
    event.status === 'canceled' ||
    event.status === 'expired' ||
    event.status === 'rejected'
  if (order === undefined) {
    // Final here already (a late or redelivered update): final states do not come back.
    if (final || venue.finalOrders.has(event.clientOrderId)) return
    // A live order we did not know (another process, a previous run): the venue's word wins; its past fills are in
    // the venue's position. The order manager decides its fate.
    venue.orders.set(event.clientOrderId, {
      clientOrderId: event.clientOrderId,
      side: event.side,
      priceTicks: event.priceTicks,
      sizeLots: event.sizeLots,
      filledLots: event.filledLots,
      filledByUpdatesLots: event.filledLots,
      filledByFillsLots: event.filledLots,
      awaitingFills: false,
      finalVenueTimeMs: null,
      lastVenueTimeMs: event.venueTimeMs ?? null,
      pending: null,
      sentNs: state.nowNs,
      unknown: false,
      nextLookupNs: null,
      lookupAttempts: 0,
    })
    log(state, commands, 'warn', 'UNKNOWN_ORDER', `${venue.config.venue}: live order ${event.clientOrderId} adopted`)
    return
  }
  // Updates of one order arrive in venue order unless redelivered: an older one than the last applied says nothing new.
  if (event.venueTimeMs !== undefined && order.lastVenueTimeMs !== null && event.venueTimeMs < order.lastVenueTimeMs)
    return
  if (event.venueTimeMs !== undefined) order.lastVenueTimeMs = event.venueTimeMs
  order.filledByUpdatesLots = Math.max(order.filledByUpdatesLots, event.filledLots)
  order.filledLots = Math.max(order.filledByUpdatesLots, order.filledByFillsLots)
  order.unknown = false
  order.nextLookupNs = null
  if (final) {
    settleFinal(state, venue, order, event.venueTimeMs)
    return
  }
  if (order.awaitingFills) return
  if (
    order.pending === 'amend' &&
    event.snapshot !== true &&
    (event.priceTicks !== order.priceTicks || event.sizeLots !== order.sizeLots)
  ) {
    // An update from before our amend: its fill counts, but the amend is still in flight (the order may rest at
    // either price until the venue confirms it).
  } else {
    order.side = event.side
    order.priceTicks = event.priceTicks
    order.sizeLots = event.sizeLots
    if (order.pending !== 'cancel') order.pending = null
    order.previousPriceTicks = undefined
    order.previousSizeLots = undefined
  }
}

/**
 * A final order leaves once every fill the venue reported for it is in the position: its fill events all arrived, or a
 * position report at or after its final update holds them. Until then it blocks its side with nothing resting (the
 * venue's position already moved; ours has not).
 */
function settleFinal(
  state: HedgerState,
  venue: VenueState,
  order: WorkingOrder,
  venueTimeMs: number | undefined,
): void {
  const reportMs = venue.reportVenueTimeMs
  const inReport = venueTimeMs !== undefined && reportMs !== null && venueTimeMs <= reportMs
  if (order.filledByFillsLots >= order.filledByUpdatesLots || inReport) {
    finalize(state, venue, order)
    return
  }
  order.awaitingFills = true
  order.finalVenueTimeMs = venueTimeMs ?? null
  order.pending = null
  order.sizeLots = order.filledLots // nothing rests
  order.previousSizeLots = undefined
  order.previousPriceTicks = undefined
}

/**
 * Filled at every size the venue may hold: until the venue confirms an amend (even when a cancel followed it) the order
 * may still rest at its previous size, so fills up to the new size do not end it.
 */
function fullyFilled(order: WorkingOrder): boolean {
  return order.filledLots >= Math.max(order.sizeLots, order.previousSizeLots ?? 0)
}

/**
 * How many ms a venue may stamp a fill after the position report that already holds it, ms. Venue times are whole ms
 * from more than one clock read: the Binance emulator stamps a trade's position `updateTime` and its fill from two
 * reads (a report stamped t can hold a fill stamped t + 1); Deribit position reads carry the request's arrival time
 * `usIn` and hold what the venue did until it answered.
 *
 * The venue-time rule, per venue, against the last position report stamped r:
 * - a fill stamped ≤ r is in the report (the report is the position as of its change time r);
 * - a fill stamped > r + POSITION_STAMP_SKEW_MS is not: it is added on top;
 * - a fill stamped in (r, r + POSITION_STAMP_SKEW_MS] may or may not be: it is AMBIGUOUS. The best estimate takes it
 *   as held (not added), while the limits allow for it not being held (`positionBounds` widens the range by it), until
 *   a report settles it: one stamped at or after the fill holds it; a later one stamped before it applies the same
 *   three cases.
 *
 * Why this is safe and converges: the limits hold whichever way the ambiguous fill went (the range covers both), and
 * the estimate cannot stay wrong. If the fill was not held, every later read of the venue holds it and replaces the
 * position (reports are applied in venue-time order: stamps are the time of the change, the Binance stream's
 * transaction time T, REST `updateTime`, never older than a report already applied). Counting it on top instead
 * doubles it for as long as the venue repeats that report's stamp: a REST poll repeats the `updateTime` of the last
 * change until the next trade (the restarted trader of `killRoles.test.ts` kept a fill twice that way for 30 s).
 * Model test: `positionStamps.property.test.ts`.
 */
export const POSITION_STAMP_SKEW_MS = 1

/** A fill moves the position unless the last position report holds it (see {@link POSITION_STAMP_SKEW_MS}). */
function movePosition(venue: VenueState, lots: number, venueTimeMs: number | undefined): void {
  const reportMs = venue.reportVenueTimeMs
  if (reportMs !== null && venueTimeMs !== undefined && venueTimeMs <= reportMs + POSITION_STAMP_SKEW_MS) {
    if (venueTimeMs > reportMs) venue.ambiguousFills.push({ venueTimeMs, lots })
    return
  }
  venue.positionLots += lots
  venue.unreportedFills.push({ venueTimeMs: venueTimeMs ?? null, lots })
}

/** Removes a final order and remembers its id (bounded). */
function finalize(state: HedgerState, venue: VenueState, order: WorkingOrder): void {
  venue.orders.delete(order.clientOrderId)
  venue.finalOrders.delete(order.clientOrderId)
  venue.finalOrders.set(order.clientOrderId, state.nowNs)
  if (venue.finalOrders.size > FINAL_ORDERS) {
    const oldest = venue.finalOrders.keys().next().value as string
    venue.finalOrders.delete(oldest)
  }
}

/** The order's state is no longer known (it vanished): looked up by client id, its side blocked until the answer. */
function markUnknown(state: HedgerState, order: WorkingOrder): void {
  if (order.unknown) return
  order.unknown = true
  order.lookupAttempts = 0
  order.nextLookupNs = state.nowNs
}

function onFill(state: HedgerState, event: FillEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  if (!(Number.isSafeInteger(event.sizeLots) && event.sizeLots > 0)) {
    log(
      state,
      commands,
      'warn',
      'INVALID_FILL',
      `${venue.config.venue}: fill ${event.tradeId} of ${event.sizeLots} lots dropped`,
    )
    return
  }
  if (venue.seenTradeIds.has(event.tradeId)) return
  venue.seenTradeIds.add(event.tradeId)
  if (venue.seenTradeIds.size > SEEN_TRADE_IDS) {
    const oldest = venue.seenTradeIds.values().next().value as string
    venue.seenTradeIds.delete(oldest)
  }
  movePosition(venue, event.side === 'buy' ? event.sizeLots : -event.sizeLots, event.venueTimeMs)
  const order = venue.orders.get(event.clientOrderId)
  if (order === undefined) {
    if (!venue.finalOrders.has(event.clientOrderId))
      log(
        state,
        commands,
        'warn',
        'UNKNOWN_FILL',
        `${venue.config.venue}: fill ${event.tradeId} of unknown order ${event.clientOrderId}`,
      )
  } else {
    order.filledByFillsLots += event.sizeLots
    order.filledLots = Math.max(order.filledByUpdatesLots, order.filledByFillsLots)
    if (order.awaitingFills) {
      order.sizeLots = order.filledLots
      if (order.filledByFillsLots >= order.filledByUpdatesLots) finalize(state, venue, order)
    } else if (fullyFilled(order)) finalize(state, venue, order)
  }
  enforceLimits(state, commands)
  requoteAll(state, commands)
}

/**
 * The venue's position. With venue times: the report replaces the position, fills after its time (beyond
 * POSITION_STAMP_SKEW_MS) are added on top, an older report than the last one is ignored. Without: it covers every fill
 * received so far.
 */
function onPosition(state: HedgerState, event: PositionEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  if (!Number.isSafeInteger(event.sizeLots)) {
    log(state, commands, 'warn', 'INVALID_POSITION', `${venue.config.venue}: position ${event.sizeLots} lots dropped`)
    return
  }
  const reportMs = event.venueTimeMs
  if (reportMs !== undefined && venue.reportVenueTimeMs !== null && reportMs < venue.reportVenueTimeMs) {
    log(
      state,
      commands,
      'info',
      'STALE_POSITION',
      `${venue.config.venue}: position report at ${reportMs} older than ${venue.reportVenueTimeMs} ignored`,
    )
    return
  }
  // The fills we hold apart from the last report (added on top, or ambiguous), against this one.
  const pending = reportMs === undefined ? [] : [...venue.unreportedFills, ...venue.ambiguousFills]
  const after = pending.filter(
    (fill) => fill.venueTimeMs !== null && fill.venueTimeMs > reportMs! + POSITION_STAMP_SKEW_MS,
  )
  let lots = event.sizeLots
  for (const fill of after) lots += fill.lots
  venue.unreportedFills = after
  venue.ambiguousFills = pending.filter(
    (fill) =>
      fill.venueTimeMs !== null &&
      fill.venueTimeMs > reportMs! &&
      fill.venueTimeMs <= reportMs! + POSITION_STAMP_SKEW_MS,
  )
  venue.reportVenueTimeMs = reportMs ?? venue.reportVenueTimeMs
  venue.positionLots = lots
  // Final orders waiting for fills that this report holds are done (a report without a venue time cannot tell).
  if (reportMs !== undefined)
    for (const order of [...venue.orders.values()])
      if (order.awaitingFills && order.finalVenueTimeMs !== null && order.finalVenueTimeMs <= reportMs)
        finalize(state, venue, order)
  enforceLimits(state, commands)
  requoteAll(state, commands)
}

/**
 * The venue's complete open-orders list. Listed orders are adopted or updated (a failed cancel shows up here as a
 * still-open order and is retried by the order manager); an order we hold that it does not list is no longer open but
 * we do not know how it ended (filled or cancelled): it is looked up by client id. Orders we sent a command for at or
 * after the query started, and unanswered creates, are not judged by it. Confirms a cancel-all sweep when nothing of
 * ours is left.
 */
function onOpenOrders(state: HedgerState, event: OpenOrdersEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  if (venue.snapshotRequestedNs !== null && event.requestedNs >= venue.snapshotRequestedNs)
    venue.snapshotRequestedNs = null
  const listed = new Set<string>()
  for (const line of event.orders) {
    listed.add(line.clientOrderId)
    const finalNs = venue.finalOrders.get(line.clientOrderId)
    // Final after the query started: the snapshot is older than what we know.
    if (finalNs !== undefined && finalNs >= event.requestedNs) continue
    if (finalNs !== undefined) venue.finalOrders.delete(line.clientOrderId)
    const order = venue.orders.get(line.clientOrderId)
    if (order !== undefined && order.sentNs >= event.requestedNs) continue
    if (order !== undefined && order.pending === 'cancel') {
      // Our cancel was sent before the query and the venue still lists the order: the cancel failed or was lost.
      order.pending = null
      log(state, commands, 'warn', 'CANCEL_NOT_APPLIED', `${venue.config.venue}: ${line.clientOrderId} still open`)
    }
    applyOrderUpdate(state, venue, { ...line, status: 'new', snapshot: true }, commands)
  }
  for (const order of venue.orders.values()) {
    if (
      listed.has(order.clientOrderId) ||
      order.sentNs >= event.requestedNs ||
      order.pending === 'new' ||
      order.awaitingFills
    )
      continue
    markUnknown(state, order)
  }
  scheduleLookups(state, venue, commands)
  if (venue.sweep !== null && event.requestedNs >= venue.sweep.sentNs && venue.orders.size === 0) {
    log(
      state,
      commands,
      'info',
      'CANCEL_ALL_CONFIRMED',
      `${venue.config.venue}: no open order left (${venue.sweep.reason}, ${venue.sweep.attempts} cancel-all)`,
    )
    venue.sweep = null
  }
  sweepIfHalted(state, venue, commands)
  requoteVenue(state, venue, commands)
}

/** A lookup by client id found nothing: the order never reached the venue (or the venue forgot it); its slot is free. */
function onOrderAbsent(state: HedgerState, event: OrderAbsentEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  const order = venue.orders.get(event.clientOrderId)
  if (order === undefined || order.sentNs > event.requestedNs) return
  finalize(state, venue, order)
  log(state, commands, 'info', 'ORDER_ABSENT', `${venue.config.venue}: the venue has no order ${event.clientOrderId}`)
  sweepIfHalted(state, venue, commands)
  requoteVenue(state, venue, commands)
}

/** A command for one order failed: settle what is definite, look up or re-read what is not. */
function onCommandFailed(state: HedgerState, event: CommandFailedEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  if (event.command === 'cancelAll') {
    // The sweep's backoff sends it again; the open orders tell whether anything is left.
    requestSnapshot(state, venue, commands)
    return
  }
  const order = venue.orders.get(event.clientOrderId)
  if (order === undefined) return
  if (event.outcome === 'notFound' || (event.command === 'placeOrder' && event.outcome === 'unknown')) {
    // Not found: final on the venue, but filled or cancelled? A create without an answer: live or not? Either way the
    // venue's answer to a lookup by id decides; the side stays blocked until then.
    markUnknown(state, order)
    scheduleLookups(state, venue, commands)
  } else if (event.command === 'placeOrder') finalize(state, venue, order)
  else if (event.command === 'amendOrder' && event.outcome === 'rejected') {
    // The venue kept the order as it was.
    order.priceTicks = order.previousPriceTicks ?? order.priceTicks
    order.sizeLots = order.previousSizeLots ?? order.sizeLots
    order.previousPriceTicks = undefined
    order.previousSizeLots = undefined
    order.pending = null
  } else if (event.command === 'amendOrder') requestSnapshot(state, venue, commands)
  else {
    // A cancel that failed or has no answer: the order is live until the venue says otherwise; the order manager
    // cancels it again if it is still unwanted, and the open orders settle the rest.
    order.pending = null
    requestSnapshot(state, venue, commands)
  }
  sweepIfHalted(state, venue, commands)
  requoteVenue(state, venue, commands)
}

/** Asks the runner for the venue's open orders unless a request is already outstanding (re-asked after the ack timeout). */
function requestSnapshot(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  const requested = venue.snapshotRequestedNs
  if (requested !== null && state.nowNs - requested < venue.config.orderAckTimeoutNs) return
  venue.snapshotRequestedNs = state.nowNs
  venue.lastSnapshotRequestNs = state.nowNs
  commands.push({ type: 'requestOpenOrders', tsNs: state.nowNs, venue: venue.config.venue })
}

/** Lookups by client id of unknown creates, with backoff. */
function scheduleLookups(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  for (const order of venue.orders.values()) {
    if (!order.unknown || order.nextLookupNs === null || state.nowNs < order.nextLookupNs) continue
    const delay = backoff(venue.config.lookupRetryNs, venue.config.lookupRetryMaxNs, order.lookupAttempts)
    order.lookupAttempts += 1
    order.nextLookupNs = state.nowNs + delay
    commands.push({
      type: 'lookupOrder',
      tsNs: state.nowNs,
      venue: venue.config.venue,
      clientOrderId: order.clientOrderId,
    })
  }
}

function backoff(firstNs: bigint, maxNs: bigint, attempts: number): bigint {
  const delay = firstNs * 2n ** BigInt(Math.min(attempts, 30))
  return delay < maxNs ? delay : maxNs
}

function onVenueHealth(state: HedgerState, event: VenueHealthEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  switch (event.status) {
    case 'connected':
      venue.connected = true
      break
    case 'disconnected':
      venue.connected = false
      break
    case 'feedGap':
      venue.feedGap = true
      break
    case 'resynced':
      venue.feedGap = false
      break
  }
  updateVenueHalt(state, venue, commands)
  if (
    event.status === 'connected' &&
    globalHaltReason(state) === null &&
    venue.haltAnnounced === null &&
    venue.lastDeadManNs !== state.nowNs
  )
    armDeadMan(state, venue, commands)
  // A (re)connect may have missed updates: re-read the open orders.
  if (event.status === 'connected' || event.status === 'resynced') requestSnapshot(state, venue, commands)
  requoteAll(state, commands)
}

function armDeadMan(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  venue.lastDeadManNs = state.nowNs
  commands.push({
    type: 'armDeadManSwitch',
    tsNs: state.nowNs,
    venue: venue.config.venue,
    timeoutMs: venue.config.deadManTimeoutMs,
  })
}

function onTimer(state: HedgerState, commands: HedgerCommand[]): void {
  const now = state.nowNs
  const sampleBasisNow = state.lastBasisSampleNs === null || now - state.lastBasisSampleNs >= state.config.basisSampleNs
  if (sampleBasisNow) state.lastBasisSampleNs = now
  for (const venue of state.venues) {
    if (venue.connected && venue.lastMarketNs !== null && now - venue.lastMarketNs > venue.config.staleAfterNs)
      venue.stale = true
    refreshIntensity(state, venue)
    if (sampleBasisNow) {
      sampleBasis(state, venue)
      const { basisBps, correlation } = venue.basis
      if (basisBps !== null)
        commands.push({ type: 'metric', tsNs: now, name: `basisBps.${venue.config.venue}`, value: basisBps })
      if (correlation !== null)
        commands.push({ type: 'metric', tsNs: now, name: `correlation.${venue.config.venue}`, value: correlation })
    }
    updateVenueHalt(state, venue, commands)
    // The dead-man switch is refreshed only while the venue may quote: during a kill or a halt it is left to run out,
    // so the venue cancels everything even if every one of our cancels is lost.
    if (
      venue.connected &&
      globalHaltReason(state) === null &&
      venue.haltAnnounced === null &&
      (venue.lastDeadManNs === null || now - venue.lastDeadManNs >= venue.config.deadManRearmNs)
    )
      armDeadMan(state, venue, commands)
    sweepIfHalted(state, venue, commands)
    superviseOrders(state, venue, commands)
  }
  if (state.lastRangeNs === null || now - state.lastRangeNs >= state.config.rangeIntervalNs) {
    const suggestion = suggestRangeHalfWidth(state)
    if (suggestion !== null) {
      state.lastRangeNs = now
      const last = state.lastRangeHalfWidthBps
      if (last === null || Math.abs(suggestion.halfWidthBps - last) > state.config.lp.rangeMinChangeFraction * last) {
        state.lastRangeHalfWidthBps = suggestion.halfWidthBps
        commands.push({
          type: 'suggestRange',
          tsNs: now,
          halfWidthBps: suggestion.halfWidthBps,
          sigmaLogPerSqrtSec: suggestion.sigmaLogPerSqrtSec,
          rebalanceThreshold: state.config.lp.rebalanceThreshold,
        })
      }
    }
  }
  const exposure = computeNetExposure(state)
  commands.push({ type: 'metric', tsNs: now, name: 'netExposureBase', value: exposure.netBase })
  requoteAll(state, commands)
}

function onOperator(state: HedgerState, event: OperatorEvent, commands: HedgerCommand[]): void {
  if (event.action === 'kill') {
    triggerKill(state, 'operatorKill', commands)
    log(state, commands, 'error', 'OPERATOR_KILL', `operator kill: ${event.reason}`)
    return
  }
  if (state.killed === null) return
  const breach = checkLimits(state)
  if (breach !== null) {
    log(state, commands, 'error', 'RESUME_REFUSED', `operator resume refused: ${breach} still breached`)
    return
  }
  state.killed = null
  commands.push({ type: 'resume', tsNs: state.nowNs, scope: 'all' })
  log(state, commands, 'info', 'RESUMED', `operator resume: ${event.reason}`)
  // The kill is over but the LP inventory is still stale: the LP halt goes on, announced again after the resume.
  if (state.lpStale) {
    commands.push({ type: 'halt', tsNs: state.nowNs, scope: 'all', reason: 'lpInventoryStale' })
    for (const venue of state.venues) sweepIfHalted(state, venue, commands)
    return
  }
  for (const venue of state.venues)
    if (venue.connected && venue.haltAnnounced === null) armDeadMan(state, venue, commands)
  requoteAll(state, commands)
}

function enforceLimits(state: HedgerState, commands: HedgerCommand[]): void {
  const breach = checkLimits(state)
  if (breach !== null) triggerKill(state, breach, commands)
}

/** The global kill switch: cancel all everywhere, stop quoting, latch until an operator resume. Dead-man switches stay armed. */
function triggerKill(state: HedgerState, reason: HaltReason, commands: HedgerCommand[]): void {
  if (state.killed !== null) return
  state.killed = reason
  for (const venue of state.venues) cancelAllOn(state, venue, reason, commands)
  commands.push({ type: 'halt', tsNs: state.nowNs, scope: 'all', reason })
  log(state, commands, 'error', 'KILL_SWITCH', `kill switch: ${reason}`)
}

/** Starts (or restarts) the cancel-all sweep of a venue: sent now, repeated with backoff until confirmed. */
function cancelAllOn(state: HedgerState, venue: VenueState, reason: HaltReason, commands: HedgerCommand[]): void {
  venue.sweep = { reason, attempts: 0, sentNs: state.nowNs, nextNs: state.nowNs }
  sendSweep(state, venue, commands)
}

function sendSweep(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  const sweep = venue.sweep
  if (sweep === null) return
  const config = venue.config
  sweep.sentNs = state.nowNs
  sweep.nextNs = state.nowNs + backoff(config.cancelRetryNs, config.cancelRetryMaxNs, sweep.attempts)
  sweep.attempts += 1
  commands.push({ type: 'cancelAll', tsNs: state.nowNs, venue: config.venue, reason: sweep.reason })
  for (const order of venue.orders.values()) {
    if (order.pending === 'new') continue
    order.pending = 'cancel'
    order.sentNs = state.nowNs
  }
}

/**
 * While the kill switch is latched or the venue is halted, nothing of ours may stay open: a sweep is started when an
 * order appears (a late ack, an adopted order) and its cancel-all is re-sent when due, until the venue confirms.
 */
function sweepIfHalted(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  const reason = globalHaltReason(state) ?? venue.haltAnnounced
  if (reason === null) {
    venue.sweep = null
    return
  }
  if (venue.sweep === null) {
    if (venue.orders.size > 0) cancelAllOn(state, venue, reason, commands)
    return
  }
  if (state.nowNs >= venue.sweep.nextNs) sendSweep(state, venue, commands)
}

/**
 * Order supervision on the timer: lookups of unknown creates; an open-orders re-read when a command has waited longer
 * than the ack timeout, or periodically while we have orders.
 */
function superviseOrders(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  scheduleLookups(state, venue, commands)
  if (venue.orders.size === 0) return
  const config = venue.config
  let due = false
  for (const order of venue.orders.values())
    if (order.pending !== null && !order.unknown && state.nowNs - order.sentNs >= config.orderAckTimeoutNs) due = true
  const last = venue.lastSnapshotRequestNs
  if (!due && (last === null || state.nowNs - last >= config.reconcileIntervalNs)) due = true
  if (due) requestSnapshot(state, venue, commands)
}

/** A book older than `staleAfterMs` halts the venue at once, whatever event comes next (not only on the timer). */
function checkStale(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  if (
    !venue.stale &&
    venue.connected &&
    venue.lastMarketNs !== null &&
    state.nowNs - venue.lastMarketNs > venue.config.staleAfterNs
  ) {
    venue.stale = true
    updateVenueHalt(state, venue, commands)
  }
}

function venueHaltReason(venue: VenueState): HaltReason | null {
  if (!venue.connected) return 'disconnected'
  if (venue.feedGap) return 'feedGap'
  if (venue.stale) return 'staleMarketData'
  if (venue.basisHalted) return 'basisBound'
  if (venue.divergenceHalted) return 'feedDivergence'
  return null
}

/** Venue-scoped halts (auto-resume): cancel all on that venue when one starts, announce the resume when it ends. */
function updateVenueHalt(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  const reason = venueHaltReason(venue)
  if (reason === venue.haltAnnounced) return
  const name = venue.config.venue
  if (reason !== null) {
    cancelAllOn(state, venue, reason, commands)
    commands.push({ type: 'halt', tsNs: state.nowNs, scope: name, reason })
    log(state, commands, 'warn', 'VENUE_HALT', `${name}: ${reason}`)
    venue.haltAnnounced = reason
    return
  }
  commands.push({ type: 'resume', tsNs: state.nowNs, scope: name })
  venue.haltAnnounced = null
  if (globalHaltReason(state) === null && venue.connected) armDeadMan(state, venue, commands)
}

function requoteAll(state: HedgerState, commands: HedgerCommand[]): void {
  for (const venue of state.venues) checkStale(state, venue, commands)
  const quotes = computeDesiredQuotes(state, computeNetExposure(state))
  for (const venue of state.venues) applyQuote(state, venue, quotes[venue.config.index] as VenueQuote, commands)
}

function requoteVenue(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
  checkStale(state, venue, commands)
  const quotes = computeDesiredQuotes(state, computeNetExposure(state))
  applyQuote(state, venue, quotes[venue.config.index] as VenueQuote, commands)
}

function applyQuote(state: HedgerState, venue: VenueState, quote: VenueQuote, commands: HedgerCommand[]): void {
  if (statusKind(quote.status) !== statusKind(venue.status))
    log(state, commands, 'info', 'QUOTE_STATUS', `${venue.config.venue}: ${quote.status}`)
  venue.status = quote.status
  // A disconnected venue gets no commands at all: its orders are covered by cancelAll and the dead-man switch.
  if (!venue.connected) return
  planVenueOrders(state, venue, quote, commands)
}

function statusKind(status: string): string {
  const colon = status.indexOf(':')
  return colon < 0 ? status : status.slice(0, colon)
}
