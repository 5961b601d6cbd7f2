import type { AccountClient } from '../common/accountClient.js'
import { type Clock, sleepOn, type TimerHandle } from '../common/clock.js'
import type { ExecutionClient } from '../common/executionClient.js'
import type { Balance, Position } from '../common/types/account.js'
import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../common/types/order.js'
import { ConnectorError } from '../errors/base.js'
import { InvalidClientOrderIdError, OrderNotPlacedError, OrderStatusUnknownError } from '../errors/order.js'
import { RequestTimeoutError } from '../errors/transport.js'
import { OrderNotFoundError, VenueUnavailableError } from '../errors/venue.js'
import type { BinanceConnectorConfig } from './config.js'
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

/**
 * Binance order entry and account queries (USDⓈ-M or spot).
 *
 * Unknown-status rule: when a create gets no definite answer (5xx, timeout, `-1006`/`-1007`), nothing is re-sent.
 * The order is looked up by client order id (`GET …/order?origClientOrderId=`) until it is found (→ returned: exactly
 * one order) or the request's recvWindow has provably passed on the server clock with the order still absent
 * (→ `OrderNotPlacedError`, safe to send again). If reconciliation itself cannot reach the venue before its deadline,
 * `OrderStatusUnknownError` (never retryable).
 */
export class BinanceExecutionClient implements ExecutionClient, AccountClient {
  readonly venue: string
  private readonly deadMan = new Map<string, TimerHandle>()
  private readonly placedListeners: ((order: Order) => void)[] = []
  /** Number of successful dead-man refreshes (metric). */
  deadManRefreshCount = 0

  constructor(
    private readonly config: BinanceConnectorConfig,
    private readonly http: BinanceHttpClient,
    private readonly instruments: BinanceInstrumentProvider,
    /** When set, creates, cancels and (USDⓈ-M) amends go over the WebSocket API; reads and reconciliation stay on REST. */
    private readonly wsApi?: BinanceWsApiClient,
  ) {
    this.venue = http.venue
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
    this.validate(parameters.symbol, parameters.clientOrderId, parameters.price, parameters.sizeBase)
    const sentAtServerMs = this.http.serverTime.nowServerMs()
    try {
      const order = this.wsApi
        ? await wsPlaceOrder(this.wsApi, this.config.product, parameters)
        : await postOrder(this.http, this.config.product, parameters)
      return this.placed(order)
    } catch (error) {
      if (!isUnknownOutcome(error)) throw error
      return this.placed(await this.reconcileCreate(parameters, sentAtServerMs, error))
    }
  }

  /** USDⓈ-M batch create (≤ 5). Entries fail independently; a whole-batch unknown outcome reconciles every entry. */
  async placeOrders(orders: readonly PlaceOrderParameters[]): Promise<(Order | ConnectorError)[]> {
    for (const p of orders) this.validate(p.symbol, p.clientOrderId, p.price, p.sizeBase)
    const sentAtServerMs = this.http.serverTime.nowServerMs()
    let results: BatchEntryResult[]
    try {
      results = await postBatchOrders(this.http, orders)
    } catch (error) {
      if (!isUnknownOutcome(error)) throw error
      return Promise.all(
        orders.map((p) =>
          this.reconcileCreate(p, sentAtServerMs, error).catch((e: unknown) => {
            if (e instanceof ConnectorError) return e
            throw e
          }),
        ),
      )
    }
    return results.map((r, i) =>
      r.ok
        ? this.placed(r.order)
        : new ConnectorError(`Batch entry ${i} (${orders[i]?.clientOrderId}) rejected with code ${r.code}.`, {
            code: 'BATCH_ENTRY_REJECTED',
            venue: this.venue,
            venueCode: r.code,
            retryable: false,
            metaMessages: [`Venue says: ${r.msg}`, 'Next: fix this entry; the other entries are independent.'],
          }),
    )
  }

  async cancelOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order> {
    if (this.wsApi) return wsCancelOrder(this.wsApi, parameters.symbol, parameters.clientOrderId)
    return deleteOrder(this.http, this.config.product, parameters.symbol, parameters.clientOrderId)
  }

  /**
   * USDⓈ-M: `PUT /fapi/v1/order` (same order, price change loses priority). Spot: cancel then re-place under the same
   * client id (not atomic; the emulator has no cancelReplace). An unknown amend outcome is reconciled by a GET.
   */
  async amendOrder(parameters: AmendOrderParameters): Promise<Order> {
    this.validate(parameters.symbol, parameters.clientOrderId, parameters.price, parameters.sizeBase)
    if (this.config.product === 'usdm') {
      try {
        return this.placed(await (this.wsApi ? wsModifyOrder(this.wsApi, parameters) : putOrder(this.http, parameters)))
      } catch (error) {
        if (!isUnknownOutcome(error)) throw error
        return this.placed(await getOrderByClientId(this.http, 'usdm', parameters.symbol, parameters.clientOrderId))
      }
    }
    const cancelled = await this.cancelOrder({ symbol: parameters.symbol, clientOrderId: parameters.clientOrderId })
    return this.placeOrder({
      symbol: parameters.symbol,
      side: parameters.side,
      price: parameters.price,
      sizeBase: parameters.sizeBase,
      timeInForce: cancelled.timeInForce,
      clientOrderId: parameters.clientOrderId,
    })
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
   * Arms the USDⓈ-M dead-man switch (`countdownCancelAll`) for `symbol` and keeps refreshing it while quoting: if this
   * process stalls or loses connectivity, the venue cancels every open order when the countdown ends.
   */
  async startDeadManSwitch(symbol: string, onError: DeadManErrorHandler): Promise<void> {
    if (this.config.product !== 'usdm')
      throw new ConnectorError('countdownCancelAll exists only on USDⓈ-M.', {
        code: 'UNSUPPORTED',
        venue: this.venue,
        retryable: false,
        metaMessages: ['Next: on spot, cancel orders on disconnect from the private stream health events.'],
      })
    const { countdownMs, refreshMs } = this.config.deadMan ?? { countdownMs: 120_000, refreshMs: 30_000 }
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

  private async reconcileCreate(
    parameters: PlaceOrderParameters,
    sentAtServerMs: number,
    cause: unknown,
  ): Promise<Order> {
    // After this server time the venue rejects the request as outside recvWindow: absent then = never placed.
    const provablyDeadAtMs = sentAtServerMs + this.http.recvWindowMs + 1_000
    const giveUpAtMs = provablyDeadAtMs + 30_000
    let lastError: unknown = cause
    for (let attempt = 0; ; attempt++) {
      try {
        return await getOrderByClientId(this.http, this.config.product, parameters.symbol, parameters.clientOrderId)
      } catch (error) {
        lastError = error
        if (error instanceof OrderNotFoundError && this.http.serverTime.nowServerMs() > provablyDeadAtMs)
          throw new OrderNotPlacedError({ venue: this.venue, clientOrderId: parameters.clientOrderId, cause })
        if (!(error instanceof OrderNotFoundError) && !(error instanceof ConnectorError && error.retryable)) break
      }
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

/** A create/amend with no definite answer: 5xx, timeout, -1006/-1007, dropped connection. */
function isUnknownOutcome(error: unknown): boolean {
  return error instanceof RequestTimeoutError || error instanceof VenueUnavailableError
}
