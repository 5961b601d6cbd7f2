import { computeAddress, type SigningKey } from 'ethers'
import type { Clock, TimerHandle } from '../common/clock.js'
import { formatScaled, parseDecimal, toScaled } from '../common/decimal.js'
import type { ExecutionClient } from '../common/executionClient.js'
import type { Balance, Position } from '../common/types/account.js'
import type { AmendOrderParameters, Order, PlaceOrderParameters } from '../common/types/order.js'
import { GrvtApiError } from '../errors/grvt.js'
import { OrderNotPlacedError, OrderStatusUnknownError, PostOnlyRejectedError } from '../errors/order.js'
import { MalformedFrameError } from '../errors/transport.js'
import { OrderNotFoundError, VenueRejectedError } from '../errors/venue.js'
import { assertGrvtClientOrderId } from './clientOrderId.js'
import type { GrvtHttpClient } from './http/client.js'
import { parseGrvtInstrumentName } from './instrumentName.js'
import { parseGrvtOrder } from './parse/parseOrder.js'
import { parseGrvtPosition } from './parse/parsePosition.js'
import { readGrvtNanosToMs, readGrvtObject, readGrvtSignedDecimal, readGrvtString } from './parse/readGrvtField.js'
import { createGrvtSigningKey } from './signing/createGrvtSigningKey.js'
import { type GrvtOrderSignature, signGrvtOrder } from './signing/signOrder.js'

export type GrvtExecutionClientParameters = {
  http: GrvtHttpClient
  /**
   * Trading key registered as the sub-account's signer (hex). Validated and wrapped in a `SigningKey` at construction;
   * it is kept in a `#private` field and never appears in `inspect`, `JSON.stringify` or error texts.
   */
  signerPrivateKey: string
  /** uint64 decimal string. */
  subAccountId: string
  /** 325 prod, 326 testnet. */
  chainId: number
  clock: Pick<Clock, 'nowMs' | 'setTimeout'>
  /** uint32 nonce source (a counter or a random draw; the same payload + nonce is a duplicate). */
  nextNonce: () => number
  /**
   * Signature lifetime. Default 1 day (GRVT allows ≤ 30 days). A create whose outcome is unknown can only be proven
   * absent once this lifetime has passed (the venue no longer accepts the signed order), so a short lifetime gives a
   * definite `OrderNotPlacedError` sooner; a long one gives `OrderStatusUnknownError` when the lookups run out first.
   */
  signatureTtlMs?: number | undefined
  /**
   * Until when, counted from the create's signing time, an unknown create outcome is looked up by client id before
   * `OrderStatusUnknownError` (at least one lookup is always made). Default 30 000.
   */
  reconcileTimeoutMs?: number | undefined
  /** Pause between those lookups. Default 250. */
  reconcilePollMs?: number | undefined
  /** Margin for clock skew: the signature counts as expired this long after its expiration. Default 1 000. */
  clockSkewMs?: number | undefined
}

type InstrumentInfo = { instrument_hash: string; base_decimals: number }
type Params = Omit<GrvtExecutionClientParameters, 'signerPrivateKey'>

/** A GRVT answer that proves the request was refused (not executed): a 4xx with GRVT's error body. */
function isDefiniteRejection(error: unknown): boolean {
  return (
    error instanceof GrvtApiError &&
    error.httpStatus !== undefined &&
    error.httpStatus >= 400 &&
    error.httpStatus < 500 &&
    error.httpStatus !== 408
  )
}

function isOrderNotFound(error: unknown): error is GrvtApiError {
  return isDefiniteRejection(error) && (error as GrvtApiError).venueCode === 3021
}

/** Does the order the venue returned carry our signature? `unknown` when it shows none to compare. */
function signatureMatch(raw: unknown, sent: GrvtOrderSignature): 'same' | 'different' | 'unknown' {
  const sig = (raw as { signature?: { r?: unknown; s?: unknown } } | null)?.signature
  if (typeof sig?.r !== 'string' || typeof sig.s !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(sig.r)) return 'unknown'
  return sig.r.toLowerCase() === sent.r.toLowerCase() && sig.s.toLowerCase() === sent.s.toLowerCase()
    ? 'same'
    : 'different'
}

const FINAL_STATES = new Set(['filled', 'canceled', 'expired', 'rejected'])
const GRVT_KIND = { perpetual: 'PERPETUAL', future: 'FUTURE', call: 'CALL', put: 'PUT' } as const

