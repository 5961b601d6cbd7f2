import { createHash } from 'node:crypto'
import { computeAddress } from 'ethers'
import { FaultController, type FaultSettings } from '../binance/FaultController.js'
import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { GrvtRejectionError, grvtReject } from '../errors/grvt.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { MarketDriver } from '../matching/MarketDriver.js'
import { MatchingEngine } from '../matching/MatchingEngine.js'
import { parseScaled } from '../matching/parseScaled.js'
import { SimulatedMarket } from '../matching/SimulatedMarket.js'
import type { Clock, EngineEvent, EngineOrder, Fill, Instrument, InstrumentSpec } from '../matching/types.js'
import { recoverGrvtOrderSigner } from './recoverGrvtOrderSigner.js'

export type GrvtAccountConfig = {
  apiKey: string
  /** Trading key(s) registered as signers of this sub-account (hex private keys; only their addresses are kept). */
  signerPrivateKeys: string[]
  /** uint64 decimal string. */
  subAccountId: string
  /** Decimal strings, e.g. { USDT: "100000" }. */
  balances: Record<string, string>
}

export type GrvtInstrumentConfig = {
  instrument: string
  /** `instrument_hash` (EIP-712 assetID), e.g. "0x030501". */
  instrumentHash: string
  /** Default 9. */
  baseDecimals?: number | undefined
  /** Default "0.1". */
  tickSize?: string | undefined
  /** Default "0.001". */
  minSize?: string | undefined
}

export type GrvtEmulatorOptions = {
  instruments?: GrvtInstrumentConfig[] | undefined
  accounts: GrvtAccountConfig[]
  /** EIP-712 chain id the signatures must use. Default 326 (testnet). */
  chainId?: number | undefined
  market?:
    | { kind: 'none' }
    | {
        kind: 'simulated'
        instrument?: string | undefined
        midPrice: string
        seed?: number | undefined
        stepMs?: number | undefined
        levels?: number | undefined
        tradeProbability?: number | undefined
      }
    | undefined
  faults?: FaultSettings | undefined
  seed?: number | undefined
  clock?: Clock | undefined
  /** Session cookie lifetime (s). Default 3600. */
  sessionTtlSec?: number | undefined
  onInternalError?: ((error: unknown) => void) | undefined
}

export type GrvtTransport = { send(text: string): void; terminate(): void }

type Account = { apiKey: string; subAccountId: string; accountId: string; signers: Set<string> }
/** `live` is false between subscribe and the snapshot: deltas flushed in between must not reach the subscriber. */
type Sub = { stream: string; selector: string; seq: number; instrument: string | undefined; live: boolean }

/** One WebSocket connection of the GRVT emulator (market data, or private streams when it carried a session cookie). */
export class GrvtConnection {
  readonly subs = new Map<string, Sub>()
  closed = false
  constructor(
    readonly transport: GrvtTransport,
    readonly accountId: string | undefined,
  ) {}
}

const TIF: Record<string, { code: number; engine: 'GTC' | 'IOC' | 'FOK' }> = {
  GOOD_TILL_TIME: { code: 1, engine: 'GTC' },
  ALL_OR_NONE: { code: 2, engine: 'FOK' },
  IMMEDIATE_OR_CANCEL: { code: 3, engine: 'IOC' },
  FILL_OR_KILL: { code: 4, engine: 'FOK' },
}
const UINT64_MAX = 2n ** 64n - 1n

/**
 * State of one GRVT emulator on the shared matching engine: API-key login issuing the `gravity` session cookie and
 * `X-Grvt-Account-Id`, `/full/v1/*` JSON endpoints, EIP-712 order-signature verification by public-key recovery,
 * client-order-id rules, the cancel-on-disconnect countdown, `v1.book.d` with per-subscription sequence numbers
 * (snapshot 0, deltas +1) and the private `v1.order`, `v1.fill`, `v1.position` streams. Transport-free.
 */
