import type { HaltReason, HedgerCommand } from '../messages/commands.js'
import type {
  BboEvent,
  BookEvent,
  FillEvent,
  HedgerEvent,
  LpInventoryEvent,
  OperatorEvent,
  OrderUpdateEvent,
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
import type { HedgerState, VenueQuote, VenueState } from './types.js'

/** What one step returns: the next state (the same object, updated) and the commands to execute, in order. */
export type StepResult = { readonly state: HedgerState; readonly commands: HedgerCommand[] }

/** Trade ids remembered per venue for fill de-duplication. */
const SEEN_TRADE_IDS = 4096

/**
 * The deterministic hedger core: (state, event) → (state, commands).
 *
 * - Clock: the only time is `event.tsNs` (the core's `nowNs` is the latest event time seen). No wall clock, no timers,
 *   no randomness; client order ids are `prefix + venueIndex + 'x' + counter` from the state.
 * - State is threaded: the returned state is the argument, updated in place (cheap: no copy per event). Use it linearly:
 *   keep only the returned value. Two states built from the same config and fed the same events emit the same commands.
 * - Never throws on market or venue data: bad or out-of-order data is dropped with a `log` command.
 */
export function step(state: HedgerState, event: HedgerEvent): StepResult {
  const commands: HedgerCommand[] = []
  if (event.tsNs > state.nowNs) state.nowNs = event.tsNs
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
    case 'position': {
      const venue = venueOf(state, event.venue, commands)
      if (venue === undefined) break
      venue.positionLots = event.sizeLots
      enforceLimits(state, commands)
      requoteAll(state, commands)
      break
    }
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
  if (venue.lastMarketNs !== null && event.tsNs < venue.lastMarketNs) return
  if (!(event.priceTicks >= 1)) return
  venue.lastMarketNs = event.tsNs
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
      : `warmingUp: intensity ${fit.reason} (${fit.arrivalCount} arrivals, ${fit.usablePointCount} usable depths)`
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
    return
  }
  state.lpDeviationBase = held - target
  state.poolPrice = pool
  state.lpSeen = true
  requoteAll(state, commands)
}

function onOrderUpdate(state: HedgerState, event: OrderUpdateEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  const order = venue.orders.get(event.clientOrderId)
  if (
    event.status === 'filled' ||
    event.status === 'canceled' ||
    event.status === 'expired' ||
    event.status === 'rejected'
  ) {
    venue.orders.delete(event.clientOrderId)
  } else if (order === undefined) {
    // The venue says it is live and we did not know it: the venue's word wins; the order manager decides its fate.
    venue.orders.set(event.clientOrderId, {
      clientOrderId: event.clientOrderId,
      side: event.side,
      priceTicks: event.priceTicks,
      sizeLots: event.sizeLots,
      filledLots: event.filledLots,
      pending: null,
    })
    log(state, commands, 'warn', 'UNKNOWN_ORDER', `${venue.config.venue}: live order ${event.clientOrderId} adopted`)
  } else if (
    order.pending === 'amend' &&
    event.snapshot !== true &&
    (event.priceTicks !== order.priceTicks || event.sizeLots !== order.sizeLots)
  ) {
    // An update from before our amend: fills are real, but the amend is still in flight (the order may rest at
    // either price until the venue confirms it).
    order.filledLots = event.filledLots
  } else {
    order.side = event.side
    order.priceTicks = event.priceTicks
    order.sizeLots = event.sizeLots
    order.filledLots = event.filledLots
    if (order.pending !== 'cancel') order.pending = null
    order.previousPriceTicks = undefined
  }
  requoteVenue(state, venue, commands)
}

function onFill(state: HedgerState, event: FillEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  if (venue.seenTradeIds.has(event.tradeId)) return
  venue.seenTradeIds.add(event.tradeId)
  if (venue.seenTradeIds.size > SEEN_TRADE_IDS) {
    const oldest = venue.seenTradeIds.values().next().value as string
    venue.seenTradeIds.delete(oldest)
  }
  venue.positionLots += event.side === 'buy' ? event.sizeLots : -event.sizeLots
  const order = venue.orders.get(event.clientOrderId)
  if (order === undefined)
    log(
      state,
      commands,
      'warn',
      'UNKNOWN_FILL',
      `${venue.config.venue}: fill ${event.tradeId} of unknown order ${event.clientOrderId}`,
    )
  else {
    order.filledLots += event.sizeLots
    if (order.filledLots >= order.sizeLots) venue.orders.delete(event.clientOrderId)
  }
  enforceLimits(state, commands)
  requoteAll(state, commands)
}

function onVenueHealth(state: HedgerState, event: VenueHealthEvent, commands: HedgerCommand[]): void {
  const venue = venueOf(state, event.venue, commands)
  if (venue === undefined) return
  switch (event.status) {
    case 'connected':
      venue.connected = true
      armDeadMan(state, venue, commands)
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
    // Dead-man switches stay armed whatever the halt state: they are the last line if our cancels are lost.
    if (venue.connected && (venue.lastDeadManNs === null || now - venue.lastDeadManNs >= venue.config.deadManRearmNs))
      armDeadMan(state, venue, commands)
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

function cancelAllOn(state: HedgerState, venue: VenueState, reason: HaltReason, commands: HedgerCommand[]): void {
  commands.push({ type: 'cancelAll', tsNs: state.nowNs, venue: venue.config.venue, reason })
  for (const order of venue.orders.values()) order.pending = 'cancel'
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
  } else commands.push({ type: 'resume', tsNs: state.nowNs, scope: name })
  venue.haltAnnounced = reason
}

function requoteAll(state: HedgerState, commands: HedgerCommand[]): void {
  const quotes = computeDesiredQuotes(state, computeNetExposure(state))
  for (const venue of state.venues) applyQuote(state, venue, quotes[venue.config.index] as VenueQuote, commands)
}

function requoteVenue(state: HedgerState, venue: VenueState, commands: HedgerCommand[]): void {
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
