import {
  createHedger,
  type HedgerCommand,
  type HedgerConfigInput,
  type HedgerEvent,
  type HedgerState,
  type Side,
  step,
  type VenueOrderStatus,
} from '@alp/hedger'
import type { L2CaptureEvent } from '../data/readBinanceL2Capture.js'
import { EventQueue } from '../engine/eventQueue.js'
import { InvalidConfigError } from '../errors/config.js'
import { EventsOutOfOrderError, InvalidFieldError } from '../errors/input.js'
import type { QueueModel, QueuePosition } from '../fills/queueTypes.js'
import type { FeeModel } from '../fills/types.js'
import type { LatencyModel } from '../latency/types.js'
import { ticksToDecimal } from './decimalToTicks.js'

/** Decimal places of every exact quote amount in the results (cash, fees, PnL are bigints at this scale inside). */
const CASH_SCALE = 18
const DECIMAL = /^-?\d+(\.\d+)?$/

export type RunL2HedgeBacktestParameters = {
  /** The L2 + trades capture, in local-time order (e.g. `readBinanceL2Capture`), and its file name for errors. */
  capture: { readonly file: string; readonly events: AsyncIterable<L2CaptureEvent> }
  /** The unchanged @alp/hedger config; the simulated venue is `hedger.venues[venue]` and uses its tick and step. */
  hedger: HedgerConfigInput
  /** Venue id of the simulated venue (one of `hedger.venues[].venue`). */
  venue: string
  /** Queue-position model: `riskAverseQueue()` (conservative) or `powerProbQueue({ exponent })` (probabilistic). */
  queue: QueueModel
  /** Order entry / response latency (capture's local clock). */
  latency: LatencyModel
  /** Fee of each (maker) fill, on the same tick and step as the venue. */
  fee: FeeModel
  /**
   * LP inventory (there is no pool on the capture's day): the base amount the LP holds, a constant decimal string or a
   * function of the local time, and the target it wants to hold. Delivered to the hedger at start and on every timer.
   */
  lpInventory: {
    readonly baseHeldBase: string | ((tsNs: bigint) => string)
    readonly baseTargetBase: string
  }
  /** Period of the hedger's `timer` events (the live runner's timer), nanoseconds. */
  timerIntervalNs: bigint
  /** Wall-clock reader for the `performance` block only (the run itself never reads a clock). */
  nowMs?: (() => number) | undefined
}

/** One fill of our order at the simulated venue (venue time = the trade's local time). */
export type L2HedgeFill = {
  readonly tsNs: bigint
  readonly clientOrderId: string
  readonly side: Side
  readonly priceTicks: number
  /** Exact decimal price (always the order's own price: a passive order fills at its limit). */
  readonly price: string
  readonly sizeLots: number
  readonly sizeBase: string
  /** Maker fee in quote units, exact decimal string (negative = rebate). */
  readonly feeQuote: string
  /** Displayed size at the order's price when it joined the queue (at its latest entry: an amend re-joins). */
  readonly queueAheadAtEntryLots: number
  /**
   * `queue`: the queue model reached us on a trade at our price; `tradeThrough`: a trade beyond our price;
   * `bookCross`: the other side of the book moved onto or through our price (its depth update fills the rest).
   */
  readonly reason: 'queue' | 'tradeThrough' | 'bookCross'
  /** Row of the capture line of the trade that filled us. */
  readonly captureRow: number
}

/**
 * One step in the life of our order: `sent` (the hedger's command, local time), then at the venue `joined` (in the
 * queue), `amended` (re-joined at the new price/size), `cancelled`, `rejected` (post-only would take) or `expired` (an
 * amend the venue refused: below the filled size, or taking). `filled` when the last lot fills.
 */
export type L2HedgeOrderEvent = {
  readonly tsNs: bigint
  readonly clientOrderId: string
  readonly action: 'sent' | 'joined' | 'amended' | 'cancelled' | 'rejected' | 'expired' | 'filled'
  readonly side: Side
  readonly priceTicks: number
  readonly sizeLots: number
}

