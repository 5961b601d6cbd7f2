import type {
  AccountClient,
  Bbo,
  ConnectionHealthEvent,
  ExecutionClient,
  Fill,
  MarketDataClient,
  Order,
  OrderBookView,
  Position,
  PrivateStreamEvents,
  ReconciliationSnapshot,
  Trade,
} from '@alp/exchange-connectors'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import type { HedgerConfigInput } from '../config/hedgerConfigSchema.js'
import type { ResolvedVenueConfig } from '../config/parseHedgerConfig.js'
import { createHedger } from '../core/createHedger.js'
import { step } from '../core/step.js'
import type { HedgerState } from '../core/types.js'
import { CommandFailedError, StopNotConfirmedError } from '../errors/adapter.js'
import { HedgerError } from '../errors/base.js'
import type { HedgerCommand } from '../messages/commands.js'
import type { CommandFailedEvent, HedgerEvent, OpenOrderSnapshot } from '../messages/events.js'
import {
  bboToEvent,
  bookToEvent,
  fillToEvent,
  orderToEvent,
  positionToEvent,
  tradeToEvent,
} from './convertVenueMessages.js'
import { inventoryUpdateToEvent } from './inventoryUpdateToEvent.js'
import { toPriceTicks, toSizeLots } from './toGridUnits.js'

/** One venue's connector parts (interfaces from @alp/exchange-connectors) for the hedged symbol. */
export type LiveVenueBinding = {
  /** The hedger venue id (`venues[].venue` in the config). */
  readonly venue: string
  readonly symbol: string
  readonly marketData: MarketDataClient
  readonly execution: ExecutionClient
  /**
   * The venue's open orders (and positions, when it has them): the core asks for them to settle anything uncertain
   * (failed cancels, cancel-all sweeps, reconnects, periodic drift checks).
   */
  readonly account: Pick<AccountClient, 'getOpenOrders'> & Partial<Pick<AccountClient, 'getPositions'>>
  /**
   * The venue's current view of one order by client id, or null when the venue definitely has none (every connector's
   * `execution.lookupOrder`). Settles creates without a definite answer and orders that vanished.
   */
  readonly lookupOrder: (parameters: { symbol: string; clientOrderId: string }) => Promise<Order | null>
  readonly privateStream?: LivePrivateStream
  /**
   * Arms/refreshes the venue's dead-man switch with the hedger's timeout (Binance USDⓈ-M countdownCancelAll, GRVT
   * cancel_on_disconnect). `'none'` only where the venue has none and says so (Binance spot; Deribit cancels on
   * disconnect): the runner then relies on its own cancels.
   */
  readonly armDeadManSwitch: ((timeoutMs: number) => Promise<void>) | 'none'
}

/** What the runner uses of a private stream (a full `PrivateStream` satisfies it; venues may emit a subset). */
export interface LivePrivateStream {
  start(): Promise<void>
  on(event: 'order', listener: PrivateStreamEvents['order']): LivePrivateStream
  on(event: 'fill', listener: PrivateStreamEvents['fill']): LivePrivateStream
  on(event: 'position', listener: PrivateStreamEvents['position']): LivePrivateStream
  on(event: 'reconciled', listener: PrivateStreamEvents['reconciled']): LivePrivateStream
  on(event: 'health', listener: PrivateStreamEvents['health']): LivePrivateStream
  off(event: 'order', listener: PrivateStreamEvents['order']): LivePrivateStream
  off(event: 'fill', listener: PrivateStreamEvents['fill']): LivePrivateStream
  off(event: 'position', listener: PrivateStreamEvents['position']): LivePrivateStream
  off(event: 'reconciled', listener: PrivateStreamEvents['reconciled']): LivePrivateStream
  off(event: 'health', listener: PrivateStreamEvents['health']): LivePrivateStream
}

/** The LP inventory source: @alp/uniswap-lp's InventoryEventStream satisfies it. */
export type InventorySource = {
  on(event: 'inventory', listener: (update: InventoryUpdate) => void): unknown
  off(event: 'inventory', listener: (update: InventoryUpdate) => void): unknown
}

/** The only wall clock of the hedger lives here (the core reads time from events). */
export type LiveRunnerClock = {
  nowNs(): bigint
  setInterval(callback: () => void, intervalMs: number): { cancel(): void }
}

let monotonicOriginNs: bigint | undefined

/**
 * Wall-clock nanoseconds that never go backwards: UNIX time read once, then advanced by the monotonic
 * `process.hrtime` (an NTP step would otherwise make fresh market data look late to the core).
 */
