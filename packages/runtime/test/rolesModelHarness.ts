import { type HedgerCommand, type HedgerConfigInput, parseHedgerConfig } from '@alp/hedger'
import fc from 'fast-check'
import { expect, vi } from 'vitest'
import { Journal } from '../src/journal/Journal.js'
import { startPositionServer } from '../src/roles/startPositionServer.js'
import { startTrader, type TraderHandle } from '../src/roles/startTrader.js'
import { startTradingEngine } from '../src/roles/startTradingEngine.js'
import type { RoleHandle, VenueLink } from '../src/roles/VenueLink.js'
import type { CommandClient, MessageBus, TopicPublisher } from '../src/transport/bus.js'
import { createInProcessBus, InProcessHub } from '../src/transport/createInProcessBus.js'
import { createZmqBus } from '../src/transport/createZmqBus.js'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import type { Endpoints } from '../src/transport/portMap.js'
import { resolveEndpoints } from '../src/transport/resolveEndpoints.js'
import type { InventoryMessage, MarketDataMessage } from '../src/transport/topics.js'
import { ModelVenue, type VenueFault } from './modelVenue.js'

// Harness of the model-based test of the order path's roles (test/rolesModel.test.ts, test/faults*.test.ts): the trading engine, the position server and the trader on one bus (the
// in-process bus; once on ZeroMQ over loopback) against a deterministic in-memory venue behind the connector binding
// (test/modelVenue.ts). The test plays the quote server (best bid/offers on marketData) and the LP manager (inventory)
// and drives random interleavings of market ticks, inventory updates, venue calls answered with faults (refusals,
// timeouts whose order did or did not land), fills, venue disconnects, bus drops (gap → snapshot), role restarts,
// operator kill/resume and clock steps. Timers are fake: a clock step runs every timer of the roles (the trader's
// timer, heartbeats, ack retries, the position poll) and the venue's dead-man switch.
//
// Invariants after every step: the venue never holds more than one order of ours per side; every venue order carries
// a client order id a trader issued and no id reaches the venue's placeOrder twice; once the kill switch is latched no
// order is placed or amended. After the faults stop and a reconciliation window: the trader's working orders equal the
// venue's open orders and its position equals the venue's (every fill counted once).

export const realSetTimeout = globalThis.setTimeout
const realSleep = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms))
export const VENUE = 'model-usdm'
const SYMBOL = 'ETHUSDT'
export const START_MS = 1_780_000_000_000
const LIMIT_LOTS = 500
/** The LP manager's default inventoryHeartbeatMs (15 s), in ns. */
const LP_HEARTBEAT_NS = 15_000_000_000n

export const hedgerConfig: HedgerConfigInput = {
  venues: [
    {
      venue: VENUE,
      tickSize: '0.01',
      stepSize: '0.001',
      makerFeeBps: 0,
      supportsAmend: true,
      maxPositionBase: 0.5,
      maxNotionalUsd: 1e12,
      maxOrderSizeBase: 0.3,
      rateLimitCapacity: 50,
      rateLimitRefillPerSec: 50,
      staleAfterMs: 5_000,
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
    },
  ],
  model: { type: 'GLFT', gammaPerPrice: 0.1, eta: 0.05 },
  calibration: {
    volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
    intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
  },
  hedge: { orderSizeBase: 0.1 },
  risk: {
    maxTotalPositionBase: 100,
    maxTotalNotionalUsd: 1e12,
    maxBasisBps: 10_000,
    resumeBasisBps: 5_000,
    minCorrelation: -1,
    resumeCorrelation: -1,
  },
}
const venueConfig = parseHedgerConfig(hedgerConfig).venues[0] as VenueLink['config']

type Role = 'engine' | 'positions' | 'trader'
export type Action =
  | { kind: 'tick'; move: number; dtMs: number }
  | { kind: 'lp'; heldMilli: number }
  | { kind: 'process'; pick: number; fault: VenueFault }
  | { kind: 'fill'; pick: number; partial: boolean }
  | { kind: 'disconnect' }
  | { kind: 'reconnect' }
  | { kind: 'drop'; topic: 'orderEvents' | 'positions'; count: number }
  | { kind: 'restart'; role: Role; landed?: boolean }
  | { kind: 'operator'; action: 'kill' | 'resume' }
  | { kind: 'clock'; dtMs: number }

