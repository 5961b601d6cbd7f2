import { sleepOn } from '../common/clock.js'
import { parseDecimal, toScaled } from '../common/decimal.js'
import type { ExecutionClient } from '../common/executionClient.js'
import { isFinalOrderState } from '../common/orderStateMachine.js'
import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../common/types/order.js'
import { ConnectorError } from '../errors/base.js'
import { InvalidDecimalError } from '../errors/decimal.js'
import {
  DeribitAmountBelowMinimumError,
  DeribitNotConnectedError,
  DeribitRequestTimeoutError,
} from '../errors/deribit.js'
import { InvalidClientOrderIdError, OrderNotPlacedError, OrderStatusUnknownError } from '../errors/order.js'
import { MalformedFrameError } from '../errors/transport.js'
import { OrderNotFoundError } from '../errors/venue.js'
import { sizeBaseToInverseAmountUsd } from './amount/sizeBaseToInverseAmountUsd.js'
import { getDeribitAmountUnit, parseDeribitInstrumentName } from './instrumentName.js'
import { DeribitInstrumentProvider } from './instruments.js'
import { type DeribitOrder, parseDeribitOrder } from './parse/parseOrder.js'
import type { DeribitRpcClient } from './ws/client.js'

/**
 * `PlaceOrderParameters` plus an explicit USD amount for inverse instruments: when `sizeQuote` is given it is sent as
 * Deribit's `amount` unchanged (it must be a multiple of `contract_size` and ≥ `min_trade_amount`) and `sizeBase` is
 * ignored. Use it to close a USD position exactly (a base-size conversion rounds down and can leave one contract).
 */
export type DeribitPlaceOrderParameters = PlaceOrderParameters & { readonly sizeQuote?: string | undefined }

/** `AmendOrderParameters` with the same optional explicit USD amount (`sizeQuote`) for inverse instruments. */
export type DeribitAmendOrderParameters = AmendOrderParameters & { readonly sizeQuote?: string | undefined }

/** Deribit's limit on `label` (the client order id). */
const MAX_LABEL_LENGTH = 64

export type DeribitExecutionClientOptions = {
  /** Contract sizes and minimum amounts of inverse instruments (default: a provider on the same connection). */
  instruments?: DeribitInstrumentProvider | undefined
  /**
   * How long an answer-less create waits for its connection to come back before the label lookup (then
   * `OrderStatusUnknownError`). Default 15 000.
   */
  reconcileTimeoutMs?: number | undefined
  /**
   * Every create carries `valid_until` = now + this: the venue starts it in its matching engine only before that time,
   * else answers 13888 `timed_out`. It bounds how long an unanswered create can still become an order. Default 10 000.
   */
  createValidForMs?: number | undefined
  /** Largest difference between this clock and the venue's assumed when `valid_until` is judged. Default 5 000. */
  maxClockSkewMs?: number | undefined
}

/**
 * Deribit order entry over an authenticated `DeribitRpcClient`. `clientOrderId` travels as `label`; post-only orders
 * send `post_only` AND `reject_post_only` so a crossing order is rejected (11054 → `PostOnlyRejectedError`) instead of
 * being re-priced by the venue.
 *
 * Sizes: linear perpetuals (`BTC_USDC-…`) and options take `amount` in coin, so `sizeBase` is sent as is. Inverse
 * perpetuals and futures (`BTC-PERPETUAL`, `BTC-27DEC24`) take `amount` in USD, a multiple of `contract_size`: the client
 * sends `floor(sizeBase · price / contract_size) · contract_size` (`sizeBaseToInverseAmountUsd`, exact decimals, never
 * more than asked) and throws `DeribitAmountBelowMinimumError` before any request when that is below `min_trade_amount`.
 * Orders coming back report `sizeBase` = USD / limit price and keep the USD in `sizeQuote` (`parseDeribitOrder`).
 * Deribit sends numbers: decimal strings go out as JSON numbers whose shortest form is the same text.
 *
 * Connection loss: a request issued while the connection is not ready fails at once with `DeribitNotConnectedError`
 * (definite: never sent). A create that got no answer (timeout, or the socket dropped while it was in flight) is never
 * sent again: once the connection is back (at most `reconcileTimeoutMs`) it is looked up by label (`lookupOrder`) and
 * `placeOrder` returns what the venue shows (possibly already cancelled by cancel-on-disconnect), or throws
 * `OrderNotPlacedError` when the venue has no such order, or `OrderStatusUnknownError` (never retryable) when the
 * lookup could not be made. Labels (client order ids) must be unique per order: Deribit does not enforce it.
 */
