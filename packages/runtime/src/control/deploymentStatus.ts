import {
  type BookLevelTicks,
  bookToEvent,
  computeModelDepths,
  computeNetExposure,
  formatGridUnits,
  type HedgerState,
  type VenueState,
  venueBlockReason,
} from '@alp/hedger'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import type { Deployment } from '../deployment/createDeployment.js'
import type { HaltRecord, HedgeFigures, TraderObserver } from '../observability/createTraderObserver.js'
import type { LpManagerRoleHandle } from '../roles/startLpManagerRole.js'
import type { VenueLink } from '../roles/VenueLink.js'
import type { RecentError, RecentErrors } from './createRecentErrors.js'

/** Version of the status document: bumped on any breaking change of its shape (scripts and the dashboard read it). */
export const DEPLOYMENT_STATUS_VERSION = 1

/** One of our working orders as the trader sees it. */
export type OrderStatus = {
  readonly clientOrderId: string
  readonly side: 'buy' | 'sell'
  /** Exact decimal strings on the venue grid. */
  readonly price: string
  readonly size: string
  readonly filled: string
  /** Since the last place or amend was sent, ms. */
  readonly ageMs: number
  /** `new` / `amend` / `cancel`: sent, not yet confirmed by the venue; null: confirmed live. */
  readonly pending: 'new' | 'amend' | 'cancel' | null
  /** The venue has not said whether it exists (looked up by client order id until it does). */
  readonly unknown: boolean
}

export type VenueStatus = {
  readonly venue: string
  readonly symbol: string | null
  readonly connected: boolean
  /** `quoting`, or why this venue does not quote (halted: …, warmingUp: …, waiting: …, noSize: …). */
  readonly quoting: string
  /**
   * The venue's best bid and offer (exact decimal strings), our own orders included: from the connector's synced book
   * when this process holds it (`source: 'connector'`), else the trader's external book with our confirmed orders put
   * back (`source: 'trader'`). Null before any.
   */
  readonly book: {
    readonly bidPrice: string
    readonly bidSize: string
    readonly askPrice: string
    readonly askSize: string
    readonly midPrice: number
    readonly source: 'connector' | 'trader'
  } | null
  /**
   * The market without our orders, as the trader quotes around it (the core takes its own orders out of the book):
   * best bid and ask, and how old its last book or best bid/offer event is, ms.
   */
  readonly market: {
    readonly bidPrice: string
    readonly askPrice: string
    readonly midPrice: number
    readonly ageMs: number | null
  } | null
  /**
   * The model's quote now: reservation price (mid shifted by the net exposure) and optimal spread (bid depth + ask
   * depth), price units; null while the model cannot quote (`modelStatus` says why).
   */
  readonly model: {
    readonly reservationPrice: number
    readonly optimalSpread: number
    readonly optimalSpreadBps: number
    readonly bidDepth: number
    readonly askDepth: number
  } | null
  readonly modelStatus: string | null
  readonly orders: readonly OrderStatus[]
  readonly positionBase: number
  /** The venue-scoped halt announced (staleMarketData, feedGap, disconnected, basisBound, …), null when none. */
  readonly halt: string | null
  /** Calibration warm-up: volatility increments and history elapsed / needed, and the intensity's state. */
  readonly warmUp: {
    readonly ready: boolean
    readonly volatility: {
      readonly ready: boolean
      readonly increments: number | null
      readonly neededIncrements: number | null
      readonly historyMs: number | null
      readonly neededHistoryMs: number | null
    }
    readonly intensity: { readonly ready: boolean; readonly status: string }
  }
  /** Our fills and quotes on this venue since the process started, and the hedge PnL marked at the mid (quote units). */
  readonly hedge: HedgeFigures & { readonly pnlQuote: number | null }
}

export type LpStatus = {
  readonly instance: string
  readonly killed: boolean
  /** The trader's range hint in force (suggestRange), bps of price. */
  readonly rangeHintBps: number | null
  /** Ranges with liquidity (the live LP manager's snapshot; empty without one). */
  readonly ranges: readonly {
    readonly tokenId: string
    readonly tickLower: number
    readonly tickUpper: number
    readonly liquidity: string
    readonly role: string
  }[]
  /** Holdings from the last inventory update (positions + uncollected fees + idle balance), whole tokens. */
  readonly holdings: {
    readonly baseToken: 'token0' | 'token1'
    readonly base: string
    readonly quote: string
    readonly valueUsd: string
    readonly baseShare: number
    readonly targetBaseShare: number
    readonly deviation: number
    readonly atMs: number
  } | null
  /** Fees owed to the positions, not yet collected, whole tokens (null without the manager's snapshot). */
  readonly uncollectedFees: { readonly base: string; readonly quote: string } | null
  readonly lastBlock: number | null
  readonly managerError: string | null
}