/**
 * `inProcess`: bus drops (the in-process bus's fault injection) and role restarts (a role restarted in one process
 * rebinds its endpoints: on ZeroMQ a restarted role is a new process, see test/transportZmq.test.ts) are drawn too.
 */
export const actionArb = (inProcess: boolean): fc.Arbitrary<Action> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('tick' as const),
        move: fc.integer({ min: -30, max: 30 }),
        dtMs: fc.integer({ min: 0, max: 1_500 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('lp' as const), heldMilli: fc.integer({ min: -800, max: 800 }) }),
    },
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant('process' as const),
        pick: fc.nat(),
        fault: fc.constantFrom<VenueFault>(
          'ok',
          'ok',
          'ok',
          'reject',
          'timeoutLanded',
          'timeoutLost',
          'lostAnswerLanded',
        ),
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(), partial: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'disconnect' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
    {
      weight: inProcess ? 2 : 0,
      arbitrary: fc.record({
        kind: fc.constant('drop' as const),
        topic: fc.constantFrom('orderEvents' as const, 'positions' as const),
        count: fc.integer({ min: 1, max: 3 }),
      }),
    },
    {
      weight: inProcess ? 1 : 0,
      arbitrary: fc.record({
        kind: fc.constant('restart' as const),
        role: fc.constantFrom<Role>('engine', 'positions', 'trader'),
        landed: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('operator' as const),
        action: fc.constantFrom('kill' as const, 'resume' as const),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('clock' as const), dtMs: fc.integer({ min: 50, max: 3_000 }) }),
    },
  )

/** One deployment of the three roles against the model venue, driven step by step. */
export class RolesModel {
  readonly venue = new ModelVenue(VENUE, SYMBOL, () => Date.now())
  readonly violations: string[] = []
  readonly errors: unknown[] = []
  /** Every client order id a trader emitted a placeOrder for. */
  readonly issued = new Set<string>()
  readonly journal = new Journal(':memory:')
  readonly drops = { orderEvents: 0, positions: 0 }
  mid = 300_000
  commands = 0
  places = 0
  restarts = 0
  trader!: TraderHandle
  engine!: RoleHandle
  positions!: RoleHandle
  link!: VenueLink
  marketData!: TopicPublisher<MarketDataMessage>
  inventory!: TopicPublisher<InventoryMessage>
  /** The test LP side's last holdings (null: the LP side is a real role, or not started) and when it published. */
  lpHeldBase: string | null = null
  lpPublishedNs = 0n
  control!: CommandClient<import('@alp/hedger').OperatorEvent>
  venueBus!: MessageBus
  traderBus!: MessageBus
  endpoints!: Endpoints
  readonly clock = {
    nowNs: () => BigInt(Date.now()) * 1_000_000n,
    nowMs: () => Date.now(),
  }

  constructor(
    readonly transport: 'in-process' | 'zeromq',
    /** Starts the LP side in place of the test's own inventory publisher (the lp-manager role, say). */
    readonly options: { startLp?: ((model: RolesModel) => Promise<void>) | undefined } = {},
  ) {}

  async start(): Promise<void> {
    if (this.transport === 'in-process') {
      const hub = new InProcessHub()
      this.endpoints = resolveEndpoints()
      this.venueBus = createInProcessBus({ hub })
      this.traderBus = createInProcessBus({
        hub,
        dropEnvelope: (topic, envelope) => {
          if (envelope.kind !== 'message' || (topic !== 'orderEvents' && topic !== 'positions')) return false
          if (this.drops[topic] === 0) return false
          this.drops[topic] -= 1
          return true
        },
      })
    } else {
      this.endpoints = await freeLoopbackEndpoints()
      this.venueBus = createZmqBus({ endpoints: this.endpoints, onError: (error) => this.errors.push(error) })
      this.traderBus = createZmqBus({ endpoints: this.endpoints, onError: (error) => this.errors.push(error) })
    }
    this.link = {
      venue: VENUE,
      symbol: SYMBOL,
      config: venueConfig,
      binding: this.venue.binding,
      endpoints: this.endpoints,
    }
    this.marketData = await this.venueBus.publisher('marketData', { publisher: 'test-quote-server' })
    if (this.options.startLp === undefined)
      this.inventory = await this.venueBus.publisher('inventory', { publisher: 'test-lp-manager' })
    await this.startEngine()
    await this.startPositions()
    await this.startTrader()
    this.control = await this.venueBus.commandClient('traderControl', { ackTimeoutMs: 500, maxAttempts: 20 })
    await this.settle()
    if (this.options.startLp !== undefined) await this.options.startLp(this)
    else this.publishLp('0.300')
    for (const mid of [300_000, 300_040, 299_980, 300_000]) {
      await this.advance(1_000)
      this.mid = mid
      await this.tick()
    }
  }

