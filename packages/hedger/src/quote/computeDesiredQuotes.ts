import { computeShapedOrderSizes } from '@alp/models'
import { positionBounds } from '../core/positionBounds.js'
import type { HedgerState, NetExposure, VenueQuote, VenueState } from '../core/types.js'
import type { Side } from '../messages/events.js'
import { computeModelDepths } from './computeModelDepths.js'
import { snapQuotePrices } from './snapQuotePrices.js'

const LOT_EPSILON = 1e-9

/** Why a venue may not quote at all, or null when it may. */
export function venueBlockReason(state: HedgerState, venue: VenueState): string | null {
  if (state.killed !== null) return `halted: ${state.killed}`
  if (state.lpStale) return 'halted: lpInventoryStale'
  if (!venue.connected) return 'disconnected'
  if (!state.lpSeen) return 'waiting: no LP inventory yet (net exposure unknown)'
  if (venue.feedGap) return 'halted: feedGap'
  if (venue.stale) return 'halted: staleMarketData'
  if (venue.basisHalted) return 'halted: basisBound'
  if (venue.divergenceHalted) return 'halted: feedDivergence'
  if (venue.bbo === null) return 'noMarketData'
  if (venue.bbo.bidPriceTicks < 1 || venue.bbo.askPriceTicks <= venue.bbo.bidPriceTicks)
    return 'invalidBook: crossed or empty'
  return null
}

type Candidate = {
  venue: VenueState
  bidPriceTicks: number | null
  askPriceTicks: number | null
  bidCapLots: number
  askCapLots: number
  bidShapedLots: number
  askShapedLots: number
  midPrice: number
}

/**
 * The quote engine and router: for every venue, the bid/ask it should be quoting now.
 *
 * Prices: model depths (AS or GLFT, q = net exposure in order sizes) → `snapQuotePrices` (edge over fees, post-only,
 * tick grid, reducing side never farther). Sizes: the order size shaped by e^(−η|q|) on the side that grows |q|
 * (`computeShapedOrderSizes`), then the hedge itself — |net exposure| — is routed to the reducing side of the venues in
 * order of effective price after maker fees (best first), each taking up to its caps. Caps per side: max order size,
 * per-venue position and notional headroom, total position and notional headroom, and `maxBookShare` of the visible
 * depth of that side. The increasing side is never larger than the reducing side. When the hedge moves to another
 * venue, the new venue's allocation gives up what the others may still fill beyond their new quotes (a cut not yet
 * confirmed: the previous size may still rest), so the venues never offer the hedge twice during the round trip; a
 * blocked venue's orders that may still fill (its cancel-all not yet confirmed) count in full. Blocked venues (halt,
 * LP inventory stale, disconnect, stale book, feed gap, basis, warm-up) get no quotes and say why in `status`.
 */
