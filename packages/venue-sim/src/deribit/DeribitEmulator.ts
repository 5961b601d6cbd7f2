import { createHash } from 'node:crypto'
import { FaultController, type FaultSettings } from '../binance/FaultController.js'
import { resolveRequestClock } from '../clock/resolveRequestClock.js'
import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { DeribitRejectionError, deribitReject } from '../errors/deribit.js'
import { EngineHistory, type RecordedFill, type RecordedTrade } from '../internal/EngineHistory.js'
import { createMarketDriver, type MarketConfig } from '../matching/createMarketDriver.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { MarketDriver } from '../matching/MarketDriver.js'
import { type MarginSummary, MatchingEngine } from '../matching/MatchingEngine.js'
import { parseScaled } from '../matching/parseScaled.js'
import type { Clock, EngineEvent, EngineOrder, Fill, Instrument, Side } from '../matching/types.js'
import {
  amountNumber,
  type DeribitOrderMeta,
  e8Number,
  formatDeribitAccountSummary,
  formatDeribitOrder,
  formatDeribitPosition,
  formatDeribitUserTrade,
  parseOrderId,
  priceNumber,
} from './formatDeribit.js'
import { formatDeribitInversePosition, type InverseMarginsE8 } from './formatDeribitInversePosition.js'
import { InverseLedger, inverseUnrealizedE8, usdToCoinE8 } from './InverseLedger.js'
import { type DeribitInverseTerms, INVERSE_QUOTE_ASSET, toDeribitInstrumentSpec } from './toDeribitInstrumentSpec.js'
import { verifyDeribitSignature } from './verifyDeribitSignature.js'

export type DeribitAccountConfig = {
  clientId: string
  clientSecret: string
  /** Wallet per currency, decimal strings, e.g. { USDC: "100000" }. */
  balances: Record<string, string>
}

/**
 * A linear (USDC-settled) perpetual such as `BTC_USDC-PERPETUAL` (amounts in base coin), or an inverse perpetual or
 * dated future such as `BTC-PERPETUAL` / `BTC-27DEC24` (amounts in USD, margin, PnL and fees in the coin).
 */
export type DeribitInstrumentConfig = {
  instrumentName: string
  /** Default "0.5". */
  tickSize?: string | undefined
  /** Linear only: min_trade_amount / amount step in base coin. Default "0.001". */
  stepSize?: string | undefined
  /** Inverse only: USD per contract, a whole number (Deribit: 10 for BTC, 1 for ETH). Default 10 for BTC, else 1. */
  contractSize?: string | undefined
  makerFeePpm?: number | undefined
  takerFeePpm?: number | undefined
  leverage?: number | undefined
}

/**
 * The emulator's market: `none`, `simulated`, `klines` or `replay` (see `MarketConfig`) on `instrumentName` (or `symbol`;
 * default the first instrument). On an inverse instrument data sizes in the coin become USD contracts at the print's price.
 */
export type DeribitMarketConfig = MarketConfig & { instrumentName?: string | undefined }

/** Request-credit pool of Deribit's leaky bucket (per account). Exhausting it answers 10028 and closes the session. */
export type DeribitCreditLimits = {
  poolCredits: number
  refillCreditsPerSec: number
  /** Cost of a non-matching-engine request. */
  requestCost: number
  /** Cost of buy/sell/edit/cancel. */
  matchingEngineCost: number
}

export type DeribitEmulatorOptions = {
  /**
   * Default ["BTC_USDC-PERPETUAL"]. Linear perpetuals (`BASE_QUOTE-PERPETUAL`) and inverse perpetuals / dated futures
   * (`BASE-PERPETUAL`, `BASE-DMMMYY`); dated futures list their expiry but are not settled by the emulator.
   */
  instruments?: Array<string | DeribitInstrumentConfig> | undefined
  accounts: DeribitAccountConfig[]
  market?: DeribitMarketConfig | undefined
  faults?: FaultSettings | undefined
  seed?: number | undefined
  clock?: Clock | undefined
  /**
   * The clock requests are checked against (auth timestamps, tokens, `valid_until`, credits, heartbeats, `get_time`);
   * the envelopes' usIn/usOut are on `clock`, as the trades. Default: the wall clock of a replay clock, otherwise `clock` (see `resolveRequestClock`).
   */
  requestClock?: Clock | undefined
  /** Access-token lifetime (s). Default 900 (Deribit's). */
  tokenTtlSec?: number | undefined
  credits?: Partial<DeribitCreditLimits> | undefined
  /**
   * Funding rate per 8 h of each perpetual, decimal strings (e.g. { "BTC-PERPETUAL": "0.0001" }). Default "0". Reported
   * by ticker / get_book_summary_* (`funding_8h`, `current_funding`) and public/get_funding_rate_value; not charged.
   */
  fundingRates?: Record<string, string> | undefined
  onInternalError?: ((error: unknown) => void) | undefined
}

/** The transport side of one WebSocket connection. */
export type DeribitTransport = { send(text: string): void; terminate(): void }

type Account = { clientId: string; clientSecret: string; accountId: string; credits: number; lastRefillMs: number }

type Token = { accountId: string; expiresAtMs: number; refreshToken: string; connection: DeribitConnection | undefined }

/** State of one client connection. */
export class DeribitConnection {
  accountId: string | undefined
  readonly channels = new Set<string>()
  /** Book channels subscribed but not yet snapshotted: changes flushed in between are not sent. */
  readonly awaitingSnapshot = new Set<string>()
  cancelOnDisconnect = false
  readonly createdOrderIds = new Set<number>()
  heartbeatIntervalMs = 0
  nextTestRequestMs = 0
  awaitingTest = false
  closed = false
  constructor(
    readonly id: number,
    readonly transport: DeribitTransport,
  ) {}
}

const DEFAULT_CREDITS: DeribitCreditLimits = {
  poolCredits: 50_000,
  refillCreditsPerSec: 10_000,
  requestCost: 500,
  matchingEngineCost: 500,
}
/** Size of the inverse per-order maps above which orders the engine has forgotten are swept out. */
const INVERSE_SWEEP_THRESHOLD = 50_000
const MATCHING_ENGINE_METHODS = new Set([
  'private/buy',
  'private/sell',
  'private/edit',
  'private/cancel',
  'private/cancel_all',
  'private/cancel_all_by_instrument',
  'private/cancel_by_label',
])

/**
 * State of one Deribit emulator: the shared matching engine, accounts and tokens, connections with their subscriptions,
 * heartbeats and cancel-on-disconnect, request credits and fault knobs. Transport-free: `startDeribitEmulator` serves
 * it over WebSocket (`/ws/api/v2`) and HTTP (`/api/v2/<method>`).
 */
export class DeribitEmulator {
  readonly engine: MatchingEngine
  readonly faults: FaultController
  readonly clock: Clock
  /** Clock of request checks (see `resolveRequestClock`). */
  readonly requestClock: Clock
  readonly drivers: MarketDriver[] = []
  private readonly accountsByClientId = new Map<string, Account>()
  private readonly accountsById = new Map<string, Account>()
  private readonly tokens = new Map<string, Token>()
  private readonly refreshTokens = new Map<string, string>()
  private readonly connections = new Set<DeribitConnection>()
  private readonly meta = new Map<number, DeribitOrderMeta>()
  /** Inverse instruments by name, and their coin-margined ledger. */
  private readonly inverse = new Map<string, DeribitInverseTerms>()
  private readonly ledger = new InverseLedger()
  /** Inverse fills: fee and realized PnL (10^-8 coin) by `orderId:tradeId` (maker and taker share a trade id). */
  private readonly inverseFills = new Map<string, { feeE8: bigint; realizedE8: bigint }>()
  /** Inverse orders: coin value of their fills (10^-16 coin) for the harmonic average price. */
  private readonly inverseOrderCoinE16 = new Map<number, bigint>()
  private readonly orderConnection = new Map<number, DeribitConnection>()
  private readonly codAccounts = new Set<string>()
  private readonly lastChangeId = new Map<string, number>()
  private readonly heldBook = new Map<string, string>()
  /** What was traded (tape, fills, closed orders) for the history methods. */
  readonly history: EngineHistory
  /** Funding rate per 8 h, 1e-8 units, by instrument. */
  private readonly fundingRateE8 = new Map<string, bigint>()
  /** One entry per instrument and hour the clock passed (public/get_funding_rate_history), oldest first. */
  private readonly fundingLog: Array<{
    instrument: string
    timestamp: number
    rateE8: bigint
    indexPrice: number
    prevIndexPrice: number
  }> = []
  private lastFundingHour = 0
  private readonly credits: DeribitCreditLimits
  private readonly tokenTtlMs: number
  private readonly onInternalError: (error: unknown) => void
  private orderIdCounter = 1_000_000
  private tradeIdCounter = 1
  private connectionCounter = 0
  private tokenCounter = 0
  private autoLabelCounter = 0
  /** Every access and refresh token issued so far (tests check that clients never print them). */
  private readonly issued: string[] = []
  /** Number of `refresh_token` grants served (lets tests see that clients refresh before expiry). */
  refreshGrantCount = 0
  private readonly seed: number
  /** Never answer the next N private requests (executed when valid, or rejected silently; the client times out). */
  swallowNextPrivateResponses = 0
  /** Answer the next N private requests with this error (fault knob). */
  private errorNext: { count: number; code: number; message: string } = { count: 0, code: 0, message: '' }