  onError = (error: unknown): void => {
    this.errors.push(error)
  }

  async startEngine(): Promise<void> {
    this.engine = await startTradingEngine({
      bus: this.venueBus,
      link: this.link,
      clock: this.clock,
      onError: this.onError,
      readFills: (sinceMs) => this.venue.readFills(sinceMs),
    })
  }

  async startPositions(): Promise<void> {
    this.positions = await startPositionServer({
      bus: this.venueBus,
      link: this.link,
      clock: this.clock,
      onError: this.onError,
      pollIntervalMs: 5_000,
    })
  }

  async startTrader(): Promise<void> {
    this.trader = await startTrader({
      bus: this.traderBus,
      config: hedgerConfig,
      venues: [{ venue: VENUE, endpoints: this.endpoints }],
      endpoints: this.endpoints,
      journal: this.journal,
      processName: 'trader',
      clock: this.clock,
      onError: this.onError,
      timerIntervalMs: 250,
      onCommand: (command) => this.onCommand(command),
    })
  }

  onCommand(command: HedgerCommand): void {
    this.commands += 1
    if (command.type === 'placeOrder' || command.type === 'amendOrder') {
      if (this.trader.state.killed !== null)
        this.violations.push(`${command.type} ${command.clientOrderId} while the kill switch is latched`)
    }
    if (command.type === 'placeOrder') {
      this.places += 1
      if (this.issued.has(command.clientOrderId))
        this.violations.push(`client order id ${command.clientOrderId} reused`)
      this.issued.add(command.clientOrderId)
    }
  }

  /** Lets every delivery and reaction in flight run (microtasks; on ZeroMQ, until the sockets are quiet). */
  async settle(): Promise<void> {
    if (this.transport === 'in-process') {
      await new Promise((resolve) => setImmediate(resolve))
      await new Promise((resolve) => setImmediate(resolve))
      return
    }
    let last = ''
    for (let quiet = 0, round = 0; quiet < 3 && round < 200; round++) {
      await realSleep(4)
      const now = `${this.venue.calls}/${this.commands}/${this.trader?.state.nowNs}/${this.venue.pending.length}`
      quiet = now === last ? quiet + 1 : 0
      last = now
    }
  }

  /** The LP side's holdings, as the LP manager publishes them (stamped now). */
  publishLp(baseHeldBase: string): void {
    this.lpHeldBase = baseHeldBase
    this.lpPublishedNs = this.clock.nowNs()
    this.inventory.publish({
      type: 'lpInventory',
      tsNs: this.lpPublishedNs,
      baseHeldBase,
      baseTargetBase: '0',
      poolPrice: '3000',
    })
  }

  /**
   * The clock moves: every timer due runs; the venue's dead-man switch fires if it ran out. The test's LP side
   * re-publishes unchanged holdings every LP_HEARTBEAT_NS, as the LP manager does (its inventoryHeartbeatMs), so
   * the trader's LP-inventory staleness halt fires only when a test stops the LP side.
   */
  async advance(ms: number): Promise<void> {
    const step = 250
    for (let left = ms; left > 0; left -= step) {
      await vi.advanceTimersByTimeAsync(Math.min(step, left))
      this.venue.checkDeadMan()
      if (this.lpHeldBase !== null && this.clock.nowNs() - this.lpPublishedNs >= LP_HEARTBEAT_NS)
        this.publishLp(this.lpHeldBase)
      await this.settle()
    }
  }