export function computeDesiredQuotes(state: HedgerState, exposure: NetExposure): VenueQuote[] {
  const config = state.config
  const netBase = exposure.netBase
  const deadband = config.hedge.deadbandBase
  const reducingSide: Side | null = netBase > deadband ? 'sell' : netBase < -deadband ? 'buy' : null
  const q = netBase / config.hedge.orderSizeBase
  const quotes: VenueQuote[] = []
  const candidates: Candidate[] = []
  // Limits use the side of each venue's position range that could breach them (see positionBounds).
  let totalHighBase = 0
  let totalLowBase = 0
  const bounds = state.venues.map((venue) => {
    const range = positionBounds(venue)
    totalHighBase += range.highLots * venue.config.stepSizeBase
    totalLowBase += range.lowLots * venue.config.stepSizeBase
    return range
  })
  for (const venue of state.venues) {
    const quote: VenueQuote = { bid: null, ask: null, status: 'quoting' }
    quotes.push(quote)
    const blocked = venueBlockReason(state, venue)
    if (blocked !== null) {
      quote.status = blocked
      continue
    }
    const bbo = venue.bbo as NonNullable<VenueState['bbo']>
    const vc = venue.config
    const midPrice = ((bbo.bidPriceTicks + bbo.askPriceTicks) / 2) * vc.tickSizePrice
    const depths = computeModelDepths(venue, midPrice, q, config)
    if (typeof depths === 'string') {
      quote.status = depths
      continue
    }
    const minDepthPrice = (Math.max(0, vc.makerFeeBps + config.model.minEdgeBps) * midPrice) / 10_000
    const prices = snapQuotePrices({
      bestBidTicks: bbo.bidPriceTicks,
      bestAskTicks: bbo.askPriceTicks,
      bidDepthTicks: depths.bidDepthPrice / vc.tickSizePrice,
      askDepthTicks: depths.askDepthPrice / vc.tickSizePrice,
      minDepthTicks: minDepthPrice / vc.tickSizePrice,
      reducingSide,
      floorReducingSide: config.model.feeFloorOnReducingSide,
    })
    const shaped = computeShapedOrderSizes({
      orderSizeBase: config.hedge.orderSizeBase,
      q,
      eta: config.model.eta,
      lotSizeBase: vc.stepSizeBase,
      rounding: 'down',
    })
    const lots = (base: number): number => Math.max(0, Math.floor(base / vc.stepSizeBase + LOT_EPSILON))
    const maxOrderLots = lots(vc.maxOrderSizeBase)
    const venueLimitLots = lots(Math.min(vc.maxPositionBase, vc.maxNotionalUsd / midPrice))
    const totalLimitBase = Math.min(config.risk.maxTotalPositionBase, config.risk.maxTotalNotionalUsd / midPrice)
    const bidVisible = visibleLots(venue.bids, bbo.bidSizeLots, vc.bookDepthLevels)
    const askVisible = visibleLots(venue.asks, bbo.askSizeLots, vc.bookDepthLevels)
    candidates.push({
      venue,
      bidPriceTicks: prices.bidPriceTicks,
      askPriceTicks: prices.askPriceTicks,
      bidCapLots: Math.min(
        maxOrderLots,
        venueLimitLots - (bounds[vc.index] as (typeof bounds)[number]).highLots,
        lots(totalLimitBase - totalHighBase),
        Math.floor(vc.maxBookShare * bidVisible + LOT_EPSILON),
      ),
      askCapLots: Math.min(
        maxOrderLots,
        venueLimitLots + (bounds[vc.index] as (typeof bounds)[number]).lowLots,
        lots(totalLimitBase + totalLowBase),
        Math.floor(vc.maxBookShare * askVisible + LOT_EPSILON),
      ),
      bidShapedLots: shaped.bidLots,
      askShapedLots: shaped.askLots,
      midPrice,
    })
  }

  // Route the hedge: best effective price after fees first.
  const allocatedLots = new Map<VenueState, number>()
  let ranked: Candidate[] = []
  if (reducingSide !== null) {
    ranked = candidates.filter((c) => (reducingSide === 'sell' ? c.askPriceTicks : c.bidPriceTicks) !== null)
    ranked.sort((a, b) => {
      const diff = effectivePrice(b, reducingSide) - effectivePrice(a, reducingSide)
      return (reducingSide === 'sell' ? diff : -diff) || a.venue.config.index - b.venue.config.index
    })
    let remainingBase = Math.abs(netBase)
    for (const candidate of ranked) {
      if (remainingBase <= 0) break
      const cap = Math.max(0, reducingSide === 'sell' ? candidate.askCapLots : candidate.bidCapLots)
      const step = candidate.venue.config.stepSizeBase
      const take = Math.min(cap, Math.floor(remainingBase / step + LOT_EPSILON))
      allocatedLots.set(candidate.venue, take)
      remainingBase -= take * step
    }
  }

  // A venue's reducing quote is raised above its shaped size only by what the other venues can no longer fill: a cut
  // the core sent another venue (the hedge routed away from it) holds until the venue confirms it, and meanwhile that
  // venue may still fill its previous size. Raising the new venue at once would offer the hedge twice for a round trip
  // (both fill: |net exposure| sold twice). So each venue's allocation gives up the other venues' unconfirmed excess.
  // A venue that may not quote (halted, disconnected, no usable model) is meant to hold nothing: all its reducing-side
  // orders that may still fill (a cancel-all not yet confirmed, orders the dead-man switch has not yet removed) are
  // excess.
  if (reducingSide !== null && state.venues.length > 1) {
    const excess = new Map<VenueState, number>()
    let totalExcessBase = 0
    for (const venue of state.venues) {
      const candidate = candidates.find((c) => c.venue === venue)
      let meant = 0
      if (candidate !== undefined) {
        const shaped = reducingSide === 'sell' ? candidate.askShapedLots : candidate.bidShapedLots
        const cap = Math.max(0, reducingSide === 'sell' ? candidate.askCapLots : candidate.bidCapLots)
        meant = Math.min(cap, Math.max(shaped, allocatedLots.get(venue) ?? 0))
      }
      const base = Math.max(0, mayStillFillLots(venue, reducingSide) - meant) * venue.config.stepSizeBase
      excess.set(venue, base)
      totalExcessBase += base
    }
    for (const [venue, lots] of allocatedLots) {
      const othersBase = totalExcessBase - (excess.get(venue) ?? 0)
      if (othersBase <= 0) continue
      allocatedLots.set(venue, Math.max(0, lots - Math.ceil(othersBase / venue.config.stepSizeBase - LOT_EPSILON)))
    }
  }

  // Total position headroom is shared: venues are sized in routing order and each takes from what is left.
  let maxMid = 0
  for (const candidate of candidates) maxMid = Math.max(maxMid, candidate.midPrice)
  const totalLimitBase = Math.min(config.risk.maxTotalPositionBase, config.risk.maxTotalNotionalUsd / maxMid)
  let buyRoomBase = totalLimitBase - totalHighBase
  let sellRoomBase = totalLimitBase + totalLowBase
  const order = ranked.length === 0 ? candidates : [...ranked, ...candidates.filter((c) => !ranked.includes(c))]
  for (const candidate of order) {
    const venue = candidate.venue
    const quote = quotes[venue.config.index] as VenueQuote
    const step = venue.config.stepSizeBase
    const bidCapLots = Math.min(candidate.bidCapLots, Math.floor(buyRoomBase / step + LOT_EPSILON))
    const askCapLots = Math.min(candidate.askCapLots, Math.floor(sellRoomBase / step + LOT_EPSILON))
    // Smallest size the venue takes: minSizeLots, and minNotionalQuote at the quote's own price.
    const minLotsAt = (priceTicks: number | null): number =>
      priceTicks === null
        ? Number.POSITIVE_INFINITY
        : Math.max(
            venue.config.minSizeLots,
            Math.ceil(
              venue.config.minNotionalQuote / (priceTicks * venue.config.tickSizePrice * venue.config.stepSizeBase) -
                LOT_EPSILON,
            ),
          )
    const minBidLots = minLotsAt(candidate.bidPriceTicks)
    const minAskLots = minLotsAt(candidate.askPriceTicks)
    const allocated = allocatedLots.get(venue) ?? 0
    let bidLots = Math.max(0, Math.min(bidCapLots, candidate.bidShapedLots))
    let askLots = Math.max(0, Math.min(askCapLots, candidate.askShapedLots))
    if (reducingSide === 'sell') {
      askLots = Math.max(0, Math.min(askCapLots, Math.max(candidate.askShapedLots, allocated)))
      if (askLots >= minAskLots) bidLots = Math.min(bidLots, askLots)
    } else if (reducingSide === 'buy') {
      bidLots = Math.max(0, Math.min(bidCapLots, Math.max(candidate.bidShapedLots, allocated)))
      if (bidLots >= minBidLots) askLots = Math.min(askLots, bidLots)
    }
    quote.bid =
      candidate.bidPriceTicks !== null && bidLots >= minBidLots
        ? { priceTicks: candidate.bidPriceTicks, sizeLots: bidLots }
        : null
    quote.ask =
      candidate.askPriceTicks !== null && askLots >= minAskLots
        ? { priceTicks: candidate.askPriceTicks, sizeLots: askLots }
        : null
    if (quote.bid === null && quote.ask === null) quote.status = 'noSize: limits or depth leave nothing to quote'
    buyRoomBase -= (quote.bid?.sizeLots ?? 0) * step
    sellRoomBase -= (quote.ask?.sizeLots ?? 0) * step
  }
  return quotes
}

/**
 * The most a venue may still fill on `side`, lots: each of its orders' remaining size at the largest size the venue may
 * hold (an unconfirmed amend may still rest at its previous size; a pending cancel at its size).
 */
function mayStillFillLots(venue: VenueState, side: Side): number {
  let lots = 0
  for (const order of venue.orders.values())
    if (order.side === side)
      lots += Math.max(0, Math.max(order.sizeLots, order.previousSizeLots ?? 0) - order.filledLots)
  return lots
}

function effectivePrice(candidate: Candidate, side: Side): number {
  const tickSize = candidate.venue.config.tickSizePrice
  const fee = candidate.venue.config.makerFeeBps / 10_000
  return side === 'sell'
    ? (candidate.askPriceTicks as number) * tickSize * (1 - fee)
    : (candidate.bidPriceTicks as number) * tickSize * (1 + fee)
}

function visibleLots(levels: VenueState['bids'], touchLots: number, depthLevels: number): number {
  if (levels === null || levels.length === 0) return touchLots
  let total = 0
  const n = Math.min(depthLevels, levels.length)
  for (let i = 0; i < n; i++) total += (levels[i] as readonly [number, number])[1]
  return total
}
