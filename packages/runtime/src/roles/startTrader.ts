import {
  type CommandFailedEvent,
  createHedger,
  decodeHedgerMessage,
  type FillEvent,
  type HedgerCommand,
  type HedgerConfigInput,
  type HedgerEvent,
  type HedgerState,
  inventoryUpdateToEvent,
  StopNotConfirmedError,
  type StopReport,
} from '@alp/hedger'
import { RuntimeError } from '../errors/base.js'
import { createPnlSnapshotter, journalLpMessage } from '../journal/createPnlSnapshotter.js'
import type { Journal } from '../journal/Journal.js'
import { stepJournaled } from '../journal/stepJournaled.js'
import type { RuntimeMetrics } from '../observability/metrics.js'
import type { CommandClient, CommandServer, MessageBus, TopicPublisher, TopicSubscriber } from '../transport/bus.js'
import { TransportClosedError } from '../transport/errors.js'
import type { Endpoints } from '../transport/portMap.js'
import type {
  InventoryMessage,
  MarketDataMessage,
  OrderEventMessage,
  OrderUpdateMessage,
  PositionMessage,
  RequestFillsCommand,
  VenueCommand,
} from '../transport/topics.js'
import { RecentTradeIds } from './RecentTradeIds.js'
import { NO_FILL_HISTORY } from './startTradingEngine.js'
import type { RoleClock, RoleErrorSink, RoleHandle } from './VenueLink.js'

export type StartTraderParameters = {
  readonly bus: MessageBus
  readonly config: HedgerConfigInput
  /** Per hedger venue, the links of its venue slot (where its quote-server, trading-engine and position-server are). */
  readonly venues: readonly { readonly venue: string; readonly endpoints: Endpoints }[]
  /** Links of the trader's own topics (`orderUpdates`, `control`) and of the LP manager's `inventory`. */
  readonly endpoints: Endpoints
  /** Every event and the commands it produced are journaled before the commands are sent (`stepJournaled`). */
  readonly journal: Journal
  readonly processName: string
  readonly clock: RoleClock & { nowMs(): number }
  readonly onError: RoleErrorSink
  /** Timer events (staleness, keep-alives, dead-man switch, sampling), ms. Default 250. */
  readonly timerIntervalMs?: number | undefined
  readonly metrics?: RuntimeMetrics | undefined
  /**
   * The venue command client's patience: resent with the same id every `ackTimeoutMs` (default 500), given up after
   * `maxAttempts` (default 40: 20 s, beyond a venue call's HTTP timeout, since the engine acks once the call returned);
   * then the outcome is `unknown` and the core looks the order up.
   */
  readonly commandAck?:
    | { readonly ackTimeoutMs?: number | undefined; readonly maxAttempts?: number | undefined }
    | undefined
  /** Every command the core emits, after it was sent on (logs, tests). */
  readonly onCommand?: ((command: HedgerCommand) => void) | undefined
  /** After every step, before its commands are sent: the event, its commands and the new state (status, metrics). */
  readonly onStep?: ((event: HedgerEvent, commands: readonly HedgerCommand[], state: HedgerState) => void) | undefined
  readonly instance?: string | undefined
  /**
   * Restart reconciliation before the first quote: per venue the open orders (the trading engine's `orderEvents`
   * snapshot), the position (the position server's, read from the venue) and the fills since the last one journaled
   * (the engine's `venueHistory`: the venue's trade history), each missed fill journaled and fed to the core once
   * (deduplicated by trade id). Market data is followed only once it is done, so nothing is quoted on a stale
   * inventory. `timeoutMs` (default 30 000) bounds it: then `reconciled` rejects with `RECONCILIATION_FAILED`.
   * Without this parameter (tests that play the peers), or with `skip: true`, it quotes at once (the operator's `--skip-reconciliation`: fills made while the trader was down are
   * then only counted once the venue's position report covers them).
   */
  readonly reconciliation?: { readonly timeoutMs?: number | undefined; readonly skip?: boolean | undefined } | undefined
  /** PnL snapshots journaled every this many ms of the role clock, and at stop (`[GLOBAL] PNL_SNAPSHOT_MS`). Default 60 000. */
  readonly pnlSnapshotMs?: number | undefined
}