export class GrvtEmulator {
  readonly engine: MatchingEngine
  readonly faults: FaultController
  readonly clock: Clock
  readonly chainId: number
  readonly drivers: MarketDriver[] = []
  private readonly accountsByKey = new Map<string, Account>()
  private readonly accountsById = new Map<string, Account>()
  private readonly accountsBySub = new Map<string, Account>()
  private readonly sessions = new Map<string, { accountId: string; expiresAtMs: number }>()
  private readonly hashes = new Map<string, { hash: bigint; baseDecimals: number }>()
  private readonly connections = new Set<GrvtConnection>()
  private readonly codDeadlines = new Map<string, number>()
  private readonly held = new Map<GrvtConnection, Map<string, string>>()
  private readonly orderExtra = new Map<number, { clientOrderId: string; postOnly: boolean; signature: unknown }>()
  /** Latest order per (account, client order id): ids are unique only among active orders, so one id is reused. */
  private readonly latestByClientId = new Map<string, number>()
  private readonly sessionTtlMs: number
  private readonly seed: number
  private readonly onInternalError: (error: unknown) => void
  private orderIdCounter = 1
  private tradeIdCounter = 1
  private sessionCounter = 0
  private pendingExtra: { clientOrderId: string; postOnly: boolean; signature: unknown } | undefined

  constructor(options: GrvtEmulatorOptions) {
    this.clock = options.clock ?? { nowMs: () => Date.now() }
    this.seed = options.seed ?? 1
    this.chainId = options.chainId ?? 326
    this.faults = new FaultController(this.seed, options.faults)
    this.sessionTtlMs = (options.sessionTtlSec ?? 3600) * 1000
    this.onInternalError = options.onInternalError ?? ((error) => console.error('[grvt-emulator]', error))
    const configs = options.instruments ?? [{ instrument: 'BTC_USDT_Perp', instrumentHash: '0x030501' }]
    const specs: InstrumentSpec[] = configs.map((c, i) => {
      const match = /^([A-Z0-9]+)_([A-Z0-9]+)_Perp$/.exec(c.instrument)
      if (!match)
        throw new InvalidEmulatorConfigError({
          field: `instruments[${i}]`,
          reason: `${c.instrument} is not BASE_QUOTE_Perp`,
        })
      this.hashes.set(c.instrument, { hash: BigInt(c.instrumentHash), baseDecimals: c.baseDecimals ?? 9 })
      const step = c.minSize ?? '0.001'
      return {
        symbol: c.instrument,
        kind: 'perp',
        baseAsset: match[1] ?? '',
        quoteAsset: match[2] ?? '',
        tickSize: c.tickSize ?? '0.1',
        stepSize: step,
        minQty: step,
        maxQty: '1000000',
        minNotional: '0',
        makerFeePpm: -100,
        takerFeePpm: 450,
        leverage: 50,
        maintMarginRatePpm: 10_000,
      }
    })
    this.engine = new MatchingEngine({
      clock: this.clock,
      ids: { nextOrderId: () => this.orderIdCounter++, nextTradeId: () => this.tradeIdCounter++ },
      instruments: specs,
    })
    options.accounts.forEach((a, i) => {
      const account: Account = {
        apiKey: a.apiKey,
        subAccountId: a.subAccountId,
        accountId: `grvt-${i}`,
        signers: new Set(
          a.signerPrivateKeys.map((k) => computeAddress(k.startsWith('0x') ? k : `0x${k}`).toLowerCase()),
        ),
      }
      const balances: Record<string, bigint> = {}
      for (const [asset, value] of Object.entries(a.balances))
        balances[asset] = parseScaled(value, 8, `accounts[${i}].balances`)
      this.engine.addAccount(account.accountId, balances)
      this.accountsByKey.set(a.apiKey, account)
      this.accountsById.set(account.accountId, account)
      this.accountsBySub.set(a.subAccountId, account)
    })
    this.engine.onEvent((event) => this.onEngineEvent(event))
    const market = options.market
    if (market?.kind === 'simulated') {
      const name = market.instrument ?? specs[0]?.symbol ?? ''
      const inst = this.engine.instrument(name)
      this.drivers.push(
        new SimulatedMarket({
          engine: this.engine,
          symbol: name,
          seed: market.seed ?? 1,
          startMidTicks: parseScaled(market.midPrice, inst.priceDecimals, 'market.midPrice') / inst.tickUnits,
          startMs: this.clock.nowMs(),
          stepMs: market.stepMs,
          levels: market.levels,
          tradeProbability: market.tradeProbability,
        }),
      )
    }
  }

  // ------------------------------------------------------------------ knobs

  /** Every session cookie expires now (private calls answer 401 / code 1000 until a new login). */
  expireSessions(): void {
    for (const s of this.sessions.values()) s.expiresAtMs = 0
  }

  disconnectAll(): void {
    for (const conn of [...this.connections]) conn.transport.terminate()
  }