export class DeribitExecutionClient implements ExecutionClient {
  private readonly rpc: DeribitRpcClient
  private readonly instruments: DeribitInstrumentProvider
  private readonly reconcileTimeoutMs: number
  private readonly createValidForMs: number
  private readonly maxClockSkewMs: number
  /** Label → local time after which its create can no longer start on the venue (`valid_until` + clock skew). */
  private readonly createDeadlineByLabel = new Map<string, number>()
  private readonly orderIdByLabel = new Map<string, string>()
  /** Places in flight by label: the private stream can report an order before its buy/sell answer arrives. */
  private readonly placing = new Map<string, Promise<unknown>>()

  constructor(rpc: DeribitRpcClient, options: DeribitExecutionClientOptions = {}) {
    this.rpc = rpc
    this.instruments = options.instruments ?? new DeribitInstrumentProvider(rpc)
    this.reconcileTimeoutMs = options.reconcileTimeoutMs ?? 15_000
    this.createValidForMs = options.createValidForMs ?? 10_000
    this.maxClockSkewMs = options.maxClockSkewMs ?? 5_000
  }

  /** Connection state only. */
  toJSON(): { connection: unknown; trackedOrders: number } {
    return { connection: this.rpc.toJSON(), trackedOrders: this.orderIdByLabel.size }
  }

  async placeOrder(parameters: DeribitPlaceOrderParameters): Promise<DeribitOrder> {
    const placed = this.sendPlaceOrder(parameters)
    const settled = placed.then(
      () => undefined,
      () => undefined, // the caller of placeOrder receives the error; waiters only need to know it settled
    )
    this.placing.set(parameters.clientOrderId, settled)
    try {
      return await placed
    } finally {
      if (this.placing.get(parameters.clientOrderId) === settled) this.placing.delete(parameters.clientOrderId)
    }
  }

  private async sendPlaceOrder(parameters: DeribitPlaceOrderParameters): Promise<DeribitOrder> {
    assertLabel(parameters.clientOrderId)
    const amount = await this.wireAmount(parameters)
    const postOnly = parameters.timeInForce === 'postOnly'
    const nowMs = this.rpc.clock.nowMs()
    for (const [label, deadlineMs] of this.createDeadlineByLabel)
      if (deadlineMs < nowMs) this.createDeadlineByLabel.delete(label)
    const validUntilMs = nowMs + this.createValidForMs
    this.createDeadlineByLabel.set(parameters.clientOrderId, validUntilMs + this.maxClockSkewMs)
    const order = await this.requestOrReconcile(parameters, () =>
      this.rpc.request(
        parameters.side === 'buy' ? 'private/buy' : 'private/sell',
        {
          instrument_name: parameters.symbol,
          amount: toWireNumber(amount),
          type: 'limit',
          price: toWireNumber(parameters.price),
          label: parameters.clientOrderId,
          time_in_force:
            parameters.timeInForce === 'ioc'
              ? 'immediate_or_cancel'
              : parameters.timeInForce === 'fok'
                ? 'fill_or_kill'
                : 'good_til_cancelled',
          post_only: postOnly,
          reject_post_only: postOnly,
          reduce_only: parameters.reduceOnly ?? false,
          valid_until: validUntilMs,
        },
        { clientOrderId: parameters.clientOrderId, price: parameters.price },
      ),
    )
    if (order.orderId !== undefined) this.orderIdByLabel.set(parameters.clientOrderId, order.orderId)
    return order
  }

