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
import { CommandFailedError } from '../errors/adapter.js'
import { HedgerError } from '../errors/base.js'
import type { HedgerCommand } from '../messages/commands.js'
import type { HedgerEvent } from '../messages/events.js'
import {
  bboToEvent,
  bookToEvent,
  fillToEvent,
  orderToEvent,
  positionToEvent,
  tradeToEvent,
} from './convertVenueMessages.js'
import { inventoryUpdateToEvent } from './inventoryUpdateToEvent.js'

/** One venue's connector parts (interfaces from @alp/exchange-connectors) for the hedged symbol. */
export type LiveVenueBinding = {
  /** The hedger venue id (`venues[].venue` in the config). */
  readonly venue: string
  readonly symbol: string
  readonly marketData: MarketDataClient
  readonly execution: ExecutionClient
  /** Used to reconcile after a failed amend or cancel-all (open orders are the venue's word). */
  readonly account?: Pick<AccountClient, 'getOpenOrders'>
  readonly privateStream?: LivePrivateStream
  /** Arms/refreshes the venue's dead-man switch (Binance USDⓈ-M: countdownCancelAll). */
  readonly armDeadManSwitch?: (timeoutMs: number) => Promise<void>
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
  /** Stops the timer and detaches listeners (the caller closes its clients). */
  stop(): void
  /** Feeds one event to the core now (operator commands, tests). */
  dispatch(event: HedgerEvent): void
  /** The current core state (read-only use). */
  readonly state: HedgerState
}

/**
 * The thin live adapter: connector events → core events (local clock), core commands → connector calls, venue answers
 * → core events. It decides nothing: every decision is the core's. Command execution is asynchronous; the venue's
 * answers come back as events, so a lost answer shows up as a still-pending order that the next reconciliation settles.
 */
export function createLiveRunner(parameters: CreateLiveRunnerParameters): LiveRunner {
  const clock = parameters.clock ?? systemRunnerClock
  let state = createHedger(parameters.config)
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

  const reconcileOpenOrders = async (binding: LiveVenueBinding): Promise<void> => {
    if (!binding.account) return
    const open = await binding.account.getOpenOrders(binding.symbol)
    applySnapshot(binding, open, undefined)
  }

  const applySnapshot = (
    binding: LiveVenueBinding,
    openOrders: readonly Order[],
    positions: readonly Position[] | undefined,
  ): void => {
    const config = venueConfig(binding.venue)
    const open = new Set(openOrders.map((order) => order.clientOrderId))
    for (const order of openOrders)
      feed(() => {
        const event = orderToEvent(config, order, clock.nowNs())
        return event === null ? null : { ...event, snapshot: true }
      })
    // Orders we believe live that the venue does not list are gone: the venue's word wins.
    const ours = state.venueByName.get(binding.venue)?.orders
    for (const order of [...(ours?.values() ?? [])])
      if (!open.has(order.clientOrderId) && order.pending !== 'new')
        feed(() => ({
          type: 'orderUpdate',
          tsNs: clock.nowNs(),
          venue: binding.venue,
          clientOrderId: order.clientOrderId,
          side: order.side,
          priceTicks: order.priceTicks,
          sizeLots: order.sizeLots,
          filledLots: order.filledLots,
          status: 'canceled',
        }))
    for (const position of positions ?? [])
      if (position.symbol === binding.symbol) feed(() => positionToEvent(config, position, clock.nowNs()))
  }

  const answer = (binding: LiveVenueBinding, order: Order): void =>
    feed(() => orderToEvent(venueConfig(binding.venue), order, clock.nowNs()))

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
              // freed below and the next event re-prices. Every other error is reported.
              if (!isPostOnlyRejection(error))
                fail(
                  new CommandFailedError({
                    venue,
                    command: command.type,
                    clientOrderId: command.clientOrderId,
                    cause: error,
                  }),
                )
              // A definite refusal frees the slot; an unknown outcome stays pending until the venue says more.
              if (error instanceof Error && error.name === 'OrderStatusUnknownError') return
              feed(() => ({
                type: 'orderUpdate',
                tsNs: clock.nowNs(),
                venue,
                clientOrderId: command.clientOrderId,
                side: command.side,
                priceTicks: command.priceTicks,
                sizeLots: command.sizeLots,
                filledLots: 0,
                status: 'rejected',
              }))
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
              // A post-only amend refused because the book moved, or an amend of an order that is already final (filled
              // or cancelled while the amend was in flight: ORDER_NOT_FOUND), is settled by the reconciliation below.
              if (!isPostOnlyRejection(error) && !(error instanceof Error && error.name === 'OrderNotFoundError'))
                fail(
                  new CommandFailedError({
                    venue,
                    command: command.type,
                    clientOrderId: command.clientOrderId,
                    cause: error,
                  }),
                )
              reconcileOpenOrders(binding).catch(fail)
            },
          )
        break
      case 'cancelOrder':
        binding.execution.cancelOrder({ symbol: binding.symbol, clientOrderId: command.clientOrderId }).then(
          (order) => answer(binding, order),
          (error: unknown) => {
            // ORDER_NOT_FOUND: the order is already final (filled, cancelled, expired): not a failure, the venue's
            // open orders settle it. Anything else is reported, then reconciled the same way.
            if (!(error instanceof Error && error.name === 'OrderNotFoundError'))
              fail(
                new CommandFailedError({
                  venue,
                  command: command.type,
                  clientOrderId: command.clientOrderId,
                  cause: error,
                }),
              )
            reconcileOpenOrders(binding).catch(fail)
          },
        )
        break
      case 'cancelAll':
        binding.execution.cancelAllOrders(binding.symbol).then(
          () => reconcileOpenOrders(binding).catch(fail),
          (error: unknown) => {
            fail(new CommandFailedError({ venue, command: command.type, cause: error }))
            reconcileOpenOrders(binding).catch(fail)
          },
        )
        break
      case 'armDeadManSwitch':
        binding
          .armDeadManSwitch?.(command.timeoutMs)
          .catch((error: unknown) => fail(new CommandFailedError({ venue, command: command.type, cause: error })))
        break
      default:
        break
    }
  }

  const healthToEvent = (binding: LiveVenueBinding, health: ConnectionHealthEvent): HedgerEvent | null => {
    const tsNs = clock.nowNs()
    if (health.kind === 'open') return { type: 'venueHealth', tsNs, venue: binding.venue, status: 'connected' }
    if (health.kind === 'close' || health.kind === 'reconnecting')
      return { type: 'venueHealth', tsNs, venue: binding.venue, status: 'disconnected' }
    if (health.kind === 'resync') {
      gap.add(binding.venue)
      return { type: 'venueHealth', tsNs, venue: binding.venue, status: 'feedGap' }
    }
    if (health.kind === 'error')
      fail(new HedgerError(`${binding.venue}: connection error.`, { code: 'VENUE_CONNECTION', cause: health.error }))
    return null
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
      const onReconciled = (snapshot: ReconciliationSnapshot) =>
        applySnapshot(
          binding,
          snapshot.openOrders.filter((order) => order.symbol === binding.symbol),
          snapshot.positions,
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
    stop() {
      timer?.cancel()
      timer = null
      parameters.inventory?.off('inventory', inventoryListener)
      for (const off of detach.splice(0)) off()
    },
  }
}

function isPostOnlyRejection(error: unknown): boolean {
  return error instanceof Error && error.name === 'PostOnlyRejectedError'
}