/** PnL by part, USD (quote units taken as USD). A part is null when its source is not in this process. */
export type PnlParts = {
  readonly lpFeesUsd: number | null
  readonly impermanentLossUsd: number | null
  readonly gasUsd: number | null
  /** Our hedge fills since the start, marked at each venue's mid. */
  readonly hedgeUsd: number | null
  /** Venue fees on our fills (negative = rebates). */
  readonly feesPaidUsd: number
  /** lpFees + impermanentLoss − gas + hedge − feesPaid, over the parts that are known. */
  readonly totalUsd: number
}

/** What `GET /status` and `alp status --json` return. */
export type DeploymentStatus = {
  readonly version: typeof DEPLOYMENT_STATUS_VERSION
  readonly nowMs: number
  readonly process: {
    readonly name: string
    readonly pid: number
    readonly startedMs: number
    readonly uptimeMs: number
    /** The journal's run id (client order ids carry it). */
    readonly runId: string | null
    readonly roles: readonly { readonly role: string; readonly instance: string }[]
  }
  /** The latched kill switch, null when not killed. */
  readonly killed: { readonly reason: string; readonly sinceMs: number | null; readonly detail: string | null } | null
  /** Every halt in force (`all` = the kill switch; a venue id = that venue only). */
  readonly halts: readonly HaltRecord[]
  readonly venues: readonly VenueStatus[]
  readonly lp: LpStatus | null
  /** Net exposure, base units (null without the trader in this process). */
  readonly exposure: {
    readonly lpDeviationBase: number
    readonly cexPositionBase: number
    readonly targetNetBase: number
    readonly netBase: number
    readonly netUsd: number | null
    /** The trader has had an LP inventory (before it, it does not quote). */
    readonly lpSeen: boolean
    /**
     * The last LP inventory the trader got, wherever the lp-manager runs (also split over ZeroMQ): base held and the
     * LP's target (base units, exact decimals), the pool price, when it arrived.
     */
    readonly lpInventory: TraderObserver['lastLpInventory']
  } | null
  readonly pnl: PnlParts
  readonly recentErrors: readonly RecentError[]
  readonly errorsTotal: number
}

export type BuildDeploymentStatusParameters = {
  readonly deployment: Pick<Deployment, 'roles' | 'trader' | 'venues'>
  readonly observer: TraderObserver
  readonly errors: RecentErrors
  readonly processName: string
  readonly startedMs: number
  readonly nowMs: number
  /** The roles' clock, UNIX ns (ages of orders and of the book). */
  readonly nowNs: bigint
}

/**
 * The status snapshot of a running deployment: the trader's core state (books, the model's reservation price and
 * optimal spread, working orders with age, halts with reasons, calibration warm-up, net exposure), the hedge and LP
 * PnL parts, the lp-manager role (range, holdings, uncollected fees) and the recent role errors. Pure read: nothing
 * of the core is changed (the volatility estimator's `read` and the model are side-effect free).
 */
