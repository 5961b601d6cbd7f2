import type { AccountClient } from '../common/accountClient.js'
import { type Clock, sleepOn, type TimerHandle } from '../common/clock.js'
import { formatScaled, parseDecimal, toScaled } from '../common/decimal.js'
import type { ExecutionClient } from '../common/executionClient.js'
import type { Balance, Position } from '../common/types/account.js'
import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../common/types/order.js'
import { ConnectorError } from '../errors/base.js'
import { InvalidClientOrderIdError, OrderNotPlacedError, OrderStatusUnknownError } from '../errors/order.js'
import { ConnectionClosedError, MalformedFrameError, RequestTimeoutError } from '../errors/transport.js'
import { OrderNotFoundError, VenueRejectedError, VenueUnavailableError } from '../errors/venue.js'
import { type BinanceConnectorConfig, protectConfig } from './config.js'
import { BINANCE_CLIENT_ORDER_ID_RE } from './enums.js'
import { getBalances, getPositionRisk } from './http/account.js'
import type { BinanceHttpClient } from './http/client.js'
import {
  type BatchEntryResult,
  deleteAllOpenOrders,
  deleteOrder,
  getOpenOrders,
  getOrderByClientId,
  postBatchOrders,
  postCountdownCancelAll,
  postOrder,
  putOrder,
} from './http/orders.js'
import type { BinanceInstrumentProvider } from './instruments.js'
import type { BinanceWsApiClient } from './ws/wsApiClient.js'
import { wsCancelOrder, wsModifyOrder, wsPlaceOrder } from './ws/wsApiOrders.js'

/** Called when the dead-man switch refresh fails (the venue will cancel everything when the countdown ends). */
export type DeadManErrorHandler = (symbol: string, error: Error) => void

/** Range accepted by `armDeadManSwitch` / `startDeadManSwitch` for the countdown (ms). */
export const BINANCE_DEAD_MAN_TIMEOUT_RANGE_MS = { min: 1_000, max: 3_600_000 } as const

/** Margin added to `signed timestamp + recvWindow` for the clock-offset error before an absent order counts as never placed. */
const CLOCK_MARGIN_MS = 1_000
/** How long reconciliation keeps asking after that deadline before giving up with `OrderStatusUnknownError`. */
const RECONCILE_GRACE_MS = 30_000

/**
 * Binance order entry and account queries (USDⓈ-M or spot).
 *
 * Unknown-outcome rule (REST and WebSocket API alike): a create whose answer is not a definite rejection (timeout,
 * 5xx, `-1006`/`-1007`, dropped connection, an unreadable answer, any unexpected error) is never re-sent. The order is
 * looked up by client order id (`GET …/order?origClientOrderId=`) until it is found (→ returned: exactly one order) or
 * a lookup executed after `timestamp + recvWindow + 1 s` of the create (the timestamp actually signed into it, after
 * any wait in the client rate limiter) still gets `-2013` (→ `OrderNotPlacedError`, safe to send again). If the lookups
 * cannot settle it within 30 s after that, `OrderStatusUnknownError` (never retryable).
 */
export class BinanceExecutionClient implements ExecutionClient, AccountClient {
  readonly venue: string
  private readonly deadMan = new Map<string, TimerHandle>()
  private readonly placedListeners: ((order: Order) => void)[] = []
  /** Number of successful dead-man refreshes (metric). */
  deadManRefreshCount = 0

  private readonly config: BinanceConnectorConfig

  constructor(
    config: BinanceConnectorConfig,
    private readonly http: BinanceHttpClient,
    private readonly instruments: BinanceInstrumentProvider,
    /** When set, creates, cancels and (USDⓈ-M) amends go over the WebSocket API; reads and reconciliation stay on REST. */
    private readonly wsApi?: BinanceWsApiClient,
  ) {
    this.config = protectConfig(config)
    this.venue = http.venue
  }

  /** What `JSON.stringify` prints: settings and counters only (never credentials). */
  toJSON(): {
    venue: string
    product: string
    orderEntry: 'rest' | 'wsApi'
    deadManSymbols: string[]
    deadManRefreshCount: number
  } {
    return {
      venue: this.venue,
      product: this.config.product,
      orderEntry: this.wsApi ? 'wsApi' : 'rest',
      deadManSymbols: [...this.deadMan.keys()],
      deadManRefreshCount: this.deadManRefreshCount,
    }
  }

