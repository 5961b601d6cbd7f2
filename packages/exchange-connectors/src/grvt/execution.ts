import type { Clock, TimerHandle } from '../common/clock.js'
import type { ExecutionClient } from '../common/executionClient.js'
import type { Balance, Position } from '../common/types/account.js'
import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../common/types/order.js'
import { GrvtApiError } from '../errors/grvt.js'
import { OrderNotPlacedError, OrderStatusUnknownError, PostOnlyRejectedError } from '../errors/order.js'
import { RequestTimeoutError } from '../errors/transport.js'
import { VenueRejectedError } from '../errors/venue.js'
import { assertGrvtClientOrderId } from './clientOrderId.js'
import type { GrvtHttpClient } from './http/client.js'
import { parseGrvtOrder } from './parse/parseOrder.js'
import { signGrvtOrder } from './signing/signOrder.js'

export type GrvtExecutionClientParameters = {
  http: GrvtHttpClient
  /** Trading key registered as the sub-account's signer (hex). Kept only inside the signer. */
  signerPrivateKey: string
  /** uint64 decimal string. */
  subAccountId: string
  /** 325 prod, 326 testnet. */
  chainId: number
  clock: Pick<Clock, 'nowMs' | 'setTimeout'>
  /** uint32 nonce source (a counter or a random draw; the same payload + nonce is a duplicate). */
  nextNonce: () => number
  /** Signature lifetime. Default 1 day (GRVT allows ≤ 30 days). */
  signatureTtlMs?: number | undefined
}

type InstrumentInfo = { instrument_hash: string; base_decimals: number }

/**
 * GRVT order entry: each order is signed (EIP-712, `signGrvtOrder`) and sent to `create_order`; client order ids
 * must be in [2^63, 2^64 − 1]. A post-only order that would cross comes back REJECTED with `FAIL_POST_ONLY` and is
 * thrown as `PostOnlyRejectedError`. GRVT has no amend: `amendOrder` cancels and re-sends with the same client id
 * (unique only among active orders). `keepCancelOnDisconnect` re-arms the venue's countdown while quoting.
 */
export class GrvtExecutionClient implements ExecutionClient {
  private readonly p: GrvtExecutionClientParameters
  private readonly instruments = new Map<string, InstrumentInfo>()
  private codTimer: TimerHandle | undefined
  private codStopped = true

  constructor(parameters: GrvtExecutionClientParameters) {
    this.p = parameters
  }

  async placeOrder(parameters: PlaceOrderParameters): Promise<Order> {
    assertGrvtClientOrderId(parameters.clientOrderId)
    const info = await this.instrument(parameters.symbol)
    const postOnly = parameters.timeInForce === 'postOnly'
    const timeInForce =
      parameters.timeInForce === 'ioc'
        ? 'IMMEDIATE_OR_CANCEL'
        : parameters.timeInForce === 'fok'
          ? 'FILL_OR_KILL'
          : 'GOOD_TILL_TIME'
    const nowMs = this.p.clock.nowMs()
    const signature = signGrvtOrder(
      this.p.signerPrivateKey,
      {
        subAccountId: this.p.subAccountId,
        isMarket: false,
        timeInForce,
        postOnly,
        reduceOnly: parameters.reduceOnly ?? false,
        legs: [
          {
            instrumentHash: info.instrument_hash,
            baseDecimals: info.base_decimals,
            size: parameters.sizeBase,
            limitPrice: parameters.price,
            isBuyingAsset: parameters.side === 'buy',
          },
        ],
        nonce: this.p.nextNonce(),
        expirationNs: BigInt(nowMs + (this.p.signatureTtlMs ?? 86_400_000)) * 1_000_000n,
      },
      this.p.chainId,
    )
    const result = await this.createOrReconcile(parameters, {
      order: {
        sub_account_id: this.p.subAccountId,
        is_market: false,
        time_in_force: timeInForce,
        post_only: postOnly,
        reduce_only: parameters.reduceOnly ?? false,
        legs: [
          {
            instrument: parameters.symbol,
            size: parameters.sizeBase,
            limit_price: parameters.price,
            is_buying_asset: parameters.side === 'buy',
          },
        ],
        signature,
        metadata: { client_order_id: parameters.clientOrderId, create_time: String(BigInt(nowMs) * 1_000_000n) },
      },
    })
    const order = parseGrvtOrder(result)
    if (order.state === 'rejected') {
      const reason = String((result as { state?: { reject_reason?: unknown } }).state?.reject_reason)
      if (reason === 'FAIL_POST_ONLY')
        throw new PostOnlyRejectedError({
          venue: 'grvt',
          venueCode: reason,
          clientOrderId: parameters.clientOrderId,
          price: parameters.price,
        })
      throw new VenueRejectedError({ venue: 'grvt', venueCode: reason, venueMessage: reason, endpoint: 'create_order' })
    }
    return order
  }