export function buildDeploymentStatus(parameters: BuildDeploymentStatusParameters): DeploymentStatus {
  const { deployment, observer, nowMs } = parameters
  const trader = deployment.trader
  const state = trader?.state ?? null
  const lpRole = deployment.roles.find(
    (role): role is LpManagerRoleHandle => role.role === 'lp-manager' && 'status' in role,
  )
  const lp = lpRole === undefined ? null : lpStatusOf(lpRole)
  const lpSnapshot = lpRole?.status().manager ?? null
  const exposure = state === null ? null : computeNetExposure(state)
  const venues =
    state === null ? [] : state.venues.map((venue) => venueStatusOf(state, venue, parameters, exposure?.netBase ?? 0))
  let hedgeUsd: number | null = state === null ? null : 0
  let feesPaidUsd = 0
  for (const venue of venues) {
    feesPaidUsd += venue.hedge.feesQuote
    if (hedgeUsd !== null) hedgeUsd = venue.hedge.pnlQuote === null ? null : hedgeUsd + venue.hedge.pnlQuote
  }
  const lpPnl = lpSnapshot?.pnl ?? null
  const lpFeesUsd = lpPnl === null ? null : lpPnl.feesRealizedUsd + lpPnl.feesUnrealizedUsd
  const impermanentLossUsd = lpPnl === null ? null : lpPnl.ilRealizedUsd + lpPnl.ilUnrealizedUsd
  const gasUsd = lpPnl === null ? null : lpPnl.gasUsd
  const killHalt = observer.halts.get('all')
  return {
    version: DEPLOYMENT_STATUS_VERSION,
    nowMs,
    process: {
      name: parameters.processName,
      pid: process.pid,
      startedMs: parameters.startedMs,
      uptimeMs: nowMs - parameters.startedMs,
      runId: trader?.runId ?? null,
      roles: deployment.roles.map((role) => ({ role: role.role, instance: role.instance })),
    },
    killed:
      state?.killed == null
        ? null
        : { reason: state.killed, sinceMs: killHalt?.sinceMs ?? null, detail: killHalt?.detail ?? null },
    halts: [...observer.halts.values()],
    venues,
    lp,
    exposure:
      state === null || exposure === null
        ? null
        : {
            lpDeviationBase: exposure.lpDeviationBase,
            cexPositionBase: exposure.cexPositionBase,
            targetNetBase: state.config.hedge.targetNetBase,
            netBase: exposure.netBase,
            netUsd: exposure.netUsd,
            lpSeen: state.lpSeen,
            lpInventory: observer.lastLpInventory,
          },
    pnl: {
      lpFeesUsd,
      impermanentLossUsd,
      gasUsd,
      hedgeUsd,
      feesPaidUsd,
      totalUsd: (lpFeesUsd ?? 0) + (impermanentLossUsd ?? 0) - (gasUsd ?? 0) + (hedgeUsd ?? 0) - feesPaidUsd,
    },
    recentErrors: parameters.errors.list(),
    errorsTotal: parameters.errors.total,
  }
}

function venueStatusOf(
  state: HedgerState,
  venue: VenueState,
  parameters: BuildDeploymentStatusParameters,
  netBase: number,
): VenueStatus {
  const config = venue.config
  const nsToMs = (ns: bigint): number => Number(ns / 1_000n) / 1_000
  const bbo = venue.bbo
  const midPrice = bbo === null ? null : ((bbo.bidPriceTicks + bbo.askPriceTicks) / 2) * config.tickSizePrice
  let model: VenueStatus['model'] = null
  let modelStatus: string | null = null
  if (midPrice === null) modelStatus = 'noMarketData'
  else {
    const depths = computeModelDepths(venue, midPrice, netBase / state.config.hedge.orderSizeBase, state.config)
    if (typeof depths === 'string') modelStatus = depths
    else {
      const optimalSpread = depths.bidDepthPrice + depths.askDepthPrice
      model = {
        reservationPrice: midPrice + (depths.askDepthPrice - depths.bidDepthPrice) / 2,
        optimalSpread,
        optimalSpreadBps: (optimalSpread / midPrice) * 10_000,
        bidDepth: depths.bidDepthPrice,
        askDepth: depths.askDepthPrice,
      }
    }
  }
  const volatility = venue.volatility.read()
  const intensityReady = venue.aPerSec !== null && venue.kPerPrice !== null
  const figures = parameters.observer.hedge(config.venue)
  return {
    venue: config.venue,
    symbol: parameters.deployment.venues.get(config.venue)?.symbol ?? null,
    connected: venue.connected,
    quoting: venueBlockReason(state, venue) ?? venue.status,
    book: venueBookTop(venue, parameters.deployment.venues.get(config.venue)),
    market:
      bbo === null || midPrice === null
        ? null
        : {
            bidPrice: formatGridUnits(bbo.bidPriceTicks, config.tick),
            askPrice: formatGridUnits(bbo.askPriceTicks, config.tick),
            midPrice,
            ageMs: venue.lastMarketNs === null ? null : nsToMs(parameters.nowNs - venue.lastMarketNs),
          },
    model,
    modelStatus,
    orders: [...venue.orders.values()].map((order) => ({
      clientOrderId: order.clientOrderId,
      side: order.side,
      price: formatGridUnits(order.priceTicks, config.tick),
      size: formatGridUnits(order.sizeLots, config.step),
      filled: formatGridUnits(order.filledLots, config.step),
      ageMs: Math.max(0, nsToMs(parameters.nowNs - order.sentNs)),
      pending: order.pending,
      unknown: order.unknown,
    })),
    positionBase: venue.positionLots * config.stepSizeBase,
    halt: venue.haltAnnounced,
    warmUp: {
      ready: volatility.ready && intensityReady,
      volatility: volatility.ready
        ? { ready: true, increments: null, neededIncrements: null, historyMs: null, neededHistoryMs: null }
        : {
            ready: false,
            increments: volatility.incrementCount,
            neededIncrements: volatility.neededIncrements,
            historyMs: nsToMs(volatility.historyNs),
            neededHistoryMs: nsToMs(volatility.neededHistoryNs),
          },
      intensity: { ready: intensityReady, status: venue.intensityStatus },
    },
    hedge: {
      ...figures,
      pnlQuote:
        midPrice === null ? (figures.fills === 0 ? 0 : null) : figures.cashQuote + figures.netFilledBase * midPrice,
    },
  }
}