  /** Registers a listener for every order this client created or amended (the user stream tracks them). */
  onPlaced(listener: (order: Order) => void): void {
    this.placedListeners.push(listener)
  }

  private placed(order: Order): Order {
    for (const listener of this.placedListeners) listener(order)
    return order
  }

  private get clock(): Clock {
    return this.config.clock
  }

  async placeOrder(parameters: PlaceOrderParameters): Promise<Order> {
    return this.create(parameters, undefined)
  }

  /**
   * `supersededOrderId`: a spot amend re-uses the client id of the order it cancelled; during reconciliation that
   * (cancelled) order is not the one being created, so finding it counts as "not found yet".
   */
  private async create(parameters: PlaceOrderParameters, supersededOrderId: string | undefined): Promise<Order> {
    this.validate(parameters.symbol, parameters.clientOrderId, parameters.price, parameters.sizeBase)
    const signed: { atServerMs?: number } = {}
    const onSigned = (timestampMs: number) => {
      signed.atServerMs = timestampMs
    }
    let order: Order
    try {
      order = this.wsApi
        ? await wsPlaceOrder(this.wsApi, this.config.product, parameters, { onSigned })
        : await postOrder(this.http, this.config.product, parameters, { onSigned })
    } catch (error) {
      if (isDefiniteRejection(error)) throw error
      order = await this.reconcileCreate(parameters, signed.atServerMs, error, supersededOrderId)
    }
    return this.placed(order)
  }

  /** USDⓈ-M batch create (≤ 5). Entries fail independently; a whole-batch unknown outcome reconciles every entry. */
  async placeOrders(orders: readonly PlaceOrderParameters[]): Promise<(Order | ConnectorError)[]> {
    for (const p of orders) this.validate(p.symbol, p.clientOrderId, p.price, p.sizeBase)
    const signed: { atServerMs?: number } = {}
    let results: BatchEntryResult[]
    try {
      results = await postBatchOrders(this.http, orders, {
        onSigned: (timestampMs) => {
          signed.atServerMs = timestampMs
        },
      })
    } catch (error) {
      if (isDefiniteRejection(error)) throw error
      return Promise.all(
        orders.map((p) =>
          this.reconcileCreate(p, signed.atServerMs, error).then(
            (order) => this.placed(order),
            (e: unknown) => {
              if (e instanceof ConnectorError) return e
              throw e
            },
          ),
        ),
      )
    }
    return Promise.all(
      results.map(async (r, i) => {
        if (r.ok) return this.placed(r.order)
        const entry = orders[i]!
        const rejected = new ConnectorError(`Batch entry ${i} (${entry.clientOrderId}) rejected with code ${r.code}.`, {
          code: 'BATCH_ENTRY_REJECTED',
          venue: this.venue,
          venueCode: r.code,
          retryable: false,
          metaMessages: [`Venue says: ${r.msg}`, 'Next: fix this entry; the other entries are independent.'],
        })
        // -1006/-1007 for one entry: that entry's execution status is unknown, like a 5xx for a single create
        if (r.code !== -1006 && r.code !== -1007) return rejected
        try {
          return this.placed(await this.reconcileCreate(entry, signed.atServerMs, rejected))
        } catch (error) {
          if (error instanceof ConnectorError) return error
          throw error
        }
      }),
    )
  }

  /**
   * The order with this client id as the venue has it now, or `null` only when the venue answers `-2013` ("Order does
   * not exist"). Transport failures and other answers throw typed errors (`VenueUnavailableError`, …): they never
   * read as "absent".
   */
  async lookupOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order | null> {
    return (await this.lookupOrderSigned(parameters.symbol, parameters.clientOrderId)).order
  }

  async cancelOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order> {
    if (this.wsApi) return wsCancelOrder(this.wsApi, parameters.symbol, parameters.clientOrderId)
    return deleteOrder(this.http, this.config.product, parameters.symbol, parameters.clientOrderId)
  }