  /**
   * Runs a create. Its answer is the order; when there is no usable answer (timeout, the socket closed while it was in
   * flight, an answer that is not a valid order) the create is NOT sent again: once the connection is ready the order
   * is looked up by label: found → that order (as the venue now shows it); none → `OrderNotPlacedError`; the connection
   * does not come back within `reconcileTimeoutMs` or the lookup fails → `OrderStatusUnknownError` (never retryable).
   */
  private async requestOrReconcile(
    parameters: PlaceOrderParameters,
    send: () => Promise<unknown>,
  ): Promise<DeribitOrder> {
    let unanswered: unknown
    try {
      const result = await send()
      const order = parseDeribitOrder((result as { order?: unknown } | null)?.order)
      // an answer about another order says nothing about this one
      if (order.clientOrderId !== parameters.clientOrderId || order.symbol !== parameters.symbol)
        throw new MalformedFrameError({
          venue: 'deribit',
          field: 'order',
          reason: 'answers another label or instrument',
        })
      return order
    } catch (error) {
      if (!(error instanceof DeribitRequestTimeoutError) && !(error instanceof MalformedFrameError)) {
        // a definite answer (a venue rejection, or not sent at all): this create will never start
        this.createDeadlineByLabel.delete(parameters.clientOrderId)
        throw error
      }
      unanswered = error
    }
    let found: DeribitOrder | null
    try {
      if (!this.rpc.isReady && !(await this.rpc.waitReady(this.reconcileTimeoutMs)))
        throw new DeribitNotConnectedError({
          method: 'private/get_order_state_by_label',
          connection: this.rpc.name,
          reason: `still down after ${this.reconcileTimeoutMs} ms`,
        })
      found = await this.lookupOrder({ symbol: parameters.symbol, clientOrderId: parameters.clientOrderId })
    } catch (lookup) {
      throw new OrderStatusUnknownError({
        venue: 'deribit',
        symbol: parameters.symbol,
        clientOrderId: parameters.clientOrderId,
        cause: lookup,
      })
    }
    if (found === null)
      throw new OrderNotPlacedError({ venue: 'deribit', clientOrderId: parameters.clientOrderId, cause: unanswered })
    return found
  }

  /**
   * The venue's current view of the order labelled `clientOrderId` on `symbol`, open or final, or `null` only when the
   * venue says it has none: `private/get_order_state_by_label` (recent orders, any state) and
   * `private/get_open_orders_by_label` (open orders), each for the instrument's settlement currency and its base coin
   * (`USDC` and `BTC` for `BTC_USDC-PERPETUAL`, `BTC` for `BTC-PERPETUAL`), merged by order id. Labels should be unique;
   * when several orders carry it, an open one wins, then the latest update. The order is remembered for
   * `cancelOrder`/`amendOrder`. When nothing is found while a create of this client with this label could still start
   * on the venue (before its `valid_until` + `maxClockSkewMs`), the lookup waits until that moment and looks again, so
   * `null` is final: the venue can no longer create that order.
   * @throws DeribitNotConnectedError (not sent), DeribitRequestTimeoutError (no answer), a venue error, or
   * MalformedFrameError (an answer that is not a list of valid orders): never turned into `null`.
   */
  async lookupOrder(parameters: { symbol: string; clientOrderId: string }): Promise<DeribitOrder | null> {
    assertLabel(parameters.clientOrderId)
    const found = await this.findByLabel(parameters.symbol, parameters.clientOrderId)
    if (found !== null) return found
    // a create of ours with this label may still start on the venue (valid_until not yet passed): wait it out
    const deadlineMs = this.createDeadlineByLabel.get(parameters.clientOrderId)
    const waitMs = deadlineMs === undefined ? 0 : deadlineMs - this.rpc.clock.nowMs()
    if (waitMs <= 0) return null
    await sleepOn(this.rpc.clock, waitMs)
    return this.findByLabel(parameters.symbol, parameters.clientOrderId)
  }