/** The venue's top of book with our orders: the connector's book when local, else the trader's view plus our orders. */
function venueBookTop(venue: VenueState, link: VenueLink | undefined): VenueStatus['book'] {
  const config = venue.config
  let bid: BookLevelTicks | null = null
  let ask: BookLevelTicks | null = null
  let source: 'connector' | 'trader' = 'trader'
  const book = link?.binding.marketData.getBook(link.symbol, 1)
  if (book !== undefined) {
    const levels = bookToEvent(config, book, 0n)
    bid = levels.bids[0] ?? null
    ask = levels.asks[0] ?? null
    source = 'connector'
  } else if (venue.bbo !== null) {
    // The core's book is external (our orders taken out): put our confirmed resting orders back.
    bid = [venue.bbo.bidPriceTicks, venue.bbo.bidSizeLots]
    ask = [venue.bbo.askPriceTicks, venue.bbo.askSizeLots]
    for (const order of venue.orders.values()) {
      if (order.pending !== null || order.unknown) continue
      const rest = order.sizeLots - order.filledLots
      const top = order.side === 'buy' ? bid : ask
      const better = order.side === 'buy' ? order.priceTicks > top[0] : order.priceTicks < top[0]
      const next: BookLevelTicks = better
        ? [order.priceTicks, rest]
        : order.priceTicks === top[0]
          ? [top[0], top[1] + rest]
          : top
      if (order.side === 'buy') bid = next
      else ask = next
    }
  }
  if (bid === null || ask === null) return null
  return {
    bidPrice: formatGridUnits(bid[0], config.tick),
    bidSize: formatGridUnits(bid[1], config.step),
    askPrice: formatGridUnits(ask[0], config.tick),
    askSize: formatGridUnits(ask[1], config.step),
    midPrice: ((bid[0] + ask[0]) / 2) * config.tickSizePrice,
    source,
  }
}

function lpStatusOf(role: LpManagerRoleHandle): LpStatus {
  const status = role.status()
  const inventory: InventoryUpdate | null = status.inventory ?? status.manager?.lastInventory ?? null
  const snapshot = status.manager
  const baseKey = inventory?.baseToken ?? null
  const quoteKey = baseKey === null ? null : baseKey === 'token0' ? 'token1' : 'token0'
  const fees =
    snapshot === null || inventory === null || baseKey === null || quoteKey === null
      ? null
      : {
          base: formatRaw(
            baseKey === 'token0' ? snapshot.uncollectedFees.amount0Raw : snapshot.uncollectedFees.amount1Raw,
            inventory[baseKey].decimals,
          ),
          quote: formatRaw(
            quoteKey === 'token0' ? snapshot.uncollectedFees.amount0Raw : snapshot.uncollectedFees.amount1Raw,
            inventory[quoteKey].decimals,
          ),
        }
  return {
    instance: status.instance,
    killed: status.killed,
    rangeHintBps: status.lastRangeHalfWidthBps,
    ranges: (snapshot?.ranges ?? []).map((range) => ({
      tokenId: range.tokenId,
      tickLower: range.tickLower,
      tickUpper: range.tickUpper,
      liquidity: range.liquidity.toString(),
      role: range.role,
    })),
    holdings:
      inventory === null || baseKey === null || quoteKey === null
        ? null
        : {
            baseToken: baseKey,
            base: inventory[baseKey].amount,
            quote: inventory[quoteKey].amount,
            valueUsd: inventory.valueUsd,
            baseShare: inventory.baseShare,
            targetBaseShare: inventory.targetBaseShare,
            deviation: inventory.deviation,
            atMs: inventory.tsMs,
          },
    uncollectedFees: fees,
    lastBlock: snapshot?.lastProcessedBlock ?? null,
    managerError: status.managerError,
  }
}

/** A raw token amount as an exact decimal string of whole tokens. */
function formatRaw(raw: bigint, decimals: number): string {
  const negative = raw < 0n
  const digits = (negative ? -raw : raw).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
}