  /**
   * `sizeBase` is the order's TOTAL size, filled part included (as USDⓈ-M modify reads `quantity`).
   *
   * USDⓈ-M: `PUT /fapi/v1/order` (same order; a price change loses priority). Spot: cancel, then re-place under the
   * same client id only what is left: `sizeBase − executedQty` of the cancelled order (not atomic; the emulator has no
   * cancelReplace). When the cancel shows the order already gone (filled or cancelled: `-2011`) or fully filled by the
   * new total, nothing is placed and `OrderNotFoundError` is thrown. An unknown amend outcome is reconciled by a GET.
   */
  async amendOrder(parameters: AmendOrderParameters): Promise<Order> {
    this.validate(parameters.symbol, parameters.clientOrderId, parameters.price, parameters.sizeBase)
    if (this.config.product === 'usdm') {
      let amended: Order
      try {
        amended = await (this.wsApi ? wsModifyOrder(this.wsApi, parameters) : putOrder(this.http, parameters))
      } catch (error) {
        // -5027 "No need to modify the order.": it already has this price and size (a resent amend, or one that
        // crossed the venue's own update). The amend is satisfied: read the order below and return it, no error.
        if (isDefiniteRejection(error) && !isNoNeedToModify(error)) throw error
        // the order exists either way (modify keeps it); read what the venue holds now
        try {
          amended = await getOrderByClientId(this.http, 'usdm', parameters.symbol, parameters.clientOrderId)
        } catch (lookupError) {
          throw new OrderStatusUnknownError({
            venue: this.venue,
            venueCode:
              lookupError instanceof ConnectorError ? (lookupError.venueCode as number | undefined) : undefined,
            symbol: parameters.symbol,
            clientOrderId: parameters.clientOrderId,
            cause: lookupError,
          })
        }
      }
      return this.placed(amended)
    }
    const cancelled = await this.cancelOrder({ symbol: parameters.symbol, clientOrderId: parameters.clientOrderId })
    const total = parseDecimal(parameters.sizeBase, 'sizeBase')
    const filled = parseDecimal(cancelled.filledSizeBase, 'filledSizeBase')
    const scale = Math.max(total.scale, filled.scale)
    const remaining = toScaled(total, scale) - toScaled(filled, scale)
    if (remaining <= 0n)
      throw new OrderNotFoundError({
        venue: this.venue,
        venueMessage: `cancelled order had ${cancelled.filledSizeBase} filled, nothing left of the new total ${parameters.sizeBase}`,
        endpoint: 'amend (cancel + re-place)',
      })
    // both sizes sit on the step grid, so the difference does too; format it with the grid's decimals
    const sizeGrid = this.instruments.get(parameters.symbol).sizeGrid
    return this.create(
      {
        symbol: parameters.symbol,
        side: parameters.side,
        price: parameters.price,
        sizeBase: sizeGrid.format(sizeGrid.toTicks(formatScaled(remaining, scale), 'sizeBase')),
        timeInForce: cancelled.timeInForce,
        clientOrderId: parameters.clientOrderId,
      },
      cancelled.orderId,
    )
  }