export type TraderHandle = RoleHandle & {
  /** The journal's run id (the hedger's `runTag`: client order ids are unique across runs). */
  readonly runId: string
  /**
   * Settles when the start-up reconciliation is done (market data followed, quoting may begin); rejects with a
   * `RuntimeError` of code `RECONCILIATION_FAILED` naming the venue and the step.
   */
  readonly reconciled: Promise<void>
  /** Fills found in the venues' history that the journal did not have (start-up and after every engine restart). */
  readonly recoveredFills: number
  /** The core's current state (read-only use). */
  readonly state: HedgerState
  /** Feeds one event to the core now (journaled like every other). */
  dispatch(event: HedgerEvent): void
  /**
   * The live runner's stop: latches the kill switch, keeps the timer running so the core repeats its cancel-alls and
   * lookups until every venue confirms none of our orders is open (or `timeoutMs`, default 30 s), then detaches.
   * @throws StopNotConfirmedError naming the venues that still list (or may list) our orders.
   */
  stopAndConfirm(options?: { timeoutMs?: number | undefined }): Promise<StopReport>
}

const VENUE_COMMANDS = new Set<HedgerCommand['type']>([
  'placeOrder',
  'amendOrder',
  'cancelOrder',
  'cancelAll',
  'armDeadManSwitch',
  'requestOpenOrders',
  'lookupOrder',
])
const ORDER_ACTIONS: Partial<Record<string, string>> = {
  placeOrder: 'place',
  amendOrder: 'amend',
  cancelOrder: 'cancel',
  cancelAll: 'cancelAll',
}
const FAILABLE = new Set<string>(['placeOrder', 'amendOrder', 'cancelOrder', 'cancelAll'])
/** Fills are asked for from this long before the last one journaled (several fills in one millisecond, clock skew). */
const FILL_HISTORY_MARGIN_MS = 5_000
/**
 * Trade ids remembered per venue to skip fills already journaled when the history is read back: far more than a venue
 * reports within {@link FILL_HISTORY_MARGIN_MS} of the last fill (the hedger core keeps as many for its own dedup).
 */
const KNOWN_TRADE_IDS = 4096
/** An `orderEvents` snapshot may describe the venue as it was this long ago (the engine's REST reads). */
const SNAPSHOT_AGE_NS = 10_000n * 1_000_000n

/**
 * The trader role: the hedger core (`step` through {@link stepJournaled}, the journal first) fed from the bus —
 * per venue `marketData`, `orderEvents` and `positions`, plus `inventory` — and a timer. Its venue commands go to the
 * venue's trading engine through the `venueCommands` command client (an ack with `ok: false` becomes a `commandFailed`
 * event with outcome `rejected`, no ack at all outcome `unknown`); `halt`, `resume`, `suggestRange`, `log` and
 * `metric` are published on `orderUpdates`; operator kill / resume arrive on the `traderControl` command server.
 * On a state topic's snapshot (start, gap, restarted peer) the core gets the venue's truth again: an `openOrders`
 * event from the `orderEvents` state and the entries of the `positions` state.
 */