/** `total − filled` for exact decimal strings, at the total's scale when the filled amount fits it. */
function remainingSize(total: string, filled: string): { mantissa: bigint; text: string } {
  const t = parseDecimal(total, 'sizeBase')
  const f = parseDecimal(filled, 'filledSizeBase')
  const scale = Math.max(t.scale, f.scale)
  const mantissa = toScaled(t, scale) - toScaled(f, scale)
  let text = formatScaled(mantissa, scale)
  // keep the caller's number of decimals when nothing finer is involved (e.g. "0.010" − "0.004" → "0.006")
  if (f.scale > t.scale && mantissa % 10n ** BigInt(f.scale - t.scale) === 0n)
    text = formatScaled(mantissa / 10n ** BigInt(f.scale - t.scale), t.scale)
  return { mantissa, text }
}

/**
 * GRVT order entry: each order is signed (EIP-712, `signGrvtOrder`) and sent to `create_order`; client order ids
 * must be in [2^63, 2^64 − 1]. A post-only order that would cross comes back REJECTED with `FAIL_POST_ONLY` and is
 * thrown as `PostOnlyRejectedError`.
 *
 * A create whose outcome is not definite (timeout, 5xx, dropped connection, an answer that is not a valid order) is
 * never sent again: the order is looked up by client id (`lookupOrder`) until the venue shows it (returned), or shows
 * no order carrying this create's signature after the signature expired (`OrderNotPlacedError`), or the lookup budget
 * ends (`OrderStatusUnknownError`, never retryable).
 *
 * GRVT has no amend: `amendOrder` cancels and re-sends with the same client id (unique only among active orders);
 * `sizeBase` is the order's total size, the replacement rests only what was not filled. `keepCancelOnDisconnect`
 * re-arms the venue's countdown while quoting.
 */
export class GrvtExecutionClient implements ExecutionClient {
  private readonly p: Params
  readonly #signingKey: SigningKey
  private readonly instruments = new Map<string, InstrumentInfo>()
  private codTimer: TimerHandle | undefined
  private codStopped = true

  constructor(parameters: GrvtExecutionClientParameters) {
    const { signerPrivateKey, ...rest } = parameters
    this.#signingKey = createGrvtSigningKey(signerPrivateKey)
    this.p = rest
  }

