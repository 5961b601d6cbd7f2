import type { Fill, Order, ReconciliationSnapshot } from '@alp/exchange-connectors'
import {
  type CommandFailedEvent,
  encodeHedgerMessage,
  fillToEvent,
  type OpenOrderSnapshot,
  orderToEvent,
  type ResolvedVenueConfig,
  toPriceTicks,
  toSizeLots,
} from '@alp/hedger'
import type { CommandResult, MessageBus } from '../transport/bus.js'
import type { OrderEventMessage, VenueCommand } from '../transport/topics.js'
import type { RoleClock, RoleErrorSink, RoleHandle, VenueLink } from './VenueLink.js'

export type StartTradingEngineParameters = {
  readonly bus: MessageBus
  readonly link: VenueLink
  readonly clock: RoleClock
  readonly onError: RoleErrorSink
  readonly instance?: string | undefined
  /**
   * The venue's fills since a venue time, ms (its trade-history endpoint: Binance `GET /fapi/v1/userTrades`), served
   * on `venueHistory` for the trader's restart reconciliation. Without it a `requestFills` is answered `ok: false`
   * with {@link NO_FILL_HISTORY} (the trader then relies on the position report alone).
   */
  readonly readFills?: ((sinceMs: number) => Promise<readonly Fill[]>) | undefined
}

/** The `venueHistory` refusal of an engine whose connector has no fill-history reader (a connector spec given without one). */
export const NO_FILL_HISTORY = 'no fill history from this connector:'

/** Fills are read back this far before the last one seen after a stream reconnect (fills in one ms, clock skew), ms. */
const RECONNECT_FILLS_MARGIN_MS = 5_000

/** How long a stream's `reconciled` snapshot may have been read before it arrived (REST round trips), ms. */
const STREAM_SNAPSHOT_AGE_NS = 10_000n * 1_000_000n

/**
 * The trading-engine role of one venue: the `venueCommands` command server (place, amend, cancel, cancel-all, dead-man
 * switch, open orders, lookup by client order id) executed through the venue connector, and the `orderEvents` topic:
 * every answer of the venue (the order as it stands, a failure classified as the live runner classifies it, the open
 * orders, a lookup's result) and the private stream's orders and fills, as hedger events on the venue grid.
 *
 * Each command id is executed once (the bus's command server remembers its ack; a placeOrder or cancelOrder id is the
 * venue and client order id). The ack is `ok: true` once the command ran: its outcome, success or failure, is on
 * `orderEvents`; `ok: false` only when the command does not belong here (another venue).
 */
