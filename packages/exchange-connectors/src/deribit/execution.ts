import type { ExecutionClient } from '../common/executionClient.js'
import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../common/types/order.js'
import { InvalidDecimalError } from '../errors/decimal.js'
import { DeribitAmountBelowMinimumError, DeribitRequestTimeoutError } from '../errors/deribit.js'
import { InvalidClientOrderIdError, OrderNotPlacedError, OrderStatusUnknownError } from '../errors/order.js'
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
 */
export class DeribitExecutionClient implements ExecutionClient {
  private readonly rpc: DeribitRpcClient
  private readonly instruments: DeribitInstrumentProvider
  private readonly orderIdByLabel = new Map<string, string>()
  /** Places in flight by label: the private stream can report an order before its buy/sell answer arrives. */
  private readonly placing = new Map<string, Promise<unknown>>()

  constructor(rpc: DeribitRpcClient, options: DeribitExecutionClientOptions = {}) {
    this.rpc = rpc
    this.instruments = options.instruments ?? new DeribitInstrumentProvider(rpc)
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
    if (parameters.clientOrderId.length === 0 || parameters.clientOrderId.length > MAX_LABEL_LENGTH)
      throw new InvalidClientOrderIdError({
        venue: 'deribit',
        clientOrderId: parameters.clientOrderId,
        rule: `a label of 1..${MAX_LABEL_LENGTH} characters`,
      })
    const amount = await this.wireAmount(parameters)
    const postOnly = parameters.timeInForce === 'postOnly'
    const result = (await this.requestOrReconcile(parameters, () =>
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
        },
        { clientOrderId: parameters.clientOrderId, price: parameters.price },
      ),
    )) as { order: unknown }
    const order = parseDeribitOrder(result.order)
    if (order.orderId !== undefined) this.orderIdByLabel.set(parameters.clientOrderId, order.orderId)
    return order
  }

  /**
   * Runs an order request; when it gets no answer (timeout, socket closed) the order is looked up by label with
   * `private/get_order_state_by_label`: found → that order; none → `OrderNotPlacedError`; lookup fails →
   * `OrderStatusUnknownError` (never retryable).
   */
  private async requestOrReconcile(parameters: PlaceOrderParameters, send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send()
    } catch (error) {
      if (!(error instanceof DeribitRequestTimeoutError)) throw error
      let found: unknown[]
      try {
        found = (await this.rpc.request('private/get_order_state_by_label', {
          currency: parameters.symbol.split(/[-_]/)[0],
          label: parameters.clientOrderId,
        })) as unknown[]
      } catch (lookup) {
        throw new OrderStatusUnknownError({
          venue: 'deribit',
          symbol: parameters.symbol,
          clientOrderId: parameters.clientOrderId,
          cause: lookup,
        })
      }
      const match = found.find((o) => (o as { instrument_name?: unknown }).instrument_name === parameters.symbol)
      if (match === undefined)
        throw new OrderNotPlacedError({ venue: 'deribit', clientOrderId: parameters.clientOrderId, cause: error })
      return { order: match }
    }
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
    const result = (await this.rpc.request(
      'private/edit',
      {
        order_id: orderId,
        amount: toWireNumber(amount),
        price: toWireNumber(parameters.price),
        post_only: true,
        reject_post_only: true,
      },
      { clientOrderId: parameters.clientOrderId, price: parameters.price },
    )) as { order: unknown }
    return parseDeribitOrder(result.order)
  }

  async cancelAllOrders(symbol: string): Promise<void> {
    await this.rpc.request('private/cancel_all_by_instrument', { instrument_name: symbol })
  }

  /** Open orders of an instrument (reconciliation after reconnects). */
  async getOpenOrders(instrumentName: string): Promise<DeribitOrder[]> {
    const result = (await this.rpc.request('private/get_open_orders_by_instrument', {
      instrument_name: instrumentName,
    })) as unknown[]
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

/** Decimal string → JSON number; the shortest round-trip form of the number is the same decimal. */
function toWireNumber(decimal: string): number {
  return Number(decimal)
}
