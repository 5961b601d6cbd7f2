import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HedgerConfigInput } from '../config/hedgerConfigSchema.js'
import type { HedgerCommand } from '../messages/commands.js'
import type { HedgerEvent, Side } from '../messages/events.js'
import { computeNetExposure } from './computeNetExposure.js'
import { createHedger } from './createHedger.js'
import { step } from './step.js'
import type { HedgerState } from './types.js'

// Model-based test of the hedger core against a reference venue. Commands go into an in-flight list that the venue
// processes in random order with faults (answer lost, request failed, post-only reject); the venue's stream messages
// (order updates, fills, position reports) are delivered in random order, some twice. After every step the invariants
// of issue #11 are checked against the venue's truth; at the end the faults stop and, within a bounded time, the
// hedger's orders and positions must equal the venue's, and a kill must leave the venue with no open order.

const MS = 1_000_000n
const VENUES = ['amend', 'replace'] as const // Binance-like (amend in place) and GRVT-like (cancel + place)
const LIMIT_LOTS = 500 // maxPositionBase 0.5 at lot 0.001
const STALE_MS = 5_000
const ORDER_SIZE_LOTS = 100 // hedge.orderSizeBase 0.1 at lot 0.001
const LP_STALE_MS = 8_000 // hedge.lpInventoryStaleAfterMs: short, so that the interleavings reach it

function config(): HedgerConfigInput {
  const venue = (name: string, supportsAmend: boolean) => ({
    venue: name,
    tickSize: '0.01',
    stepSize: '0.001',
    makerFeeBps: 0,
    supportsAmend,
    maxPositionBase: 0.5,
    maxNotionalUsd: 1e12,
    maxOrderSizeBase: 0.3,
    rateLimitCapacity: 50,
    rateLimitRefillPerSec: 50,
    staleAfterMs: STALE_MS,
    deadManTimeoutMs: 10_000,
    deadManRearmMs: 3_000,
    refreshToleranceTicks: 1,
    refreshToleranceBps: 0,
    orderAckTimeoutMs: 2_000,
    reconcileIntervalMs: 10_000,
    cancelRetryMs: 250,
    cancelRetryMaxMs: 2_000,
    lookupRetryMs: 250,
    lookupRetryMaxMs: 2_000,
  })
  return {
    venues: [venue('amend', true), venue('replace', false)],
    model: { type: 'GLFT', gammaPerPrice: 0.1, eta: 0.05 },
    calibration: {
      volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
      intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
    },
    hedge: { orderSizeBase: 0.1, lpInventoryStaleAfterMs: LP_STALE_MS },
    risk: {
      maxTotalPositionBase: 100,
      maxTotalNotionalUsd: 1e12,
      maxBasisBps: 10_000,
      resumeBasisBps: 5_000,
      minCorrelation: -1,
      resumeCorrelation: -1,
    },
  }
}

/** `venueTimeMs`: the venue time of the order's last change, as real venues stamp their order updates. */
type LiveOrder = { side: Side; priceTicks: number; sizeLots: number; filledLots: number; venueTimeMs: number }
type Final = 'filled' | 'canceled' | 'rejected'
type VenueCommand = Extract<HedgerCommand, { venue: string }>
type Request = { command: VenueCommand; emittedNs: bigint }
type Fault = 'ok' | 'lostAnswer' | 'fail' | 'reject'

/** The reference venue: the truth the hedger must converge to. */
class VenueModel {
  readonly live = new Map<string, LiveOrder>()
  readonly final = new Map<string, { order: LiveOrder; status: Final }>()
  positionLots = 0
  venueMs = 1_000
  lastChangeMs = 0
  trade = 0
  constructor(readonly name: string) {}
}