  private async findByLabel(symbol: string, clientOrderId: string): Promise<DeribitOrder | null> {
    const name = parseDeribitInstrumentName(symbol)
    const settlement = getDeribitAmountUnit(name) === 'usd' || name.quote === undefined ? name.base : name.quote
    const currencies = settlement === name.base ? [name.base] : [settlement, name.base]
    const byId = new Map<string, DeribitOrder>()
    for (const currency of currencies)
      for (const method of ['private/get_order_state_by_label', 'private/get_open_orders_by_label']) {
        const result = await this.rpc.request(method, { currency, label: clientOrderId })
        if (!Array.isArray(result))
          throw new MalformedFrameError({ venue: 'deribit', field: 'result', reason: `of ${method} is not an array` })
        for (const raw of result) {
          if ((raw as { instrument_name?: unknown } | null)?.instrument_name !== symbol) continue
          const order = parseDeribitOrder(raw)
          if (order.clientOrderId !== clientOrderId)
            throw new MalformedFrameError({ venue: 'deribit', field: 'label', reason: `of ${method} differs` })
          const key = order.orderId ?? ''
          const known = byId.get(key)
          if (!known || order.tsExchangeMs >= known.tsExchangeMs) byId.set(key, order)
        }
      }
    let best: DeribitOrder | null = null
    for (const order of byId.values())
      if (
        best === null ||
        rank(order) > rank(best) ||
        (rank(order) === rank(best) && order.tsExchangeMs > best.tsExchangeMs)
      )
        best = order
    if (best) this.track(best)
    return best
  }

  /**
   * Deribit `amount` for a base-coin size: `sizeBase` itself (linear, options) or its USD value at `price` in whole
   * contracts, rounded down (inverse).
   */
  private async wireAmount(parameters: {
    symbol: string
    sizeBase: string
    price: string
    sizeQuote?: string | undefined
  }): Promise<string> {
    const { symbol: instrumentName, sizeBase, price, sizeQuote } = parameters
    const inverse = getDeribitAmountUnit(parseDeribitInstrumentName(instrumentName)) === 'usd'
    if (!inverse) {
      if (sizeQuote !== undefined)
        throw new InvalidDecimalError({
          field: 'sizeQuote',
          value: sizeQuote,
          rule: `absent: ${instrumentName} takes its amount in coin (sizeBase)`,
        })
      return sizeBase
    }
    const instrument = await this.instruments.get(instrumentName)
    if (sizeQuote !== undefined) {
      const contracts = instrument.amountGrid.toTicks(sizeQuote, 'sizeQuote')
      const min = instrument.amountGrid.roundToTicks(instrument.minTradeAmount, 'up', 'minTradeAmount')
      if (contracts <= 0n || contracts < min)
        throw new DeribitAmountBelowMinimumError({
          instrumentName,
          sizeBase,
          price,
          amountUsd: sizeQuote,
          minTradeAmountUsd: instrument.minTradeAmount,
        })
      return instrument.amountGrid.format(contracts)
    }
    return sizeBaseToInverseAmountUsd({
      instrumentName,
      sizeBase,
      price,
      contractSizeUsd: instrument.contractSize,
      minTradeAmountUsd: instrument.minTradeAmount,
    }).amountUsd
  }

  async cancelOrder(parameters: { symbol: string; clientOrderId: string }): Promise<DeribitOrder> {
    await this.placing.get(parameters.clientOrderId)
    const orderId = this.requireOrderId(parameters.clientOrderId, 'private/cancel')
    const result = await this.rpc.request('private/cancel', { order_id: orderId })
    return parseDeribitOrder(result)
  }