  async tick(): Promise<void> {
    this.venue.setTouch(this.mid - 1, this.mid + 1)
    this.marketData.publish({
      type: 'bbo',
      tsNs: this.clock.nowNs(),
      venue: VENUE,
      bidPriceTicks: this.mid - 1,
      bidSizeLots: 5_000,
      askPriceTicks: this.mid + 1,
      askSizeLots: 5_000,
    })
  }

  async apply(action: Action): Promise<void> {
    switch (action.kind) {
      case 'tick':
        await this.advance(action.dtMs)
        this.mid = Math.max(1_000, this.mid + action.move)
        await this.tick()
        break
      case 'lp':
        this.publishLp((action.heldMilli / 1000).toFixed(3))
        break
      case 'process':
        this.venue.process(action.pick, action.fault)
        break
      case 'fill':
        // While the private stream is down the fill is never reported as an event (connectors do not replay trades
        // after a reconnect): only the venue's trade history has it.
        this.venue.fill(action.pick, action.partial)
        break
      case 'disconnect':
        this.venue.disconnect()
        break
      case 'reconnect':
        this.venue.reconnect()
        break
      case 'drop':
        this.drops[action.topic] += action.count
        break
      case 'restart':
        // A role starts by reading the venue: with the venue down it could not start (its supervisor retries later).
        if (!this.venue.connected) break
        this.restarts += 1
        if (action.role === 'engine') {
          // Stopping, the engine takes no new command and waits for the ones in flight (its command server drains
          // them, bounded): the calls it had at the venue reach it or not meanwhile (a request of a dead process does
          // not land minutes later; the HTTP timeout bounds it), then the new engine starts.
          const stopping = this.engine.stop()
          await this.settle()
          while (this.venue.pending.length > 0) {
            this.venue.process(0, action.landed === true ? 'ok' : 'timeoutLost')
            await this.settle()
          }
          await stopping
          await this.startEngine()
        } else if (action.role === 'positions') {
          await this.positions.stop()
          await this.startPositions()
        } else {
          await this.trader.stop()
          // A restart takes longer than a venue call (bounded by the HTTP timeout): the creates of the stopped run
          // that the engine sent are on the venue or not before the new run reads the open orders.
          while (this.venue.pending.length > 0) this.venue.process(0, action.landed === true ? 'ok' : 'timeoutLost')
          await this.settle()
          await this.startTrader()
        }
        break
      case 'operator':
        void this.control
          .send({ type: 'operator', tsNs: this.clock.nowNs(), action: action.action, reason: 'model test' })
          .catch((error: unknown) => this.errors.push(error))
        break
      case 'clock':
        await this.advance(action.dtMs)
        break
    }
    await this.settle()
    this.check()
  }

  check(): void {
    let buys = 0
    let sells = 0
    let buyLots = 0
    let sellLots = 0
    for (const order of this.venue.live.values()) {
      const remaining = order.sizeLots - order.filledLots
      if (order.side === 'buy') {
        buys += 1
        buyLots += remaining
      } else {
        sells += 1
        sellLots += remaining
      }
    }
    if (buys > 1 || sells > 1) this.violations.push(`the venue holds ${buys} bids and ${sells} asks of ours`)
    if (this.venue.positionLots + buyLots > LIMIT_LOTS)
      this.violations.push(`position ${this.venue.positionLots} + bids ${buyLots} > ${LIMIT_LOTS}`)
    if (-this.venue.positionLots + sellLots > LIMIT_LOTS)
      this.violations.push(`−position ${-this.venue.positionLots} + asks ${sellLots} > ${LIMIT_LOTS}`)
    for (const [id, calls] of this.venue.placeCalls) {
      if (!this.issued.has(id)) this.violations.push(`the venue got an order ${id} no trader issued`)
      if (calls > 1 && !this.violations.includes(`${id} reached the venue's placeOrder twice`))
        this.violations.push(`${id} reached the venue's placeOrder twice`)
    }
  }