export async function startTradingEngine(parameters: StartTradingEngineParameters): Promise<RoleHandle> {
  const { bus, link, clock } = parameters
  const instance = parameters.instance ?? `${link.venue}.trading-engine`
  const { binding, config, venue, symbol } = link
  const publisher = await bus.publisher('orderEvents', {
    endpoints: link.endpoints,
    publisher: `trading-engine/${venue}`,
  })
  const report = (error: unknown): void => parameters.onError(error, { role: 'trading-engine', venue })
  const publish = (build: () => OrderEventMessage | null): void => {
    try {
      const message = build()
      if (message !== null) publisher.publish(message)
    } catch (error) {
      report(error)
    }
  }
  const answer = (order: Order, snapshot?: true): void =>
    publish(() => {
      if (order.symbol !== symbol) return null
      const event = orderToEvent(config, order, clock.nowNs())
      return event === null ? null : snapshot ? { ...event, snapshot } : event
    })
  const failed = (
    command: CommandFailedEvent['command'],
    clientOrderId: string,
    outcome: CommandFailedEvent['outcome'],
  ): void => publish(() => ({ type: 'commandFailed', tsNs: clock.nowNs(), venue, command, clientOrderId, outcome }))
  const publishOpenOrders = (orders: readonly Order[], requestedNs: bigint): void =>
    publish(() => ({
      type: 'openOrders',
      tsNs: clock.nowNs(),
      venue,
      requestedNs,
      orders: orders.filter((order) => order.symbol === symbol).map((order) => openOrderToSnapshot(config, order)),
    }))
  const readOpenOrders = async (): Promise<void> => {
    const requestedNs = clock.nowNs()
    publishOpenOrders(await binding.account.getOpenOrders(symbol), requestedNs)
  }

  /** Creates the trader sent before this instant (core clock) may have reached the venue through an earlier engine. */
  const startedNs = clock.nowNs()
  const execute = async (command: VenueCommand): Promise<void> => {
    switch (command.type) {
      case 'placeOrder':
        if (command.tsNs <= startedNs) {
          // Sent before this engine started: a previous one may have sent it to the venue already (its call may even
          // be landing now), and this one does not know. Never sent twice: its outcome is unknown, the core looks the
          // order up by client order id (and places a new one if the venue has none).
          failed('placeOrder', command.clientOrderId, 'unknown')
          return
        }
        try {
          answer(
            await binding.execution.placeOrder({
              symbol,
              side: command.side,
              price: command.price,
              sizeBase: command.sizeBase,
              timeInForce: 'postOnly',
              clientOrderId: command.clientOrderId,
            }),
          )
        } catch (error) {
          // A post-only refusal is routine market making; anything else is reported as well.
          if (errorName(error) !== 'PostOnlyRejectedError') report(error)
          failed('placeOrder', command.clientOrderId, isDefiniteRefusal(error) ? 'rejected' : 'unknown')
        }
        return
      case 'amendOrder':
        try {
          answer(
            await binding.execution.amendOrder({
              symbol,
              clientOrderId: command.clientOrderId,
              side: command.side,
              price: command.price,
              sizeBase: command.sizeBase,
            }),
          )
        } catch (error) {
          const name = errorName(error)
          if (name !== 'PostOnlyRejectedError' && name !== 'OrderNotFoundError') report(error)
          failed(
            'amendOrder',
            command.clientOrderId,
            name === 'OrderNotFoundError' ? 'notFound' : isDefiniteRefusal(error) ? 'rejected' : 'unknown',
          )
        }
        return
      case 'cancelOrder':
        try {
          answer(await binding.execution.cancelOrder({ symbol, clientOrderId: command.clientOrderId }))
        } catch (error) {
          const notFound = errorName(error) === 'OrderNotFoundError'
          if (!notFound) report(error)
          failed('cancelOrder', command.clientOrderId, notFound ? 'notFound' : 'unknown')
        }
        return
      case 'cancelAll':
        try {
          await binding.execution.cancelAllOrders(symbol)
        } catch (error) {
          report(error)
          failed('cancelAll', '', isDefiniteRefusal(error) ? 'rejected' : 'unknown')
          return
        }
        // What is left after the cancel-all: the core repeats it until the venue lists none of our orders.
        await readOpenOrders().catch(report)
        return
      case 'requestOpenOrders':
        await readOpenOrders().catch(report)
        return
      case 'lookupOrder': {
        const requestedNs = clock.nowNs()
        try {
          const order = await binding.lookupOrder({ symbol, clientOrderId: command.clientOrderId })
          if (order !== null) answer(order, true)
          else
            publish(() => ({
              type: 'orderAbsent',
              tsNs: clock.nowNs(),
              venue,
              clientOrderId: command.clientOrderId,
              requestedNs,
            }))
        } catch (error) {
          report(error)
        }
        return
      }
      case 'armDeadManSwitch':
        if (binding.armDeadManSwitch !== 'none') await binding.armDeadManSwitch(command.timeoutMs).catch(report)
        return
    }
  }

  const server = await bus.commandServer(
    'venueCommands',
    async (command): Promise<CommandResult> => {
      if (command.venue !== venue) return { ok: false, detail: `this trading engine serves ${venue}` }
      await execute(command)
      return { ok: true }
    },
    { endpoints: link.endpoints },
  )

  const readFills = parameters.readFills
  const history = await bus.commandServer(
    'venueHistory',
    async (command): Promise<CommandResult> => {
      if (command.venue !== venue) return { ok: false, detail: `this trading engine serves ${venue}` }
      if (readFills === undefined) return { ok: false, detail: `${NO_FILL_HISTORY} ${venue}` }
      try {
        const fills = (await readFills(command.sinceMs)).filter((fill) => fill.symbol === symbol)
        const now = clock.nowNs()
        return {
          ok: true,
          detail: JSON.stringify(fills.map((fill) => encodeHedgerMessage(fillToEvent(config, fill, now)))),
        }
      } catch (error) {
        report(error)
        return { ok: false, detail: `${venue}: fill history failed: ${(error as Error).message}` }
      }
    },
    // The answer is the venue's history as of now: a retry after a lost ack reads it again rather than replaying it.
    { endpoints: link.endpoints, rememberAcks: 1_000 },
  )

  const stream = binding.privateStream
  const onOrder = (order: Order): void => answer(order)
  // Venue time of the newest fill the stream reported (the engine's start before any).
  let lastFillMs = Number(clock.nowNs() / 1_000_000n)
  const onFill = (fill: Fill): void => {
    if (fill.symbol !== symbol) return
    lastFillMs = Math.max(lastFillMs, fill.tsExchangeMs)
    publish(() => fillToEvent(config, fill, clock.nowNs()))
  }
  const onReconciled = (snapshot: ReconciliationSnapshot): void => {
    publishOpenOrders(snapshot.openOrders, clock.nowNs() - STREAM_SNAPSHOT_AGE_NS)
    // The stream never reports the fills made while it was down (no connector replays them): after a reconnect they
    // come from the venue's trade history, since the last fill seen less a margin (the core counts a trade id once).
    // Without them a partly filled order cancelled afterwards would keep its side blocked.
    parameters
      .readFills?.(lastFillMs - RECONNECT_FILLS_MARGIN_MS)
      .then((fills) => {
        for (const fill of fills) onFill(fill)
      })
      .catch(report)
  }
  stream?.on('order', onOrder).on('fill', onFill).on('reconciled', onReconciled)
  // The venue's truth before anything is sent: its open orders of the symbol (left by an earlier run, say).
  await readOpenOrders()
  return {
    role: 'trading-engine',
    instance,
    async stop() {
      stream?.off('order', onOrder).off('fill', onFill).off('reconciled', onReconciled)
      await history.close()
      await server.close()
      await publisher.close()
    },
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined
}

/**
 * The venue (or the connector, before sending) definitely did not apply the request; the live runner's rule
 * (`createLiveRunner` of `@alp/hedger`): timeouts, 5xx, dropped connections and anything unknown are not definite.
 */
function isDefiniteRefusal(error: unknown): boolean {
  const name = errorName(error)
  if (
    name === undefined ||
    name === 'OrderStatusUnknownError' ||
    name === 'RequestTimeoutError' ||
    name === 'VenueUnavailableError'
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