  subAccountOf(apiKey: string): string {
    const a = this.accountsByKey.get(apiKey)
    if (!a) throw new InvalidEmulatorConfigError({ field: 'apiKey', reason: 'unknown API key' })
    return a.subAccountId
  }

  // ------------------------------------------------------------------ time

  tick(): void {
    const now = this.clock.nowMs()
    for (const driver of this.drivers) driver.advance(now)
    for (const inst of this.engine.instruments()) this.engine.flushBook(inst.symbol)
    for (const [accountId, deadline] of this.codDeadlines) {
      if (now < deadline) continue
      this.codDeadlines.delete(accountId)
      this.engine.cancelAll(accountId)
    }
  }

  close(): void {
    this.disconnectAll()
  }

  // ------------------------------------------------------------------ HTTP

  /** `POST /auth/api_key/login`: returns the cookie and account id headers, or a 401. */
  login(body: unknown): { status: number; headers: Record<string, string>; body: unknown } {
    const apiKey = (body as { api_key?: unknown } | null)?.api_key
    const account = typeof apiKey === 'string' ? this.accountsByKey.get(apiKey) : undefined
    if (!account) return { status: 401, headers: {}, body: { code: 1000, message: 'Invalid API key', status: 401 } }
    const session = createHash('sha256')
      .update(`${this.seed}:session:${++this.sessionCounter}`)
      .digest('hex')
    const expiresAtMs = this.clock.nowMs() + this.sessionTtlMs
    this.sessions.set(session, { accountId: account.accountId, expiresAtMs })
    return {
      status: 200,
      headers: {
        'set-cookie': `gravity=${session}; Path=/; Expires=${new Date(expiresAtMs).toUTCString()}; HttpOnly; Secure`,
        'x-grvt-account-id': account.accountId,
      },
      body: { status: 'success' },
    }
  }

  /** The account of a request's `Cookie: gravity=…` + `X-Grvt-Account-Id`, or undefined. */
  sessionAccount(cookie: string | undefined, accountIdHeader: string | undefined): string | undefined {
    const match = /(?:^|;\s*)gravity=([0-9a-f]+)/.exec(cookie ?? '')
    const s = match ? this.sessions.get(match[1] ?? '') : undefined
    if (!s || s.expiresAtMs <= this.clock.nowMs() || s.accountId !== accountIdHeader) return undefined
    return s.accountId
  }

  /** `POST /full/v1/<name>`. */
  handleFull(name: string, body: unknown, accountId: string | undefined): { status: number; body: unknown } {
    try {
      const p = (body ?? {}) as Record<string, unknown>
      const result = this.dispatch(name, p, accountId)
      return { status: 200, body: { result } }
    } catch (error) {
      if (error instanceof GrvtRejectionError)
        return {
          status: error.httpStatus,
          body: { code: error.grvtCode, message: error.grvtMessage, status: error.httpStatus },
        }
      this.onInternalError(error)
      return { status: 500, body: { code: 1001, message: 'Internal error', status: 500 } }
    }
  }