export type L2HedgeBacktestResults = {
  readonly models: { readonly queue: string; readonly latency: string; readonly fee: string }
  readonly venue: string
  readonly fills: readonly L2HedgeFill[]
  readonly orderLog: readonly L2HedgeOrderEvent[]
  /** Hedge position at the end, lots (signed: > 0 long) and base units. Equal to Σ signed fill sizes. */
  readonly positionLots: number
  readonly positionBase: string
  /** −Σ signed price × size − Σ fees, quote units, exact. */
  readonly cashQuote: string
  readonly feesQuote: string
  /** Mid of the maintained book at the last capture event, exact (half ticks allowed). */
  readonly finalMidPrice: string
  /** cash + position × final mid, quote units, exact. */
  readonly hedgePnlQuote: string
  /** Local time of the first placeOrder command, of the first fill, and the difference (null when none). */
  readonly firstOrderNs: bigint | null
  readonly firstFillNs: bigint | null
  readonly timeToFirstFillNs: bigint | null
  readonly orders: {
    readonly placed: number
    readonly amended: number
    readonly cancelled: number
    readonly rejected: number
    readonly openAtEnd: number
  }
  readonly period: { readonly startNs: bigint; readonly endNs: bigint }
  readonly counts: {
    readonly captureEvents: number
    readonly depthUpdates: number
    readonly trades: number
    readonly hedgerEvents: number
  }
  readonly performance: { readonly wallMs: number; readonly eventsPerSec: number }
}

/** Our order at the simulated venue. */
type SimOrder = {
  readonly clientOrderId: string
  readonly side: Side
  priceTicks: number
  sizeLots: number
  filledLots: number
  /** inFlight: sent, not yet at the venue; resting: in the book; done: filled, cancelled or rejected. */
  status: 'inFlight' | 'resting' | 'done'
  position: QueuePosition | null
  queueAheadAtEntryLots: number
  /** Remaining size when the order (re-)joined the queue, and what the queue has filled since. */
  remainingAtJoinLots: number
  filledSinceJoinLots: number
  /** Lots traded at our level since its last depth update (so the depth change does not count them twice). */
  tradedSinceDepthLots: number
  /** Venue time of the latest action on this order (actions on one order stay in send order). */
  lastActionNs: bigint
}

type VenueAction =
  | { readonly kind: 'place'; readonly order: SimOrder }
  | { readonly kind: 'amend'; readonly order: SimOrder; readonly priceTicks: number; readonly sizeLots: number }
  | { readonly kind: 'cancel'; readonly order: SimOrder }

type Internal =
  | { readonly kind: 'venue'; readonly action: VenueAction }
  | { readonly kind: 'deliver'; readonly event: HedgerEvent }
  | { readonly kind: 'timer' }

/**
 * A deterministic, event-driven hedge-only backtest on an L2 + trades capture: the unchanged @alp/hedger core
 * (`step(state, event)` → commands) quotes against the capture's maintained book, and a simulated venue puts each of
 * our post-only orders in the FIFO queue of its price level after the entry latency. The queue model moves it forward
 * on depth changes and on public trades at its price that hit its side (partial fills); a trade beyond its price fills
 * the rest, and so does the other side of the book moving onto or through its price. Cancels and amends take effect
 * after the entry latency; an amend re-joins the back of the queue. Venue answers (order updates, fills) reach the
 * hedger after the response latency. Our orders do not change the market (they are not in the data). The LP inventory
 * is an input. No clock is read except `nowMs` for the performance block.
 *
 * @throws InvalidConfigError (venue not configured, bad LP inventory, timer period, fee beyond 18 decimals)
 * @throws InvalidFieldError / EventsOutOfOrderError naming the capture file, row and field (no snapshot, crossed book,
 *   update ids going back, non-positive trade size)
 */