  /**
   * Sends `create_order`; when it gets no answer, the order is looked up by client id: found → that order; GRVT says
   * it does not exist → `OrderNotPlacedError`; the lookup fails too → `OrderStatusUnknownError` (never retried blindly).
   */
  private async createOrReconcile(parameters: PlaceOrderParameters, body: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.p.http.trade('create_order', body)
    } catch (error) {
      if (!(error instanceof RequestTimeoutError)) throw error
      try {
        return await this.p.http.trade('order', {
          sub_account_id: this.p.subAccountId,
          client_order_id: parameters.clientOrderId,
        })
      } catch (lookup) {
        if (lookup instanceof GrvtApiError && lookup.venueCode === 3021)
          throw new OrderNotPlacedError({ venue: 'grvt', clientOrderId: parameters.clientOrderId, cause: error })
        throw new OrderStatusUnknownError({
          venue: 'grvt',
          symbol: parameters.symbol,
          clientOrderId: parameters.clientOrderId,
          cause: lookup,
        })
      }
    }
  }

  async cancelOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order> {
    await this.p.http.trade('cancel_order', {
      sub_account_id: this.p.subAccountId,
      client_order_id: parameters.clientOrderId,
    })
    return this.getOrder(parameters.clientOrderId)
  }

  async amendOrder(parameters: AmendOrderParameters): Promise<Order> {
    const previous = await this.cancelOrder(parameters)
    return this.placeOrder({
      symbol: parameters.symbol,
      side: parameters.side,
      price: parameters.price,
      sizeBase: parameters.sizeBase,
      timeInForce: previous.timeInForce,
      clientOrderId: parameters.clientOrderId,
      reduceOnly: previous.reduceOnly,
    })
  }

  async cancelAllOrders(_symbol: string): Promise<void> {
    await this.p.http.trade('cancel_all_orders', { sub_account_id: this.p.subAccountId })
  }

  async getOrder(clientOrderId: string): Promise<Order> {
    return parseGrvtOrder(
      await this.p.http.trade('order', { sub_account_id: this.p.subAccountId, client_order_id: clientOrderId }),
    )
  }

  async getOpenOrders(): Promise<Order[]> {
    const result = (await this.p.http.trade('open_orders', { sub_account_id: this.p.subAccountId })) as unknown[]
    return result.map(parseGrvtOrder)
  }

  async getPositions(): Promise<Position[]> {
    const result = (await this.p.http.trade('positions', { sub_account_id: this.p.subAccountId })) as Array<
      Record<string, unknown>
    >
    return result.map((p) => ({
      venue: 'grvt',
      symbol: String(p.instrument),
      sizeBase: String(p.size),
      entryPrice: String(p.entry_price),
      unrealizedPnlQuote: String(p.unrealized_pnl),
      tsExchangeMs: Number(BigInt(String(p.event_time ?? '0')) / 1_000_000n),
      raw: p,
    }))
  }

  /**
   * The sub-account's settle-currency balance from `account_summary`: `wallet` = its spot balance, `available` =
   * `available_balance` (what new orders may use). GRVT reports an available amount only for the settle currency, so
   * other spot balances are not listed.
   */
  async getBalances(): Promise<Balance[]> {
    const summary = (await this.p.http.trade('account_summary', { sub_account_id: this.p.subAccountId })) as Record<
      string,
      unknown
    >
    const settle = summary?.settle_currency
    const available = summary?.available_balance
    const spot = summary?.spot_balances
    if (typeof settle !== 'string' || typeof available !== 'string' || !Array.isArray(spot))
      throw new GrvtApiError({
        endpoint: 'account_summary',
        venueCode: 0,
        venueMessage: 'lacks settle_currency, available_balance or spot_balances',
      })
    const tsExchangeMs = Number(BigInt(String(summary.event_time ?? '0')) / 1_000_000n)
    return (spot as Array<Record<string, unknown>>)
      .filter((b) => b.currency === settle)
      .map((b) => {
        if (typeof b.balance !== 'string')
          throw new GrvtApiError({
            endpoint: 'account_summary',
            venueCode: 0,
            venueMessage: 'spot balance lacks balance',
          })
        return { venue: 'grvt', asset: settle, wallet: b.balance, available, tsExchangeMs, raw: summary }
      })
  }

  /**
   * Arms GRVT's cancel-on-disconnect countdown (`countdown_time` ms, 1001–300000) and re-arms it every
   * `refreshEveryMs` while quoting; if this process stops refreshing, the venue cancels every open order.
   */
  async keepCancelOnDisconnect(
    countdownMs: number,
    refreshEveryMs: number,
    onError: (error: unknown) => void,
  ): Promise<void> {
    this.codStopped = false
    const arm = async () => {
      await this.p.http.trade('cancel_on_disconnect', {
        sub_account_id: this.p.subAccountId,
        countdown_time: countdownMs,
      })
    }
    await arm()
    const loop = () => {
      if (this.codStopped) return
      this.codTimer = this.p.clock.setTimeout(() => {
        arm().then(loop, (error: unknown) => {
          onError(error)
          loop()
        })
      }, refreshEveryMs)
    }
    loop()
  }

  /** Stops refreshing; with `disarm` the countdown is switched off (orders stay), otherwise it runs out and cancels. */
  async stopCancelOnDisconnect(disarm: boolean): Promise<void> {
    this.codStopped = true
    this.codTimer?.cancel()
    if (disarm)
      await this.p.http.trade('cancel_on_disconnect', { sub_account_id: this.p.subAccountId, countdown_time: 0 })
  }

  private async instrument(name: string): Promise<InstrumentInfo> {
    const cached = this.instruments.get(name)
    if (cached) return cached
    const result = (await this.p.http.market('instrument', { instrument: name })) as Record<string, unknown>
    if (typeof result?.instrument_hash !== 'string' || typeof result.base_decimals !== 'number')
      throw new GrvtApiError({ endpoint: 'instrument', venueCode: 0, venueMessage: `no signing data for ${name}` })
    const info = { instrument_hash: result.instrument_hash, base_decimals: result.base_decimals }
    this.instruments.set(name, info)
    return info
  }
}