  constructor(options: DeribitEmulatorOptions) {
    this.clock = options.clock ?? { nowMs: () => Date.now() }
    this.requestClock = resolveRequestClock(this.clock, options.requestClock)
    this.seed = options.seed ?? 1
    this.faults = new FaultController(this.seed, options.faults)
    this.credits = { ...DEFAULT_CREDITS, ...options.credits }
    this.tokenTtlMs = (options.tokenTtlSec ?? 900) * 1000
    this.onInternalError = options.onInternalError ?? ((error) => console.error('[deribit-emulator]', error))
    const resolved = (options.instruments ?? ['BTC_USDC-PERPETUAL']).map(toDeribitInstrumentSpec)
    const specs = resolved.map((r) => r.spec)
    for (const r of resolved) if (r.inverse) this.inverse.set(r.spec.symbol, r.inverse)
    const coins = new Set([...this.inverse.values()].map((t) => t.coin))
    this.engine = new MatchingEngine({
      clock: this.clock,
      ids: { nextOrderId: () => this.orderIdCounter++, nextTradeId: () => this.tradeIdCounter++ },
      instruments: specs,
    })
    options.accounts.forEach((a, i) => {
      // checked here so a bad secret never reaches HMAC code whose errors would print the value
      for (const field of ['clientId', 'clientSecret'] as const)
        if (typeof a[field] !== 'string' || a[field].length === 0)
          throw new InvalidEmulatorConfigError({
            field: `accounts[${i}].${field}`,
            reason: 'must be a non-empty string',
          })
      if (this.accountsByClientId.has(a.clientId))
        throw new InvalidEmulatorConfigError({ field: `accounts[${i}].clientId`, reason: 'duplicate client id' })
      const account: Account = {
        clientId: a.clientId,
        clientSecret: a.clientSecret,
        accountId: `deribit-${i}`,
        credits: this.credits.poolCredits,
        lastRefillMs: this.requestClock.nowMs(),
      }
      const balances: Record<string, bigint> = {}
      for (const [asset, value] of Object.entries(a.balances))
        balances[asset] = parseScaled(value, 8, `accounts[${i}].balances.${asset}`)
      // Inverse sizes are booked by the engine against an unlimited internal USD balance; the real margin check,
      // wallet and PnL are in coin (InverseLedger).
      if (this.inverse.size > 0) balances[INVERSE_QUOTE_ASSET] = 10n ** 20n
      for (const coin of coins) this.ledger.setWallet(account.accountId, coin, balances[coin] ?? 0n)
      this.engine.addAccount(account.accountId, balances)
      this.accountsByClientId.set(a.clientId, account)
      this.accountsById.set(account.accountId, account)
    })
    for (const spec of specs) this.lastChangeId.set(spec.symbol, this.engine.snapshot(spec.symbol, 0).lastUpdateId)
    this.history = new EngineHistory(this.engine)
    this.lastFundingHour = Math.floor(this.clock.nowMs() / 3_600_000)
    for (const [name, rate] of Object.entries(options.fundingRates ?? {})) {
      if (!this.engine.hasSymbol(name))
        throw new InvalidEmulatorConfigError({ field: `fundingRates.${name}`, reason: `unknown instrument ${name}` })
      this.fundingRateE8.set(name, parseSignedE8(rate, `fundingRates.${name}`))
    }
    this.engine.onEvent((event) => this.onEngineEvent(event))
    const market = options.market
    if (market && market.kind !== 'none') {
      const name = market.instrumentName ?? market.symbol ?? specs[0]?.symbol ?? ''
      if (!this.engine.hasSymbol(name))
        throw new InvalidEmulatorConfigError({ field: 'market.instrumentName', reason: `unknown instrument ${name}` })
      const terms = this.inverse.get(name)
      const driver = createMarketDriver({
        engine: this.engine,
        symbol: name,
        config: market,
        clock: this.clock,
        units: terms ? { kind: 'inverse', contractSizeUsd: terms.contractSizeUsd } : { kind: 'base' },
      })
      if (driver) this.drivers.push(driver)
    }
  }

  // ------------------------------------------------------------------ knobs

  /** Sets the funding rate per 8 h of a perpetual (decimal string, e.g. "0.0001"); reported, not charged. */
  setFundingRate(instrumentName: string, rate8h: string): void {
    if (!this.engine.hasSymbol(instrumentName))
      throw new InvalidEmulatorConfigError({ field: 'instrumentName', reason: `unknown instrument ${instrumentName}` })
    this.fundingRateE8.set(instrumentName, parseSignedE8(rate8h, 'rate8h'))
  }

  /** Every issued access token expires now (the next private request with it gets 13009). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAtMs = 0
  }

  /** Answers the next `count` private requests with `code` (e.g. 10040 retry, 10047 matching_engine_queue_full). */
  failNextPrivateRequests(count: number, code: number, message: string): void {
    this.errorNext = { count, code, message }
  }

  /** Closes every connection without a close frame (cancel-on-disconnect applies). */
  disconnectAll(): void {
    for (const conn of [...this.connections]) conn.transport.terminate()
  }

  /**
   * Closes (without a close frame) every connection authenticated as `clientId`: a drop of that client's trading socket
   * while other connections stay up. Cancel-on-disconnect applies. Returns the number of connections closed.
   */
  disconnectClient(clientId: string): number {
    const accountId = this.accountIdOf(clientId)
    let count = 0
    for (const conn of [...this.connections])
      if (conn.accountId === accountId) {
        conn.transport.terminate()
        count++
      }
    return count
  }

  /**
   * Sends `{"jsonrpc":"2.0","method":"subscription","params":{"channel":…,"data":<dataJson>}}` to every connection
   * subscribed to `channel`, with `dataJson` spliced in as given (not validated), so a test can push frames no venue
   * state would produce: non-finite numbers (`1e999`), wrong types, bad enums, huge or deeply nested values. Returns
   * the number of connections it was sent to.
   */
  injectNotification(channel: string, dataJson: string): number {
    const frame = `{"jsonrpc":"2.0","method":"subscription","params":{"channel":${JSON.stringify(channel)},"data":${dataJson}}}`
    let count = 0
    for (const conn of this.connections)
      if (!conn.closed && conn.channels.has(channel)) {
        conn.transport.send(frame)
        count++
      }
    return count
  }

  /** Every access and refresh token issued so far, oldest first (for tests asserting that no client prints them). */
  issuedTokens(): readonly string[] {
    return [...this.issued]
  }

  /** Account id of a client id (for tests reading the engine). */
  accountIdOf(clientId: string): string {
    const account = this.accountsByClientId.get(clientId)
    if (!account) throw new InvalidEmulatorConfigError({ field: 'clientId', reason: `unknown client id ${clientId}` })
    return account.accountId
  }

  // ------------------------------------------------------------------ time