type Action =
  | { kind: 'process'; pick: number; fault: Fault }
  | { kind: 'deliver'; pick: number; duplicate: boolean }
  | { kind: 'fill'; venue: 0 | 1; pick: number; partial: boolean }
  | { kind: 'bbo'; venue: 0 | 1; move: number; dtMs: number }
  | { kind: 'trade'; venue: 0 | 1; dtMs: number }
  | { kind: 'lp'; heldMilli: number }
  | { kind: 'timer'; dtMs: number }
  | { kind: 'lpQuiet'; seconds: number }
  | { kind: 'position'; venue: 0 | 1 }
  | { kind: 'operator'; action: 'kill' | 'resume' }
  | { kind: 'health'; venue: 0 | 1; status: 'connected' | 'disconnected' }

const venueArb = fc.constantFrom(0 as const, 1 as const)
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('process' as const),
      pick: fc.nat(),
      fault: fc.constantFrom<Fault>('ok', 'ok', 'ok', 'lostAnswer', 'fail', 'reject'),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), duplicate: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      venue: venueArb,
      pick: fc.nat(),
      partial: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('bbo' as const),
      venue: venueArb,
      move: fc.integer({ min: -30, max: 30 }),
      dtMs: fc.integer({ min: 0, max: 1_500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      venue: venueArb,
      dtMs: fc.integer({ min: 0, max: 3_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('lp' as const), heldMilli: fc.integer({ min: -800, max: 800 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('timer' as const), dtMs: fc.integer({ min: 50, max: 3_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('lpQuiet' as const), seconds: fc.integer({ min: 1, max: 12 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('position' as const), venue: venueArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('operator' as const),
      action: fc.constantFrom('kill' as const, 'resume' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('health' as const),
      venue: venueArb,
      status: fc.constantFrom('connected' as const, 'disconnected' as const),
    }),
  },
)

export class Simulation {
  trace: string[] = []
  state: HedgerState = createHedger(config())
  readonly venues = VENUES.map((name) => new VenueModel(name))
  readonly mid = [300_000, 300_000]
  readonly lastBboNs = [0n, 0n]
  inFlight: Request[] = []
  stream: HedgerEvent[] = []
  readonly delivered: HedgerEvent[] = []
  t = 1_000n * MS
  readonly violations: string[] = []
  places = 0
  fills = 0
  /** The last LP inventory sent (held, base units as text) and when. */
  lpHeld = '0.3'
  lpNs = 0n
  lpHalts = 0

  constructor() {
    for (const venue of VENUES) this.send({ type: 'venueHealth', tsNs: this.t, venue, status: 'connected' })
    for (const [index, mid] of [300_000, 300_040, 299_980, 300_000].entries()) {
      this.t += 1_000n * MS
      for (const venue of [0, 1] as const) {
        this.mid[venue] = mid + index
        this.sendBbo(venue)
      }
    }
    this.sendLp(this.lpHeld)
  }

  sendLp(held: string): undefined {
    this.lpHeld = held
    this.lpNs = this.t
    this.send({ type: 'lpInventory', tsNs: this.t, baseHeldBase: held, baseTargetBase: '0', poolPrice: '3000' })
  }

  send(event: HedgerEvent): undefined {
    if (process.env.MODEL_TRACE)
      this.trace.push(`> ${JSON.stringify(event, (_k, v) => (typeof v === 'bigint' ? Number(v / MS) : v))}`)
    const offeredBefore = this.reducingOffer()
    const sizesBefore = new Map<string, number>()
    for (const venue of this.state.venues)
      for (const order of venue.orders.values()) sizesBefore.set(order.clientOrderId, order.sizeLots)
    const result = step(this.state, event)
    if (process.env.MODEL_TRACE)
      for (const c of result.commands)
        if (c.type !== 'metric' && c.type !== 'log')
          this.trace.push(`  < ${JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? Number(v / MS) : v))}`)
        else if (c.type === 'log') this.trace.push(`  < log ${c.code} ${c.message}`)
    this.state = result.state
    for (const command of result.commands) this.accept(command)
    this.checkVenueInvariants()
    // The commands that route hedge to a venue: a place above the shaped size (one order size), or an amend raising
    // an order above it.
    const raised = new Set<Side>()
    for (const command of result.commands)
      if (
        (command.type === 'placeOrder' || command.type === 'amendOrder') &&
        command.sizeLots > ORDER_SIZE_LOTS &&
        command.sizeLots > (sizesBefore.get(command.clientOrderId) ?? 0)
      )
        raised.add(command.side)
    this.checkRouteFlip(offeredBefore, raised)
  }

  /**
   * The hedge's reducing side and the most the venues may still fill on each side, lots, as the core knows its orders:
   * each order's remaining size at the largest size the venue may hold (an unconfirmed amend may still rest at its
   * previous size, a pending cancel at its size, an unanswered create at its size).
   */
  reducingOffer(): { side: Side | null; hedgeLots: number; offered: Record<Side, number> } {
    const net = computeNetExposure(this.state).netBase
    const hedgeLots = Math.round(Math.abs(net) * 1_000)
    const offered: Record<Side, number> = { buy: 0, sell: 0 }
    for (const venue of this.state.venues)
      for (const order of venue.orders.values())
        offered[order.side] += Math.max(0, Math.max(order.sizeLots, order.previousSizeLots ?? 0) - order.filledLots)
    return { side: hedgeLots === 0 ? null : net > 0 ? 'sell' : 'buy', hedgeLots, offered }
  }

  /**
   * The route-flip rule (routeFlip.test.ts): the venues never offer the hedge twice. On the reducing side they may
   * offer |net exposure| (at least one shaped order) plus one shaped order on each other venue; beyond that (an LP update or a fill shrank the
   * hedge, a cut not yet confirmed) a step that routes hedge to a venue (places or raises an order there above the
   * shaped size) may keep what is already offered until the venues confirm the cuts, but never add to it (routing
   * waits for the old venue's cut before it raises the new one). Shaped orders, and what the core learns without
   * sending anything (an adopted order), are not routing.
   */
  checkRouteFlip(before: { offered: Record<Side, number> }, raised: ReadonlySet<Side>): void {
    const after = this.reducingOffer()
    if (after.side === null || !raised.has(after.side)) return
    const lots = after.offered[after.side]
    // Each venue quotes a shaped order (one order size); the venue the hedge is routed to raises its own to |net|.
    const bound = Math.max(after.hedgeLots, ORDER_SIZE_LOTS) + ORDER_SIZE_LOTS * (VENUES.length - 1)
    const kept = before.offered[after.side]
    if (lots > bound && lots > kept)
      this.violations.push(
        `route flip: ${after.side} offered ${lots} lots > ${bound} (hedge ${after.hedgeLots}, ${ORDER_SIZE_LOTS} per other venue; was ${kept})`,
      )
  }

  sendBbo(venue: 0 | 1): undefined {
    const mid = this.mid[venue] as number
    this.lastBboNs[venue] = this.t
    const name = VENUES[venue]
    this.send({
      type: 'bbo',
      tsNs: this.t,
      venue: name,
      bidPriceTicks: mid - 1,
      bidSizeLots: 5_000,
      askPriceTicks: mid + 1,
      askSizeLots: 5_000,
    })
  }

  /** Checks what the core sends, then queues it for the venue (the runner's job). */
  accept(command: HedgerCommand): void {
    if (command.type === 'halt' && command.reason === 'lpInventoryStale') this.lpHalts++
    if (command.type === 'placeOrder' || command.type === 'amendOrder') {
      const index = VENUES.indexOf(command.venue as (typeof VENUES)[number])
      if (this.state.killed !== null) this.violations.push(`${command.type} while killed`)
      // No new exposure while the LP inventory is older than the bound (its net exposure is unknown).
      const lpAgeNs = this.t - this.lpNs
      if (lpAgeNs > BigInt(LP_STALE_MS) * MS)
        this.violations.push(`${command.type} with the LP inventory ${lpAgeNs / MS} ms old`)
      const ageNs = this.t - (this.lastBboNs[index] as bigint)
      if (ageNs > BigInt(STALE_MS) * MS) this.violations.push(`${command.type} on a ${ageNs / MS} ms old book`)
    }
    if (command.type === 'placeOrder') {
      this.places++
      // Never a second order on a side the hedger still holds (unknown creates and unconfirmed cancels included).
      const venue = this.state.venueByName.get(command.venue)
      for (const order of venue?.orders.values() ?? [])
        if (order.clientOrderId !== command.clientOrderId && order.side === command.side)
          this.violations.push(
            `place ${command.side} beside ${order.clientOrderId} (${order.pending}, unknown ${order.unknown})`,
          )
    }
    if ('venue' in command) this.inFlight.push({ command, emittedNs: this.t })
  }

  checkVenueInvariants(): void {
    for (const [index, venue] of this.venues.entries()) {
      let buys = 0
      let sells = 0
      let buyLots = 0
      let sellLots = 0
      for (const order of venue.live.values()) {
        const remaining = order.sizeLots - order.filledLots
        if (order.side === 'buy') {
          buys++
          buyLots += remaining
        } else {
          sells++
          sellLots += remaining
        }
      }
      if (buys > 1 || sells > 1) this.violations.push(`${VENUES[index]}: ${buys} bids, ${sells} asks live`)
      if (venue.positionLots + buyLots > LIMIT_LOTS)
        this.violations.push(`${VENUES[index]}: position ${venue.positionLots} + bids ${buyLots} > ${LIMIT_LOTS}`)
      if (-venue.positionLots + sellLots > LIMIT_LOTS)
        this.violations.push(`${VENUES[index]}: −position ${-venue.positionLots} + asks ${sellLots} > ${LIMIT_LOTS}`)
    }
  }

  /** The venue executes one in-flight request; the runner feeds back what it learns. */
  process(pick: number, fault: Fault): undefined {
    if (this.inFlight.length === 0) return
    const [request] = this.inFlight.splice(pick % this.inFlight.length, 1) as [Request]
    const command = request.command
    const index = VENUES.indexOf(command.venue as (typeof VENUES)[number])
    const venue = this.venues[index] as VenueModel
    const mid = this.mid[index] as number
    const failed = (
      name: 'placeOrder' | 'amendOrder' | 'cancelOrder' | 'cancelAll',
      clientOrderId: string,
      outcome: 'rejected' | 'notFound' | 'unknown',
    ): undefined => {
      this.stream.push({
        type: 'commandFailed',
        tsNs: this.t,
        venue: venue.name,
        command: name,
        clientOrderId,
        outcome,
      })
    }
    const update = (
      clientOrderId: string,
      order: LiveOrder,
      status: 'new' | 'canceled' | 'filled' | 'rejected',
    ): undefined => {
      this.stream.push({
        type: 'orderUpdate',
        tsNs: this.t,
        venue: venue.name,
        clientOrderId,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: order.sizeLots,
        filledLots: order.filledLots,
        status,
        venueTimeMs: order.venueTimeMs,
      })
    }
    switch (command.type) {
      case 'placeOrder': {
        if (fault === 'fail') return failed('placeOrder', command.clientOrderId, 'unknown') // never reached the venue
        const crosses = command.side === 'buy' ? command.priceTicks >= mid + 1 : command.priceTicks <= mid - 1
        if (fault === 'reject' || crosses) return failed('placeOrder', command.clientOrderId, 'rejected')
        const order = {
          side: command.side,
          priceTicks: command.priceTicks,
          sizeLots: command.sizeLots,
          filledLots: 0,
          venueTimeMs: ++venue.venueMs,
        }
        venue.live.set(command.clientOrderId, order)
        if (fault === 'lostAnswer') return failed('placeOrder', command.clientOrderId, 'unknown')
        return update(command.clientOrderId, { ...order }, 'new')
      }
      case 'amendOrder': {
        const order = venue.live.get(command.clientOrderId)
        if (order === undefined) return failed('amendOrder', command.clientOrderId, 'notFound')
        const crosses = command.side === 'buy' ? command.priceTicks >= mid + 1 : command.priceTicks <= mid - 1
        if (fault === 'reject' || crosses || command.sizeLots <= order.filledLots)
          return failed('amendOrder', command.clientOrderId, 'rejected')
        if (fault === 'fail') return failed('amendOrder', command.clientOrderId, 'unknown')
        order.priceTicks = command.priceTicks
        order.sizeLots = command.sizeLots
        order.venueTimeMs = ++venue.venueMs
        if (fault === 'lostAnswer') return failed('amendOrder', command.clientOrderId, 'unknown')
        return update(command.clientOrderId, { ...order }, 'new')
      }
      case 'cancelOrder': {
        const order = venue.live.get(command.clientOrderId)
        if (order === undefined) return failed('cancelOrder', command.clientOrderId, 'notFound')
        if (fault === 'fail' || fault === 'reject') return failed('cancelOrder', command.clientOrderId, 'unknown')
        venue.live.delete(command.clientOrderId)
        order.venueTimeMs = ++venue.venueMs
        venue.final.set(command.clientOrderId, { order, status: 'canceled' })
        if (fault === 'lostAnswer') return failed('cancelOrder', command.clientOrderId, 'unknown')
        return update(command.clientOrderId, { ...order }, 'canceled')
      }
      case 'cancelAll': {
        if (fault === 'fail' || fault === 'reject') return failed('cancelAll', '', 'unknown') // 503: nothing cancelled
        for (const [id, order] of venue.live) {
          order.venueTimeMs = ++venue.venueMs
          venue.final.set(id, { order, status: 'canceled' })
          update(id, { ...order }, 'canceled')
        }
        venue.live.clear()
        // The runner re-reads the open orders after a cancel-all (as a new query, after it returned).
        this.inFlight.push({
          command: { type: 'requestOpenOrders', tsNs: this.t, venue: venue.name },
          emittedNs: this.t + 1n,
        })
        return
      }
      case 'requestOpenOrders': {
        if (fault === 'fail') return // the query failed: the core asks again after its ack timeout
        this.stream.push({
          type: 'openOrders',
          tsNs: this.t,
          venue: venue.name,
          requestedNs: request.emittedNs,
          orders: [...venue.live].map(([clientOrderId, order]) => ({ clientOrderId, ...order })),
        })
        // The runner reads the positions with the open orders.
        this.stream.push({
          type: 'position',
          tsNs: this.t,
          venue: venue.name,
          sizeLots: venue.positionLots,
          venueTimeMs: venue.lastChangeMs,
        })
        return
      }
      case 'lookupOrder': {
        if (fault === 'fail') return
        const live = venue.live.get(command.clientOrderId)
        const final = venue.final.get(command.clientOrderId)
        if (live) update(command.clientOrderId, { ...live }, 'new')
        else if (final) update(command.clientOrderId, { ...final.order }, final.status)
        else
          this.stream.push({
            type: 'orderAbsent',
            tsNs: this.t,
            venue: venue.name,
            clientOrderId: command.clientOrderId,
            requestedNs: request.emittedNs,
          })
        return
      }
      default:
        return
    }
  }

  /** A taker trades against one of our live orders: fill, order update and position report, queued in any order. */
  fill(index: 0 | 1, pick: number, partial: boolean): undefined {
    const venue = this.venues[index] as VenueModel
    const ids = [...venue.live.keys()]
    if (ids.length === 0) return
    const id = ids[pick % ids.length] as string
    const order = venue.live.get(id) as LiveOrder
    const remaining = order.sizeLots - order.filledLots
    const lots = partial && remaining > 1 ? Math.ceil(remaining / 2) : remaining
    order.filledLots += lots
    venue.positionLots += order.side === 'buy' ? lots : -lots
    venue.venueMs += 1
    venue.lastChangeMs = venue.venueMs
    order.venueTimeMs = venue.venueMs
    venue.trade += 1
    this.fills++
    const done = order.filledLots >= order.sizeLots
    if (done) {
      venue.live.delete(id)
      venue.final.set(id, { order, status: 'filled' })
    }
    const base = { tsNs: this.t, venue: venue.name }
    this.stream.push(
      {
        ...base,
        type: 'fill',
        clientOrderId: id,
        tradeId: `${venue.name}-${venue.trade}`,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: lots,
        feeQuote: '0',
        venueTimeMs: venue.venueMs,
      },
      {
        ...base,
        type: 'orderUpdate',
        clientOrderId: id,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: order.sizeLots,
        filledLots: order.filledLots,
        status: done ? 'filled' : 'partiallyFilled',
        venueTimeMs: venue.venueMs,
      },
      { ...base, type: 'position', sizeLots: venue.positionLots, venueTimeMs: venue.venueMs },
    )
  }

  deliver(pick: number, duplicate: boolean): undefined {
    if (this.stream.length === 0) return
    const [event] = this.stream.splice(pick % this.stream.length, 1) as [HedgerEvent]
    // Stream messages carry the time they are received.
    const received = { ...event, tsNs: this.t } as HedgerEvent
    this.delivered.push(received)
    this.send(received)
    if (duplicate && (event.type === 'fill' || event.type === 'orderUpdate')) this.stream.push(event)
  }

  apply(action: Action): undefined {
    switch (action.kind) {
      case 'process':
        return this.process(action.pick, action.fault)
      case 'deliver':
        return this.deliver(action.pick, action.duplicate)
      case 'fill':
        return this.fill(action.venue, action.pick, action.partial)
      case 'bbo':
        this.t += BigInt(action.dtMs) * MS
        this.mid[action.venue] = Math.max(1_000, (this.mid[action.venue] as number) + action.move)
        return this.sendBbo(action.venue)
      case 'trade':
        this.t += BigInt(action.dtMs) * MS
        return this.send({
          type: 'trade',
          tsNs: this.t,
          venue: VENUES[action.venue],
          priceTicks: this.mid[action.venue] as number,
          sizeLots: 10,
          aggressorSide: 'buy',
        })
      case 'lp':
        return this.sendLp((action.heldMilli / 1000).toFixed(3))
      case 'timer':
        this.t += BigInt(action.dtMs) * MS
        return this.send({ type: 'timer', tsNs: this.t })
      case 'lpQuiet':
        // The clock runs and the books stay fresh, but no LP inventory update arrives.
        for (let second = 0; second < action.seconds; second++) {
          this.t += 1_000n * MS
          for (const venue of [0, 1] as const) this.sendBbo(venue)
          this.send({ type: 'timer', tsNs: this.t })
        }
        return
      case 'position': {
        // A REST position read: the venue time of its last change (fills up to it are inside).
        const venue = this.venues[action.venue] as VenueModel
        this.stream.push({
          type: 'position',
          tsNs: this.t,
          venue: venue.name,
          sizeLots: venue.positionLots,
          venueTimeMs: venue.lastChangeMs,
        })
        return
      }
      case 'operator':
        return this.send({ type: 'operator', tsNs: this.t, action: action.action, reason: 'model test' })
      case 'health':
        return this.send({ type: 'venueHealth', tsNs: this.t, venue: VENUES[action.venue], status: action.status })
    }
  }

  /**
   * Faults stop: the venue answers everything, streams deliver in order, the market and timers run for `seconds`
   * (books stay fresh, the LP inventory is re-sent every second). Returns when nothing is in flight or queued at the end.
   */
  quiesce(seconds: number): void {
    for (let tick = 0; tick < seconds * 4; tick++) {
      for (let round = 0; round < 50 && (this.inFlight.length > 0 || this.stream.length > 0); round++) {
        while (this.inFlight.length > 0) this.process(0, 'ok')
        while (this.stream.length > 0) this.deliver(0, false)
      }
      this.t += 250n * MS
      for (const venue of [0, 1] as const) this.sendBbo(venue)
      if (tick % 4 === 0) this.sendLp(this.lpHeld)
      this.send({ type: 'timer', tsNs: this.t })
    }
    for (let round = 0; round < 50 && (this.inFlight.length > 0 || this.stream.length > 0); round++) {
      while (this.inFlight.length > 0) this.process(0, 'ok')
      while (this.stream.length > 0) this.deliver(0, false)
    }
  }

  /** The hedger's orders as (id → side/price/size) beside the venue's. */
  ordersOf(index: 0 | 1): { hedger: string[]; venue: string[] } {
    const name = VENUES[index]
    const hedger = [...(this.state.venueByName.get(name)?.orders.values() ?? [])]
      .map((order) => `${order.clientOrderId}:${order.side}:${order.priceTicks}:${order.sizeLots}:${order.filledLots}`)
      .sort()
    const venue = [...(this.venues[index] as VenueModel).live]
      .map(([id, order]) => `${id}:${order.side}:${order.priceTicks}:${order.sizeLots}:${order.filledLots}`)
      .sort()
    return { hedger, venue }
  }
}

export function run(actions: readonly Action[]): Simulation {
  const simulation = new Simulation()
  for (const action of actions) simulation.apply(action)
  return simulation
}

const scenarioArb = fc.array(actionArb, { minLength: 10, maxLength: 120 })

describe('hedger core against a reference venue, random interleavings of events and faults', () => {
  it('invariants hold at every step; once faults stop, orders and positions equal the venue’s (every fill counted once)', () => {
    let places = 0
    let fills = 0
    let lpHalts = 0
    fc.assert(
      fc.property(scenarioArb, (actions) => {
        const simulation = run(actions)
        expect(simulation.violations).toEqual([])
        simulation.apply({ kind: 'operator', action: 'resume' })
        for (const venue of [0, 1] as const) simulation.apply({ kind: 'health', venue, status: 'connected' })
        simulation.quiesce(15)
        expect(simulation.violations).toEqual([])
        for (const [index, venue] of simulation.venues.entries()) {
          const hedgerVenue = simulation.state.venues[index] as HedgerState['venues'][number]
          expect(hedgerVenue.positionLots, `${venue.name} position`).toBe(venue.positionLots)
          const { hedger, venue: truth } = simulation.ordersOf(index as 0 | 1)
          expect(hedger, `${venue.name} orders`).toEqual(truth)
        }
        places += simulation.places
        fills += simulation.fills
        lpHalts += simulation.lpHalts
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 200), seed: Number(process.env.MODEL_SEED ?? 20261207) },
    )
    // The scenarios did exercise trading, not only halts.
    expect(places).toBeGreaterThan(500)
    expect(fills).toBeGreaterThan(100)
    // … and the LP halt (no LP update for longer than the bound) was reached often.
    expect(lpHalts).toBeGreaterThan(20)
  })

  it('a kill leaves the venue with no open order of ours within a bounded time, whatever the cancels met before', () => {
    fc.assert(
      fc.property(scenarioArb, scenarioArb, (before, during) => {
        const simulation = run(before)
        simulation.apply({ kind: 'operator', action: 'kill' })
        // Faults continue for a while (cancel-alls answered 503, lost answers, reordering), then stop.
        for (const action of during) if (action.kind !== 'operator') simulation.apply(action)
        simulation.quiesce(10) // ≤ 10 s once the venue answers again (retry backoff caps at 2 s here)
        expect(simulation.violations).toEqual([])
        for (const [index, venue] of simulation.venues.entries()) {
          expect([...venue.live.keys()], `${venue.name} open orders after the kill`).toEqual([])
          const hedgerVenue = simulation.state.venues[index] as HedgerState['venues'][number]
          expect(hedgerVenue.orders.size).toBe(0)
          // Confirmed by a snapshot of the venue's open orders.
          expect(hedgerVenue.sweep).toBeNull()
          expect(hedgerVenue.positionLots).toBe(venue.positionLots)
        }
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 150), seed: Number(process.env.MODEL_SEED ?? 20261208) },
    )
  })
})