  private dispatch(name: string, p: Record<string, unknown>, accountId: string | undefined): unknown {
    switch (name) {
      case 'instrument':
        return this.instrumentInfo(this.instrumentOf(p.instrument))
      case 'all_instruments':
      case 'instruments':
        return this.engine.instruments().map((i) => this.instrumentInfo(i))
      case 'book':
        return this.book(this.instrumentOf(p.instrument), Number(p.depth ?? 10))
    }
    if (accountId === undefined)
      throw grvtReject(1000, 'You need to authenticate prior to using this functionality', 401)
    const account = this.accountsById.get(accountId)
    if (!account) throw grvtReject(1000, 'Unknown account', 401)
    if (p.sub_account_id !== undefined && String(p.sub_account_id) !== account.subAccountId)
      throw grvtReject(1001, 'You are not authorized to access this functionality', 403)
    switch (name) {
      case 'create_order':
        return this.createOrder(account, p.order)
      case 'cancel_order': {
        const order = this.findOrder(account, p)
        if (!order || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED'))
          throw grvtReject(3021, 'Order not found', 400)
        this.engine.cancelOrder(account.accountId, order.orderId)
        return { ack: true }
      }
      case 'cancel_all_orders':
        return this.engine.cancelAll(account.accountId).length
      case 'open_orders':
        return this.engine.listOpenOrders(account.accountId).map((o) => this.formatOrder(o))
      case 'order': {
        const order = this.findOrder(account, p)
        if (!order) throw grvtReject(3021, 'Order not found', 400)
        return this.formatOrder(order)
      }
      case 'positions':
        return this.engine
          .instruments()
          .map((i) => this.formatPosition(account, i))
          .filter(
            (x) => x.size !== '0' && x.size !== formatScaled(0n, this.engine.instrument(x.instrument).qtyDecimals),
          )
      case 'account_summary': {
        const m = this.engine.marginSummary(account.accountId, 'USDT')
        return {
          event_time: String(BigInt(this.clock.nowMs()) * 1_000_000n),
          sub_account_id: account.subAccountId,
          margin_type: 'SIMPLE_CROSS_MARGIN',
          settle_currency: 'USDT',
          unrealized_pnl: formatScaled(m.unrealizedPnlE8, 8),
          total_equity: formatScaled(m.walletBalanceE8 + m.unrealizedPnlE8, 8),
          initial_margin: formatScaled(m.positionInitialMarginE8 + m.openOrderInitialMarginE8, 8),
          maintenance_margin: formatScaled(m.maintMarginE8, 8),
          available_balance: formatScaled(m.availableBalanceE8, 8),
          spot_balances: [{ currency: 'USDT', balance: formatScaled(m.walletBalanceE8, 8), index_price: '1' }],
          positions: this.engine.instruments().map((i) => this.formatPosition(account, i)),
        }
      }
      case 'cancel_on_disconnect': {
        const countdown = Number(p.countdown_time ?? 0)
        if (!Number.isInteger(countdown) || countdown < 0 || countdown > 300_000)
          throw grvtReject(1004, 'countdown_time must be an integer in [0, 300000]', 400)
        if (countdown <= 1000) this.codDeadlines.delete(account.accountId)
        else this.codDeadlines.set(account.accountId, this.clock.nowMs() + countdown)
        return { ack: true }
      }
      default:
        throw grvtReject(1004, `Unknown endpoint ${name}`, 404)
    }
  }

  private findOrder(account: Account, p: Record<string, unknown>): Readonly<EngineOrder> | undefined {
    if (p.order_id !== undefined) {
      const order = this.engine.getOrder(Number(BigInt(String(p.order_id))))
      return order && order.accountId === account.accountId ? order : undefined
    }
    const orderId = this.latestByClientId.get(`${account.accountId}|${String(p.client_order_id ?? '')}`)
    return orderId === undefined ? undefined : this.engine.getOrder(orderId)
  }

  private createOrder(account: Account, raw: unknown): unknown {
    const o = (raw ?? {}) as Record<string, unknown>
    const legs = Array.isArray(o.legs) ? (o.legs as Array<Record<string, unknown>>) : []
    const leg = legs[0]
    if (legs.length !== 1 || !leg) throw grvtReject(1004, 'exactly one leg is supported', 400)
    const inst = this.instrumentOf(leg.instrument)
    const meta = this.hashes.get(inst.symbol)
    if (!meta) throw grvtReject(1004, 'unknown instrument', 400)
    const sig = (o.signature ?? {}) as Record<string, unknown>
    const metadata = (o.metadata ?? {}) as Record<string, unknown>
    const clientOrderId = String(metadata.client_order_id ?? '')
    if (!/^\d+$/.test(clientOrderId) || BigInt(clientOrderId) > UINT64_MAX)
      throw grvtReject(2011, 'client_order_id is required (uint64)', 400)
    const tif = TIF[String(o.time_in_force)]
    if (!tif) throw grvtReject(2030, 'invalid time_in_force', 400)
    const postOnly = o.post_only === true
    if (postOnly && tif.code !== 1 && tif.code !== 2)
      throw grvtReject(2031, 'post_only needs GOOD_TILL_TIME or ALL_OR_NONE', 400)
    // --- signature
    if (
      typeof sig.r !== 'string' ||
      typeof sig.s !== 'string' ||
      !/^0x[0-9a-fA-F]{64}$/.test(sig.r) ||
      !/^0x[0-9a-fA-F]{64}$/.test(sig.s)
    )
      throw grvtReject(2006, 'signature r/s must be 32 bytes', 400)
    if (sig.v !== 27 && sig.v !== 28) throw grvtReject(2005, 'signature v must be 27 or 28', 400)
    if (sig.chain_id !== undefined && String(sig.chain_id) !== String(this.chainId))
      throw grvtReject(1012, 'bad chain id', 400)
    const expiration = BigInt(String(sig.expiration ?? '0'))
    const nowNs = BigInt(this.clock.nowMs()) * 1_000_000n
    if (expiration <= nowNs) throw grvtReject(2001, 'signature expired', 400)
    const nonce = Number(sig.nonce)
    if (!Number.isInteger(nonce) || nonce < 0 || nonce > 0xffffffff) throw grvtReject(2002, 'nonce must be uint32', 400)
    const size = String(leg.size ?? '')
    const price = String(leg.limit_price ?? '')
    const message = {
      subAccountID: BigInt(String(o.sub_account_id)),
      isMarket: o.is_market === true,
      timeInForce: tif.code,
      postOnly,
      reduceOnly: o.reduce_only === true,
      legs: [
        {
          assetID: meta.hash,
          contractSize: truncate(size, meta.baseDecimals),
          limitPrice: truncate(price, 9),
          isBuyingContract: leg.is_buying_asset === true,
        },
      ],
      nonce,
      expiration,
    }
    let recovered: string
    try {
      recovered = recoverGrvtOrderSigner(message, this.chainId, { r: sig.r, s: sig.s, v: sig.v })
    } catch {
      throw grvtReject(2002, 'signature does not match the payload', 400)
    }
    if (recovered.toLowerCase() !== String(sig.signer).toLowerCase())
      throw grvtReject(2002, 'signature does not match the payload', 400)
    if (!account.signers.has(recovered.toLowerCase()))
      throw grvtReject(2000, 'signer is not authorized for the sub account', 400)
    if (String(o.sub_account_id) !== account.subAccountId) throw grvtReject(2003, 'sub account mismatch', 400)
    // --- grid
    let lots: bigint
    let priceTicks: bigint
    try {
      const units = parseScaled(size, inst.qtyDecimals, 'size')
      const pUnits = parseScaled(price, inst.priceDecimals, 'limit_price')
      if (units % inst.stepUnits !== 0n) throw grvtReject(2065, 'size too granular', 400)
      if (pUnits % inst.tickUnits !== 0n) throw grvtReject(2064, 'price not on the tick', 400)
      lots = units / inst.stepUnits
      priceTicks = pUnits / inst.tickUnits
    } catch (error) {
      if (error instanceof GrvtRejectionError) throw error
      throw grvtReject(2065, 'size or price too granular', 400)
    }
    if (lots <= 0n) throw grvtReject(2062, 'size below minimum', 400)
    const existingId = this.latestByClientId.get(`${account.accountId}|${clientOrderId}`)
    const existing = existingId === undefined ? undefined : this.engine.getOrder(existingId)
    if (existing && (existing.status === 'NEW' || existing.status === 'PARTIALLY_FILLED'))
      throw grvtReject(2012, 'client_order_id overlaps an active order', 400)
    this.pendingExtra = { clientOrderId, postOnly, signature: o.signature }
    const result = this.engine.placeOrder({
      accountId: account.accountId,
      symbol: inst.symbol,
      side: leg.is_buying_asset === true ? 'BUY' : 'SELL',
      type: o.is_market === true ? 'MARKET' : 'LIMIT',
      timeInForce: postOnly ? 'GTX' : tif.engine,
      priceTicks: o.is_market === true ? null : priceTicks,
      lots,
      clientOrderId: `${clientOrderId}#${this.orderIdCounter}`,
      reduceOnly: o.reduce_only === true,
    })
    this.pendingExtra = undefined
    if (!result.ok) {
      // GRVT answers with the order in state REJECTED and its reason
      const rejected = {
        order_id: '0x0',
        sub_account_id: account.subAccountId,
        is_market: o.is_market === true,
        time_in_force: o.time_in_force,
        post_only: postOnly,
        reduce_only: o.reduce_only === true,
        legs,
        signature: o.signature,
        metadata: { client_order_id: clientOrderId, create_time: String(nowNs) },
        state: {
          status: 'REJECTED',
          reject_reason: result.reason === 'POST_ONLY_WOULD_TAKE' ? 'FAIL_POST_ONLY' : result.reason,
          book_size: ['0'],
          traded_size: ['0'],
          update_time: String(nowNs),
          avg_fill_price: ['0'],
        },
      }
      return rejected
    }
    this.latestByClientId.set(`${account.accountId}|${clientOrderId}`, result.order.orderId)
    return this.formatOrder(result.order)
  }

  private instrumentOf(name: unknown): Instrument {
    if (typeof name !== 'string' || !this.engine.hasSymbol(name)) throw grvtReject(1004, 'unknown instrument', 400)
    return this.engine.instrument(name)
  }

  private instrumentInfo(i: Instrument): Record<string, unknown> {
    const meta = this.hashes.get(i.symbol)
    return {
      instrument: i.symbol,
      instrument_hash: `0x${(meta?.hash ?? 0n).toString(16).padStart(6, '0')}`,
      base: i.baseAsset,
      quote: i.quoteAsset,
      kind: 'PERPETUAL',
      venues: ['ORDERBOOK', 'RFQ'],
      settlement_period: 'PERPETUAL',
      base_decimals: meta?.baseDecimals ?? 9,
      quote_decimals: 6,
      tick_size: i.tickSize,
      min_size: i.stepSize,
      min_block_trade_size: i.stepSize,
      max_position_size: i.maxQty,
      min_notional: '0',
      create_time: '1700000000000000000',
      funding_interval_hours: 8,
    }
  }

  private book(inst: Instrument, depth: number): Record<string, unknown> {
    const snap = this.engine.snapshot(inst.symbol, depth)
    return {
      event_time: String(BigInt(this.clock.nowMs()) * 1_000_000n),
      instrument: inst.symbol,
      bids: snap.bids.map(([t, l]) => this.level(inst, t, l)),
      asks: snap.asks.map(([t, l]) => this.level(inst, t, l)),
    }
  }

  private level(inst: Instrument, ticks: bigint, lots: bigint): { price: string; size: string; num_orders: number } {
    return {
      price: formatScaled(ticks * inst.tickUnits, inst.priceDecimals),
      size: formatScaled(lots * inst.stepUnits, inst.qtyDecimals),
      num_orders: lots === 0n ? 0 : 1,
    }
  }

  private formatOrder(order: Readonly<EngineOrder>): Record<string, unknown> {
    const inst = this.engine.instrument(order.symbol)
    const extra = this.orderExtra.get(order.orderId)
    const status =
      order.status === 'FILLED'
        ? 'FILLED'
        : order.status === 'CANCELED' || order.status === 'EXPIRED'
          ? 'CANCELLED'
          : 'OPEN'
    const avg =
      order.executedLots === 0n
        ? 0n
        : (order.cumQuoteE8 * 10n ** BigInt(inst.qtyDecimals)) / (order.executedLots * inst.stepUnits)
    const account = this.accountsById.get(order.accountId)
    return {
      order_id: `0x${order.orderId.toString(16)}`,
      sub_account_id: account?.subAccountId ?? '',
      is_market: order.type === 'MARKET',
      time_in_force:
        order.timeInForce === 'IOC'
          ? 'IMMEDIATE_OR_CANCEL'
          : order.timeInForce === 'FOK'
            ? 'FILL_OR_KILL'
            : 'GOOD_TILL_TIME',
      post_only: extra?.postOnly ?? false,
      reduce_only: order.reduceOnly,
      legs: [
        {
          instrument: inst.symbol,
          size: formatScaled(order.origLots * inst.stepUnits, inst.qtyDecimals),
          limit_price:
            order.priceTicks === null ? '0' : formatScaled(order.priceTicks * inst.tickUnits, inst.priceDecimals),
          is_buying_asset: order.side === 'BUY',
        },
      ],
      signature: extra?.signature ?? {},
      metadata: {
        client_order_id: extra?.clientOrderId ?? order.clientOrderId,
        create_time: String(BigInt(order.createdTsMs) * 1_000_000n),
      },
      state: {
        status,
        reject_reason: 'UNSPECIFIED',
        book_size: [
          formatScaled(
            (status === 'OPEN' ? order.origLots - order.executedLots : 0n) * inst.stepUnits,
            inst.qtyDecimals,
          ),
        ],
        traded_size: [formatScaled(order.executedLots * inst.stepUnits, inst.qtyDecimals)],
        update_time: String(BigInt(order.updatedTsMs) * 1_000_000n),
        avg_fill_price: [formatScaled(avg, 8)],
      },
    }
  }

  private formatPosition(
    account: Account,
    inst: Instrument,
  ): { instrument: string; size: string } & Record<string, unknown> {
    const v = this.engine.positionView(account.accountId, inst.symbol)
    const abs = v.lots < 0n ? -v.lots : v.lots
    const cost = v.entryCostE8 < 0n ? -v.entryCostE8 : v.entryCostE8
    const entry = abs === 0n ? 0n : (cost * 10n ** BigInt(inst.qtyDecimals)) / (abs * inst.stepUnits)
    return {
      event_time: String(BigInt(this.clock.nowMs()) * 1_000_000n),
      sub_account_id: account.subAccountId,
      instrument: inst.symbol,
      size: formatScaled(v.lots * inst.stepUnits, inst.qtyDecimals),
      notional: formatScaled(v.notionalE8, 8),
      entry_price: formatScaled(entry, 8),
      mark_price: formatScaled(v.markPriceE8, 8),
      unrealized_pnl: formatScaled(v.unrealizedPnlE8, 8),
      realized_pnl: formatScaled(v.cumRealizedPnlE8, 8),
      total_pnl: formatScaled(v.unrealizedPnlE8 + v.cumRealizedPnlE8, 8),
      leverage: String(v.leverage),
    }
  }

  // ------------------------------------------------------------------ WebSocket

  openConnection(transport: GrvtTransport, accountId: string | undefined): GrvtConnection {
    const conn = new GrvtConnection(transport, accountId)
    this.connections.add(conn)
    return conn
  }

  closeConnection(conn: GrvtConnection): void {
    conn.closed = true
    this.connections.delete(conn)
    this.held.delete(conn)
  }

  handleFrame(conn: GrvtConnection, text: string): void {
    let req: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      req = parsed as Record<string, unknown>
    } catch {
      this.send(conn, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
      return
    }
    const id = req.id ?? null
    const params = (req.params ?? {}) as Record<string, unknown>
    if (req.method !== 'subscribe' && req.method !== 'unsubscribe') {
      this.send(conn, { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } })
      return
    }
    const stream = String(params.stream ?? '')
    const selectors = Array.isArray(params.selectors) ? params.selectors.map(String) : []
    if (req.method === 'unsubscribe') {
      for (const s of selectors) conn.subs.delete(`${stream}|${s}`)
      this.send(conn, { jsonrpc: '2.0', id, result: { stream, subs: [], unsubs: selectors } })
      return
    }
    const isPrivate = ['v1.order', 'v1.fill', 'v1.position'].includes(stream)
    if (isPrivate && conn.accountId === undefined) {
      this.send(conn, {
        jsonrpc: '2.0',
        id,
        error: { code: 1000, message: 'You need to authenticate prior to using this functionality' },
      })
      return
    }
    if (!isPrivate && stream !== 'v1.book.d' && stream !== 'v1.trade') {
      this.send(conn, { jsonrpc: '2.0', id, error: { code: 1004, message: `unknown stream ${stream}` } })
      return
    }
    const snapshots: Sub[] = []
    for (const selector of selectors) {
      const instrument = selector.split('@')[0]
      const sub: Sub = {
        stream,
        selector,
        seq: 0,
        instrument: isPrivate ? undefined : instrument,
        live: stream !== 'v1.book.d',
      }
      conn.subs.set(`${stream}|${selector}`, sub)
      if (stream === 'v1.book.d') snapshots.push(sub)
    }
    this.send(conn, {
      jsonrpc: '2.0',
      id,
      result: {
        stream,
        subs: selectors,
        unsubs: [],
        num_snapshots: snapshots.map(() => 1),
        first_sequence_number: snapshots.map(() => '0'),
      },
    })
    queueMicrotask(() => {
      for (const sub of snapshots) {
        if (!sub.instrument || !this.engine.hasSymbol(sub.instrument)) continue
        this.engine.flushBook(sub.instrument)
        const inst = this.engine.instrument(sub.instrument)
        sub.seq = 0
        sub.live = true
        this.send(conn, {
          stream: sub.stream,
          selector: sub.selector,
          sequence_number: '0',
          feed: this.book(inst, 100_000),
        })
      }
    })
  }