export const systemRunnerClock: LiveRunnerClock = {
  nowNs: () => {
    monotonicOriginNs ??= BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint()
    return monotonicOriginNs + process.hrtime.bigint()
  },
  setInterval(callback, intervalMs) {
    const handle = setInterval(callback, intervalMs)
    return { cancel: () => clearInterval(handle) }
  },
}

export type CreateLiveRunnerParameters = {
  readonly config: HedgerConfigInput
  readonly venues: readonly LiveVenueBinding[]
  readonly inventory?: InventorySource
  readonly clock?: LiveRunnerClock
  /** Timer events (staleness, keep-alives, sampling), milliseconds. Default 250. */
  readonly timerIntervalMs?: number
  /** Every command the core emits, after the runner acted on it (logs, metrics, halts, range suggestions…). */
  readonly onCommand?: (command: HedgerCommand) => void
  /** Every failure: a command the venue refused, venue data off the grid. Never swallowed. */
  readonly onError: (error: HedgerError) => void
}

export type LiveRunner = {
  /** Subscribes market data, starts private streams, announces the venues connected, starts the timer. */
  start(): Promise<void>
  /**
   * Stops quoting and cancels everything: latches the kill switch, repeats the cancel-alls until every venue confirms
   * that none of our orders is open (or `timeoutMs`, default 30 s, passes), then stops the timer and detaches
   * listeners (the caller closes its clients). Resolves with the venues' confirmation.
   * @throws StopNotConfirmedError naming the venues that still list (or may list) our orders.
   */
  stop(options?: { timeoutMs?: number }): Promise<StopReport>
  /** Feeds one event to the core now (operator commands, tests). */
  dispatch(event: HedgerEvent): void
  /** The current core state (read-only use). */
  readonly state: HedgerState
}

/** What `stop()` got from the venues. */
export type StopReport = {
  readonly venues: readonly { readonly venue: string; readonly confirmed: boolean; readonly openOrders: number }[]
}

/** How long a stream's `reconciled` snapshot may have been read before it arrived (REST round trips), ms. */
const STREAM_SNAPSHOT_AGE_MS = 10_000n

/**
 * The thin live adapter: connector events → core events (local clock), core commands → connector calls, venue answers
 * → core events. It decides nothing: every decision is the core's. Command execution is asynchronous; the venue's
 * answers come back as events: an order's answer (`orderUpdate`), a failure classified as definite or not
 * (`commandFailed`: rejected, notFound, unknown), the venue's open orders after every cancel-all and whenever the core
 * asks (`openOrders`), and lookups by client id (`orderUpdate` with `snapshot`, or `orderAbsent`).
 */