export async function startTrader(parameters: StartTraderParameters): Promise<TraderHandle> {
  const { bus, clock, journal } = parameters
  const instance = parameters.instance ?? 'trader'
  const runId = journal.startRun({
    processName: parameters.processName,
    startedMs: clock.nowMs(),
    hedgerConfig: parameters.config,
  })
  let state = createHedger(parameters.config, { runTag: runId })
  const pnl = createPnlSnapshotter({
    journal,
    runId,
    intervalMs: parameters.pnlSnapshotMs ?? 60_000,
    nowMs: () => clock.nowMs(),
    state: () => state,
  })
  const lpJournal = { journal, runId, pnl }
  const report = (error: unknown, venue?: string): void =>
    parameters.onError(error, venue === undefined ? { role: 'trader' } : { role: 'trader', venue })
  const metrics = parameters.metrics
  const haltReasons = new Map<string, string>()

  const orderUpdates: TopicPublisher<OrderUpdateMessage> = await bus.publisher('orderUpdates', {
    endpoints: parameters.endpoints,
    publisher: 'trader',
  })
  const clients = new Map<string, CommandClient<VenueCommand>>()
  const subscribers: TopicSubscriber<unknown>[] = []
  let stopped = false

  // Per venue, the newest trade ids journaled (bounded: only recent ones can come back from the venue's history).
  const knownTradeIds = new Map<string, RecentTradeIds>()
  const knownOf = (venue: string): RecentTradeIds => {
    let known = knownTradeIds.get(venue)
    if (known === undefined) {
      known = new RecentTradeIds(
        KNOWN_TRADE_IDS,
        journal.fills({ venue }).map((fill) => fill.tradeId),
      )
      knownTradeIds.set(venue, known)
    }
    return known
  }
  const dispatch = (event: HedgerEvent): void => {
    if (stopped) return
    if (event.type === 'fill') knownOf(event.venue).add(event.tradeId)
    // A fill comes on orderEvents and on positions: counted in the metrics the first time (the core dedups too).
    const newFill = event.type === 'fill' && !state.venueByName.get(event.venue)?.seenTradeIds.has(event.tradeId)
    let commands: readonly HedgerCommand[]
    try {
      const result = stepJournaled(journal, runId, state, event)
      state = result.state
      commands = result.commands
    } catch (error) {
      report(error)
      return
    }
    if (metrics !== undefined) {
      if (event.type === 'fill' && newFill) {
        const venueState = state.venueByName.get(event.venue)
        metrics.fillsTotal.inc({ venue: event.venue, side: event.side })
        if (venueState !== undefined)
          metrics.filledBaseTotal.inc(
            { venue: event.venue, side: event.side },
            event.sizeLots * venueState.config.stepSizeBase,
          )
      }
      for (const venueState of state.venues) {
        metrics.openOrders.set({ venue: venueState.config.venue }, venueState.orders.size)
        metrics.positionBase.set(
          { venue: venueState.config.venue },
          venueState.positionLots * venueState.config.stepSizeBase,
        )
      }
    }
    parameters.onStep?.(event, commands, state)
    for (const command of commands) execute(command)
  }

  /** Creates the engine acknowledged (it ran them and published the venue's answer on orderEvents), by client order id. */
  const acknowledgedCreates = new Map<string, { venue: string; ackedNs: bigint }>()
  // An acknowledged create whose answer never came (lost in an orderEvents gap, or with a restarted engine's publisher):
  // the core would wait for it forever (open-orders listings leave unanswered creates alone). After the venue's ack
  // timeout its outcome becomes unknown, so the core looks the order up by client order id (the venue call is over).
  const settleLostAnswers = (): void => {
    const nowNs = clock.nowNs()
    for (const [clientOrderId, { venue, ackedNs }] of acknowledgedCreates) {
      const venueState = state.venueByName.get(venue)
      const order = venueState?.orders.get(clientOrderId)
      if (venueState === undefined || order === undefined || order.pending !== 'new' || order.unknown)
        acknowledgedCreates.delete(clientOrderId)
      else if (nowNs - ackedNs >= venueState.config.orderAckTimeoutNs) {
        acknowledgedCreates.delete(clientOrderId)
        dispatch({
          type: 'commandFailed',
          tsNs: nowNs,
          venue,
          command: 'placeOrder',
          clientOrderId,
          outcome: 'unknown',
        })
      }
    }
  }

  const commandFailed = (command: VenueCommand, outcome: CommandFailedEvent['outcome']): void => {
    if (!FAILABLE.has(command.type)) return
    dispatch({
      type: 'commandFailed',
      tsNs: clock.nowNs(),
      venue: command.venue,
      command: command.type as CommandFailedEvent['command'],
      clientOrderId: 'clientOrderId' in command ? command.clientOrderId : '',
      outcome,
    })
  }

  function execute(command: HedgerCommand): void {
    if (VENUE_COMMANDS.has(command.type)) {
      const venueCommand = command as VenueCommand
      const client = clients.get(venueCommand.venue)
      if (client === undefined) return
      const action = ORDER_ACTIONS[venueCommand.type] ?? venueCommand.type
      client.send(venueCommand).then(
        (ack) => {
          if (FAILABLE.has(venueCommand.type))
            metrics?.ordersTotal.inc({ venue: venueCommand.venue, action, outcome: ack.ok ? 'ok' : 'rejected' })
          if (ack.ok && venueCommand.type === 'placeOrder')
            acknowledgedCreates.set(venueCommand.clientOrderId, { venue: venueCommand.venue, ackedNs: clock.nowNs() })
          if (!ack.ok) {
            report(
              new Error(`${venueCommand.venue}: ${venueCommand.type} refused: ${ack.detail ?? ''}`),
              venueCommand.venue,
            )
            commandFailed(venueCommand, 'rejected')
          }
        },
        (error: unknown) => {
          // Stopping closes the command clients: a command still awaiting its ack is cut, which is what stopping
          // means (stopAndConfirm has read the venues' own state before closing and reports any venue not flat).
          if (!(stopped && error instanceof TransportClosedError)) report(error, venueCommand.venue)
          if (FAILABLE.has(venueCommand.type))
            metrics?.ordersTotal.inc({ venue: venueCommand.venue, action, outcome: 'unknown' })
          // CommandNotAcknowledgedError (or the bus closing under it): the command may or may not have run; the core
          // looks the order up by client order id.
          commandFailed(venueCommand, 'unknown')
        },
      )
    } else if (
      command.type === 'halt' ||
      command.type === 'resume' ||
      command.type === 'suggestRange' ||
      command.type === 'log' ||
      command.type === 'metric'
    ) {
      observe(command)
      orderUpdates.publish(command)
    }
    parameters.onCommand?.(command)
  }

  const observe = (command: OrderUpdateMessage): void => {
    if (metrics === undefined) return
    if (command.type === 'halt') {
      metrics.haltsTotal.inc({ scope: command.scope, reason: command.reason })
      metrics.halted.set({ scope: command.scope, reason: command.reason }, 1)
      haltReasons.set(command.scope, command.reason)
    } else if (command.type === 'resume') {
      const reason = haltReasons.get(command.scope)
      if (reason !== undefined) metrics.halted.set({ scope: command.scope, reason }, 0)
      haltReasons.delete(command.scope)
    } else if (command.type === 'metric' && command.name === 'netExposureBase') {
      metrics.netExposureBase.set(command.value)
    }
  }

  // venueHealth comes from the position server (`positions`: every connection of its connector) and the quote server
  // (`marketData`: its market-data connections): a venue is connected again only when neither reports it down.
  const healthDown = new Map<string, Set<string>>()
  // The quote-server republishes its health (marketData is lossy, without snapshot): the core gets it only when it
  // differs from the core's view (a trader that started late or lost a message), so its repeats change nothing.
  const passHealth = (source: string, message: { type: string; venue: string; status?: string }): boolean => {
    if (source === 'marketData' && message.type === 'venueHealth') {
      const venue = state.venueByName.get(message.venue)
      const marketDown = healthDown.get(message.venue)?.has(source) === true
      if (message.status === 'feedGap' && venue?.feedGap === true) return false
      if (message.status === 'resynced' && venue?.feedGap === false) return false
      if (message.status === 'disconnected' && marketDown && venue?.connected === false) return false
      if (message.status === 'connected' && !marketDown && venue?.connected === true) return false
    }
    if (message.type !== 'venueHealth' || (message.status !== 'connected' && message.status !== 'disconnected'))
      return true
    const down = healthDown.get(message.venue) ?? new Set<string>()
    healthDown.set(message.venue, down)
    if (message.status === 'disconnected') down.add(source)
    else down.delete(source)
    return message.status === 'disconnected' || down.size === 0
  }
  const follow = <M>(subscriber: TopicSubscriber<M>, onMessage: (message: M) => void): void => {
    // Bus lag: delivery now minus the publisher's stamp (tsNs of hedger events, tsMs of inventory updates).
    if (metrics !== undefined)
      subscriber.on('message', (message) => {
        const sent = message as { tsNs?: unknown; tsMs?: unknown }
        const lagNs =
          typeof sent.tsNs === 'bigint'
            ? clock.nowNs() - sent.tsNs
            : typeof sent.tsMs === 'number'
              ? BigInt(Math.round((clock.nowMs() - sent.tsMs) * 1e6))
              : null
        if (lagNs !== null) metrics.busLagSeconds.observe({ topic: subscriber.topic }, Math.max(0, Number(lagNs)) / 1e9)
      })
    subscriber.on('message', onMessage)
    subscribers.push(subscriber as TopicSubscriber<unknown>)
  }

  const orderEventsOf = new Map<string, TopicSubscriber<OrderEventMessage>>()
  const positionsOf = new Map<string, TopicSubscriber<PositionMessage>>()
  let reconcileDone = false
  const noHistoryReported = new Set<string>()
  let recoveredFills = 0
  /** The venue's fills since the last one journaled (less a margin), those the journal lacks dispatched in order. */
  // One recovery at a time per venue (a snapshot may come while one is in flight; one command client per service and
  // endpoint at a time).
  const fillRecovery = new Map<string, Promise<number>>()
  const recoverFills = (venue: string, timeoutMs: number): Promise<number> => {
    const next = (fillRecovery.get(venue) ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => (stopped ? 0 : recoverFillsNow(venue, timeoutMs)))
    fillRecovery.set(venue, next)
    return next
  }
  const recoverFillsNow = async (venue: string, timeoutMs: number): Promise<number> => {
    const endpoints = parameters.venues.find((v) => v.venue === venue)?.endpoints
    const history = await bus.commandClient('venueHistory', {
      endpoints,
      ackTimeoutMs: 500,
      maxAttempts: Math.max(1, Math.ceil(timeoutMs / 500)),
    })
    try {
      const last = journal.lastFill(venue)
      const firstRunMs = journal.runs()[0]?.startedMs ?? clock.nowMs()
      const sinceMs = (last?.venueTimeMs ?? firstRunMs) - FILL_HISTORY_MARGIN_MS
      const command: RequestFillsCommand = { type: 'requestFills', venue, sinceMs, tsNs: String(clock.nowNs()) }
      const ack = await history.send(command)
      if (!ack.ok && ack.detail?.startsWith(NO_FILL_HISTORY) === true) {
        // This venue's connector cannot read its fill history: the position report alone covers missed fills.
        if (!noHistoryReported.has(venue))
          execute({
            type: 'log',
            tsNs: clock.nowNs(),
            level: 'warn',
            code: 'NO_FILL_HISTORY',
            message: `${venue}: ${ack.detail}; fills made while the trader was down are counted from the position only`,
          })
        noHistoryReported.add(venue)
        return 0
      }
      if (!ack.ok) throw new Error(ack.detail ?? 'refused')
      const fills = (JSON.parse(ack.detail ?? '[]') as string[])
        .map((text) => decodeHedgerMessage(text) as FillEvent)
        .sort((a, b) => (a.venueTimeMs ?? 0) - (b.venueTimeMs ?? 0))
      let found = 0
      for (const fill of fills) {
        if (stopped || knownOf(venue).has(fill.tradeId)) continue
        dispatch({ ...fill, tsNs: clock.nowNs() })
        found += 1
      }
      recoveredFills += found
      return found
    } finally {
      await history.close()
    }
  }

  for (const { venue, endpoints } of parameters.venues) {
    clients.set(
      venue,
      await bus.commandClient('venueCommands', {
        endpoints,
        ackTimeoutMs: parameters.commandAck?.ackTimeoutMs ?? 500,
        maxAttempts: parameters.commandAck?.maxAttempts ?? 40,
      }),
    )
    const orderEvents = await bus.subscriber('orderEvents', { endpoints })
    follow<OrderEventMessage>(orderEvents, (message) => {
      if (message.venue === venue) dispatch(message)
    })
    orderEvents.on('snapshot', (snapshot) => {
      const prefix = `order/${venue}/`
      const orders = [...snapshot.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([, message]) => message)
        .filter((message) => message.type === 'orderUpdate')
        .map((order) => ({
          clientOrderId: order.clientOrderId,
          side: order.side,
          priceTicks: order.priceTicks,
          sizeLots: order.sizeLots,
          filledLots: order.filledLots,
          ...(order.venueTimeMs === undefined ? {} : { venueTimeMs: order.venueTimeMs }),
        }))
      const tsNs = clock.nowNs()
      dispatch({ type: 'openOrders', tsNs, venue, requestedNs: tsNs - SNAPSHOT_AGE_NS, orders })
      // A restarted engine (new epoch) or a gap: fills may have been made meanwhile; the venue's history has them.
      if (reconcileDone) recoverFills(venue, 20_000).catch((error: unknown) => report(error, venue))
    })
    orderEventsOf.set(venue, orderEvents)
    const positions = await bus.subscriber('positions', { endpoints })
    follow<PositionMessage>(positions, (message) => {
      if (message.venue === venue && passHealth('positions', message)) dispatch(message)
    })
    // The first snapshot's fills are inside the venue's position already; after a gap they may be fills orderEvents lost.
    let positionsSynced = false
    positions.on('snapshot', (snapshot) => {
      for (const message of snapshot.values())
        if (message.venue === venue && (positionsSynced || message.type !== 'fill') && passHealth('positions', message))
          dispatch(message)
      positionsSynced = true
    })
    positionsOf.set(venue, positions)
  }
  const inventory = await bus.subscriber('inventory', { endpoints: parameters.endpoints })
  const journalLpSafely = (message: InventoryMessage): void => {
    try {
      journalLpMessage(lpJournal, message)
    } catch (error) {
      report(error)
    }
  }
  follow<InventoryMessage>(inventory, (message) => {
    if (message.type === 'lp.action' || message.type === 'lp.pnl') journalLpSafely(message)
    else if (message.type === 'lp.inventory') {
      try {
        dispatch(inventoryUpdateToEvent(message, clock.nowNs()))
      } catch (error) {
        report(error)
      }
    } else dispatch(message)
  })
  inventory.on('snapshot', (snapshot) => {
    for (const message of snapshot.values())
      if (message.type === 'lp.action' || message.type === 'lp.pnl') journalLpSafely(message)
      else if (message.type === 'lp.inventory') dispatch(inventoryUpdateToEvent(message, clock.nowNs()))
      else dispatch(message)
  })
  // A state synced before the listeners above were attached: its LP actions and PnL (each plan id journaled once).
  for (const message of inventory.state.values())
    if (message.type === 'lp.action' || message.type === 'lp.pnl') journalLpSafely(message)
  const followMarketData = async (): Promise<void> => {
    for (const { venue, endpoints } of parameters.venues) {
      const marketData = await bus.subscriber('marketData', { endpoints })
      follow<MarketDataMessage>(marketData, (message) => {
        if (message.venue === venue && passHealth('marketData', message)) dispatch(message)
      })
    }
  }
  const reconcileTimeoutMs = parameters.reconciliation?.timeoutMs ?? 30_000
  const reconcile = async (): Promise<void> => {
    const deadline = Date.now() + reconcileTimeoutMs
    const left = (): number => Math.max(1, deadline - Date.now())
    for (const { venue } of parameters.venues) {
      const step = async (what: string, run: () => Promise<unknown>): Promise<void> => {
        try {
          await run()
        } catch (error) {
          throw new RuntimeError(`${venue}: start-up reconciliation failed while ${what}; nothing was quoted.`, {
            code: 'RECONCILIATION_FAILED',
            cause: error,
            metaMessages: [
              'Next: check that the venue’s trading-engine and position-server run and reach the venue (alp doctor), then start again.',
              'alp start --skip-reconciliation quotes without it (fills made while the trader was down count only once a position report covers them).',
            ],
            docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#restart-and-reconciliation',
          })
        }
      }
      const orderEvents = orderEventsOf.get(venue) as TopicSubscriber<OrderEventMessage>
      const positions = positionsOf.get(venue) as TopicSubscriber<PositionMessage>
      await step('reading its open orders (the trading engine’s orderEvents snapshot)', () =>
        orderEvents.until((s) => s.phase === 'live', left()),
      )
      await step('reading its position (the position server’s)', () =>
        positions.until((s) => s.phase === 'live' && s.state.has(`health/${venue}`), left()),
      )
      await step('reading its fills since the last one journaled (the venue’s trade history)', () =>
        recoverFills(venue, left()),
      )
    }
  }
  const reconciled = (async () => {
    if (parameters.reconciliation !== undefined && parameters.reconciliation.skip !== true) await reconcile()
    reconcileDone = true
    if (!stopped) await followMarketData()
  })()
  reconciled.catch(() => {}) // the caller awaits it; never an unhandled rejection

  const control: CommandServer = await bus.commandServer(
    'traderControl',
    (operator) => {
      dispatch({ ...operator, tsNs: clock.nowNs() })
      return { ok: true }
    },
    { endpoints: parameters.endpoints },
  )
  const timer = setInterval(() => {
    dispatch({ type: 'timer', tsNs: clock.nowNs() })
    settleLostAnswers()
    try {
      pnl.tick()
    } catch (error) {
      report(error)
    }
  }, parameters.timerIntervalMs ?? 250)

  const close = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    clearInterval(timer)
    await control.close()
    for (const subscriber of subscribers.splice(0)) await subscriber.close()
    for (const client of clients.values()) await client.close()
    await orderUpdates.close()
    try {
      pnl.snapshot()
    } catch (error) {
      report(error)
    }
    journal.endRun(runId, clock.nowMs())
  }

  return {
    role: 'trader',
    instance,
    runId,
    reconciled,
    get recoveredFills() {
      return recoveredFills
    },
    get state() {
      return state
    },
    dispatch,
    async stopAndConfirm(options = {}) {
      const timeoutMs = options.timeoutMs ?? 30_000
      dispatch({ type: 'operator', tsNs: clock.nowNs(), action: 'kill', reason: 'stop' })
      const deadline = Date.now() + timeoutMs
      const flat = () => state.venues.every((venue) => venue.sweep === null && venue.orders.size === 0)
      while (!flat() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      const stopReport: StopReport = {
        venues: state.venues.map((venue) => ({
          venue: venue.config.venue,
          confirmed: venue.sweep === null && venue.orders.size === 0,
          openOrders: venue.orders.size,
        })),
      }
      await close()
      const unconfirmed = stopReport.venues.filter((venue) => !venue.confirmed)
      if (unconfirmed.length > 0) throw new StopNotConfirmedError({ venues: unconfirmed, timeoutMs })
      return stopReport
    },
    stop: close,
  }
}