  /** Advances emulator time: market drivers, book publication, heartbeats. */
  tick(): void {
    const now = this.clock.nowMs()
    for (const driver of this.drivers) driver.advance(now)
    for (const inst of this.engine.instruments()) this.engine.flushBook(inst.symbol)
    this.recordFundingHours(now)
    const requestNow = this.requestClock.nowMs()
    for (const conn of this.connections) {
      if (conn.heartbeatIntervalMs <= 0 || requestNow < conn.nextTestRequestMs) continue
      if (conn.awaitingTest) {
        conn.transport.terminate()
        continue
      }
      conn.awaitingTest = true
      conn.nextTestRequestMs = requestNow + conn.heartbeatIntervalMs
      this.sendFrame(conn, { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } })
    }
  }

  // ------------------------------------------------------------------ connections

  openConnection(transport: DeribitTransport): DeribitConnection {
    const conn = new DeribitConnection(++this.connectionCounter, transport)
    this.connections.add(conn)
    return conn
  }

  /** The socket closed: cancel-on-disconnect cancels the open orders created on this connection. */
  closeConnection(conn: DeribitConnection): void {
    if (conn.closed) return
    conn.closed = true
    this.connections.delete(conn)
    const cod = conn.cancelOnDisconnect || (conn.accountId !== undefined && this.codAccounts.has(conn.accountId))
    if (cod && conn.accountId) {
      for (const orderId of conn.createdOrderIds) {
        const order = this.engine.getOrder(orderId)
        if (!order || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) continue
        const meta = this.meta.get(orderId)
        if (meta) meta.cancelReason = 'cancel_on_disconnect'
        this.engine.cancelOrder(conn.accountId, orderId)
      }
    }
    for (const [token, t] of this.tokens) if (t.connection === conn) this.tokens.delete(token)
  }

  /** Handles one text frame of a connection. */
  handleFrame(conn: DeribitConnection, text: string): void {
    let request: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      request = parsed as Record<string, unknown>
    } catch {
      this.sendFrame(conn, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
      return
    }
    const id = request.id
    const method = request.method
    const params = (request.params ?? {}) as Record<string, unknown>
    if (typeof method !== 'string') {
      this.sendFrame(conn, { jsonrpc: '2.0', id: id ?? null, error: { code: -32600, message: 'Invalid Request' } })
      return
    }
    const usIn = this.clock.nowMs() * 1000
    try {
      const result = this.dispatch(method, params, { conn, httpAccountId: undefined })
      if (method.startsWith('private/') && this.swallowNextPrivateResponses > 0) {
        this.swallowNextPrivateResponses -= 1
        return
      }
      this.sendFrame(conn, this.envelope(id, { result }, usIn))
    } catch (error) {
      if (error instanceof DeribitRejectionError) {
        if (method.startsWith('private/') && this.swallowNextPrivateResponses > 0 && !error.terminatesSession) {
          this.swallowNextPrivateResponses -= 1
          return
        }
        this.sendFrame(
          conn,
          this.envelope(
            id,
            { error: { code: error.deribitCode, message: error.deribitMessage, data: error.data } },
            usIn,
          ),
        )
        if (error.terminatesSession) conn.transport.terminate()
        return
      }
      this.onInternalError(error)
      this.sendFrame(conn, this.envelope(id, { error: { code: 11050, message: 'bad_request' } }, usIn))
    }
  }

  /** Handles an HTTP request `GET|POST /api/v2/<method>`; returns the JSON body and status. */
  handleHttp(
    method: string,
    params: Record<string, unknown>,
    authorization: string | undefined,
    rawPathAndQuery: string,
    httpMethod: string,
    body: string,
  ): { status: number; body: Record<string, unknown> } {
    const usIn = this.clock.nowMs() * 1000
    try {
      let httpAccountId: string | undefined
      if (authorization !== undefined)
        httpAccountId = this.authenticateHttp(authorization, rawPathAndQuery, httpMethod, body)
      const result = this.dispatch(method, params, { conn: undefined, httpAccountId })
      return { status: 200, body: this.envelope(1, { result }, usIn) }
    } catch (error) {
      if (error instanceof DeribitRejectionError) {
        const status = error.deribitCode === 13009 || error.deribitCode === 13004 ? 401 : 400
        return {
          status,
          body: this.envelope(
            undefined,
            {
              error: { code: error.deribitCode, message: error.deribitMessage, data: error.data },
            },
            usIn,
          ),
        }
      }
      this.onInternalError(error)
      return { status: 500, body: this.envelope(undefined, { error: { code: 11050, message: 'bad_request' } }, usIn) }
    }
  }

  close(): void {
    for (const conn of [...this.connections]) conn.transport.terminate()
  }

  // ------------------------------------------------------------------ dispatch

  /**
   * The JSON-RPC envelope. `usIn` / `usOut` (µs) are on the emulator clock, the clock of its trades and orders, as on
   * Deribit where they come from one server clock: a client that stamps a snapshot without a time of its own
   * (`private/get_positions`) with them can order it against the fills' timestamps, also on a replay clock.
   */
  private envelope(id: unknown, body: Record<string, unknown>, usIn: number): Record<string, unknown> {
    const usOut = this.clock.nowMs() * 1000
    return {
      jsonrpc: '2.0',
      ...(id === undefined ? {} : { id }),
      ...body,
      usIn,
      usOut,
      usDiff: usOut - usIn,
      testnet: true,
    }
  }

  private sendFrame(conn: DeribitConnection, frame: unknown): void {
    if (conn.closed) return
    conn.transport.send(JSON.stringify(frame))
  }

  private dispatch(
    method: string,
    params: Record<string, unknown>,
    ctx: { conn: DeribitConnection | undefined; httpAccountId: string | undefined },
  ): unknown {
    if (method.startsWith('private/')) {
      const accountId = this.resolvePrivate(params, ctx)
      this.chargeCredits(accountId, method)
      if (this.errorNext.count > 0) {
        this.errorNext.count -= 1
        throw new DeribitRejectionError({ code: this.errorNext.code, message: this.errorNext.message })
      }
      // Deribit starts a matching-engine request only before its `valid_until` (ms), else 13888 timed_out
      if (MATCHING_ENGINE_METHODS.has(method) && params.valid_until !== undefined) {
        const validUntil = Number(params.valid_until)
        if (!Number.isSafeInteger(validUntil)) throw deribitReject('invalid_params', { param: 'valid_until' })
        if (this.requestClock.nowMs() > validUntil)
          throw new DeribitRejectionError({ code: 13888, message: 'timed_out' })
      }
      return this.privateMethod(method, params, accountId, ctx.conn)
    }
    return this.publicMethod(method, params, ctx.conn)
  }

  private chargeCredits(accountId: string, method: string): void {
    const account = this.accountsById.get(accountId)
    if (!account) return
    const now = this.requestClock.nowMs()
    account.credits = Math.min(
      this.credits.poolCredits,
      account.credits + ((now - account.lastRefillMs) * this.credits.refillCreditsPerSec) / 1000,
    )
    account.lastRefillMs = now
    const cost = MATCHING_ENGINE_METHODS.has(method) ? this.credits.matchingEngineCost : this.credits.requestCost
    if (account.credits < cost) throw deribitReject('too_many_requests')
    account.credits -= cost
  }

  private resolvePrivate(
    params: Record<string, unknown>,
    ctx: { conn: DeribitConnection | undefined; httpAccountId: string | undefined },
  ): string {
    if (ctx.httpAccountId !== undefined) return ctx.httpAccountId
    const token = params.access_token
    if (typeof token === 'string') return this.checkToken(token)
    if (ctx.conn?.accountId !== undefined) {
      // connection-scoped auth: valid while one of this connection's tokens is live
      for (const t of this.tokens.values())
        if (t.connection === ctx.conn && t.expiresAtMs > this.requestClock.nowMs()) return ctx.conn.accountId
      throw deribitReject('unauthorized', { reason: 'token expired' })
    }
    throw deribitReject('unauthorized')
  }

  private checkToken(token: string): string {
    const t = this.tokens.get(token)
    if (!t || t.expiresAtMs <= this.requestClock.nowMs())
      throw deribitReject('unauthorized', { reason: 'invalid or expired token' })
    return t.accountId
  }

  private authenticateHttp(authorization: string, pathAndQuery: string, httpMethod: string, body: string): string {
    const bearer = /^Bearer (.+)$/.exec(authorization)
    if (bearer) return this.checkToken(bearer[1] ?? '')
    const hmac = /^deri-hmac-sha256 (.+)$/.exec(authorization)
    if (!hmac) throw deribitReject('unauthorized')
    const fields = new Map<string, string>()
    for (const part of (hmac[1] ?? '').split(',')) {
      const eq = part.indexOf('=')
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
    }
    const account = this.accountsByClientId.get(fields.get('id') ?? '')
    const ts = fields.get('ts') ?? ''
    const nonce = fields.get('nonce') ?? ''
    const data = `${httpMethod.toUpperCase()}\n${pathAndQuery}\n${body}\n`
    if (!account || !verifyDeribitSignature(account.clientSecret, ts, nonce, data, fields.get('sig') ?? ''))
      throw deribitReject('invalid_credentials')
    return account.accountId
  }

  private issueToken(accountId: string, conn: DeribitConnection | undefined): Record<string, unknown> {
    const n = ++this.tokenCounter
    const token = digest(`${this.seed}:access:${n}`)
    const refresh = digest(`${this.seed}:refresh:${n}`)
    this.tokens.set(token, {
      accountId,
      expiresAtMs: this.requestClock.nowMs() + this.tokenTtlMs,
      refreshToken: refresh,
      connection: conn,
    })
    this.refreshTokens.set(refresh, accountId)
    this.issued.push(token, refresh)
    if (conn) conn.accountId = accountId
    return {
      access_token: token,
      expires_in: Math.floor(this.tokenTtlMs / 1000),
      refresh_token: refresh,
      scope: 'connection mainaccount trade:read_write wallet:read_write account:read_write',
      token_type: 'bearer',
      enabled_features: [],
    }
  }

  private publicMethod(method: string, p: Record<string, unknown>, conn: DeribitConnection | undefined): unknown {
    switch (method) {
      case 'public/auth': {
        const grant = p.grant_type
        if (grant === 'client_credentials') {
          const account = this.accountsByClientId.get(String(p.client_id))
          if (!account || account.clientSecret !== p.client_secret) throw deribitReject('invalid_credentials')
          return this.issueToken(account.accountId, conn)
        }
        if (grant === 'client_signature') {
          const account = this.accountsByClientId.get(String(p.client_id))
          const ts = Number(p.timestamp)
          if (
            !account ||
            !Number.isFinite(ts) ||
            Math.abs(ts - this.requestClock.nowMs()) > 60_000 ||
            !verifyDeribitSignature(
              account.clientSecret,
              String(p.timestamp),
              String(p.nonce ?? ''),
              String(p.data ?? ''),
              String(p.signature ?? ''),
            )
          )
            throw deribitReject('invalid_credentials')
          return this.issueToken(account.accountId, conn)
        }
        if (grant === 'refresh_token') {
          const accountId = this.refreshTokens.get(String(p.refresh_token))
          if (accountId === undefined) throw deribitReject('invalid_credentials')
          this.refreshTokens.delete(String(p.refresh_token))
          this.refreshGrantCount++
          return this.issueToken(accountId, conn)
        }
        throw deribitReject('invalid_params', { param: 'grant_type' })
      }
      case 'public/test':
        if (conn) conn.awaitingTest = false
        return { version: '1.2.26' }
      case 'public/set_heartbeat': {
        const interval = Number(p.interval)
        if (!conn) throw deribitReject('bad_request', { reason: 'WebSocket only' })
        if (!Number.isFinite(interval) || interval < 10) throw deribitReject('invalid_params', { param: 'interval' })
        conn.heartbeatIntervalMs = interval * 1000
        conn.nextTestRequestMs = this.requestClock.nowMs() + conn.heartbeatIntervalMs
        conn.awaitingTest = false
        return 'ok'
      }
      case 'public/disable_heartbeat':
        if (conn) conn.heartbeatIntervalMs = 0
        return 'ok'
      case 'public/get_time':
        return this.requestClock.nowMs()
      case 'public/hello':
        return { version: '1.2.26' }
      case 'public/get_currencies':
        return this.currencies()
      case 'public/get_instruments':
        return this.engine
          .instruments()
          .filter((i) => this.matchesCurrency(i, p.currency))
          .map((i) => this.instrumentInfo(i))
      case 'public/get_instrument':
        return this.instrumentInfo(this.instrumentOf(p.instrument_name))
      case 'public/get_order_book':
        return this.orderBook(this.instrumentOf(p.instrument_name), Number(p.depth ?? 20))
      case 'public/ticker':
        return this.ticker(this.instrumentOf(p.instrument_name))
      case 'public/get_book_summary_by_instrument':
        return [this.bookSummary(this.instrumentOf(p.instrument_name))]
      case 'public/get_book_summary_by_currency':
        if (p.currency === undefined) throw deribitReject('value_required', { param: 'currency' })
        if (p.kind !== undefined && p.kind !== 'future' && p.kind !== 'any') return []
        return this.engine
          .instruments()
          .filter((i) => this.matchesCurrency(i, p.currency))
          .map((i) => this.bookSummary(i))
      case 'public/get_last_trades_by_instrument':
      case 'public/get_last_trades_by_instrument_and_time':
        return this.lastTrades(this.instrumentOf(p.instrument_name), p)
      case 'public/get_tradingview_chart_data':
        return this.chartData(this.instrumentOf(p.instrument_name), p)
      case 'public/get_funding_rate_value':
        return this.fundingRateValue(this.instrumentOf(p.instrument_name), p)
      case 'public/get_funding_rate_history': {
        const inst = this.instrumentOf(p.instrument_name)
        const start = Number(p.start_timestamp)
        const end = Number(p.end_timestamp)
        if (!Number.isFinite(start)) throw deribitReject('value_required', { param: 'start_timestamp' })
        if (!Number.isFinite(end)) throw deribitReject('value_required', { param: 'end_timestamp' })
        return this.fundingLog
          .filter((f) => f.instrument === inst.symbol && f.timestamp >= start && f.timestamp <= end)
          .slice(-744)
          .map((f) => ({
            timestamp: f.timestamp,
            index_price: f.indexPrice,
            prev_index_price: f.prevIndexPrice,
            interest_8h: e8Number(f.rateE8),
            interest_1h: e8Number(f.rateE8 / 8n),
          }))
      }
      case 'public/subscribe':
        return this.subscribe(conn, p, false)
      case 'public/unsubscribe':
      case 'private/unsubscribe':
        return this.unsubscribe(conn, p)
      default:
        throw deribitReject('method_not_found', { method })
    }
  }

  private privateMethod(
    method: string,
    p: Record<string, unknown>,
    accountId: string,
    conn: DeribitConnection | undefined,
  ): unknown {
    switch (method) {
      case 'private/subscribe':
        return this.subscribe(conn, p, true)
      case 'private/unsubscribe':
        return this.unsubscribe(conn, p)
      case 'private/buy':
      case 'private/sell':
        return this.placeOrder(accountId, method === 'private/buy' ? 'BUY' : 'SELL', p, conn)
      case 'private/edit':
        return this.editOrder(accountId, p)
      case 'private/cancel': {
        const order = this.ownOrder(accountId, p.order_id)
        const meta = this.meta.get(order.orderId)
        if (meta) meta.cancelReason = 'user_request'
        const result = this.engine.cancelOrder(accountId, order.orderId)
        if (!result.ok) throw deribitReject('not_open_order')
        return this.formatOrder(result.order)
      }
      case 'private/cancel_all':
        return this.engine.cancelAll(accountId).length
      case 'private/cancel_all_by_instrument':
        return this.engine.cancelAll(accountId, this.instrumentOf(p.instrument_name).symbol).length
      case 'private/cancel_by_label': {
        let count = 0
        for (const order of this.engine.listOpenOrders(accountId))
          if (this.meta.get(order.orderId)?.label === p.label && this.engine.cancelOrder(accountId, order.orderId).ok)
            count++
        return count
      }
      case 'private/get_open_orders_by_instrument':
        return this.engine
          .listOpenOrders(accountId, this.instrumentOf(p.instrument_name).symbol)
          .map((o) => this.formatOrder(o))
      case 'private/get_open_orders_by_currency':
      case 'private/get_open_orders':
        return this.engine
          .listOpenOrders(accountId)
          .filter((o) => p.currency === undefined || this.engine.instrument(o.symbol).baseAsset === p.currency)
          .map((o) => this.formatOrder(o))
      case 'private/get_order_state':
        return this.formatOrder(this.ownOrder(accountId, p.order_id))
      case 'private/get_order_state_by_label': {
        const out: unknown[] = []
        for (const [orderId, meta] of this.meta) {
          if (meta.label !== p.label) continue
          const order = this.engine.getOrder(orderId)
          if (order && order.accountId === accountId) out.push(this.formatOrder(order))
        }
        return out
      }
      case 'private/get_open_orders_by_label':
        return this.engine
          .listOpenOrders(accountId)
          .filter((o) => this.meta.get(o.orderId)?.label === p.label)
          .map((o) => this.formatOrder(o))
      case 'private/get_user_trades_by_instrument':
      case 'private/get_user_trades_by_instrument_and_time': {
        const symbol = this.instrumentOf(p.instrument_name).symbol
        return this.userTrades(accountId, p, (i) => i.symbol === symbol)
      }
      case 'private/get_user_trades_by_order': {
        // a bare array of the order's fills (oldest first unless sorting=desc)
        const order = this.ownOrder(accountId, p.order_id)
        const fills = this.history.fills(accountId).filter((f) => f.order.orderId === order.orderId)
        const trades = fills.map((f) => {
          const inst = this.engine.instrument(f.order.symbol)
          return this.formatTrade(inst, f.order, f.fill, this.meta.get(f.order.orderId) ?? defaultMeta(), f.tsMs)
        })
        return p.sorting === 'desc' ? trades.reverse() : trades
      }
      case 'private/get_user_trades_by_currency':
      case 'private/get_user_trades_by_currency_and_time':
        if (p.currency === undefined) throw deribitReject('value_required', { param: 'currency' })
        return this.userTrades(accountId, p, (i) => this.matchesCurrency(i, p.currency) && kindMatches(p.kind))
      case 'private/get_order_history_by_instrument': {
        const symbol = this.instrumentOf(p.instrument_name).symbol
        return this.orderHistory(accountId, p, (i) => i.symbol === symbol)
      }
      case 'private/get_order_history_by_currency':
        if (p.currency === undefined) throw deribitReject('value_required', { param: 'currency' })
        return this.orderHistory(accountId, p, (i) => this.matchesCurrency(i, p.currency) && kindMatches(p.kind))
      case 'private/get_positions':
        return this.engine
          .instruments()
          .filter((i) => this.matchesCurrency(i, p.currency))
          .map((i) => this.formatPosition(accountId, i))
          .filter((pos) => pos.size !== 0 || p.currency !== undefined)
      case 'private/get_position':
        return this.formatPosition(accountId, this.instrumentOf(p.instrument_name))
      case 'private/get_account_summary': {
        const currency = String(p.currency ?? '')
        return this.summary(accountId, currency)
      }
      case 'private/get_account_summaries': {
        const currencies = [...new Set(this.engine.instruments().map((i) => this.settlementCurrency(i)))]
        return {
          id: 1,
          email: 'emulator@localhost',
          system_name: 'emulator',
          summaries: currencies.map((c) => this.summary(accountId, c)),
        }
      }
      case 'private/enable_cancel_on_disconnect': {
        if (p.scope === 'account') this.codAccounts.add(accountId)
        else if (conn) conn.cancelOnDisconnect = true
        else throw deribitReject('bad_request', { reason: 'WebSocket only' })
        return 'ok'
      }
      case 'private/disable_cancel_on_disconnect':
        if (p.scope === 'account') this.codAccounts.delete(accountId)
        if (conn) conn.cancelOnDisconnect = false
        return 'ok'
      case 'private/get_cancel_on_disconnect':
        return { scope: p.scope ?? 'connection', enabled: conn?.cancelOnDisconnect ?? false }
      case 'private/logout':
        if (conn) conn.transport.terminate()
        return 'ok'
      default:
        throw deribitReject('method_not_found', { method })
    }
  }

  // ------------------------------------------------------------------ trading

  private placeOrder(
    accountId: string,
    side: Side,
    p: Record<string, unknown>,
    conn: DeribitConnection | undefined,
  ): unknown {
    const inst = this.instrumentOf(p.instrument_name)
    const type = p.type === undefined ? 'limit' : String(p.type)
    if (type !== 'limit' && type !== 'market') throw deribitReject('invalid_params', { param: 'type' })
    const lots =
      p.amount === undefined && p.contracts !== undefined && this.inverse.has(inst.symbol)
        ? this.toLots(inst, Number(p.contracts) * Number(inst.stepSize))
        : this.toLots(inst, p.amount ?? p.contracts)
    const postOnly = bool(p.post_only)
    const rejectPostOnly = bool(p.reject_post_only)
    const label = p.label === undefined ? '' : String(p.label)
    if (label.length > 64) throw deribitReject('invalid_params', { param: 'label' })
    const tifText = p.time_in_force === undefined ? 'good_til_cancelled' : String(p.time_in_force)
    const tif = tifText === 'immediate_or_cancel' ? 'IOC' : tifText === 'fill_or_kill' ? 'FOK' : 'GTC'
    let priceTicks: bigint | null = null
    if (type === 'limit') {
      priceTicks = this.toTicks(inst, p.price)
      if (postOnly && !rejectPostOnly) {
        // Deribit moves a crossing post-only order to one tick inside the spread instead of rejecting it.
        const { bid, ask } = this.engine.bestBidAsk(inst.symbol)
        if (side === 'BUY' && ask && priceTicks >= ask[0]) priceTicks = ask[0] - 1n
        if (side === 'SELL' && bid && priceTicks <= bid[0]) priceTicks = bid[0] + 1n
      }
    }
    if (priceTicks !== null && !bool(p.reduce_only)) this.checkInverseMargin(accountId, inst, side, lots, priceTicks)
    const meta: DeribitOrderMeta = { label, postOnly, rejectPostOnly, replaced: false, cancelReason: undefined }
    this.pendingMeta = meta
    this.pendingConn = conn
    const result = this.engine.placeOrder({
      accountId,
      symbol: inst.symbol,
      side,
      type: type === 'market' ? 'MARKET' : 'LIMIT',
      timeInForce: postOnly ? 'GTX' : tif,
      priceTicks,
      lots,
      // Deribit labels need not be unique; the engine's client id is made unique per order.
      clientOrderId: `${label}#${++this.autoLabelCounter}`,
      reduceOnly: bool(p.reduce_only),
    })
    this.pendingMeta = undefined
    this.pendingConn = undefined
    if (!result.ok) {
      if (result.reason === 'POST_ONLY_WOULD_TAKE') throw deribitReject('post_only_reject')
      if (result.reason === 'INSUFFICIENT_MARGIN' || result.reason === 'INSUFFICIENT_BALANCE')
        throw deribitReject('not_enough_funds')
      throw deribitReject('invalid_arguments', { reason: result.reason })
    }
    return {
      order: this.formatOrder(result.order),
      trades: result.fills.map((f) => this.formatTrade(inst, result.order, f, meta, this.clock.nowMs())),
    }
  }

  private pendingMeta: DeribitOrderMeta | undefined
  private pendingConn: DeribitConnection | undefined

  private editOrder(accountId: string, p: Record<string, unknown>): unknown {
    const order = this.ownOrder(accountId, p.order_id)
    const inst = this.engine.instrument(order.symbol)
    const meta = this.meta.get(order.orderId)
    const lots = p.amount === undefined ? order.origLots : this.toLots(inst, p.amount)
    let priceTicks = p.price === undefined ? (order.priceTicks ?? 0n) : this.toTicks(inst, p.price)
    if (meta?.postOnly) {
      const { bid, ask } = this.engine.bestBidAsk(inst.symbol)
      const crosses = order.side === 'BUY' ? ask !== null && priceTicks >= ask[0] : bid !== null && priceTicks <= bid[0]
      if (crosses && (meta.rejectPostOnly || bool(p.reject_post_only))) throw deribitReject('post_only_reject')
      if (crosses && order.side === 'BUY' && ask) priceTicks = ask[0] - 1n
      if (crosses && order.side === 'SELL' && bid) priceTicks = bid[0] + 1n
    }
    if (!order.reduceOnly) this.checkInverseMargin(accountId, inst, order.side, lots, priceTicks, order.orderId)
    const result = this.engine.amendOrder(accountId, order.orderId, { priceTicks, lots })
    if (!result.ok) {
      if (result.reason === 'UNKNOWN_ORDER') throw deribitReject('not_open_order')
      if (result.reason === 'NO_CHANGE') return { order: this.formatOrder(order), trades: [] }
      if (result.reason === 'INSUFFICIENT_MARGIN') throw deribitReject('not_enough_funds')
      throw deribitReject('invalid_arguments', { reason: result.reason })
    }
    if (meta) meta.replaced = true
    return {
      order: this.formatOrder(result.order),
      trades: result.fills.map((f) =>
        this.formatTrade(inst, result.order, f, meta ?? defaultMeta(), this.clock.nowMs()),
      ),
    }
  }

  private ownOrder(accountId: string, orderIdText: unknown): Readonly<EngineOrder> {
    const orderId = parseOrderId(orderIdText)
    const order = orderId === undefined ? undefined : this.engine.getOrder(orderId)
    if (!order || order.accountId !== accountId) throw deribitReject('order_not_found')
    return order
  }

  private formatOrder(order: Readonly<EngineOrder>): Record<string, unknown> {
    const inst = this.engine.instrument(order.symbol)
    const formatted = formatDeribitOrder(inst, order, this.meta.get(order.orderId) ?? defaultMeta())
    const terms = this.inverse.get(order.symbol)
    if (!terms) return formatted
    // inverse: USD amounts, contracts = amount / contract size, average price harmonic (Σ usd / Σ usd/price)
    const coinE16 = this.inverseOrderCoinE16.get(order.orderId) ?? 0n
    const filledUsd = order.executedLots * terms.contractSizeUsd
    return {
      ...formatted,
      order_id: `${terms.coin}-${order.orderId}`,
      contracts: Number(order.origLots),
      average_price: coinE16 === 0n ? 0 : e8Number((filledUsd * 10n ** 24n) / coinE16),
    }
  }

  private toLots(inst: Instrument, value: unknown): bigint {
    const text = decimalText(value)
    if (text === undefined) throw deribitReject('value_required', { param: 'amount' })
    if (this.inverse.has(inst.symbol)) {
      // Deribit: {"code":-32602,"message":"Invalid params","data":{"reason":"must be a multiple of contract size","param":"amount"}}
      const bad = () =>
        new DeribitRejectionError({
          code: -32602,
          message: 'Invalid params',
          data: { reason: 'must be a multiple of contract size', param: 'amount' },
        })
      let usd: bigint
      try {
        usd = parseScaled(text, 0, 'amount')
      } catch {
        throw bad()
      }
      if (usd <= 0n || usd % inst.stepUnits !== 0n) throw bad()
      return usd / inst.stepUnits
    }
    let units: bigint
    try {
      units = parseScaled(text, inst.qtyDecimals, 'amount')
    } catch {
      throw deribitReject('invalid_arguments', { param: 'amount', reason: `must be a multiple of ${inst.stepSize}` })
    }
    if (units <= 0n || units % inst.stepUnits !== 0n)
      throw deribitReject('invalid_arguments', { param: 'amount', reason: `must be a multiple of ${inst.stepSize}` })
    return units / inst.stepUnits
  }

  private toTicks(inst: Instrument, value: unknown): bigint {
    const text = decimalText(value)
    if (text === undefined) throw deribitReject('value_required', { param: 'price' })
    let units: bigint
    try {
      units = parseScaled(text, inst.priceDecimals, 'price')
    } catch {
      throw deribitReject('invalid_arguments', { param: 'price', reason: `must be a multiple of ${inst.tickSize}` })
    }
    if (units <= 0n || units % inst.tickUnits !== 0n)
      throw deribitReject('invalid_arguments', { param: 'price', reason: `must be a multiple of ${inst.tickSize}` })
    return units / inst.tickUnits
  }

  private instrumentOf(name: unknown): Instrument {
    if (typeof name !== 'string' || !this.engine.hasSymbol(name))
      throw deribitReject('invalid_params', { param: 'instrument_name', reason: 'unknown instrument' })
    return this.engine.instrument(name)
  }

  // ------------------------------------------------------------------ market data

  private currencies(): unknown[] {
    const names = new Set<string>()
    for (const i of this.engine.instruments()) {
      names.add(i.baseAsset)
      if (!this.inverse.has(i.symbol)) names.add(i.quoteAsset)
    }
    return [...names].map((currency) => ({
      currency,
      currency_long: currency,
      coin_type: currency === 'USDC' || currency === 'USDT' ? 'USDC' : currency,
      fee_precision: 4,
      min_confirmations: 1,
      min_withdrawal_fee: 0.0001,
      withdrawal_fee: 0.0001,
      withdrawal_priorities: [],
      apr: 0,
      decimals: 8,
      network_fee: 0.0001,
    }))
  }

  private instrumentInfo(i: Instrument): Record<string, unknown> {
    const terms = this.inverse.get(i.symbol)
    if (terms)
      return {
        instrument_name: i.symbol,
        instrument_id: this.engine.instruments().indexOf(i) + 1,
        kind: 'future',
        instrument_type: 'reversed',
        future_type: 'reversed',
        settlement_period: terms.settlementPeriod,
        settlement_currency: terms.coin,
        base_currency: terms.coin,
        quote_currency: 'USD',
        counter_currency: 'USD',
        contract_size: Number(terms.contractSizeUsd),
        min_trade_amount: Number(terms.contractSizeUsd),
        tick_size: Number(i.tickSize),
        tick_size_steps: [],
        maker_commission: terms.makerFeePpm / 1e6,
        taker_commission: terms.takerFeePpm / 1e6,
        is_active: true,
        creation_timestamp: 1_534_242_287_000,
        expiration_timestamp: terms.expirationTsMs ?? 32_503_708_800_000,
        max_leverage: i.leverage,
        max_liquidation_commission: 0.0075,
        price_index: `${terms.coin.toLowerCase()}_usd`,
        rfq: false,
        block_trade_commission: 0,
        block_trade_min_trade_amount: 0,
        block_trade_tick_size: Number(i.tickSize),
      }
    return {
      instrument_name: i.symbol,
      instrument_id: this.engine.instruments().indexOf(i) + 1,
      kind: 'future',
      instrument_type: 'linear',
      settlement_period: 'perpetual',
      settlement_currency: i.quoteAsset,
      base_currency: i.baseAsset,
      quote_currency: i.quoteAsset,
      counter_currency: i.quoteAsset,
      contract_size: Number(i.stepSize),
      min_trade_amount: Number(i.stepSize),
      tick_size: Number(i.tickSize),
      tick_size_steps: [],
      maker_commission: i.makerFeePpm / 1e6,
      taker_commission: i.takerFeePpm / 1e6,
      is_active: true,
      creation_timestamp: 1_600_000_000_000,
      expiration_timestamp: 32_503_708_800_000,
      max_leverage: i.leverage,
      price_index: `${i.baseAsset.toLowerCase()}_${i.quoteAsset.toLowerCase()}`,
      rfq: false,
      block_trade_commission: 0,
      block_trade_min_trade_amount: 0,
      block_trade_tick_size: Number(i.tickSize),
    }
  }

  private orderBook(inst: Instrument, depth: number): Record<string, unknown> {
    const snap = this.engine.snapshot(inst.symbol, Number.isFinite(depth) && depth > 0 ? depth : 20)
    const level = ([t, l]: [bigint, bigint]): [number, number] => [priceNumber(inst, t), amountNumber(inst, l)]
    const bids = snap.bids.map(level)
    const asks = snap.asks.map(level)
    return {
      ...this.ticker(inst),
      timestamp: this.clock.nowMs(),
      instrument_name: inst.symbol,
      change_id: snap.lastUpdateId,
      bids,
      asks,
    }
  }

  private ticker(inst: Instrument): Record<string, unknown> {
    const summary = this.bookSummary(inst)
    const { bid, ask } = this.engine.bestBidAsk(inst.symbol)
    const mid = bid && ask ? (priceNumber(inst, bid[0]) + priceNumber(inst, ask[0])) / 2 : null
    return {
      instrument_name: inst.symbol,
      timestamp: this.clock.nowMs(),
      state: 'open',
      best_bid_price: bid ? priceNumber(inst, bid[0]) : null,
      best_bid_amount: bid ? amountNumber(inst, bid[1]) : 0,
      best_ask_price: ask ? priceNumber(inst, ask[0]) : null,
      best_ask_amount: ask ? amountNumber(inst, ask[1]) : 0,
      mark_price: mid,
      index_price: mid,
      last_price: summary.last ?? mid,
      settlement_price: mid,
      min_price: 0,
      max_price: Number.MAX_SAFE_INTEGER,
      open_interest: summary.open_interest,
      current_funding: this.fundingRate8h(inst),
      funding_8h: this.fundingRate8h(inst),
      // 24 h statistics of the tape (volume in the base coin, volume_usd in the quote)
      stats: {
        volume: summary.volume,
        volume_usd: summary.volume_usd,
        price_change: summary.price_change,
        low: summary.low,
        high: summary.high,
      },
    }
  }

  // ------------------------------------------------------------------ history (answers from what was traded)

  /** Records one funding-history entry per perpetual for every whole hour the clock passed (the rate as configured then). */
  private recordFundingHours(now: number): void {
    const hour = Math.floor(now / 3_600_000)
    for (; this.lastFundingHour < hour; ) {
      this.lastFundingHour++
      for (const inst of this.engine.instruments()) {
        if (this.inverse.get(inst.symbol)?.settlementPeriod === 'month') continue
        const markE8 = this.engine.markPriceE8(inst.symbol)
        const { bid, ask } = this.engine.bestBidAsk(inst.symbol)
        const index =
          markE8 !== null
            ? e8Number(markE8)
            : bid && ask
              ? (priceNumber(inst, bid[0]) + priceNumber(inst, ask[0])) / 2
              : 0
        const previous = [...this.fundingLog].reverse().find((f) => f.instrument === inst.symbol)
        this.fundingLog.push({
          instrument: inst.symbol,
          timestamp: this.lastFundingHour * 3_600_000,
          rateE8: this.fundingRateE8.get(inst.symbol) ?? 0n,
          indexPrice: index,
          prevIndexPrice: previous?.indexPrice ?? index,
        })
      }
    }
  }

  private fundingRate8h(inst: Instrument): number {
    return e8Number(this.fundingRateE8.get(inst.symbol) ?? 0n)
  }

  /** One element of public/get_book_summary_by_*: top of book and 24 h statistics from the tape. */
  private bookSummary(inst: Instrument) {
    const now = this.clock.nowMs()
    const { bid, ask } = this.engine.bestBidAsk(inst.symbol)
    const bidPrice = bid ? priceNumber(inst, bid[0]) : null
    const askPrice = ask ? priceNumber(inst, ask[0]) : null
    const mid = bidPrice !== null && askPrice !== null ? (bidPrice + askPrice) / 2 : null
    const day = this.history.tradesSince(inst.symbol, now - 86_400_000)
    let volumeAmountLots = 0n
    let volumeCoinE8 = 0n
    let volumeQuoteE8 = 0n
    for (const t of day) {
      volumeAmountLots += t.lots
      volumeCoinE8 += this.tradeCoinE8(inst, t)
      volumeQuoteE8 += this.tradeQuoteE8(inst, t)
    }
    const prices = day.map((t) => t.priceTicks)
    const first = prices[0]
    const last = prices[prices.length - 1]
    const maxTicks = prices.reduce<bigint | null>((m, x) => (m === null || x > m ? x : m), null)
    const minTicks = prices.reduce<bigint | null>((m, x) => (m === null || x < m ? x : m), null)
    const inverse = this.inverse.has(inst.symbol)
    let openInterestLots = 0n
    for (const accountId of this.accountsById.keys()) {
      const lots = this.engine.positionView(accountId, inst.symbol).lots
      if (lots > 0n) openInterestLots += lots
    }
    const markE8 = this.engine.markPriceE8(inst.symbol)
    const mark = markE8 === null ? mid : e8Number(markE8)
    return {
      instrument_name: inst.symbol,
      base_currency: inst.baseAsset,
      quote_currency: inverse ? 'USD' : inst.quoteAsset,
      creation_timestamp: now,
      bid_price: bidPrice,
      ask_price: askPrice,
      mid_price: mid,
      mark_price: mark,
      estimated_delivery_price: mark,
      last: last === undefined ? null : priceNumber(inst, last),
      high: maxTicks === null ? null : priceNumber(inst, maxTicks),
      low: minTicks === null ? null : priceNumber(inst, minTicks),
      price_change:
        first === undefined || last === undefined
          ? null
          : Number((((last - first) * 10_000n) / first).toString()) / 100,
      // volume in the base coin; volume_usd / volume_notional in the quote (USD for inverse)
      volume: e8Number(volumeCoinE8),
      volume_usd: inverse ? amountNumber(inst, volumeAmountLots) : e8Number(volumeQuoteE8),
      volume_notional: inverse ? amountNumber(inst, volumeAmountLots) : e8Number(volumeQuoteE8),
      open_interest: amountNumber(inst, openInterestLots),
      interest_rate: 0,
      current_funding: this.fundingRate8h(inst),
      funding_8h: this.fundingRate8h(inst),
    }
  }

  /** Coin (base) amount of a print, 1e-8: lots for linear, USD / price for inverse. */
  private tradeCoinE8(inst: Instrument, t: RecordedTrade): bigint {
    if (!this.inverse.has(inst.symbol)) return t.lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
    const usdE8 = t.lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
    return (usdE8 * 10n ** 8n) / this.priceE8(inst, t.priceTicks)
  }

  /** Quote (USD / USDC) amount of a print, 1e-8. */
  private tradeQuoteE8(inst: Instrument, t: RecordedTrade): bigint {
    const amountE8 = t.lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
    if (this.inverse.has(inst.symbol)) return amountE8
    return (amountE8 * this.priceE8(inst, t.priceTicks)) / 10n ** 8n
  }

  /** public/get_last_trades_by_instrument(_and_time): `{ trades, has_more }`, newest first unless sorting=asc. */
  private lastTrades(inst: Instrument, p: Record<string, unknown>): Record<string, unknown> {
    const trades = this.history
      .trades(inst.symbol)
      .filter((t) => inRange(t.tradeId, p.start_seq, p.end_seq) && inRange(t.tsMs, p.start_timestamp, p.end_timestamp))
    const page = pageOf(trades, p, 10)
    return { trades: page.items.map((t) => this.formatPublicTrade(inst, t)), has_more: page.hasMore }
  }

  private formatPublicTrade(inst: Instrument, t: RecordedTrade): Record<string, unknown> {
    const price = priceNumber(inst, t.priceTicks)
    const terms = this.inverse.get(inst.symbol)
    return {
      trade_id: String(t.tradeId),
      trade_seq: t.tradeId,
      instrument_name: inst.symbol,
      timestamp: t.tsMs,
      price,
      amount: amountNumber(inst, t.lots),
      ...(terms ? { contracts: Number(t.lots) } : {}),
      direction: t.takerSide === 'BUY' ? 'buy' : 'sell',
      tick_direction: 0,
      index_price: price,
      mark_price: price,
    }
  }

  /** public/get_tradingview_chart_data: parallel arrays, volume in the base coin, cost in the quote (USD for inverse). */
  private chartData(inst: Instrument, p: Record<string, unknown>): Record<string, unknown> {
    const resolution = String(p.resolution ?? '')
    const minutes = resolution === '1D' ? 1440 : Number(resolution)
    if (!CHART_RESOLUTIONS.has(resolution)) throw deribitReject('invalid_params', { param: 'resolution' })
    const start = Number(p.start_timestamp)
    const end = Number(p.end_timestamp)
    if (!Number.isFinite(start)) throw deribitReject('value_required', { param: 'start_timestamp' })
    if (!Number.isFinite(end)) throw deribitReject('value_required', { param: 'end_timestamp' })
    const candles = this.history
      .candles(inst.symbol, minutes * 60_000, start, end, (t) => this.tradeCoinE8(inst, t))
      .slice(-5000)
    const price = (t: bigint) => priceNumber(inst, t)
    const inverse = this.inverse.has(inst.symbol)
    return {
      status: candles.length === 0 ? 'no_data' : 'ok',
      ticks: candles.map((c) => c.openMs),
      open: candles.map((c) => price(c.open)),
      high: candles.map((c) => price(c.high)),
      low: candles.map((c) => price(c.low)),
      close: candles.map((c) => price(c.close)),
      volume: candles.map((c) => e8Number(c.measured)),
      cost: candles.map((c) =>
        inverse
          ? amountNumber(inst, c.volumeLots)
          : Number(
              formatScaled(c.quoteTickLots * inst.tickUnits * inst.stepUnits, inst.priceDecimals + inst.qtyDecimals),
            ),
      ),
    }
  }

  /** public/get_funding_rate_value: the interest over [start, end] at the configured 8 h rate. */
  private fundingRateValue(inst: Instrument, p: Record<string, unknown>): number {
    const start = Number(p.start_timestamp)
    const end = Number(p.end_timestamp)
    if (!Number.isFinite(start)) throw deribitReject('value_required', { param: 'start_timestamp' })
    if (!Number.isFinite(end)) throw deribitReject('value_required', { param: 'end_timestamp' })
    if (end < start) throw deribitReject('invalid_params', { param: 'end_timestamp' })
    const rateE8 = this.fundingRateE8.get(inst.symbol) ?? 0n
    return e8Number((rateE8 * BigInt(Math.trunc(end - start))) / 28_800_000n)
  }

  /** private/get_user_trades_by_*: `{ trades, has_more }` from the account's fills, newest first unless sorting=asc. */
  private userTrades(
    accountId: string,
    p: Record<string, unknown>,
    matches: (inst: Instrument) => boolean,
  ): Record<string, unknown> {
    const fills = this.history.fills(accountId).filter((f: RecordedFill) => {
      if (!matches(this.engine.instrument(f.order.symbol))) return false
      return inRange(f.fill.tradeId, p.start_seq, p.end_seq) && inRange(f.tsMs, p.start_timestamp, p.end_timestamp)
    })
    const page = pageOf(fills, p, 10)
    return {
      trades: page.items.map((f) => {
        const inst = this.engine.instrument(f.order.symbol)
        return this.formatTrade(inst, f.order, f.fill, this.meta.get(f.order.orderId) ?? defaultMeta(), f.tsMs)
      }),
      has_more: page.hasMore,
    }
  }

  /** private/get_order_history_by_*: closed orders, newest first; unfilled cancelled ones only with include_unfilled. */
  private orderHistory(
    accountId: string,
    p: Record<string, unknown>,
    matches: (inst: Instrument) => boolean,
  ): unknown[] {
    const includeUnfilled = bool(p.include_unfilled)
    const orders = this.history
      .closedOrders(accountId)
      .filter((o) => matches(this.engine.instrument(o.symbol)) && (includeUnfilled || o.executedLots > 0n))
      .reverse()
    const offset = Math.max(0, Number(p.offset ?? 0) || 0)
    const count = Math.max(1, Math.min(1000, Number(p.count ?? 20) || 20))
    return orders.slice(offset, offset + count).map((o) => this.formatOrder(o))
  }

  private subscribe(conn: DeribitConnection | undefined, p: Record<string, unknown>, isPrivate: boolean): string[] {
    if (!conn) throw deribitReject('bad_request', { reason: 'subscriptions need a WebSocket' })
    const channels = Array.isArray(p.channels) ? p.channels.map(String) : []
    const accepted: string[] = []
    const snapshots: string[] = []
    for (const requested of channels) {
      const channel = channelKey(requested)
      const parts = channel.split('.')
      if (parts[0] === 'user' && !isPrivate) continue
      if (parts[0] === 'book') {
        if (!this.engine.hasSymbol(parts[1] ?? '')) continue
        snapshots.push(parts[1] ?? '')
        conn.awaitingSnapshot.add(channel)
      } else if (parts[0] === 'chart') {
        const known =
          parts[1] === 'trades' && this.engine.hasSymbol(parts[2] ?? '') && CHART_RESOLUTIONS.has(parts[3] ?? '')
        if (!known || parts.length !== 4) continue
      } else if (!['ticker', 'trades', 'user'].includes(parts[0] ?? '')) continue
      conn.channels.add(channel)
      accepted.push(channel)
    }
    // The snapshot follows the subscribe answer, like Deribit's first book notification.
    queueMicrotask(() => {
      for (const symbol of snapshots) {
        this.engine.flushBook(symbol)
        this.sendBookSnapshot(conn, symbol)
      }
    })
    return accepted
  }

  private unsubscribe(conn: DeribitConnection | undefined, p: Record<string, unknown>): string[] {
    if (!conn) throw deribitReject('bad_request', { reason: 'subscriptions need a WebSocket' })
    const channels = Array.isArray(p.channels) ? p.channels.map(String) : []
    for (const c of channels) conn.channels.delete(channelKey(c))
    return channels
  }

  private sendBookSnapshot(conn: DeribitConnection, symbol: string): void {
    const channel = `book.${symbol}.100ms`
    conn.awaitingSnapshot.delete(channel)
    if (conn.closed || !conn.channels.has(channel)) return
    const inst = this.engine.instrument(symbol)
    const snap = this.engine.snapshot(symbol, 100_000)
    const level = ([t, l]: [bigint, bigint]) => ['new', priceNumber(inst, t), amountNumber(inst, l)]
    this.sendFrame(conn, {
      jsonrpc: '2.0',
      method: 'subscription',
      params: {
        channel,
        data: {
          type: 'snapshot',
          timestamp: this.clock.nowMs(),
          instrument_name: symbol,
          change_id: snap.lastUpdateId,
          bids: snap.bids.map(level),
          asks: snap.asks.map(level),
        },
      },
    })
  }

  // ------------------------------------------------------------------ engine events → notifications

  private onEngineEvent(event: EngineEvent): void {
    switch (event.kind) {
      case 'bookDelta': {
        const inst = this.engine.instrument(event.symbol)
        const level = ([t, l]: [bigint, bigint]) => [
          l === 0n ? 'delete' : 'change',
          priceNumber(inst, t),
          amountNumber(inst, l),
        ]
        this.lastChangeId.set(event.symbol, event.lastUpdateId)
        const channel = `book.${event.symbol}.100ms`
        const frame = JSON.stringify({
          jsonrpc: '2.0',
          method: 'subscription',
          params: {
            channel,
            data: {
              type: 'change',
              timestamp: event.tsMs,
              instrument_name: event.symbol,
              prev_change_id: event.prevLastUpdateId,
              change_id: event.lastUpdateId,
              bids: event.bids.map(level),
              asks: event.asks.map(level),
            },
          },
        })
        this.publishBook(channel, frame)
        // the ticker reads the day's tape: built only when someone listens
        const tickerChannel = `ticker.${event.symbol}.100ms`
        if ([...this.connections].some((c) => c.channels.has(tickerChannel)))
          this.publish(tickerChannel, this.ticker(inst))
        return
      }
      case 'trade': {
        const inst = this.engine.instrument(event.symbol)
        this.publish(`trades.${event.symbol}.100ms`, [this.formatPublicTrade(inst, event)])
        this.publishChartTrades(inst, event.tsMs)
        return
      }
      case 'order': {
        const order = event.order
        if (event.execType === 'NEW' && this.pendingMeta && !this.meta.has(order.orderId)) {
          this.meta.set(order.orderId, this.pendingMeta)
          if (this.pendingConn) {
            this.pendingConn.createdOrderIds.add(order.orderId)
            this.orderConnection.set(order.orderId, this.pendingConn)
          }
        }
        const inst = this.engine.instrument(order.symbol)
        if (event.fill) this.bookInverseFill(inst, order, event.fill)
        const meta = this.meta.get(order.orderId) ?? defaultMeta()
        const formatted = this.formatOrder(order)
        this.publishUser(order.accountId, 'orders', inst, formatted)
        if (event.fill)
          this.publishUser(order.accountId, 'trades', inst, [
            this.formatTrade(inst, order, event.fill, meta, event.tsMs),
          ])
        return
      }
      case 'account': {
        // inverse fills touch the engine's internal USD asset: what changed is the instrument's coin
        const assets = new Set(event.assets.filter((a) => this.inverse.size === 0 || a !== INVERSE_QUOTE_ASSET))
        for (const symbol of event.symbols) {
          const terms = this.inverse.get(symbol)
          if (terms) assets.add(terms.coin)
        }
        for (const asset of assets) {
          const data = this.summary(event.accountId, asset)
          for (const conn of this.connections)
            if (conn.accountId === event.accountId && conn.channels.has(`user.portfolio.${asset.toLowerCase()}`))
              this.sendFrame(conn, {
                jsonrpc: '2.0',
                method: 'subscription',
                params: { channel: `user.portfolio.${asset.toLowerCase()}`, data },
              })
        }
        return
      }
      default:
        return
    }
  }

  private summary(accountId: string, currency: string): Record<string, unknown> {
    return formatDeribitAccountSummary(
      currency,
      this.isInverseCoin(currency)
        ? this.inverseMarginSummary(accountId, currency)
        : this.engine.marginSummary(accountId, currency),
    )
  }

  /** Coin account of the inverse instruments settled in `currency`: wallet + uPnL − position IM − open-order IM. */
  private inverseMarginSummary(accountId: string, currency: string): MarginSummary {
    let unrealizedE8 = 0n
    let initialE8 = 0n
    let maintenanceE8 = 0n
    let openOrdersE8 = 0n
    for (const [symbol, terms] of this.inverse) {
      if (terms.coin !== currency) continue
      const inst = this.engine.instrument(symbol)
      const margins = this.inverseMargins(accountId, inst)
      unrealizedE8 += inverseUnrealizedE8(
        this.ledger.position(accountId, symbol),
        this.engine.markPriceE8(symbol) ?? 0n,
      )
      initialE8 += margins.initialE8
      maintenanceE8 += margins.maintenanceE8
      openOrdersE8 += margins.openOrdersE8
    }
    const walletE8 = this.ledger.walletE8(accountId, currency)
    return {
      asset: currency,
      walletBalanceE8: walletE8,
      unrealizedPnlE8: unrealizedE8,
      positionInitialMarginE8: initialE8,
      openOrderInitialMarginE8: openOrdersE8,
      maintMarginE8: maintenanceE8,
      availableBalanceE8: walletE8 + unrealizedE8 - initialE8 - openOrdersE8,
    }
  }

  private isInverseCoin(currency: string): boolean {
    for (const terms of this.inverse.values()) if (terms.coin === currency) return true
    return false
  }

  /** Settlement currency: the coin for inverse instruments, the quote (USDC) for linear ones. */
  private settlementCurrency(inst: Instrument): string {
    return this.inverse.get(inst.symbol)?.coin ?? inst.quoteAsset
  }

  /** `currency` filter of get_instruments / get_positions: inverse by coin; linear by base or quote (unchanged). */
  private matchesCurrency(inst: Instrument, currency: unknown): boolean {
    if (currency === undefined || currency === 'any') return true
    const terms = this.inverse.get(inst.symbol)
    if (terms) return terms.coin === currency
    return inst.baseAsset === currency || inst.quoteAsset === currency
  }

  /** Price in 10^-8 USD per coin of an engine price in ticks. */
  private priceE8(inst: Instrument, priceTicks: bigint): bigint {
    return priceTicks * inst.tickUnits * 10n ** BigInt(8 - inst.priceDecimals)
  }

  /** Books an inverse fill in coin (fee, realized PnL, wallet) and remembers the result for its trade report. */
  private bookInverseFill(inst: Instrument, order: Readonly<EngineOrder>, fill: Fill): void {
    const terms = this.inverse.get(inst.symbol)
    if (!terms) return
    const key = `${order.orderId}:${fill.tradeId}`
    if (this.inverseFills.has(key)) return
    const usd = fill.lots * terms.contractSizeUsd
    const priceE8 = this.priceE8(inst, fill.priceTicks)
    const result = this.ledger.applyFill({
      accountId: order.accountId,
      symbol: inst.symbol,
      coin: terms.coin,
      signedUsd: order.side === 'BUY' ? usd : -usd,
      priceE8,
      feePpm: fill.isMaker ? terms.makerFeePpm : terms.takerFeePpm,
    })
    this.inverseFills.set(key, result)
    this.inverseOrderCoinE16.set(
      order.orderId,
      (this.inverseOrderCoinE16.get(order.orderId) ?? 0n) + (usd * 10n ** 24n) / priceE8,
    )
    if (this.inverseFills.size > INVERSE_SWEEP_THRESHOLD || this.inverseOrderCoinE16.size > INVERSE_SWEEP_THRESHOLD)
      this.sweepInverseOrders()
  }

  /** Forgets the coin facts of orders the engine no longer keeps (it retains a bounded number of closed orders). */
  private sweepInverseOrders(): void {
    for (const orderId of this.inverseOrderCoinE16.keys())
      if (this.engine.getOrder(orderId) === undefined) this.inverseOrderCoinE16.delete(orderId)
    for (const key of this.inverseFills.keys())
      if (this.engine.getOrder(Number(key.slice(0, key.indexOf(':')))) === undefined) this.inverseFills.delete(key)
  }

  /**
   * Coin margins of an inverse position (10^-8 coin, rounded up): initial = |size| / mark / leverage, maintenance =
   * |size| / mark · rate; open orders = the larger of the bid and ask sides (USD / limit price) / leverage, plus `extra`.
   */
  private inverseMargins(
    accountId: string,
    inst: Instrument,
    extra?: { side: Side; usd: bigint; priceTicks: bigint; replacesOrderId?: number },
  ): InverseMarginsE8 {
    const terms = this.inverse.get(inst.symbol)
    if (!terms) return { initialE8: 0n, maintenanceE8: 0n, openOrdersE8: 0n }
    const position = this.ledger.position(accountId, inst.symbol)
    const mark = this.engine.markPriceE8(inst.symbol)
    const sizeAbs = position.sizeUsd < 0n ? -position.sizeUsd : position.sizeUsd
    const coinE8 = sizeAbs === 0n || mark === null || mark === 0n ? 0n : usdToCoinE8(sizeAbs, mark)
    const leverage = BigInt(inst.leverage)
    let bidE8 = 0n
    let askE8 = 0n
    const sides: Array<{ side: Side; usd: bigint; priceTicks: bigint }> = []
    for (const o of this.engine.listOpenOrders(accountId, inst.symbol))
      if (o.priceTicks !== null && o.orderId !== extra?.replacesOrderId)
        sides.push({
          side: o.side,
          usd: (o.origLots - o.executedLots) * terms.contractSizeUsd,
          priceTicks: o.priceTicks,
        })
    if (extra) sides.push(extra)
    for (const o of sides) {
      const value = usdToCoinE8(o.usd, this.priceE8(inst, o.priceTicks))
      if (o.side === 'BUY') bidE8 += value
      else askE8 += value
    }
    const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b
    return {
      initialE8: ceilDiv(coinE8, leverage),
      maintenanceE8: ceilDiv(coinE8 * BigInt(inst.maintMarginRatePpm), 1_000_000n),
      openOrdersE8: ceilDiv(bidE8 > askE8 ? bidE8 : askE8, leverage),
    }
  }

  /**
   * Inverse instruments: refuses (10009 not_enough_funds) an order, or an amendment of `replacesOrderId`, that raises
   * the open-order coin margin while available funds would go below zero. Linear instruments: the engine checks margin.
   */
  private checkInverseMargin(
    accountId: string,
    inst: Instrument,
    side: Side,
    lots: bigint,
    priceTicks: bigint,
    replacesOrderId?: number,
  ): void {
    const terms = this.inverse.get(inst.symbol)
    if (!terms) return
    const available = this.inverseMarginSummary(accountId, terms.coin).availableBalanceE8
    const before = this.inverseMargins(accountId, inst)
    const after = this.inverseMargins(accountId, inst, {
      side,
      usd: lots * terms.contractSizeUsd,
      priceTicks,
      replacesOrderId,
    })
    if (after.openOrdersE8 > before.openOrdersE8 && available - (after.openOrdersE8 - before.openOrdersE8) < 0n)
      throw deribitReject('not_enough_funds')
  }

  private formatPosition(accountId: string, inst: Instrument): Record<string, unknown> {
    if (!this.inverse.has(inst.symbol))
      return formatDeribitPosition(inst, this.engine.positionView(accountId, inst.symbol))
    return formatDeribitInversePosition(
      inst,
      this.ledger.position(accountId, inst.symbol),
      this.engine.markPriceE8(inst.symbol) ?? 0n,
      this.inverseMargins(accountId, inst),
    )
  }

  /** A user trade; for inverse instruments the fee and PnL are in coin and the order id carries the coin. */
  private formatTrade(
    inst: Instrument,
    order: Readonly<EngineOrder>,
    fill: Fill,
    meta: DeribitOrderMeta,
    tsMs: number,
  ): Record<string, unknown> {
    const trade = formatDeribitUserTrade(inst, order, fill, meta, tsMs)
    const terms = this.inverse.get(inst.symbol)
    if (!terms) return trade
    const booked = this.inverseFills.get(`${order.orderId}:${fill.tradeId}`)
    return {
      ...trade,
      order_id: `${terms.coin}-${order.orderId}`,
      fee: e8Number(booked?.feeE8 ?? 0n),
      fee_currency: terms.coin,
      profit_loss: e8Number(booked?.realizedE8 ?? 0n),
    }
  }

  /**
   * `chart.trades.{instrument}.{resolution}`: after every print, the candle it fell in (as `get_tradingview_chart_data`
   * computes it), one notification per subscribed resolution: `{tick, open, high, low, close, volume, cost}`.
   */
  private publishChartTrades(inst: Instrument, tsMs: number): void {
    const prefix = `chart.trades.${inst.symbol}.`
    const resolutions = new Set<string>()
    for (const conn of this.connections)
      for (const channel of conn.channels) if (channel.startsWith(prefix)) resolutions.add(channel.slice(prefix.length))
    for (const resolution of resolutions) {
      const intervalMs = (resolution === '1D' ? 1440 : Number(resolution)) * 60_000
      const openMs = Math.floor(tsMs / intervalMs) * intervalMs
      const chart = this.chartData(inst, { resolution, start_timestamp: openMs, end_timestamp: tsMs })
      const at = (key: string) => (chart[key] as number[]).at(-1)
      if (at('ticks') !== openMs) continue
      this.publish(`${prefix}${resolution}`, {
        tick: openMs,
        open: at('open'),
        high: at('high'),
        low: at('low'),
        close: at('close'),
        volume: at('volume'),
        cost: at('cost'),
      })
    }
  }

  private publish(channel: string, data: unknown): void {
    for (const conn of this.connections)
      if (conn.channels.has(channel))
        this.sendFrame(conn, { jsonrpc: '2.0', method: 'subscription', params: { channel, data } })
  }

  /** Book changes go through the fault knobs (drop / duplicate / reorder / malformed / disconnect). */
  private publishBook(channel: string, frame: string): void {
    const decision = this.faults.nextDepthDecision()
    if (decision === 'drop') return
    if (decision === 'reorder' && !this.heldBook.has(channel)) {
      this.heldBook.set(channel, frame)
      return
    }
    const frames = decision === 'duplicate' ? [frame, frame] : [frame]
    const held = this.heldBook.get(channel)
    if (held !== undefined) {
      frames.push(held)
      this.heldBook.delete(channel)
    }
    for (const conn of this.connections) {
      if (!conn.channels.has(channel) || conn.awaitingSnapshot.has(channel)) continue
      for (const f of frames) {
        const bad = this.faults.malform(f)
        conn.transport.send(bad ?? f)
      }
    }
  }

  /** `user.orders|trades.{instrument}.{interval}` or `user.orders|trades.{kind}.{currency}.{interval}` (any = all). */
  private publishUser(accountId: string, topic: 'orders' | 'trades', inst: Instrument, data: unknown): void {
    for (const conn of this.connections) {
      if (conn.accountId !== accountId) continue
      for (const channel of conn.channels) {
        const parts = channel.split('.')
        if (parts[0] !== 'user' || parts[1] !== topic) continue
        const matches =
          parts.length === 4
            ? parts[2] === inst.symbol
            : parts.length === 5 &&
              (parts[2] === 'any' || parts[2] === 'future') &&
              (parts[3] === 'any' || parts[3] === inst.baseAsset || parts[3] === inst.quoteAsset)
        if (!matches) continue
        const interval = parts[parts.length - 1]
        const payload = topic === 'orders' && interval !== 'raw' ? [data] : data
        this.sendFrame(conn, { jsonrpc: '2.0', method: 'subscription', params: { channel, data: payload } })
      }
    }
  }
}