  async cancelAllOrders(symbol: string): Promise<void> {
    await deleteAllOpenOrders(this.http, this.config.product, symbol)
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<Order> {
    return getOrderByClientId(this.http, this.config.product, symbol, clientOrderId)
  }

  getOpenOrders(symbol: string): Promise<Order[]> {
    return getOpenOrders(this.http, this.config.product, symbol)
  }

  getBalances(): Promise<Balance[]> {
    return getBalances(this.http, this.config.product)
  }

  async getPositions(symbol?: string): Promise<Position[]> {
    if (this.config.product === 'spot') return []
    return getPositionRisk(this.http, symbol)
  }

  /**
   * One-shot USDⓈ-M dead-man switch: `countdownCancelAll` for `symbol` with exactly `timeoutMs`. Unless armed again
   * (or disarmed with `stopDeadManSwitch`) within `timeoutMs`, the venue cancels every open order on `symbol`. The
   * caller re-arms on its own schedule; a `startDeadManSwitch` refresh loop on `symbol` is stopped (the last arm
   * wins). `timeoutMs` must be an integer in [1 000, 3 600 000] (`INVALID_DEAD_MAN_TIMEOUT`).
   * Spot has no venue-side countdown: throws `ConnectorError` code `UNSUPPORTED`.
   */
  async armDeadManSwitch(symbol: string, timeoutMs: number): Promise<void> {
    this.requireDeadManSupport()
    this.validateDeadManTimeout('timeoutMs', timeoutMs)
    this.deadMan.get(symbol)?.cancel()
    this.deadMan.delete(symbol)
    await postCountdownCancelAll(this.http, symbol, timeoutMs)
  }

  /**
   * Arms the USDⓈ-M dead-man switch (`countdownCancelAll`) for `symbol` and keeps refreshing it while quoting: if this
   * process stalls or loses connectivity, the venue cancels every open order when the countdown ends. The countdown and
   * refresh period come from `options`, else from `config.deadMan`, else 120 000 / 30 000 ms.
   */
  async startDeadManSwitch(
    symbol: string,
    onError: DeadManErrorHandler,
    options?: { countdownMs: number; refreshMs: number },
  ): Promise<void> {
    this.requireDeadManSupport()
    const { countdownMs, refreshMs } = options ?? this.config.deadMan ?? { countdownMs: 120_000, refreshMs: 30_000 }
    this.validateDeadManTimeout('countdownMs', countdownMs)
    if (!(Number.isSafeInteger(refreshMs) && refreshMs > 0 && refreshMs < countdownMs))
      throw new ConnectorError(`Invalid dead-man refreshMs: ${refreshMs} (must be an integer in (0, countdownMs)).`, {
        code: 'INVALID_DEAD_MAN_TIMEOUT',
        venue: this.venue,
        retryable: false,
        metaMessages: ['Next: refresh well before the countdown ends (e.g. a quarter of it).'],
      })
    await postCountdownCancelAll(this.http, symbol, countdownMs)
    const refresh = () => {
      if (!this.deadMan.has(symbol)) return
      this.deadMan.set(symbol, this.clock.setTimeout(refresh, refreshMs))
      postCountdownCancelAll(this.http, symbol, countdownMs).then(
        () => {
          this.deadManRefreshCount++
        },
        (error: unknown) => onError(symbol, error instanceof Error ? error : new Error(String(error))),
      )
    }
    this.deadMan.get(symbol)?.cancel()
    this.deadMan.set(symbol, this.clock.setTimeout(refresh, refreshMs))
  }

  private requireDeadManSupport(): void {
    if (this.config.product !== 'usdm')
      throw new ConnectorError('countdownCancelAll exists only on USDⓈ-M; spot has no venue-side dead-man switch.', {
        code: 'UNSUPPORTED',
        venue: this.venue,
        retryable: false,
        metaMessages: ['Next: on spot, cancel orders on disconnect from the private stream health events.'],
      })
  }

  private validateDeadManTimeout(field: string, value: number): void {
    const { min, max } = BINANCE_DEAD_MAN_TIMEOUT_RANGE_MS
    if (!(Number.isSafeInteger(value) && value >= min && value <= max))
      throw new ConnectorError(`Invalid dead-man ${field}: ${value} (must be an integer in [${min}, ${max}] ms).`, {
        code: 'INVALID_DEAD_MAN_TIMEOUT',
        venue: this.venue,
        retryable: false,
        metaMessages: [`Next: pass ${field} in [${min}, ${max}] ms; 0 is not a timeout (use stopDeadManSwitch).`],
      })
  }

  /** Stops refreshing WITHOUT disarming: the venue cancels everything when the countdown ends (a simulated stall). */
  abandonDeadManSwitch(symbol: string): void {
    this.deadMan.get(symbol)?.cancel()
    this.deadMan.delete(symbol)
  }

  /** Stops refreshing and disarms the countdown (`countdownTime=0`). */
  async stopDeadManSwitch(symbol: string): Promise<void> {
    this.deadMan.get(symbol)?.cancel()
    this.deadMan.delete(symbol)
    await postCountdownCancelAll(this.http, symbol, 0)
  }

  private validate(symbol: string, clientOrderId: string, price: string, sizeBase: string): void {
    if (!BINANCE_CLIENT_ORDER_ID_RE.test(clientOrderId))
      throw new InvalidClientOrderIdError({
        venue: this.venue,
        clientOrderId,
        rule: String(BINANCE_CLIENT_ORDER_ID_RE),
      })
    const instrument = this.instruments.get(symbol)
    // throws InvalidDecimalError naming the field when off-grid: the venue would answer -1111/-4014/-4023
    instrument.priceGrid.toTicks(price, 'price')
    instrument.sizeGrid.toTicks(sizeBase, 'sizeBase')
  }

  /** GET by client id; `order` is null only on `-2013`. `signedAtServerMs` is when the venue can have looked at it. */
  private async lookupOrderSigned(
    symbol: string,
    clientOrderId: string,
  ): Promise<{ order: Order | null; signedAtServerMs: number }> {
    let signedAtServerMs = Number.NEGATIVE_INFINITY
    try {
      const order = await getOrderByClientId(this.http, this.config.product, symbol, clientOrderId, {
        onSigned: (timestampMs) => {
          signedAtServerMs = timestampMs
        },
      })
      return { order, signedAtServerMs }
    } catch (error) {
      if (error instanceof OrderNotFoundError && error.venueCode === -2013) return { order: null, signedAtServerMs }
      throw error
    }
  }

  private async reconcileCreate(
    parameters: PlaceOrderParameters,
    signedAtServerMs: number | undefined,
    cause: unknown,
    supersededOrderId?: string,
  ): Promise<Order> {
    // The venue refuses the create once its clock passes the signed timestamp + recvWindow: a lookup executed after
    // that (plus a margin for our clock-offset error) that finds nothing proves it was never placed. Unknown signing
    // time (should not happen: errors before signing are definite): count from now, which is later, so safe.
    const signedAtMs = signedAtServerMs ?? this.http.serverTime.nowServerMs()
    const recvWindowMs = Math.max(this.http.recvWindowMs, this.wsApi?.recvWindowMs ?? 0)
    const provablyDeadAtMs = signedAtMs + recvWindowMs + CLOCK_MARGIN_MS
    const giveUpAtMs = provablyDeadAtMs + RECONCILE_GRACE_MS
    let lastError: unknown = cause
    for (let attempt = 0; ; attempt++) {
      let lookup: { order: Order | null; signedAtServerMs: number } | undefined
      try {
        lookup = await this.lookupOrderSigned(parameters.symbol, parameters.clientOrderId)
      } catch (error) {
        lastError = error
        if (!(error instanceof ConnectorError && error.retryable)) break
      }
      if (lookup?.order && lookup.order.orderId !== supersededOrderId) return lookup.order
      if (lookup && lookup.signedAtServerMs > provablyDeadAtMs)
        throw new OrderNotPlacedError({ venue: this.venue, clientOrderId: parameters.clientOrderId, cause })
      if (this.http.serverTime.nowServerMs() > giveUpAtMs) break
      await sleepOn(this.clock, Math.min(1_000, 100 * 2 ** attempt))
    }
    throw new OrderStatusUnknownError({
      venue: this.venue,
      venueCode: lastError instanceof ConnectorError ? (lastError.venueCode as number | undefined) : undefined,
      symbol: parameters.symbol,
      clientOrderId: parameters.clientOrderId,
      cause: lastError,
    })
  }
}

/**
 * True when a create/amend failure proves the request had no effect: the venue answered it with a 4xx error code
 * (rejected: post-only would take, filters, margin, signature, timestamp, rate limit…) or it never left this process
 * (validation, missing credentials, WebSocket-API socket not open). Everything else (timeout, 5xx, `-1006`/`-1007`,
 * dropped connection, an unreadable answer, an unexpected error) is an unknown outcome that must be reconciled.
 */
function isDefiniteRejection(error: unknown): boolean {
  if (!(error instanceof ConnectorError)) return false
  if (
    error instanceof VenueUnavailableError ||
    error instanceof RequestTimeoutError ||
    error instanceof MalformedFrameError
  )
    return false
  // only thrown before a frame is written (WebSocket API not open): nothing was sent
  if (error instanceof ConnectionClosedError) return true
  if (error instanceof VenueRejectedError)
    return error.httpStatus !== undefined && error.httpStatus >= 400 && error.httpStatus < 500
  return true
}

/** USDⓈ-M's -5027 "No need to modify the order.": the amend asked for what the order already is. */
function isNoNeedToModify(error: unknown): boolean {
  return error instanceof ConnectorError && error.venueCode === -5027
}