export async function runL2HedgeBacktest(parameters: RunL2HedgeBacktestParameters): Promise<L2HedgeBacktestResults> {
  const { capture, venue: venueName, queue: queueModel, latency, fee, lpInventory, timerIntervalNs, nowMs } = parameters
  const file = capture.file
  if (timerIntervalNs <= 0n)
    throw new InvalidConfigError({ field: 'timerIntervalNs', value: String(timerIntervalNs), rule: '> 0' })
  if (!DECIMAL.test(lpInventory.baseTargetBase))
    throw new InvalidConfigError({
      field: 'lpInventory.baseTargetBase',
      value: lpInventory.baseTargetBase,
      rule: 'a decimal string',
    })
  let hedger: HedgerState = createHedger(parameters.hedger)
  const venueConfig = hedger.config.venues.find((v) => v.venue === venueName)
  if (venueConfig === undefined)
    throw new InvalidConfigError({
      field: 'venue',
      value: venueName,
      rule: `one of hedger.venues[].venue (${hedger.config.venues.map((v) => v.venue).join(', ')})`,
    })
  const { tickSize, stepSize } = venueConfig
  const tickUnits = BigInt(tickSize.replace('.', ''))
  const stepUnits = BigInt(stepSize.replace('.', ''))
  const notionalScale = decimalsOf(tickSize) + decimalsOf(stepSize)
  if (notionalScale >= CASH_SCALE)
    throw new InvalidConfigError({
      field: `hedger.venues[${venueConfig.index}]`,
      value: `${tickSize}/${stepSize}`,
      rule: `tick and step decimals together < ${CASH_SCALE}`,
    })
  const toCashScale = 10n ** BigInt(CASH_SCALE - notionalScale)
  const wallStart = nowMs?.() ?? 0

  const internal = new EventQueue<Internal>()
  const orders = new Map<string, SimOrder>()
  const bids = new Map<number, number>()
  const asks = new Map<number, number>()
  let bestBid = Number.NEGATIVE_INFINITY
  let bestAsk = Number.POSITIVE_INFINITY
  let snapshotId = -1
  let lastUpdateId = -1
  let nowNs = 0n
  let startNs: bigint | null = null
  const fills: L2HedgeFill[] = []
  const orderLog: L2HedgeOrderEvent[] = []
  const logOrder = (order: SimOrder, action: L2HedgeOrderEvent['action'], tsNs: bigint) => {
    orderLog.push({
      tsNs,
      clientOrderId: order.clientOrderId,
      action,
      side: order.side,
      priceTicks: order.priceTicks,
      sizeLots: order.sizeLots,
    })
  }
  let positionLots = 0
  let cashUnits = 0n
  let feesUnits = 0n
  let firstOrderNs: bigint | null = null
  let placed = 0
  let amended = 0
  let cancelled = 0
  let rejected = 0
  let captureEvents = 0
  let depthUpdates = 0
  let trades = 0
  let hedgerEvents = 0
  let tradeSeq = 0

  const deliver = (event: HedgerEvent) => {
    hedgerEvents++
    const result = step(hedger, event)
    hedger = result.state
    for (const command of result.commands) handleCommand(command)
  }

  const reply = (atNs: bigint, event: HedgerEvent) => {
    internal.push(atNs, { kind: 'deliver', event })
  }

  const orderUpdate = (order: SimOrder, status: VenueOrderStatus, venueNs: bigint) => {
    const atNs = venueNs + latency.responseNs(venueNs)
    reply(atNs, {
      type: 'orderUpdate',
      tsNs: atNs,
      venue: venueName,
      clientOrderId: order.clientOrderId,
      side: order.side,
      priceTicks: order.priceTicks,
      sizeLots: order.sizeLots,
      filledLots: order.filledLots,
      status,
    })
  }

  /** Venue time of an action sent now: after the entry latency, and never before the order's previous action. */
  const venueTime = (order: SimOrder): bigint => {
    const at = nowNs + latency.entryNs(nowNs)
    if (at > order.lastActionNs) order.lastActionNs = at
    return order.lastActionNs
  }

  const handleCommand = (command: HedgerCommand) => {
    if (!('venue' in command) || command.venue !== venueName) return
    switch (command.type) {
      case 'placeOrder': {
        placed++
        if (firstOrderNs === null) firstOrderNs = nowNs
        const order: SimOrder = {
          clientOrderId: command.clientOrderId,
          side: command.side,
          priceTicks: command.priceTicks,
          sizeLots: command.sizeLots,
          filledLots: 0,
          status: 'inFlight',
          position: null,
          queueAheadAtEntryLots: 0,
          remainingAtJoinLots: command.sizeLots,
          filledSinceJoinLots: 0,
          tradedSinceDepthLots: 0,
          lastActionNs: 0n,
        }
        orders.set(order.clientOrderId, order)
        logOrder(order, 'sent', nowNs)
        internal.push(venueTime(order), { kind: 'venue', action: { kind: 'place', order } })
        break
      }
      case 'amendOrder': {
        const order = orders.get(command.clientOrderId)
        if (order === undefined) break // unknown at the venue: nothing to amend (the hedger learns from updates)
        internal.push(venueTime(order), {
          kind: 'venue',
          action: { kind: 'amend', order, priceTicks: command.priceTicks, sizeLots: command.sizeLots },
        })
        break
      }
      case 'cancelOrder': {
        const order = orders.get(command.clientOrderId)
        if (order === undefined) break
        internal.push(venueTime(order), { kind: 'venue', action: { kind: 'cancel', order } })
        break
      }
      case 'cancelAll':
        for (const order of orders.values())
          if (order.status !== 'done')
            internal.push(venueTime(order), { kind: 'venue', action: { kind: 'cancel', order } })
        break
      default:
        break // dead-man switch: the hedger re-arms it on every timer, so the venue never fires it here
    }
  }

  const levelLots = (side: Side, priceTicks: number): number =>
    (side === 'buy' ? bids.get(priceTicks) : asks.get(priceTicks)) ?? 0

  /** Post-only: a price that would take liquidity from the maintained book is refused. */
  const wouldCross = (side: Side, priceTicks: number): boolean =>
    side === 'buy' ? priceTicks >= bestAsk : priceTicks <= bestBid

  const joinQueue = (order: SimOrder) => {
    const ahead = levelLots(order.side, order.priceTicks)
    order.position = queueModel.newOrder(ahead)
    order.queueAheadAtEntryLots = ahead
    order.remainingAtJoinLots = order.sizeLots - order.filledLots
    order.filledSinceJoinLots = 0
    order.tradedSinceDepthLots = 0
    order.status = 'resting'
  }

  const finish = (order: SimOrder) => {
    order.status = 'done'
    order.position = null
    orders.delete(order.clientOrderId)
  }

  const onVenueAction = (action: VenueAction, atNs: bigint) => {
    const order = action.order
    // Filled (or refused) before the action arrived: the venue has nothing to act on.
    if (order.status === 'done') return
    switch (action.kind) {
      case 'place':
        if (wouldCross(order.side, order.priceTicks)) {
          rejected++
          logOrder(order, 'rejected', atNs)
          finish(order)
          orderUpdate(order, 'rejected', atNs)
          return
        }
        joinQueue(order)
        logOrder(order, 'joined', atNs)
        orderUpdate(order, 'new', atNs)
        return
      case 'cancel':
        cancelled++
        logOrder(order, 'cancelled', atNs)
        finish(order)
        orderUpdate(order, 'canceled', atNs)
        return
      case 'amend': {
        amended++
        if (action.sizeLots <= order.filledLots || wouldCross(order.side, action.priceTicks)) {
          // Nothing left to rest, or the new price would take: the venue ends the order (post-only amend refused).
          order.priceTicks = action.priceTicks
          order.sizeLots = Math.max(action.sizeLots, order.filledLots)
          logOrder(order, 'expired', atNs)
          finish(order)
          orderUpdate(order, 'expired', atNs)
          return
        }
        order.priceTicks = action.priceTicks
        order.sizeLots = action.sizeLots
        if (order.status === 'resting') joinQueue(order) // an amend loses queue priority: back of the new level
        logOrder(order, 'amended', atNs)
        orderUpdate(order, order.filledLots > 0 ? 'partiallyFilled' : 'new', atNs)
        return
      }
    }
  }

  const fill = (order: SimOrder, lots: number, tsNs: bigint, reason: L2HedgeFill['reason'], row: number) => {
    order.filledLots += lots
    const feeQuote = fee.feeQuote({ priceTicks: order.priceTicks, sizeLots: lots, maker: true })
    const feeUnits = parseCash(feeQuote)
    const notional = BigInt(order.priceTicks) * tickUnits * BigInt(lots) * stepUnits * toCashScale
    const buy = order.side === 'buy'
    positionLots += buy ? lots : -lots
    cashUnits += (buy ? -notional : notional) - feeUnits
    feesUnits += feeUnits
    fills.push({
      tsNs,
      clientOrderId: order.clientOrderId,
      side: order.side,
      priceTicks: order.priceTicks,
      price: ticksToDecimal(order.priceTicks, tickSize),
      sizeLots: lots,
      sizeBase: ticksToDecimal(lots, stepSize),
      feeQuote,
      queueAheadAtEntryLots: order.queueAheadAtEntryLots,
      reason,
      captureRow: row,
    })
    const done = order.filledLots >= order.sizeLots
    const atNs = tsNs + latency.responseNs(tsNs)
    tradeSeq++
    reply(atNs, {
      type: 'fill',
      tsNs: atNs,
      venue: venueName,
      clientOrderId: order.clientOrderId,
      tradeId: `sim${tradeSeq}`,
      side: order.side,
      priceTicks: order.priceTicks,
      sizeLots: lots,
      feeQuote,
    })
    orderUpdate(order, done ? 'filled' : 'partiallyFilled', tsNs)
    if (done) {
      logOrder(order, 'filled', tsNs)
      finish(order)
    }
  }

  const parseCash = (value: string): bigint => {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value)
    const fraction = match?.[3] ?? ''
    if (match === null || fraction.length > CASH_SCALE)
      throw new InvalidConfigError({
        field: `fee (${fee.kind})`,
        value,
        rule: `a decimal string with ≤ ${CASH_SCALE} decimals`,
      })
    const units = BigInt((match[2] ?? '0') + fraction.padEnd(CASH_SCALE, '0'))
    return match[1] === '-' ? -units : units
  }

  const onTrade = (event: Extract<L2CaptureEvent, { kind: 'trade' }>) => {
    // A sell hitting bids has the buyer as maker (our buys are hit); a buy lifting asks hits our sells.
    const hitSide: Side = event.buyerIsMaker ? 'buy' : 'sell'
    for (const order of [...orders.values()]) {
      if (order.status !== 'resting' || order.side !== hitSide || order.position === null) continue
      const beyond = hitSide === 'buy' ? event.priceTicks < order.priceTicks : event.priceTicks > order.priceTicks
      if (beyond) {
        fill(order, order.sizeLots - order.filledLots, event.tsLocalNs, 'tradeThrough', event.row)
        continue
      }
      if (event.priceTicks !== order.priceTicks) continue
      order.tradedSinceDepthLots += event.sizeLots
      queueModel.trade(order.position, event.sizeLots)
      // Whole lots only (the probabilistic model moves by fractions of a lot): round down, the conservative side.
      const reached = Math.floor(queueModel.filledLots(order.position, order.remainingAtJoinLots))
      const lots = Math.min(reached - order.filledSinceJoinLots, order.sizeLots - order.filledLots)
      if (lots > 0) {
        order.filledSinceJoinLots += lots
        fill(order, lots, event.tsLocalNs, 'queue', event.row)
      }
    }
  }

  /**
   * The other side of the book moved onto or through a resting order of ours: whoever posted there would have met our
   * order first (we are not in the data), so the rest of it fills at its own price.
   */
  const fillCrossedOrders = (tsNs: bigint, row: number) => {
    for (const order of [...orders.values()]) {
      if (order.status !== 'resting') continue
      if (order.side === 'buy' ? order.priceTicks >= bestAsk : order.priceTicks <= bestBid)
        fill(order, order.sizeLots - order.filledLots, tsNs, 'bookCross', row)
    }
  }

  const applyLevels = (
    book: Map<number, number>,
    side: Side,
    levels: readonly [number, number][],
    moveQueues: boolean,
  ): void => {
    for (const [priceTicks, sizeLots] of levels) {
      const previous = book.get(priceTicks) ?? 0
      if (sizeLots === 0) book.delete(priceTicks)
      else book.set(priceTicks, sizeLots)
      if (side === 'buy') {
        if (sizeLots > 0 && priceTicks > bestBid) bestBid = priceTicks
        else if (sizeLots === 0 && priceTicks === bestBid) bestBid = maxKey(book)
      } else if (sizeLots > 0 && priceTicks < bestAsk) bestAsk = priceTicks
      else if (sizeLots === 0 && priceTicks === bestAsk) bestAsk = minKey(book)
      if (!moveQueues) continue
      for (const order of orders.values()) {
        if (order.status !== 'resting' || order.side !== side || order.priceTicks !== priceTicks) continue
        // Trades at our level since its last update already moved us: they are not cancellations.
        const before = Math.max(0, previous - order.tradedSinceDepthLots)
        order.tradedSinceDepthLots = 0
        queueModel.depth(order.position as QueuePosition, before, sizeLots)
      }
    }
  }

  /** The venue's BBO as its feed would show it: the maintained book with our resting orders in it. */
  const deliverBbo = (tsNs: bigint) => {
    let bidPriceTicks = bestBid
    let askPriceTicks = bestAsk
    for (const order of orders.values()) {
      if (order.status !== 'resting') continue
      if (order.side === 'buy' && order.priceTicks > bidPriceTicks) bidPriceTicks = order.priceTicks
      if (order.side === 'sell' && order.priceTicks < askPriceTicks) askPriceTicks = order.priceTicks
    }
    if (!Number.isFinite(bidPriceTicks) || !Number.isFinite(askPriceTicks)) return // one-sided: no touch to show
    let bidSizeLots = bids.get(bidPriceTicks) ?? 0
    let askSizeLots = asks.get(askPriceTicks) ?? 0
    for (const order of orders.values()) {
      if (order.status !== 'resting') continue
      const remaining = order.sizeLots - order.filledLots
      if (order.side === 'buy' && order.priceTicks === bidPriceTicks) bidSizeLots += remaining
      if (order.side === 'sell' && order.priceTicks === askPriceTicks) askSizeLots += remaining
    }
    deliver({ type: 'bbo', tsNs, venue: venueName, bidPriceTicks, bidSizeLots, askPriceTicks, askSizeLots })
  }

  const deliverLpInventory = (tsNs: bigint) => {
    const held =
      typeof lpInventory.baseHeldBase === 'function' ? lpInventory.baseHeldBase(tsNs) : lpInventory.baseHeldBase
    if (!DECIMAL.test(held))
      throw new InvalidConfigError({
        field: 'lpInventory.baseHeldBase',
        value: `${held} at ${tsNs}`,
        rule: 'a decimal string',
      })
    // No pool on the capture's day: the pool price is the venue mid (so the basis monitor sees no basis).
    deliver({
      type: 'lpInventory',
      tsNs,
      baseHeldBase: held,
      baseTargetBase: lpInventory.baseTargetBase,
      poolPrice: formatMid(bestBid, bestAsk, tickSize),
    })
  }

  const drain = (beforeNs: bigint) => {
    for (let head = internal.peek(); head !== undefined && head.tsNs < beforeNs; head = internal.peek()) {
      internal.pop()
      nowNs = head.tsNs
      const item = head.value
      if (item.kind === 'venue') onVenueAction(item.action, head.tsNs)
      else if (item.kind === 'deliver') deliver(item.event)
      else {
        deliverLpInventory(head.tsNs)
        deliver({ type: 'timer', tsNs: head.tsNs })
        internal.push(head.tsNs + timerIntervalNs, { kind: 'timer' })
      }
    }
  }

  let lastRow = 0
  for await (const event of capture.events) {
    captureEvents++
    lastRow = event.row
    // Strictly earlier internal events first: an order joining at the same nanosecond as a trade does not see it.
    drain(event.tsLocalNs)
    nowNs = event.tsLocalNs
    switch (event.kind) {
      case 'snapshot': {
        if (snapshotId >= 0) break // a later REST snapshot: the diffs keep the book; nothing to re-sync
        snapshotId = event.lastUpdateId
        lastUpdateId = event.lastUpdateId
        applyLevels(bids, 'buy', event.bids, false)
        applyLevels(asks, 'sell', event.asks, false)
        checkNotCrossed(file, event.row, bestBid, bestAsk)
        startNs = event.tsLocalNs
        deliver({ type: 'venueHealth', tsNs: event.tsLocalNs, venue: venueName, status: 'connected' })
        deliverBbo(event.tsLocalNs)
        deliverLpInventory(event.tsLocalNs)
        deliver({ type: 'timer', tsNs: event.tsLocalNs })
        internal.push(event.tsLocalNs + timerIntervalNs, { kind: 'timer' })
        break
      }
      case 'depth': {
        if (snapshotId < 0 || event.lastUpdateId <= snapshotId) break // before the snapshot or already in it
        if (event.lastUpdateId < lastUpdateId)
          throw new EventsOutOfOrderError({
            file,
            row: event.row,
            field: 'u',
            previous: String(lastUpdateId),
            value: String(event.lastUpdateId),
          })
        lastUpdateId = event.lastUpdateId
        depthUpdates++
        applyLevels(bids, 'buy', event.bids, true)
        applyLevels(asks, 'sell', event.asks, true)
        checkNotCrossed(file, event.row, bestBid, bestAsk)
        fillCrossedOrders(event.tsLocalNs, event.row)
        deliverBbo(event.tsLocalNs)
        break
      }
      case 'trade': {
        if (!(event.sizeLots > 0))
          throw new InvalidFieldError({
            file,
            row: event.row,
            field: 'q',
            value: ticksToDecimal(event.sizeLots, stepSize),
            rule: `a size of at least one step (${stepSize})`,
          })
        if (snapshotId < 0) break
        trades++
        onTrade(event)
        deliver({
          type: 'trade',
          tsNs: event.tsLocalNs,
          venue: venueName,
          priceTicks: event.priceTicks,
          sizeLots: event.sizeLots,
          aggressorSide: event.buyerIsMaker ? 'sell' : 'buy',
        })
        break
      }
      case 'bookTicker':
        break // the reader keeps no prices for it: the BBO comes from the maintained book
    }
  }
  if (startNs === null)
    throw new InvalidFieldError({
      file,
      row: lastRow,
      field: 'lastUpdateId',
      value: 'missing',
      rule: 'a REST depth snapshot line in the capture (the book cannot be built without it)',
    })
  drain(nowNs + 1n) // what happened at the last event's nanosecond; later answers are past the end of the data
  const endNs = nowNs

  const midUnitsTimes2 = BigInt(bestBid + bestAsk) * tickUnits // mid × 2 at the tick's scale
  // Exact: toCashScale is a power of 10 ≥ 10, so the division by 2 leaves no remainder.
  const positionValue = (midUnitsTimes2 * BigInt(positionLots) * stepUnits * toCashScale) / 2n
  const firstFillNs = fills[0]?.tsNs ?? null
  const wallMs = (nowMs?.() ?? 0) - wallStart
  return {
    models: { queue: queueModel.kind, latency: latency.kind, fee: fee.kind },
    venue: venueName,
    fills,
    orderLog,
    positionLots,
    positionBase: ticksToDecimal(positionLots, stepSize),
    cashQuote: formatCash(cashUnits),
    feesQuote: formatCash(feesUnits),
    finalMidPrice: formatMid(bestBid, bestAsk, tickSize),
    hedgePnlQuote: formatCash(cashUnits + positionValue),
    firstOrderNs,
    firstFillNs,
    timeToFirstFillNs: firstFillNs !== null && firstOrderNs !== null ? firstFillNs - firstOrderNs : null,
    orders: { placed, amended, cancelled, rejected, openAtEnd: orders.size },
    period: { startNs, endNs },
    counts: { captureEvents, depthUpdates, trades, hedgerEvents },
    performance: { wallMs, eventsPerSec: wallMs > 0 ? (captureEvents / wallMs) * 1000 : 0 },
  }
}