/** Deribit matches the currency of `user.portfolio.{currency}` in any case and notifies on the lower-case name. */
function channelKey(channel: string): string {
  return /^user\.portfolio\./i.test(channel) ? channel.toLowerCase() : channel
}

const CHART_RESOLUTIONS = new Set(['1', '3', '5', '10', '15', '30', '60', '120', '180', '360', '720', '1D'])

/** `kind` filter of the *_by_currency methods: the emulator lists futures (perpetuals and dated) only. */
function kindMatches(kind: unknown): boolean {
  return kind === undefined || kind === 'future' || kind === 'any'
}

/** `value` within the optional inclusive bounds (numbers or numeric strings). */
function inRange(value: number, from: unknown, to: unknown): boolean {
  if (from !== undefined && value < Number(from)) return false
  if (to !== undefined && value > Number(to)) return false
  return true
}

/**
 * `count` entries (default `defaultCount`, at most 1000) from the newest (sorting desc) or the oldest (asc). Sorting
 * "default" (or none) pages forward from `start_seq` / `start_timestamp` when one is given, else back from the newest.
 */
function pageOf<T>(
  oldestFirst: readonly T[],
  p: Record<string, unknown>,
  defaultCount: number,
): { items: T[]; hasMore: boolean } {
  const count = Math.max(1, Math.min(1000, Number(p.count ?? defaultCount) || defaultCount))
  const ascending =
    p.sorting === 'asc' || (p.sorting !== 'desc' && (p.start_seq !== undefined || p.start_timestamp !== undefined))
  if (ascending) return { items: oldestFirst.slice(0, count), hasMore: oldestFirst.length > count }
  const items = oldestFirst.slice(-count).reverse()
  return { items, hasMore: oldestFirst.length > count }
}

function parseSignedE8(text: string, field: string): bigint {
  return text.startsWith('-') ? -parseScaled(text.slice(1), 8, field) : parseScaled(text, 8, field)
}

function defaultMeta(): DeribitOrderMeta {
  return { label: '', postOnly: false, rejectPostOnly: false, replaced: false, cancelReason: undefined }
}

function bool(value: unknown): boolean {
  return value === true || value === 'true'
}

/** Request numbers arrive as JSON numbers (WS) or query strings (HTTP); both become exact decimal text. */
function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value)
    if (!/e/i.test(text)) return text
    return value.toFixed(20).replace(/\.?0+$/, '')
  }
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return value
  return undefined
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40)
}