  /** `private/edit`: new price and/or amount; a post-only order stays post-only and is rejected rather than moved. */
  async amendOrder(parameters: DeribitAmendOrderParameters): Promise<DeribitOrder> {
    await this.placing.get(parameters.clientOrderId)
    const orderId = this.requireOrderId(parameters.clientOrderId, 'private/edit')
    const amount = await this.wireAmount(parameters)
    let result: { order?: unknown } | null
    try {
      result = (await this.rpc.request(
        'private/edit',
        {
          order_id: orderId,
          amount: toWireNumber(amount),
          price: toWireNumber(parameters.price),
          post_only: true,
          reject_post_only: true,
        },
        { clientOrderId: parameters.clientOrderId, price: parameters.price },
      )) as { order?: unknown } | null
    } catch (error) {
      // 11029 invalid_arguments for an edit to an amount at or below what already filled (a fill raced the amend):
      // the venue already did at least what the amend asked, so the amend is moot. Return the order as the venue
      // holds it; any other refusal (or an order that did not fill that far) stays an error.
      if (!(error instanceof ConnectorError && error.venueCode === 11029)) throw error
      const current = await this.findByLabel(parameters.symbol, parameters.clientOrderId)
      if (current === null) throw error
      const filled = current.filledSizeQuote ?? current.filledSizeBase
      if (!isFinalOrderState(current.state) && compareDecimals(filled, amount) < 0) throw error
      return current
    }
    return parseDeribitOrder(result?.order)
  }

  async cancelAllOrders(symbol: string): Promise<void> {
    await this.rpc.request('private/cancel_all_by_instrument', { instrument_name: symbol })
  }

  /** Open orders of an instrument (reconciliation after reconnects). */
  async getOpenOrders(instrumentName: string): Promise<DeribitOrder[]> {
    const result = await this.rpc.request('private/get_open_orders_by_instrument', { instrument_name: instrumentName })
    if (!Array.isArray(result))
      throw new MalformedFrameError({
        venue: 'deribit',
        field: 'result',
        reason: 'of get_open_orders_by_instrument is not an array',
      })
    const orders = result.map(parseDeribitOrder)
    for (const o of orders)
      if (o.orderId !== undefined && o.clientOrderId !== '') this.orderIdByLabel.set(o.clientOrderId, o.orderId)
    return orders
  }

  /** Remembers an order seen on the private stream (so it can be cancelled by label). */
  track(order: Order): void {
    if (order.orderId !== undefined && order.clientOrderId !== '')
      this.orderIdByLabel.set(order.clientOrderId, order.orderId)
  }

  private requireOrderId(label: string, method: string): string {
    const orderId = this.orderIdByLabel.get(label)
    if (orderId === undefined)
      throw new OrderNotFoundError({
        venue: 'deribit',
        venueMessage: `no order with label ${label} is known`,
        endpoint: method,
      })
    return orderId
  }
}

function assertLabel(clientOrderId: string): void {
  if (clientOrderId.length === 0 || clientOrderId.length > MAX_LABEL_LENGTH)
    throw new InvalidClientOrderIdError({
      venue: 'deribit',
      clientOrderId,
      rule: `a label of 1..${MAX_LABEL_LENGTH} characters`,
    })
}

/** Open orders rank above final ones when several orders carry the same label. */
function rank(order: Order): number {
  return order.state === 'new' || order.state === 'partiallyFilled' ? 1 : 0
}

/** Decimal string → JSON number; the shortest round-trip form of the number is the same decimal. */
function toWireNumber(decimal: string): number {
  return Number(decimal)
}

/** Sign of a − b for two decimal strings. */
function compareDecimals(a: string, b: string): number {
  const x = parseDecimal(a, 'a')
  const y = parseDecimal(b, 'b')
  const scale = Math.max(x.scale, y.scale)
  const d = toScaled(x, scale) - toScaled(y, scale)
  return d < 0n ? -1 : d > 0n ? 1 : 0
}