export function createLiveRunner(parameters: CreateLiveRunnerParameters): LiveRunner {
  const clock = parameters.clock ?? systemRunnerClock
  // Client order ids carry the start time (ms, base 36): unique across restarts.
  const runTag = (clock.nowNs() / 1_000_000n).toString(36).slice(-8)
  let state = createHedger(parameters.config, { runTag })
  /** Per venue, the state of each connection it reported (market data, private stream, trading): all must be up. */
  const connections = new Map<string, Map<string, boolean>>()
  const bindings = new Map(parameters.venues.map((binding) => [binding.venue, binding]))
  const detach: (() => void)[] = []
  let timer: { cancel(): void } | null = null
  const gap = new Set<string>()

  const fail = (error: unknown): void => {
    parameters.onError(
      error instanceof HedgerError
        ? error
        : new HedgerError('Unexpected failure in the live runner.', { code: 'RUNNER_FAILURE', cause: error }),
    )
  }

  const dispatch = (event: HedgerEvent): void => {
    const result = step(state, event)
    state = result.state
    for (const command of result.commands) execute(command)
  }

  const venueConfig = (venue: string): ResolvedVenueConfig =>
    state.venueByName.get(venue)?.config as ResolvedVenueConfig

  const feed = (build: () => HedgerEvent | null): void => {
    try {
      const event = build()
      if (event !== null) dispatch(event)
    } catch (error) {
      fail(error)
    }
  }

  /** Reads the venue's open orders (and positions) and feeds them as one snapshot, stamped with the query's start. */
  const readOpenOrders = async (binding: LiveVenueBinding): Promise<void> => {
    const requestedNs = clock.nowNs()
    const [open, positions] = await Promise.all([
      binding.account.getOpenOrders(binding.symbol),
      binding.account.getPositions ? binding.account.getPositions(binding.symbol) : Promise.resolve(undefined),
    ])
    applySnapshot(binding, open, positions, requestedNs)
  }

  const applySnapshot = (
    binding: LiveVenueBinding,
    openOrders: readonly Order[],
    positions: readonly Position[] | undefined,
    requestedNs: bigint,
  ): void => {
    const config = venueConfig(binding.venue)
    feed(() => ({
      type: 'openOrders',
      tsNs: clock.nowNs(),
      venue: binding.venue,
      requestedNs,
      orders: openOrders
        .filter((order) => order.symbol === binding.symbol)
        .map((order) => openOrderToSnapshot(config, order)),
    }))
    for (const position of positions ?? [])
      if (position.symbol === binding.symbol) feed(() => positionToEvent(config, position, clock.nowNs()))
  }

  const answer = (binding: LiveVenueBinding, order: Order, snapshot?: true): void =>
    feed(() => {
      const event = orderToEvent(venueConfig(binding.venue), order, clock.nowNs())
      return event === null ? null : snapshot ? { ...event, snapshot } : event
    })

  const failed = (
    venue: string,
    command: CommandFailedEvent['command'],
    clientOrderId: string,
    outcome: CommandFailedEvent['outcome'],
  ): void => feed(() => ({ type: 'commandFailed', tsNs: clock.nowNs(), venue, command, clientOrderId, outcome }))

  function execute(command: HedgerCommand): void {
    parameters.onCommand?.(command)
    if (!('venue' in command)) return
    const binding = bindings.get(command.venue)
    if (binding === undefined) return
    const venue = command.venue
    switch (command.type) {
      case 'placeOrder':
        binding.execution
          .placeOrder({
            symbol: binding.symbol,
            side: command.side,
            price: command.price,
            sizeBase: command.sizeBase,
            timeInForce: 'postOnly',
            clientOrderId: command.clientOrderId,
          })
          .then(
            (order) => answer(binding, order),
            (error: unknown) => {
              // POST_ONLY rejected (the book moved under us) is normal market making, not a failure: the slot is
              // freed and the next event re-prices. Every other error is reported.
              if (errorName(error) !== 'PostOnlyRejectedError')
                fail(
                  new CommandFailedError({
                    venue,
                    command: command.type,
                    clientOrderId: command.clientOrderId,
                    cause: error,
                  }),
                )
              // Only a definite refusal frees the slot; anything else is looked up by client id first.
              failed(venue, 'placeOrder', command.clientOrderId, isDefiniteRefusal(error) ? 'rejected' : 'unknown')
            },
          )
        break
      case 'amendOrder':
        binding.execution
          .amendOrder({
            symbol: binding.symbol,
            clientOrderId: command.clientOrderId,
            side: command.side,
            price: command.price,
            sizeBase: command.sizeBase,
          })
          .then(
            (order) => answer(binding, order),
            (error: unknown) => {
              // A post-only amend refused because the book moved, or an amend of an order that is already final
              // (filled or cancelled while the amend was in flight), is routine: the core settles it.
              const name = errorName(error)
              if (name !== 'PostOnlyRejectedError' && name !== 'OrderNotFoundError')
                fail(
                  new CommandFailedError({
                    venue,
                    command: command.type,
                    clientOrderId: command.clientOrderId,
                    cause: error,
                  }),
                )
              failed(
                venue,
                'amendOrder',
                command.clientOrderId,
                name === 'OrderNotFoundError' ? 'notFound' : isDefiniteRefusal(error) ? 'rejected' : 'unknown',
              )
            },
          )
        break
      case 'cancelOrder':
        binding.execution.cancelOrder({ symbol: binding.symbol, clientOrderId: command.clientOrderId }).then(
          (order) => answer(binding, order),
          (error: unknown) => {
            // ORDER_NOT_FOUND: the order is already final (filled, cancelled, expired): not a failure; the core looks it
            // up to learn how it ended. Anything else is reported; the order is live until the venue says otherwise.
            const notFound = errorName(error) === 'OrderNotFoundError'
            if (!notFound)
              fail(
                new CommandFailedError({
                  venue,
                  command: command.type,
                  clientOrderId: command.clientOrderId,
                  cause: error,
                }),
              )
            failed(venue, 'cancelOrder', command.clientOrderId, notFound ? 'notFound' : 'unknown')
          },
        )
        break
      case 'cancelAll':
        // Whatever the answer, the venue's open orders say what is left: read after a success, asked for by the core
        // after a failure (and the cancel-all is repeated with backoff until they show none).
        binding.execution.cancelAllOrders(binding.symbol).then(
          () => readOpenOrders(binding).catch(fail),
          (error: unknown) => {
            fail(new CommandFailedError({ venue, command: command.type, cause: error }))
            failed(venue, 'cancelAll', '', isDefiniteRefusal(error) ? 'rejected' : 'unknown')
          },
        )
        break
      case 'requestOpenOrders':
        readOpenOrders(binding).catch((error: unknown) =>
          fail(new CommandFailedError({ venue, command: command.type, cause: error })),
        )
        break
      case 'lookupOrder': {
        const requestedNs = clock.nowNs()
        binding.lookupOrder({ symbol: binding.symbol, clientOrderId: command.clientOrderId }).then(
          (order) => {
            if (order !== null) answer(binding, order, true)
            else
              feed(() => ({
                type: 'orderAbsent',
                tsNs: clock.nowNs(),
                venue,
                clientOrderId: command.clientOrderId,
                requestedNs,
              }))
          },
          (error: unknown) =>
            fail(
              new CommandFailedError({
                venue,
                command: command.type,
                clientOrderId: command.clientOrderId,
                cause: error,
              }),
            ),
        )
        break
      }
      case 'armDeadManSwitch':
        if (binding.armDeadManSwitch !== 'none')
          binding
            .armDeadManSwitch(command.timeoutMs)
            .catch((error: unknown) => fail(new CommandFailedError({ venue, command: command.type, cause: error })))
        break
      default:
        break
    }
  }

  /**
   * A venue is connected while every connection it reported (market data, private stream, the trading connection) is
   * up: a market-data reconnect must not mark a venue usable whose trading socket is down.
   */
  const healthToEvent = (binding: LiveVenueBinding, health: ConnectionHealthEvent): HedgerEvent | null => {
    const tsNs = clock.nowNs()
    const venue = binding.venue
    let states = connections.get(venue)
    if (states === undefined) {
      states = new Map()
      connections.set(venue, states)
    }
    const wasUp = [...states.values()].every(Boolean)
    if (health.kind === 'open') states.set(health.connection, true)
    else if (health.kind === 'close' || health.kind === 'reconnecting') states.set(health.connection, false)
    else if (health.kind === 'resync') {
      gap.add(venue)
      return { type: 'venueHealth', tsNs, venue, status: 'feedGap' }
    } else if (health.kind === 'error') {
      fail(new HedgerError(`${venue}: connection error.`, { code: 'VENUE_CONNECTION', cause: health.error }))
      return null
    } else return null
    const isUp = [...states.values()].every(Boolean)
    if (isUp === wasUp && health.kind !== 'open') return null
    return { type: 'venueHealth', tsNs, venue, status: isUp ? 'connected' : 'disconnected' }
  }

  function attach(binding: LiveVenueBinding): void {
    const config = venueConfig(binding.venue)
    const onBbo = (bbo: Bbo) => {
      if (bbo.symbol === binding.symbol && !gap.has(binding.venue)) feed(() => bboToEvent(config, bbo, clock.nowNs()))
    }
    const onBook = (book: OrderBookView) => {
      if (book.symbol !== binding.symbol) return
      if (gap.delete(binding.venue))
        feed(() => ({ type: 'venueHealth', tsNs: clock.nowNs(), venue: binding.venue, status: 'resynced' }))
      feed(() => bookToEvent(config, book, clock.nowNs()))
    }
    const onTrade = (trade: Trade) => {
      if (trade.symbol === binding.symbol) feed(() => tradeToEvent(config, trade, clock.nowNs()))
    }
    const onResync = (event: { symbol: string }) => {
      if (event.symbol !== binding.symbol) return
      gap.add(binding.venue)
      feed(() => ({ type: 'venueHealth', tsNs: clock.nowNs(), venue: binding.venue, status: 'feedGap' }))
    }
    const onHealth = (health: ConnectionHealthEvent) => feed(() => healthToEvent(binding, health))
    const md = binding.marketData
    md.on('bbo', onBbo).on('book', onBook).on('trade', onTrade).on('resync', onResync).on('health', onHealth)
    detach.push(() => {
      md.off('bbo', onBbo).off('book', onBook).off('trade', onTrade).off('resync', onResync).off('health', onHealth)
    })
    const stream = binding.privateStream
    if (stream) {
      const onOrder = (order: Order) => {
        if (order.symbol === binding.symbol) answer(binding, order)
      }
      const onFill = (fill: Fill) => {
        if (fill.symbol === binding.symbol) feed(() => fillToEvent(config, fill, clock.nowNs()))
      }
      const onPosition = (position: Position) => {
        if (position.symbol === binding.symbol) feed(() => positionToEvent(config, position, clock.nowNs()))
      }
      // The stream read this over REST after its (re)connect, up to STREAM_SNAPSHOT_AGE_MS ago: orders we sent
      // anything for since then are not judged by it.
      const onReconciled = (snapshot: ReconciliationSnapshot) =>
        applySnapshot(
          binding,
          snapshot.openOrders,
          snapshot.positions,
          clock.nowNs() - STREAM_SNAPSHOT_AGE_MS * 1_000_000n,
        )
      stream
        .on('order', onOrder)
        .on('fill', onFill)
        .on('position', onPosition)
        .on('reconciled', onReconciled)
        .on('health', onHealth)
      detach.push(() => {
        stream
          .off('order', onOrder)
          .off('fill', onFill)
          .off('position', onPosition)
          .off('reconciled', onReconciled)
          .off('health', onHealth)
      })
    }
  }

  const inventoryListener = (update: InventoryUpdate) => feed(() => inventoryUpdateToEvent(update, clock.nowNs()))

  return {
    get state() {
      return state
    },
    dispatch,
    async start() {
      for (const binding of parameters.venues) attach(binding)
      parameters.inventory?.on('inventory', inventoryListener)
      for (const binding of parameters.venues) {
        await binding.marketData.subscribeBook(binding.symbol)
        await binding.marketData.subscribeBbo(binding.symbol)
        await binding.marketData.subscribeTrades(binding.symbol)
        await binding.privateStream?.start()
        dispatch({ type: 'venueHealth', tsNs: clock.nowNs(), venue: binding.venue, status: 'connected' })
      }
      timer = clock.setInterval(
        () => feed(() => ({ type: 'timer', tsNs: clock.nowNs() })),
        parameters.timerIntervalMs ?? 250,
      )
    },
    async stop(options = {}) {
      const timeoutMs = options.timeoutMs ?? 30_000
      dispatch({ type: 'operator', tsNs: clock.nowNs(), action: 'kill', reason: 'stop' })
      const deadlineNs = clock.nowNs() + BigInt(timeoutMs) * 1_000_000n
      const flat = () => state.venues.every((venue) => venue.sweep === null && venue.orders.size === 0)
      // The timer keeps running: it repeats the cancel-alls and the lookups until the venues confirm.
      while (!flat() && clock.nowNs() < deadlineNs) await new Promise((resolve) => setTimeout(resolve, 20))
      const report: StopReport = {
        venues: state.venues.map((venue) => ({
          venue: venue.config.venue,
          confirmed: venue.sweep === null && venue.orders.size === 0,
          openOrders: venue.orders.size,
        })),
      }
      timer?.cancel()
      timer = null
      parameters.inventory?.off('inventory', inventoryListener)
      for (const off of detach.splice(0)) off()
      const unconfirmed = report.venues.filter((venue) => !venue.confirmed)
      if (unconfirmed.length > 0) throw new StopNotConfirmedError({ venues: unconfirmed, timeoutMs })
      return report
    },
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined
}

/**
 * The venue (or the connector, before sending) definitely did not apply the request: a post-only refusal, a create
 * proven absent, a request refused before it was sent (socket down), a rate-limit refusal, or any answer carrying the
 * venue's own error code. Timeouts, 5xx, dropped connections and anything unknown are not definite.
 */
function isDefiniteRefusal(error: unknown): boolean {
  const name = errorName(error)
  if (
    name === 'OrderStatusUnknownError' ||
    name === 'RequestTimeoutError' ||
    name === 'VenueUnavailableError' ||
    name === undefined
  )
    return false
  if (
    name === 'PostOnlyRejectedError' ||
    name === 'OrderNotPlacedError' ||
    name === 'DeribitNotConnectedError' ||
    name === 'RateLimitedError' ||
    name === 'InvalidClientOrderIdError' ||
    name === 'InvalidDecimalError'
  )
    return true
  const venueCode = (error as { venueCode?: unknown }).venueCode
  return venueCode !== undefined && venueCode !== null
}

/** One line of an open-orders snapshot on the venue grid. */
function openOrderToSnapshot(config: ResolvedVenueConfig, order: Order): OpenOrderSnapshot {
  return {
    clientOrderId: order.clientOrderId,
    side: order.side,
    priceTicks: toPriceTicks(config, 'price', order.price),
    sizeLots: toSizeLots(config, 'sizeBase', order.sizeBase),
    filledLots: toSizeLots(config, 'filledSizeBase', order.filledSizeBase),
    ...(order.tsExchangeMs > 0 ? { venueTimeMs: order.tsExchangeMs } : {}),
  }
}