  /** What `JSON.stringify` shows: the account and chain, never the signer key. */
  toJSON(): Record<string, unknown> {
    return {
      kind: 'GrvtExecutionClient',
      subAccountId: this.p.subAccountId,
      chainId: this.p.chainId,
      signer: computeAddress(this.#signingKey.publicKey),
    }
  }

  async placeOrder(parameters: PlaceOrderParameters): Promise<Order> {
    assertGrvtClientOrderId(parameters.clientOrderId)
    const info = await this.instrument(parameters.symbol)
    // log in first: a failed login is a definite "not sent", never an unknown create
    await this.p.http.getSession()
    const postOnly = parameters.timeInForce === 'postOnly'
    const timeInForce =
      parameters.timeInForce === 'ioc'
        ? 'IMMEDIATE_OR_CANCEL'
        : parameters.timeInForce === 'fok'
          ? 'FILL_OR_KILL'
          : 'GOOD_TILL_TIME'
    const nowMs = this.p.clock.nowMs()
    const expiresAtMs = nowMs + (this.p.signatureTtlMs ?? 86_400_000)
    const signature = signGrvtOrder(
      this.#signingKey,
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
        expirationNs: BigInt(expiresAtMs) * 1_000_000n,
      },
      this.p.chainId,
    )
    const body = {
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
    }
    let order: Order
    try {
      order = parseGrvtOrder(await this.p.http.trade('create_order', body))
      if (order.clientOrderId !== parameters.clientOrderId)
        throw new MalformedFrameError({
          venue: 'grvt',
          field: 'metadata.client_order_id',
          reason: 'differs from the one sent',
        })
    } catch (error) {
      if (isDefiniteRejection(error)) throw error
      order = await this.reconcileCreate(parameters, signature, nowMs, expiresAtMs, error)
    }
    if (order.state === 'rejected') {
      const reason = String((order.raw as { state?: { reject_reason?: unknown } }).state?.reject_reason).slice(0, 80)
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
   * Settles a create whose outcome is unknown, by client id, without ever sending it again: the order found carrying
   * this create's signature → that order; no such order, asked after the signature expired (+ `clockSkewMs`) →
   * `OrderNotPlacedError`; neither by `signedAtMs + reconcileTimeoutMs` → `OrderStatusUnknownError`.
   */
  private async reconcileCreate(
    parameters: PlaceOrderParameters,
    signature: GrvtOrderSignature,
    signedAtMs: number,
    expiresAtMs: number,
    cause: unknown,
  ): Promise<Order> {
    const clock = this.p.clock
    // both deadlines run from the signed order: absent counts once it can no longer be accepted
    const absentAfterMs = expiresAtMs + (this.p.clockSkewMs ?? 1_000)
    const giveUpAtMs = signedAtMs + (this.p.reconcileTimeoutMs ?? 30_000)
    const pollMs = this.p.reconcilePollMs ?? 250
    let lastError: unknown = cause
    for (;;) {
      const askedAtMs = clock.nowMs()
      let absent = false
      try {
        const found = await this.lookupOrder({ symbol: parameters.symbol, clientOrderId: parameters.clientOrderId })
        const match = found === null ? 'different' : signatureMatch(found.raw, signature)
        if (found !== null && match === 'same') return found
        absent = match === 'different'
        if (match === 'unknown')
          lastError = new MalformedFrameError({
            venue: 'grvt',
            field: 'signature',
            reason: 'is missing from the order found, so it cannot be told apart from an older one',
          })
      } catch (error) {
        lastError = error
      }
      if (absent && askedAtMs >= absentAfterMs)
        throw new OrderNotPlacedError({ venue: 'grvt', clientOrderId: parameters.clientOrderId, cause })
      const nowMs = clock.nowMs()
      if (nowMs >= giveUpAtMs)
        throw new OrderStatusUnknownError({
          venue: 'grvt',
          symbol: parameters.symbol,
          clientOrderId: parameters.clientOrderId,
          cause: lastError,
        })
      const wakeMs = Math.min(
        nowMs + pollMs,
        giveUpAtMs,
        absentAfterMs > nowMs ? absentAfterMs : Number.POSITIVE_INFINITY,
      )
      await this.sleep(Math.max(1, wakeMs - nowMs))
    }
  }

  /**
   * The venue's current view of the order with this client id on `symbol` (open or final), from GRVT `order`. `null`
   * only when the venue definitively says it has none: GRVT code 3021 (no order with this client id), or its latest
   * order with this id is on another instrument. Client ids are unique only among active orders, so this is the most
   * recent order that used the id. Transport failures and answers that are not a valid order are thrown
   * (`RequestTimeoutError`, `GrvtApiError`, `MalformedFrameError`), never turned into `null`.
   */
  async lookupOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order | null> {
    assertGrvtClientOrderId(parameters.clientOrderId)
    let raw: unknown
    try {
      raw = await this.p.http.trade('order', {
        sub_account_id: this.p.subAccountId,
        client_order_id: parameters.clientOrderId,
      })
    } catch (error) {
      if (isOrderNotFound(error)) return null
      throw error
    }
    const order = parseGrvtOrder(raw)
    if (order.clientOrderId !== parameters.clientOrderId)
      throw new MalformedFrameError({
        venue: 'grvt',
        field: 'metadata.client_order_id',
        reason: 'differs from the one asked',
      })
    return order.symbol === parameters.symbol ? order : null
  }

  /**
   * Cancels by client id and returns the order as the venue then shows it. An order that is not active (already filled,
   * cancelled, or unknown: GRVT 3021) → `OrderNotFoundError`.
   */
  async cancelOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order> {
    try {
      await this.p.http.trade('cancel_order', {
        sub_account_id: this.p.subAccountId,
        client_order_id: parameters.clientOrderId,
      })
    } catch (error) {
      if (isOrderNotFound(error))
        throw new OrderNotFoundError({
          venue: 'grvt',
          venueCode: error.venueCode,
          venueMessage: error.shortMessage,
          endpoint: 'cancel_order',
        })
      throw error
    }
    return this.getOrder(parameters.clientOrderId)
  }

  /**
   * Cancel + re-place (GRVT has no amend). `sizeBase` is the order's TOTAL size, filled part included: once the cancel
   * is final, the replacement (same client id, time in force and reduce-only) rests `sizeBase − filled`. Nothing is
   * placed when the order was already fully filled or is gone (`OrderNotFoundError`); when `sizeBase` is not above
   * the filled size the cancelled order is returned. A cancel that does not become final within `reconcileTimeoutMs`
   * → `OrderStatusUnknownError` (nothing placed).
   */
  async amendOrder(parameters: AmendOrderParameters): Promise<Order> {
    let previous = await this.cancelOrder(parameters)
    const giveUpAtMs = this.p.clock.nowMs() + (this.p.reconcileTimeoutMs ?? 30_000)
    while (!FINAL_STATES.has(previous.state)) {
      if (this.p.clock.nowMs() >= giveUpAtMs)
        throw new OrderStatusUnknownError({
          venue: 'grvt',
          symbol: parameters.symbol,
          clientOrderId: parameters.clientOrderId,
        })
      await this.sleep(this.p.reconcilePollMs ?? 250)
      previous = await this.getOrder(parameters.clientOrderId)
    }
    if (previous.state === 'filled')
      throw new OrderNotFoundError({
        venue: 'grvt',
        venueMessage: `order ${parameters.clientOrderId} is already fully filled`,
        endpoint: 'cancel_order',
      })
    const remaining = remainingSize(parameters.sizeBase, previous.filledSizeBase)
    if (remaining.mantissa <= 0n) return previous
    return this.placeOrder({
      symbol: parameters.symbol,
      side: parameters.side,
      price: parameters.price,
      sizeBase: remaining.text,
      timeInForce: previous.timeInForce,
      clientOrderId: parameters.clientOrderId,
      reduceOnly: previous.reduceOnly,
    })
  }

  /**
   * Cancels this sub-account's open orders on `symbol` only. Perpetuals: `cancel_all_orders` filtered by kind, base and
   * quote (one perpetual per pair). Futures and options (the filters cannot name one expiry or strike): the open orders
   * of that kind/base/quote are listed and those on `symbol` cancelled one by one (3021 = already final, skipped).
   */
  async cancelAllOrders(symbol: string): Promise<void> {
    const name = parseGrvtInstrumentName(symbol)
    const kind = name.kind === 'option' ? GRVT_KIND[name.optionType] : GRVT_KIND[name.kind]
    const filter = { sub_account_id: this.p.subAccountId, kind: [kind], base: [name.base], quote: [name.quote] }
    if (name.kind === 'perpetual') {
      await this.p.http.trade('cancel_all_orders', filter)
      return
    }
    const open = await this.p.http.trade('open_orders', filter)
    if (!Array.isArray(open))
      throw new MalformedFrameError({ venue: 'grvt', field: 'result', reason: 'is not an array' })
    for (const order of open.map(parseGrvtOrder).filter((o) => o.symbol === symbol && o.orderId !== undefined)) {
      try {
        await this.p.http.trade('cancel_order', { sub_account_id: this.p.subAccountId, order_id: order.orderId })
      } catch (error) {
        if (!isOrderNotFound(error)) throw error
      }
    }
  }

  async getOrder(clientOrderId: string): Promise<Order> {
    return parseGrvtOrder(
      await this.p.http.trade('order', { sub_account_id: this.p.subAccountId, client_order_id: clientOrderId }),
    )
  }

  async getOpenOrders(): Promise<Order[]> {
    const result = await this.p.http.trade('open_orders', { sub_account_id: this.p.subAccountId })
    if (!Array.isArray(result))
      throw new MalformedFrameError({ venue: 'grvt', field: 'result', reason: 'is not an array' })
    return result.map(parseGrvtOrder)
  }

  async getPositions(): Promise<Position[]> {
    const result = await this.p.http.trade('positions', { sub_account_id: this.p.subAccountId })
    if (!Array.isArray(result))
      throw new MalformedFrameError({ venue: 'grvt', field: 'result', reason: 'is not an array' })
    return result.map(parseGrvtPosition)
  }

  /**
   * The sub-account's settle-currency balance from `account_summary`: `wallet` = its spot balance, `available` =
   * `available_balance` (what new orders may use). GRVT reports an available amount only for the settle currency, so
   * other spot balances are not listed.
   */
  async getBalances(): Promise<Balance[]> {
    const summary = readGrvtObject(
      await this.p.http.trade('account_summary', { sub_account_id: this.p.subAccountId }),
      'account_summary',
    )
    const settle = readGrvtString(summary.settle_currency, 'account_summary.settle_currency')
    const available = readGrvtSignedDecimal(summary.available_balance, 'account_summary.available_balance')
    const spot = summary.spot_balances
    if (!Array.isArray(spot))
      throw new MalformedFrameError({
        venue: 'grvt',
        field: 'account_summary.spot_balances',
        reason: 'is not an array',
      })
    const tsExchangeMs = readGrvtNanosToMs(summary.event_time, 'account_summary.event_time')
    return spot
      .map((b, i) => readGrvtObject(b, `account_summary.spot_balances[${i}]`))
      .filter((b) => b.currency === settle)
      .map((b) => ({
        venue: 'grvt',
        asset: settle,
        wallet: readGrvtSignedDecimal(b.balance, 'account_summary.spot_balances[].balance'),
        available,
        tsExchangeMs,
        raw: summary,
      }))
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

  private sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.p.clock.setTimeout(resolve, delayMs)
    })
  }

  private async instrument(name: string): Promise<InstrumentInfo> {
    const cached = this.instruments.get(name)
    if (cached) return cached
    const result = (await this.p.http.market('instrument', { instrument: name })) as Record<string, unknown>
    if (
      typeof result?.instrument_hash !== 'string' ||
      !/^0x[0-9a-fA-F]{1,64}$/.test(result.instrument_hash) ||
      typeof result.base_decimals !== 'number' ||
      !Number.isInteger(result.base_decimals) ||
      result.base_decimals < 0 ||
      result.base_decimals > 18
    )
      throw new GrvtApiError({ endpoint: 'instrument', venueCode: 0, venueMessage: `no signing data for ${name}` })
    const info = { instrument_hash: result.instrument_hash, base_decimals: result.base_decimals }
    this.instruments.set(name, info)
    return info
  }
}