  private send(conn: GrvtConnection, frame: unknown): void {
    if (!conn.closed) conn.transport.send(JSON.stringify(frame))
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.kind === 'trade') {
      const inst = this.engine.instrument(event.symbol)
      const price = formatScaled(event.priceTicks * inst.tickUnits, inst.priceDecimals)
      const feed = {
        event_time: String(BigInt(event.tsMs) * 1_000_000n),
        instrument: event.symbol,
        is_taker_buyer: event.takerSide === 'BUY',
        size: formatScaled(event.lots * inst.stepUnits, inst.qtyDecimals),
        price,
        mark_price: price,
        index_price: price,
        interest_rate: '0',
        forward_price: price,
        trade_id: String(event.tradeId),
        venue: 'ORDERBOOK',
        is_rpi: false,
      }
      for (const conn of this.connections)
        for (const sub of conn.subs.values()) {
          if (sub.stream !== 'v1.trade' || sub.instrument !== event.symbol) continue
          sub.seq += 1
          this.send(conn, { stream: sub.stream, selector: sub.selector, sequence_number: String(sub.seq), feed })
        }
      return
    }
    if (event.kind === 'bookDelta') {
      const inst = this.engine.instrument(event.symbol)
      const decision = this.faults.nextDepthDecision()
      const feed = {
        event_time: String(BigInt(event.tsMs) * 1_000_000n),
        instrument: event.symbol,
        bids: event.bids.map(([t, l]) => this.level(inst, t, l)),
        asks: event.asks.map(([t, l]) => this.level(inst, t, l)),
      }
      for (const conn of this.connections) {
        for (const sub of conn.subs.values()) {
          if (sub.stream !== 'v1.book.d' || sub.instrument !== event.symbol || !sub.live) continue
          sub.seq += 1
          const frame = JSON.stringify({
            stream: sub.stream,
            selector: sub.selector,
            sequence_number: String(sub.seq),
            prev_sequence_number: String(sub.seq - 1),
            feed,
          })
          if (decision === 'drop') continue
          const heldForConn = this.held.get(conn) ?? new Map<string, string>()
          this.held.set(conn, heldForConn)
          if (decision === 'reorder' && !heldForConn.has(sub.selector)) {
            heldForConn.set(sub.selector, frame)
            continue
          }
          const frames = decision === 'duplicate' ? [frame, frame] : [frame]
          const h = heldForConn.get(sub.selector)
          if (h !== undefined) {
            frames.push(h)
            heldForConn.delete(sub.selector)
          }
          for (const f of frames) conn.transport.send(this.faults.malform(f) ?? f)
        }
      }
      return
    }
    if (event.kind === 'order') {
      const order = event.order
      if (event.execType === 'NEW' && this.pendingExtra && !this.orderExtra.has(order.orderId))
        this.orderExtra.set(order.orderId, this.pendingExtra)
      const account = this.accountsById.get(order.accountId)
      if (!account) return
      this.publishPrivate(account, 'v1.order', order.symbol, this.formatOrder(order))
      if (event.fill)
        this.publishPrivate(account, 'v1.fill', order.symbol, this.formatFill(order, event.fill, event.tsMs))
      if (event.fill)
        this.publishPrivate(
          account,
          'v1.position',
          order.symbol,
          this.formatPosition(account, this.engine.instrument(order.symbol)),
        )
    }
  }

  private formatFill(order: Readonly<EngineOrder>, fill: Fill, tsMs: number): Record<string, unknown> {
    const inst = this.engine.instrument(order.symbol)
    const extra = this.orderExtra.get(order.orderId)
    return {
      event_time: String(BigInt(tsMs) * 1_000_000n),
      sub_account_id: this.accountsById.get(order.accountId)?.subAccountId ?? '',
      instrument: inst.symbol,
      is_buyer: order.side === 'BUY',
      is_taker: !fill.isMaker,
      size: formatScaled(fill.lots * inst.stepUnits, inst.qtyDecimals),
      price: formatScaled(fill.priceTicks * inst.tickUnits, inst.priceDecimals),
      fee: formatScaled(fill.feeE8, 8),
      fee_rate: '0',
      trade_id: String(fill.tradeId),
      order_id: `0x${order.orderId.toString(16)}`,
      venue: 'ORDERBOOK',
      client_order_id: extra?.clientOrderId ?? order.clientOrderId,
    }
  }

  private publishPrivate(account: Account, stream: string, instrument: string, feed: unknown): void {
    for (const conn of this.connections) {
      if (conn.accountId !== account.accountId) continue
      for (const sub of conn.subs.values()) {
        if (sub.stream !== stream) continue
        if (sub.selector !== account.subAccountId && sub.selector !== `${account.subAccountId}-${instrument}`) continue
        sub.seq += 1
        this.send(conn, { stream, selector: sub.selector, sequence_number: String(sub.seq), feed })
      }
    }
  }
}

/** trunc(value × 10^decimals) for a non-negative decimal string (GRVT truncates excess digits). */
function truncate(value: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value)
  if (!match) throw grvtReject(1004, `"${value}" is not a decimal`, 400)
  const fraction = (match[2] ?? '').slice(0, decimals).padEnd(decimals, '0')
  return BigInt(`${match[1]}${fraction}`)
}