function checkNotCrossed(file: string, row: number, bestBid: number, bestAsk: number): void {
  if (bestBid < bestAsk) return
  throw new InvalidFieldError({
    file,
    row,
    field: 'b/a',
    value: `best bid ${bestBid} ≥ best ask ${bestAsk} (ticks)`,
    rule: 'the maintained book is not crossed after this update',
  })
}

function decimalsOf(step: string): number {
  const dot = step.indexOf('.')
  return dot < 0 ? 0 : step.length - dot - 1
}

function maxKey(map: Map<number, number>): number {
  let best = Number.NEGATIVE_INFINITY
  for (const key of map.keys()) if (key > best) best = key
  return best
}

function minKey(map: Map<number, number>): number {
  let best = Number.POSITIVE_INFINITY
  for (const key of map.keys()) if (key < best) best = key
  return best
}

/** (bid + ask) / 2 on the tick grid as an exact decimal (one more digit when the spread is an odd number of ticks). */
function formatMid(bidTicks: number, askTicks: number, tickSize: string): string {
  const sum = bidTicks + askTicks
  if (sum % 2 === 0) return ticksToDecimal(sum / 2, tickSize)
  // sum × tick / 2 = sum × 5 units of tick / 10.
  const scale = decimalsOf(tickSize) + 1
  const digits = (BigInt(sum) * BigInt(tickSize.replace('.', '')) * 5n).toString().padStart(scale + 1, '0')
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
}

function formatCash(units: bigint): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(CASH_SCALE + 1, '0')
  const whole = digits.slice(0, digits.length - CASH_SCALE)
  const fraction = digits.slice(digits.length - CASH_SCALE).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}