  /** Faults stop: the venue is up and answers everything, the operator resumes, the market ticks for `seconds`. */
  async quiesce(seconds: number): Promise<void> {
    this.venue.reconnect()
    this.drops.orderEvents = 0
    this.drops.positions = 0
    await this.control
      .send({ type: 'operator', tsNs: this.clock.nowNs(), action: 'resume', reason: 'quiesce' })
      .catch(() => {})
    for (let t = 0; t < seconds * 4; t++) {
      for (let round = 0; round < 20 && this.venue.pending.length > 0; round++) {
        this.venue.drain()
        await this.settle()
      }
      await this.advance(250)
      await this.tick()
      await this.settle()
      this.check()
    }
    for (let round = 0; round < 20 && this.venue.pending.length > 0; round++) {
      this.venue.drain()
      await this.settle()
    }
  }

  ordersOfTrader(): string[] {
    const venue = this.trader.state.venueByName.get(VENUE)
    return [...(venue?.orders.values() ?? [])]
      .map((o) => `${o.clientOrderId}:${o.side}:${o.priceTicks}:${o.sizeLots}:${o.filledLots}`)
      .sort()
  }

  ordersOfVenue(): string[] {
    return [...this.venue.live.values()]
      .map((o) => `${o.clientOrderId}:${o.side}:${o.priceTicks}:${o.sizeLots}:${o.filledLots}`)
      .sort()
  }

  /** Every run's journal (events → commands), for a failing case under MODEL_TRACE=1. */
  trace(): string {
    const ms = (v: unknown) => (typeof v === 'bigint' ? Number(v / 1_000_000n) - START_MS : v)
    const lines: string[] = []
    for (const run of this.journal.runs()) {
      lines.push(`run ${run.runId}`)
      for (const step of this.journal.steps(run.runId)) {
        if (
          step.event.type === 'timer' &&
          step.commands.every((c) => c.type === 'metric' || c.type === 'armDeadManSwitch')
        )
          continue
        if (step.event.type === 'bbo' && step.commands.length === 0) continue
        lines.push(`> ${JSON.stringify(step.event, (_k, v) => ms(v))}`)
        for (const c of step.commands)
          if (c.type !== 'metric') lines.push(`   < ${JSON.stringify(c, (_k, v) => ms(v))}`)
      }
    }
    return lines.join('\n')
  }

  async close(): Promise<void> {
    await this.trader?.stop()
    await this.positions?.stop()
    // The engine's stop waits for its commands in flight: the venue answers the calls it still holds (as a real venue
    // answers or the HTTP timeout ends them), else the stop would wait on timers the fake clock never runs.
    const stopping = this.engine?.stop()
    for (let round = 0; round < 100 && this.venue.pending.length > 0; round++) {
      await this.settle()
      while (this.venue.pending.length > 0) this.venue.process(0, 'timeoutLost')
    }
    await stopping
    await this.traderBus?.close()
    await this.venueBus?.close()
    this.journal.close()
  }
}

/** Runs `actions`, then the faults stop; returns the model for the end checks. */
export async function runModel(actions: readonly Action[], transport: 'in-process' | 'zeromq'): Promise<RolesModel> {
  const model = new RolesModel(transport)
  let at = 'start'
  let watchdog: ReturnType<typeof setTimeout> | undefined
  const hung = new Promise<never>((_, reject) => {
    watchdog = realSetTimeout(() => {
      console.error(`the model run hung at ${at}: ${JSON.stringify(actions)}`)
      reject(new Error(`the model run hung at ${at}`))
    }, 20_000)
  })
  const run = async (): Promise<RolesModel> => {
    await model.start()
    for (const [index, action] of actions.entries()) {
      at = `action ${index} ${JSON.stringify(action)}`
      await model.apply(action)
    }
    at = 'quiesce'
    await model.quiesce(15)
    return model
  }
  try {
    return await Promise.race([run(), hung])
  } catch (error) {
    await model.close()
    throw error
  } finally {
    clearTimeout(watchdog)
  }
}

export async function expectConverged(model: RolesModel): Promise<void> {
  try {
    if (process.env.MODEL_TRACE) console.log(model.trace())
    expect(model.violations).toEqual([])
    expect(model.ordersOfTrader(), 'the trader’s working orders').toEqual(model.ordersOfVenue())
    expect(model.trader.state.venueByName.get(VENUE)?.positionLots, 'the trader’s position').toBe(
      model.venue.positionLots,
    )
  } finally {
    await model.close()
  }
}

/** Fake timers for a model run: every timer of the roles and the bus, and Date (the roles' clock). */
export function useModelTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: START_MS })
}
