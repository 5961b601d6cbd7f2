import { createHash } from 'node:crypto'
import { computeAddress, isAddress } from 'ethers'
import { FaultController, type FaultSettings } from '../binance/FaultController.js'
import { resolveRequestClock } from '../clock/resolveRequestClock.js'
import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { GrvtRejectionError, grvtReject } from '../errors/grvt.js'
import { EngineHistory, type HistoryCandle, type RecordedTrade } from '../internal/EngineHistory.js'
import { createMarketDriver, type MarketConfig } from '../matching/createMarketDriver.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { MarketDriver } from '../matching/MarketDriver.js'
import { MatchingEngine } from '../matching/MatchingEngine.js'
import { parseScaled } from '../matching/parseScaled.js'
import type { Clock, EngineEvent, EngineOrder, Fill, Instrument, InstrumentSpec } from '../matching/types.js'
import { GRVT_LITE_ENDPOINTS } from './grvtLiteSchema.js'
import { recoverGrvtOrderSigner } from './recoverGrvtOrderSigner.js'
import { recoverGrvtTypedDataSigner } from './recoverGrvtTypedDataSigner.js'
import { grvtFullToLite, grvtLiteToFull } from './translateGrvtLite.js'

export type GrvtAccountConfig = {
  /** API key for `POST /auth/api_key/login` (a session on this sub-account only). Omit for wallet-login-only accounts. */
  apiKey?: string | undefined
  /** Trading key(s) registered as signers of this sub-account (hex private keys; only their addresses are kept). */
  signerPrivateKeys: string[]
  /**
   * Wallet of the main (funding) account owning this sub-account (hex private key; only its address is kept). Its
   * address is the `main_account_id`: it may `POST /auth/wallet/login` (a session on every sub-account of that main
   * account), sign orders for them and authorize builders. Several sub-accounts may share one main wallet.
   */
  mainAccountPrivateKey?: string | undefined
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
  /**
   * The emulator's market: `none`, `simulated`, `klines` or `replay` (see `MarketConfig`) on `instrument` (or `symbol`;
   * default the first instrument).
   */
  market?: (MarketConfig & { instrument?: string | undefined }) | undefined
  faults?: FaultSettings | undefined
  seed?: number | undefined
  clock?: Clock | undefined
  /**
   * The clock requests are checked against (signature expirations, login nonces, session cookies). Default: the wall clock
   * of a replay clock, otherwise `clock` (see `resolveRequestClock`).
   */
  requestClock?: Clock | undefined
  /** Session cookie lifetime (s). Default 3600. */
  sessionTtlSec?: number | undefined
  /**
   * Funding rate of each perpetual per 8 h in percentage points as GRVT reports it (e.g. { BTC_USDT_Perp: "0.01" } =
   * 0.01 %). Default "0". Reported by `ticker` / `v1.ticker.*` and by `funding` at every 8 h funding time (00, 08,
   * 16 UTC) the clock passes; not charged.
   */
  fundingRates?: Record<string, string> | undefined
  onInternalError?: ((error: unknown) => void) | undefined
}

export type GrvtTransport = { send(text: string): void; terminate(): void }

type Account = {
  apiKey: string | undefined
  subAccountId: string
  accountId: string
  signers: Set<string>
  /** Lower-case main account address, when configured. */
  mainAddress: string | undefined
}

/** One login session: which sub-accounts (engine account ids) it may use, and its main account when it has one. */
export type GrvtSession = {
  /** The `X-Grvt-Account-Id` issued at login (and required on every request of the session). */
  readonly accountHeader: string
  readonly accountIds: ReadonlySet<string>
  readonly mainAddress: string | undefined
  expiresAtMs: number
}

type BuilderApproval = { maxFuturesFeeRate: string; maxSpotFeeRate: string; maxFuturesFeeE4: bigint }
type OrderExtra = {
  clientOrderId: string
  postOnly: boolean
  signature: unknown
  /** Engine client order id, to recognise the order's first event. */
  engineClientOrderId: string
  builder: { address: string; feeE4Percent: number; feeText: string } | undefined
}

/** A `/full/v1/*` answer sent as is, not wrapped in `{result}` (GRVT's `get_sub_accounts`, `get_authorized_builders`). */
class BareBody {
  constructor(readonly body: unknown) {}
}
/**
 * `live` is false between subscribe and the snapshot: deltas flushed in between must not reach the subscriber.
 * Ticker streams (`v1.ticker.s|d`, `v1.mini.s|d`) publish every `rateMs` (`.d`: only when the feed changed).
 */
type Sub = {
  stream: string
  selector: string
  seq: number
  instrument: string | undefined
  live: boolean
  rateMs?: number | undefined
  nextMs?: number | undefined
  lastFeed?: string | undefined
}

const TICKER_STREAMS = new Set(['v1.ticker.s', 'v1.ticker.d', 'v1.mini.s', 'v1.mini.d'])
/** Endpoints that need a session; a name neither public (market data) nor here is unknown: 404 with or without one. */
const PRIVATE_ENDPOINTS = new Set([
  'get_sub_accounts',
  'aggregated_account_summary',
  'get_authorized_builders',
  'authorize_builder',
  'create_order',
  'cancel_order',
  'cancel_all_orders',
  'open_orders',
  'order',
  'order_history',
  'fill_history',
  'positions',
  'account_summary',
  'cancel_on_disconnect',
  'set_initial_leverage',
  'get_all_initial_leverage',
])
const FUNDING_INTERVAL_MS = 8 * 3_600_000
const KLINE_UNIT_MS: Record<string, number> = { M: 60_000, H: 3_600_000, D: 86_400_000, W: 604_800_000 }

/** One WebSocket connection of the GRVT emulator (market data, or private streams when it carried a session cookie). */
export class GrvtConnection {
  readonly subs = new Map<string, Sub>()
  closed = false
  constructor(
    readonly transport: GrvtTransport,
    /** The session of the upgrade request's cookie, when it carried a valid one. */
    readonly session: GrvtSession | undefined,
  ) {}
}

const TIF: Record<string, { code: number; engine: 'GTC' | 'IOC' | 'FOK' }> = {
  GOOD_TILL_TIME: { code: 1, engine: 'GTC' },
  ALL_OR_NONE: { code: 2, engine: 'FOK' },
  IMMEDIATE_OR_CANCEL: { code: 3, engine: 'IOC' },
  FILL_OR_KILL: { code: 4, engine: 'FOK' },
}
const UINT64_MAX = 2n ** 64n - 1n
const UINT32_MAX = 2n ** 32n - 1n
/** Wallet-login signatures may live at most 5 minutes (GRVT builder-examples `WALLET_LOGIN_README.md`). */
const WALLET_LOGIN_MAX_NS = 300n * 1_000_000_000n
/** Other signatures: at most 30 days. */
const SIGNATURE_MAX_NS = 30n * 86_400n * 1_000_000_000n
/** GRVT currency ids and balance decimals (pysdk `Currency` enum; USDT id 3 as in the transfer signing vectors). */
const CURRENCIES: ReadonlyArray<readonly [number, string, number]> = [
  [1, 'USD', 6],
  [2, 'USDC', 6],
  [3, 'USDT', 6],
  [4, 'ETH', 9],
  [5, 'BTC', 9],
]
const NO_BUILDER = new Set(['', '0x00', '0x0', '0x0000000000000000000000000000000000000000'])

/**
 * State of one GRVT emulator on the shared matching engine: API-key and EIP-712 wallet login issuing the `gravity`
 * session cookie and `X-Grvt-Account-Id`, `/full/v1/*` JSON endpoints (market data, trading, main-account summaries and
 * builder authorization), EIP-712 signature verification by public-key recovery (`Order`, `OrderWithBuilderFee`,
 * `WalletLogin`, `AuthorizeBuilder`), builder fees charged on fills, client-order-id rules, the cancel-on-disconnect
 * countdown, `v1.book.d` with per-subscription sequence numbers (snapshot 0, deltas +1) and the private `v1.order`,
 * `v1.fill`, `v1.position` streams. Transport-free.
 */
export class GrvtEmulator {
  readonly engine: MatchingEngine
  readonly faults: FaultController
  readonly clock: Clock
  /** Clock of request checks: signature expirations, login nonces, session cookies (see `resolveRequestClock`). */
  readonly requestClock: Clock
  readonly chainId: number
  readonly drivers: MarketDriver[] = []
  private readonly accountsByKey = new Map<string, Account>()
  private readonly accountsById = new Map<string, Account>()
  private readonly accountsBySub = new Map<string, Account>()
  private readonly sessions = new Map<string, GrvtSession>()
  /** Main account address → its sub-accounts. */
  private readonly mains = new Map<string, Account[]>()
  /** Main account address → builder address → approval. */
  private readonly builderApprovals = new Map<string, Map<string, BuilderApproval>>()
  /** `address|nonce` of wallet logins → expiration (ns): a pair is refused while its signature lives. */
  private readonly usedLoginNonces = new Map<string, bigint>()
  private readonly pendingBuilderFees: Array<{ accountId: string; asset: string; feeE8: bigint }> = []
  private readonly hashes = new Map<string, { hash: bigint; baseDecimals: number }>()
  private readonly connections = new Set<GrvtConnection>()
  private readonly codDeadlines = new Map<string, number>()
  private readonly held = new Map<GrvtConnection, Map<string, string>>()
  private readonly orderExtra = new Map<number, OrderExtra>()
  private readonly lastTrade = new Map<string, { priceTicks: bigint; lots: bigint }>()
  /** Latest order per (account, client order id): ids are unique only among active orders, so one id is reused. */
  private readonly latestByClientId = new Map<string, number>()
  private readonly sessionTtlMs: number
  private readonly seed: number
  private readonly onInternalError: (error: unknown) => void
  private orderIdCounter = 1
  private tradeIdCounter = 1
  private sessionCounter = 0
  private pendingExtra: OrderExtra | undefined
  /** What was traded (tape, fills, closed orders) for the history endpoints. */
  readonly history: EngineHistory
  /** Funding rate per 8 h in 10^-8 percentage points, by instrument. */
  private readonly fundingRateE8 = new Map<string, bigint>()
  /** Funding entries reported by `funding`, oldest first. */
  private readonly fundingLog: Array<{ instrument: string; timeMs: number; rateE8: bigint; markE8: bigint | null }> = []
  private lastFundingSlot: number

  constructor(options: GrvtEmulatorOptions) {
    this.clock = options.clock ?? { nowMs: () => Date.now() }
    this.requestClock = resolveRequestClock(this.clock, options.requestClock)
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
      const mainAddress =
        a.mainAccountPrivateKey === undefined
          ? undefined
          : addressOfKey(a.mainAccountPrivateKey, `accounts[${i}].mainAccountPrivateKey`).toLowerCase()
      const account: Account = {
        apiKey: a.apiKey,
        subAccountId: a.subAccountId,
        accountId: `grvt-${i}`,
        // the main account's wallet may sign orders for its sub-accounts
        signers: new Set([
          ...a.signerPrivateKeys.map((k, j) => addressOfKey(k, `accounts[${i}].signerPrivateKeys[${j}]`).toLowerCase()),
          ...(mainAddress === undefined ? [] : [mainAddress]),
        ]),
        mainAddress,
      }
      if (mainAddress !== undefined) this.mains.set(mainAddress, [...(this.mains.get(mainAddress) ?? []), account])
      const balances: Record<string, bigint> = {}
      for (const [asset, value] of Object.entries(a.balances))
        balances[asset] = parseScaled(value, 8, `accounts[${i}].balances`)
      this.engine.addAccount(account.accountId, balances)
      if (a.apiKey !== undefined) this.accountsByKey.set(a.apiKey, account)
      this.accountsById.set(account.accountId, account)
      this.accountsBySub.set(a.subAccountId, account)
    })
    this.history = new EngineHistory(this.engine)
    this.lastFundingSlot = Math.floor(this.clock.nowMs() / FUNDING_INTERVAL_MS)
    for (const [name, rate] of Object.entries(options.fundingRates ?? {})) {
      if (!this.engine.hasSymbol(name))
        throw new InvalidEmulatorConfigError({ field: `fundingRates.${name}`, reason: `unknown instrument ${name}` })
      this.fundingRateE8.set(name, signedE8(rate, `fundingRates.${name}`))
    }
    this.engine.onEvent((event) => this.onEngineEvent(event))
    const market = options.market
    if (market && market.kind !== 'none') {
      const name = market.instrument ?? market.symbol ?? specs[0]?.symbol ?? ''
      if (!this.engine.hasSymbol(name))
        throw new InvalidEmulatorConfigError({ field: 'market.instrument', reason: `unknown instrument ${name}` })
      const driver = createMarketDriver({ engine: this.engine, symbol: name, config: market, clock: this.clock })
      if (driver) this.drivers.push(driver)
    }
  }

  // ------------------------------------------------------------------ knobs

  /** Sets a perpetual's funding rate per 8 h, in percentage points (e.g. "0.01" = 0.01 %); reported, not charged. */
  setFundingRate(instrument: string, ratePercent8h: string): void {
    if (!this.engine.hasSymbol(instrument))
      throw new InvalidEmulatorConfigError({ field: 'instrument', reason: `unknown instrument ${instrument}` })
    this.fundingRateE8.set(instrument, signedE8(ratePercent8h, 'ratePercent8h'))
  }

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

  /** How many open connections are subscribed to `stream` (a test can await a client's subscription this way). */
  subscriptionCount(stream: string): number {
    let n = 0
    for (const conn of this.connections) for (const sub of conn.subs.values()) if (sub.stream === stream) n++
    return n
  }

  /** The builders a main account authorized (`authorize_builder`), keyed by lower-case builder address. */
  authorizedBuilders(mainAccountAddress: string): ReadonlyMap<string, Readonly<BuilderApproval>> {
    return this.builderApprovals.get(mainAccountAddress.toLowerCase()) ?? new Map()
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
    this.chargeBuilderFees()
    const slot = Math.floor(now / FUNDING_INTERVAL_MS)
    for (; this.lastFundingSlot < slot; ) {
      this.lastFundingSlot++
      for (const inst of this.engine.instruments())
        this.fundingLog.push({
          instrument: inst.symbol,
          timeMs: this.lastFundingSlot * FUNDING_INTERVAL_MS,
          rateE8: this.fundingRateE8.get(inst.symbol) ?? 0n,
          markE8: this.engine.markPriceE8(inst.symbol),
        })
    }
    this.publishTickers(now)
  }

  /** Debits the builder fees of fills seen since the last call (outside the engine's event dispatch). */
  private chargeBuilderFees(): void {
    for (const fee of this.pendingBuilderFees.splice(0))
      this.engine.adjustBalance(fee.accountId, fee.asset, -fee.feeE8, 'ADJUSTMENT')
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
    return this.openSession(account.accountId, new Set([account.accountId]), account.mainAddress, { status: 'success' })
  }

  /**
   * `POST /auth/wallet/login`: `{address, signature}` where the signature is EIP-712 `WalletLogin(signer, nonce,
   * expiration)` by `address`, living at most 5 minutes, each `(address, nonce)` usable once. Returns the cookie and
   * `X-Grvt-Account-Id` (the wallet address) with `{funding_account_address}`; a session on every sub-account of the
   * main account whose wallet signed.
   */
  walletLogin(body: unknown): { status: number; headers: Record<string, string>; body: unknown } {
    const fail = (status: number, code: number, message: string) => ({
      status,
      headers: {},
      body: { code, message, status },
    })
    const b = (body ?? {}) as Record<string, unknown>
    const address = b.address
    if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address))
      return fail(400, 1003, 'address must be a 0x-prefixed 20-byte hex address')
    const nowNs = BigInt(this.requestClock.nowMs()) * 1_000_000n
    let sig: ParsedSignature
    try {
      sig = this.parseSignature(b.signature, nowNs, WALLET_LOGIN_MAX_NS)
    } catch (error) {
      if (!(error instanceof GrvtRejectionError)) throw error
      // an expired signature is an authentication failure (401); every other malformed field is a 400
      return fail(error.grvtCode === 2001 ? 401 : 400, error.grvtCode, error.grvtMessage)
    }
    let recovered: string
    try {
      recovered = recoverGrvtTypedDataSigner(
        'WalletLogin',
        { signer: address, nonce: sig.nonce, expiration: sig.expiration },
        this.chainId,
        sig,
      ).toLowerCase()
    } catch {
      return fail(401, 2002, 'invalid signature')
    }
    const wallet = address.toLowerCase()
    if (recovered !== wallet || sig.signer !== wallet) return fail(401, 2002, 'invalid signature')
    const subs = this.mains.get(wallet)
    if (!subs) return fail(401, 1000, 'wallet address not registered')
    for (const [key, expiration] of this.usedLoginNonces) if (expiration <= nowNs) this.usedLoginNonces.delete(key)
    const nonceKey = `${wallet}|${sig.nonce}`
    if (this.usedLoginNonces.has(nonceKey)) return fail(401, 1000, 'signature already used')
    this.usedLoginNonces.set(nonceKey, sig.expiration)
    return this.openSession(wallet, new Set(subs.map((a) => a.accountId)), wallet, { funding_account_address: wallet })
  }

  private openSession(
    accountHeader: string,
    accountIds: Set<string>,
    mainAddress: string | undefined,
    body: unknown,
  ): { status: number; headers: Record<string, string>; body: unknown } {
    const cookie = createHash('sha256')
      .update(`${this.seed}:session:${++this.sessionCounter}`)
      .digest('hex')
    const expiresAtMs = this.requestClock.nowMs() + this.sessionTtlMs
    this.sessions.set(cookie, { accountHeader, accountIds, mainAddress, expiresAtMs })
    return {
      status: 200,
      headers: {
        'set-cookie': `gravity=${cookie}; Path=/; Expires=${new Date(expiresAtMs).toUTCString()}; HttpOnly; Secure`,
        'x-grvt-account-id': accountHeader,
      },
      body,
    }
  }

  /** The session of a request's `Cookie: gravity=…` + `X-Grvt-Account-Id`, or undefined. */
  sessionOf(cookie: string | undefined, accountIdHeader: string | undefined): GrvtSession | undefined {
    const match = /(?:^|;\s*)gravity=([0-9a-f]+)/.exec(cookie ?? '')
    const s = match ? this.sessions.get(match[1] ?? '') : undefined
    if (!s || s.expiresAtMs <= this.requestClock.nowMs() || s.accountHeader !== accountIdHeader) return undefined
    return s
  }

  /** `POST /full/v1/<name>`. */
  handleFull(name: string, body: unknown, session: GrvtSession | undefined): { status: number; body: unknown } {
    try {
      const p = (body ?? {}) as Record<string, unknown>
      const result = this.dispatch(name, p, session)
      return { status: 200, body: result instanceof BareBody ? result.body : { result } }
    } catch (error) {
      if (error instanceof GrvtRejectionError)
        return {
          status: error.httpStatus,
          body: { code: error.grvtCode, message: error.grvtMessage, status: error.httpStatus },
        }
      this.onInternalError(error)
      return { status: 500, body: { code: 1001, message: 'Internal error', status: 500 } }
    } finally {
      this.chargeBuilderFees()
    }
  }

  /**
   * `POST /lite/v1/<name>`: GRVT's lite protocol, translated over {@link handleFull}: the request's short keys to full
   * names, the answer (or error `{c, m, s}`) back to short keys, with {@link GRVT_LITE_ENDPOINTS}' structs.
   */
  handleLite(name: string, body: unknown, session: GrvtSession | undefined): { status: number; body: unknown } {
    const structs = Object.hasOwn(GRVT_LITE_ENDPOINTS, name)
      ? GRVT_LITE_ENDPOINTS[name as keyof typeof GRVT_LITE_ENDPOINTS]
      : undefined
    if (structs === undefined)
      return {
        status: 404,
        body: grvtFullToLite({ code: 1004, message: `Unknown endpoint ${name}`, status: 404 }, 'Error'),
      }
    const full = this.handleFull(name, grvtLiteToFull(body ?? {}, structs[0]), session)
    return { status: full.status, body: grvtFullToLite(full.body, full.status === 200 ? structs[1] : 'Error') }
  }

  private dispatch(name: string, p: Record<string, unknown>, session: GrvtSession | undefined): unknown {
    switch (name) {
      case 'instrument':
        return this.instrumentInfo(this.instrumentOf(p.instrument))
      case 'all_instruments':
      case 'instruments':
        return this.engine.instruments().map((i) => this.instrumentInfo(i))
      case 'book': {
        const depth = p.depth === undefined ? 10 : Number(p.depth)
        if (![10, 50, 100, 500].includes(depth)) throw grvtReject(3031, 'Depth is invalid', 400)
        return this.book(this.instrumentOf(p.instrument), depth)
      }
      case 'ticker':
        return this.ticker(this.instrumentOf(p.instrument))
      case 'mini':
        return this.miniTicker(this.instrumentOf(p.instrument))
      case 'trade': {
        const inst = this.instrumentOf(p.instrument)
        const limit = limitOf(p.limit, 500)
        return this.history
          .trades(inst.symbol)
          .slice(-limit)
          .reverse()
          .map((t) => this.formatPublicTrade(inst, t))
      }
      case 'trade_history': {
        const inst = this.instrumentOf(p.instrument)
        const trades = this.history
          .trades(inst.symbol)
          .filter((t) => inTimeRange(t.tsMs, p))
          .reverse()
        return this.page(trades, p, (t) => this.formatPublicTrade(inst, t))
      }
      case 'kline':
        return this.klines(this.instrumentOf(p.instrument), p)
      case 'funding': {
        const inst = this.instrumentOf(p.instrument)
        const entries = this.fundingLog
          .filter((f) => f.instrument === inst.symbol && inTimeRange(f.timeMs, p))
          .reverse()
        return this.page(entries, p, (f) => ({
          instrument: f.instrument,
          funding_rate: formatRate(f.rateE8),
          funding_time: String(BigInt(f.timeMs) * 1_000_000n),
          mark_price: f.markE8 === null ? '0' : formatScaled(f.markE8, 8),
          funding_rate_8_h_avg: formatRate(f.rateE8),
          funding_interval_hours: 8,
        }))
      }
      case 'currency':
        return CURRENCIES.map(([id, symbol, decimals]) => ({
          id: String(id),
          symbol,
          balance_decimals: decimals,
          quantity_multiplier: String(10n ** BigInt(decimals)),
        }))
    }
    // unknown endpoints are not found whether or not the caller logged in (GRVT answers 404, not 401)
    if (!PRIVATE_ENDPOINTS.has(name)) throw grvtReject(1004, `Unknown endpoint ${name}`, 404)
    if (session === undefined) throw grvtReject(1000, 'You need to authenticate prior to using this functionality', 401)
    switch (name) {
      case 'get_sub_accounts':
        return new BareBody({
          sub_account_ids: [...session.accountIds].map((id) => this.accountsById.get(id)?.subAccountId ?? ''),
        })
      case 'aggregated_account_summary':
        return this.aggregatedSummary(this.mainOf(session))
      case 'get_authorized_builders':
        return new BareBody({
          results: [...this.authorizedBuilders(this.mainOf(session))].map(([builder, a]) => ({
            builder_account_id: builder,
            max_futures_fee_rate: a.maxFuturesFeeRate,
            max_spot_fee_rate: a.maxSpotFeeRate,
          })),
        })
      case 'authorize_builder':
        return this.authorizeBuilder(this.mainOf(session), p)
    }
    const account = this.subAccountOfSession(session, p.sub_account_id)
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
        return this.engine
          .instruments()
          .filter((i) => matchesFilter(p, i))
          .reduce((n, i) => n + this.engine.cancelAll(account.accountId, i.symbol).length, 0)
      case 'open_orders':
        return this.engine
          .listOpenOrders(account.accountId)
          .filter((o) => matchesFilter(p, this.engine.instrument(o.symbol)))
          .map((o) => this.formatOrder(o))
      case 'order': {
        const order = this.findOrder(account, p)
        if (!order) throw grvtReject(3021, 'Order not found', 400)
        return this.formatOrder(order)
      }
      case 'order_history': {
        const orders = this.history
          .closedOrders(account.accountId)
          .filter((o) => matchesFilter(p, this.engine.instrument(o.symbol)) && inTimeRange(o.updatedTsMs, p))
          .reverse()
        return this.page(orders, p, (o) => this.formatOrder(o))
      }
      case 'fill_history': {
        const fills = this.history
          .fills(account.accountId)
          .filter((f) => matchesFilter(p, this.engine.instrument(f.order.symbol)) && inTimeRange(f.tsMs, p))
          .reverse()
        return this.page(fills, p, (f) => this.formatFill(f.order, f.fill, f.tsMs))
      }
      case 'set_initial_leverage': {
        const inst = this.instrumentOf(p.instrument)
        const leverage = Number(p.leverage)
        if (!Number.isInteger(leverage) || leverage < 1 || leverage > inst.leverage)
          throw grvtReject(1003, `leverage must be a whole number in [1, ${inst.leverage}]`, 400)
        // the engine keeps leverage per account and instrument: margins and positions follow
        this.engine.setAccountLeverage(account.accountId, inst.symbol, leverage)
        return new BareBody({ success: true })
      }
      case 'get_all_initial_leverage':
        return new BareBody({
          results: this.engine.instruments().map((i) => ({
            instrument: i.symbol,
            leverage: `${this.leverageOf(account, i)}.0`,
            min_leverage: '1.0',
            max_leverage: `${i.leverage}.0`,
            margin_type: 'CROSS',
          })),
        })
      case 'positions':
        return this.engine
          .instruments()
          .filter((i) => matchesFilter(p, i))
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

  /** The session's main account address; sessions without one (API key on a sub-account without a main wallet) are refused. */
  private mainOf(session: GrvtSession): string {
    if (session.mainAddress === undefined)
      throw grvtReject(1001, 'You are not authorized to access this functionality', 403)
    return session.mainAddress
  }

  /** The sub-account a request names (`sub_account_id`), which the session must cover; the only one when omitted. */
  private subAccountOfSession(session: GrvtSession, subAccountId: unknown): Account {
    if (subAccountId === undefined) {
      const [only, ...rest] = session.accountIds
      const account = only === undefined || rest.length > 0 ? undefined : this.accountsById.get(only)
      if (!account) throw grvtReject(1003, 'sub_account_id is required', 400)
      return account
    }
    const account = this.accountsBySub.get(String(subAccountId))
    if (!account || !session.accountIds.has(account.accountId))
      throw grvtReject(1001, 'You are not authorized to access this functionality', 403)
    return account
  }

  private aggregatedSummary(mainAddress: string): Record<string, unknown> {
    let walletE8 = 0n
    let equityE8 = 0n
    let availableE8 = 0n
    for (const account of this.mains.get(mainAddress) ?? []) {
      const m = this.engine.marginSummary(account.accountId, 'USDT')
      walletE8 += m.walletBalanceE8
      equityE8 += m.walletBalanceE8 + m.unrealizedPnlE8
      availableE8 += m.availableBalanceE8
    }
    return {
      main_account_id: mainAddress,
      total_equity: formatScaled(equityE8, 8),
      spot_balances: [{ currency: 'USDT', balance: formatScaled(walletE8, 8), index_price: '1' }],
      vault_investments: [],
      total_sub_account_balance: formatScaled(walletE8, 8),
      total_sub_account_equity: formatScaled(equityE8, 8),
      total_vault_investments_balance: '0',
      total_sub_account_available_balance: formatScaled(availableE8, 8),
      total_usd_notional_invested: '0',
    }
  }

  /**
   * `full/v1/authorize_builder` (an upsert): EIP-712 `AuthorizeBuilder` signed by the main account's wallet; the caps
   * are percent strings, signed as percent × 10^4 (uint32).
   */
  private authorizeBuilder(mainAddress: string, p: Record<string, unknown>): { ack: true } {
    const mainId = String(p.main_account_id ?? '').toLowerCase()
    if (mainId !== mainAddress) throw grvtReject(1001, 'main_account_id is not the main account of this session', 403)
    const builder = p.builder_account_id
    if (typeof builder !== 'string' || !isAddress(builder))
      throw grvtReject(1003, 'builder_account_id must be an address', 400)
    const maxFuturesFeeRate = String(p.max_futures_fee_rate ?? '')
    const maxSpotFeeRate = String(p.max_spot_fee_rate ?? '')
    const maxFuturesFeeE4 = percentE4(maxFuturesFeeRate, 'max_futures_fee_rate')
    const maxSpotFeeE4 = percentE4(maxSpotFeeRate, 'max_spot_fee_rate')
    const sig = this.parseSignature(p.signature, BigInt(this.requestClock.nowMs()) * 1_000_000n, SIGNATURE_MAX_NS)
    const message = {
      mainAccountID: mainId,
      builderAccountID: builder,
      maxFutureFeeRate: maxFuturesFeeE4,
      maxSpotFeeRate: maxSpotFeeE4,
      nonce: sig.nonce,
      expiration: sig.expiration,
    }
    const recovered = this.recoverOrReject('AuthorizeBuilder', message, sig)
    if (recovered !== mainId) throw grvtReject(2000, 'Signature is from an unauthorized signer', 400)
    const approvals = this.builderApprovals.get(mainId) ?? new Map<string, BuilderApproval>()
    this.builderApprovals.set(mainId, approvals)
    approvals.set(builder.toLowerCase(), { maxFuturesFeeRate, maxSpotFeeRate, maxFuturesFeeE4 })
    return { ack: true }
  }

  /**
   * Checks a `signature` object's shape and lifetime: r/s 32 bytes (2006), v 27/28 (2005), chain id (1012), not expired
   * (2001), not beyond `maxLifetimeNs` (2008), nonce uint32.
   */
  private parseSignature(raw: unknown, nowNs: bigint, maxLifetimeNs: bigint): ParsedSignature {
    const sig = (raw ?? {}) as Record<string, unknown>
    if (
      typeof sig.r !== 'string' ||
      typeof sig.s !== 'string' ||
      !/^0x[0-9a-fA-F]{64}$/.test(sig.r) ||
      !/^0x[0-9a-fA-F]{64}$/.test(sig.s)
    )
      throw grvtReject(2006, 'signature r/s must be 32 bytes', 400)
    const v = Number(sig.v)
    if (v !== 27 && v !== 28) throw grvtReject(2005, 'signature v must be 27 or 28', 400)
    if (sig.chain_id !== undefined && String(sig.chain_id) !== '0' && String(sig.chain_id) !== String(this.chainId))
      throw grvtReject(1012, 'bad chain id', 400)
    const expirationText = String(sig.expiration ?? '')
    if (!/^\d+$/.test(expirationText)) throw grvtReject(1003, 'signature expiration must be unix nanoseconds', 400)
    const expiration = BigInt(expirationText)
    if (expiration <= nowNs) throw grvtReject(2001, 'signature expired', 400)
    if (expiration > nowNs + maxLifetimeNs) throw grvtReject(2008, 'Signature exceeds maximum allowed duration', 400)
    const nonce = Number(sig.nonce)
    if (!Number.isInteger(nonce) || nonce < 0 || nonce > 0xffffffff) throw grvtReject(1003, 'nonce must be uint32', 400)
    return { r: sig.r, s: sig.s, v, nonce, expiration, signer: String(sig.signer ?? '').toLowerCase() }
  }

  /** The recovered signer (lower case), which must also be the `signer` the request claims (else 2002). */
  private recoverOrReject(
    name: 'AuthorizeBuilder' | 'WalletLogin',
    message: Record<string, unknown>,
    sig: ParsedSignature,
  ): string {
    let recovered: string
    try {
      recovered = recoverGrvtTypedDataSigner(name, message, this.chainId, sig).toLowerCase()
    } catch {
      throw grvtReject(2002, 'Signature does not match payload', 400)
    }
    if (recovered !== sig.signer) throw grvtReject(2002, 'Signature does not match payload', 400)
    return recovered
  }

  /** `mini` / `v1.mini.*`: top of book, mark and last trade. */
  private miniTicker(inst: Instrument): Record<string, unknown> {
    const { bid, ask } = this.engine.bestBidAsk(inst.symbol)
    const price = (ticks: bigint) => formatScaled(ticks * inst.tickUnits, inst.priceDecimals)
    const size = (lots: bigint) => formatScaled(lots * inst.stepUnits, inst.qtyDecimals)
    const mark = this.engine.markPriceE8(inst.symbol)
    const last = this.lastTrade.get(inst.symbol)
    const ticker: Record<string, unknown> = {
      event_time: String(BigInt(this.clock.nowMs()) * 1_000_000n),
      instrument: inst.symbol,
    }
    if (mark !== null) {
      ticker.mark_price = formatScaled(mark, 8)
      ticker.index_price = formatScaled(mark, 8)
    }
    if (last) {
      ticker.last_price = price(last.priceTicks)
      ticker.last_size = size(last.lots)
    }
    if (bid) {
      ticker.best_bid_price = price(bid[0])
      ticker.best_bid_size = size(bid[1])
    }
    if (ask) {
      ticker.best_ask_price = price(ask[0])
      ticker.best_ask_size = size(ask[1])
    }
    // the mid may fall on half a tick: one more decimal keeps it exact
    if (bid && ask) ticker.mid_price = formatScaled((bid[0] + ask[0]) * inst.tickUnits * 5n, inst.priceDecimals + 1)
    return ticker
  }

  /** `ticker` / `v1.ticker.*`: the mini ticker plus 24 h statistics of the tape and the funding rate. */
  private ticker(inst: Instrument): Record<string, unknown> {
    const price = (ticks: bigint) => formatScaled(ticks * inst.tickUnits, inst.priceDecimals)
    const day = this.history.tradesSince(inst.symbol, this.clock.nowMs() - 86_400_000)
    const volume = { BUY: { lots: 0n, quote: 0n }, SELL: { lots: 0n, quote: 0n } }
    let high: bigint | undefined
    let low: bigint | undefined
    for (const t of day) {
      volume[t.takerSide].lots += t.lots
      volume[t.takerSide].quote += t.lots * t.priceTicks
      if (high === undefined || t.priceTicks > high) high = t.priceTicks
      if (low === undefined || t.priceTicks < low) low = t.priceTicks
    }
    const base = (lots: bigint) => formatScaled(lots * inst.stepUnits, inst.qtyDecimals)
    const quote = (tickLots: bigint) =>
      formatScaled(tickLots * inst.tickUnits * inst.stepUnits, inst.priceDecimals + inst.qtyDecimals)
    const rate = formatRate(this.fundingRateE8.get(inst.symbol) ?? 0n)
    const first = day[0]
    let openInterestLots = 0n
    for (const accountId of this.accountsById.keys()) {
      const lots = this.engine.positionView(accountId, inst.symbol).lots
      if (lots > 0n) openInterestLots += lots
    }
    return {
      ...this.miniTicker(inst),
      funding_rate_8h_curr: rate,
      funding_rate_8h_avg: rate,
      funding_rate: rate,
      next_funding_time: String(BigInt((this.lastFundingSlot + 1) * FUNDING_INTERVAL_MS) * 1_000_000n),
      interest_rate: '0',
      forward_price: '0',
      buy_volume_24h_b: base(volume.BUY.lots),
      sell_volume_24h_b: base(volume.SELL.lots),
      buy_volume_24h_q: quote(volume.BUY.quote),
      sell_volume_24h_q: quote(volume.SELL.quote),
      ...(first ? { open_price: price(first.priceTicks) } : {}),
      ...(high !== undefined ? { high_price: price(high) } : {}),
      ...(low !== undefined ? { low_price: price(low) } : {}),
      open_interest: base(openInterestLots),
      long_short_ratio: '1',
    }
  }

  private leverageOf(account: Account, inst: Instrument): number {
    return this.engine.leverageOf(account.accountId, inst.symbol)
  }

  /** One `trade` / `trade_history` / `v1.trade` element. */
  private formatPublicTrade(inst: Instrument, t: Omit<RecordedTrade, 'external'>): Record<string, unknown> {
    const price = formatScaled(t.priceTicks * inst.tickUnits, inst.priceDecimals)
    return {
      event_time: String(BigInt(t.tsMs) * 1_000_000n),
      instrument: inst.symbol,
      is_taker_buyer: t.takerSide === 'BUY',
      size: formatScaled(t.lots * inst.stepUnits, inst.qtyDecimals),
      price,
      mark_price: price,
      index_price: price,
      interest_rate: '0',
      forward_price: price,
      trade_id: String(t.tradeId),
      venue: 'ORDERBOOK',
      is_rpi: false,
    }
  }

  /** `{result, next}` page of `items` (already in answer order) from the `cursor` offset, `limit` (default 500) long. */
  private page<T>(items: readonly T[], p: Record<string, unknown>, format: (item: T) => unknown): BareBody {
    const limit = limitOf(p.limit, 500)
    let offset = 0
    if (typeof p.cursor === 'string' && p.cursor !== '') {
      const decoded = Number(Buffer.from(p.cursor, 'base64url').toString())
      if (!Number.isInteger(decoded) || decoded < 0) throw grvtReject(1003, 'cursor is invalid', 400)
      offset = decoded
    }
    const slice = items.slice(offset, offset + limit)
    const more = offset + limit < items.length
    return new BareBody({
      result: slice.map(format),
      next: more ? Buffer.from(String(offset + limit)).toString('base64url') : '',
    })
  }

  /** `kline` (type TRADE): candles of the tape, newest first; with no start_time the last `limit` intervals. */
  private klines(inst: Instrument, p: Record<string, unknown>): BareBody {
    const intervalMs = klineIntervalMs(String(p.interval ?? ''))
    if (intervalMs === null) throw grvtReject(1003, 'interval is invalid', 400)
    const type = p.type === undefined ? 'TRADE' : String(p.type)
    if (type !== 'TRADE') throw grvtReject(1003, `kline type ${type} is not served by the emulator (TRADE only)`, 400)
    const limit = limitOf(p.limit, 500)
    const endMs = p.end_time === undefined ? this.clock.nowMs() : nsToMs(p.end_time)
    const startMs = p.start_time === undefined ? endMs - (limit - 1) * intervalMs : nsToMs(p.start_time)
    const candles = this.history.candles(inst.symbol, intervalMs, startMs, endMs, () => 1n).reverse()
    return this.page(candles, p, (c) => this.formatCandle(inst, c, intervalMs))
  }

  /** One `kline` element / `v1.candle` feed; `trades` the number of prints. */
  private formatCandle(inst: Instrument, c: HistoryCandle, intervalMs: number): Record<string, unknown> {
    const price = (ticks: bigint) => formatScaled(ticks * inst.tickUnits, inst.priceDecimals)
    return {
      open_time: String(BigInt(c.openMs) * 1_000_000n),
      close_time: String(BigInt(c.openMs + intervalMs) * 1_000_000n),
      open: price(c.open),
      close: price(c.close),
      high: price(c.high),
      low: price(c.low),
      volume_b: formatScaled(c.volumeLots * inst.stepUnits, inst.qtyDecimals),
      volume_q: formatScaled(c.quoteTickLots * inst.tickUnits * inst.stepUnits, inst.priceDecimals + inst.qtyDecimals),
      trades: Number(c.measured),
      instrument: inst.symbol,
    }
  }

  /** `v1.candle` (selector `instrument@CI_<n>_<unit>-TRADE`): after every print, the candle it fell in. */
  private publishCandles(inst: Instrument, tsMs: number): void {
    for (const conn of this.connections)
      for (const sub of conn.subs.values()) {
        if (sub.stream !== 'v1.candle' || sub.instrument !== inst.symbol) continue
        const intervalMs = candleSelectorIntervalMs(sub.selector)
        if (intervalMs === null) continue
        const openMs = Math.floor(tsMs / intervalMs) * intervalMs
        const candle = this.history.candles(inst.symbol, intervalMs, openMs, tsMs, () => 1n).at(-1)
        if (candle === undefined || candle.openMs !== openMs) continue
        sub.seq += 1
        this.send(conn, {
          stream: sub.stream,
          selector: sub.selector,
          sequence_number: String(sub.seq),
          feed: this.formatCandle(inst, candle, intervalMs),
        })
      }
  }

  /** Publishes the ticker streams whose period has come (`.d`: only a changed feed). */
  private publishTickers(now: number): void {
    for (const conn of this.connections)
      for (const sub of conn.subs.values()) {
        if (!TICKER_STREAMS.has(sub.stream) || !sub.live || sub.instrument === undefined) continue
        if (!this.engine.hasSymbol(sub.instrument) || now < (sub.nextMs ?? 0)) continue
        sub.nextMs = now + (sub.rateMs ?? 500)
        this.sendTicker(conn, sub)
      }
  }

  private sendTicker(conn: GrvtConnection, sub: Sub): void {
    const inst = this.engine.instrument(sub.instrument ?? '')
    const feed = sub.stream.startsWith('v1.mini') ? this.miniTicker(inst) : this.ticker(inst)
    const { event_time: _time, ...content } = feed
    const key = JSON.stringify(content)
    if (sub.stream.endsWith('.d') && key === sub.lastFeed) return
    sub.lastFeed = key
    this.send(conn, { stream: sub.stream, selector: sub.selector, sequence_number: String(sub.seq++), feed })
  }

  /** The order's `builder` / `builder_fee` (percent), or undefined when it names none (`"0x00"` is none). */
  private orderBuilder(o: Record<string, unknown>): OrderExtra['builder'] {
    const address = o.builder
    if (address === undefined || address === null || (typeof address === 'string' && NO_BUILDER.has(address)))
      return undefined
    if (typeof address !== 'string' || !isAddress(address)) throw grvtReject(1003, 'builder must be an address', 400)
    const feeText = String(o.builder_fee ?? '')
    return { address, feeE4Percent: Number(percentE4(feeText, 'builder_fee')), feeText }
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
    const nowNs = BigInt(this.clock.nowMs()) * 1_000_000n
    const sig = this.parseSignature(o.signature, BigInt(this.requestClock.nowMs()) * 1_000_000n, SIGNATURE_MAX_NS)
    const builder = this.orderBuilder(o)
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
          limitPrice: o.is_market === true && (price === '' || price === 'null') ? 0n : truncate(price, 9),
          isBuyingContract: leg.is_buying_asset === true,
        },
      ],
      nonce: sig.nonce,
      expiration: sig.expiration,
      builder: builder === undefined ? undefined : { address: builder.address, feeE4Percent: builder.feeE4Percent },
    }
    let recovered: string
    try {
      recovered = recoverGrvtOrderSigner(message, this.chainId, sig)
    } catch {
      throw grvtReject(2002, 'signature does not match the payload', 400)
    }
    if (recovered.toLowerCase() !== sig.signer) throw grvtReject(2002, 'signature does not match the payload', 400)
    if (!account.signers.has(recovered.toLowerCase()))
      throw grvtReject(2000, 'signer is not authorized for the sub account', 400)
    if (String(o.sub_account_id) !== account.subAccountId) throw grvtReject(2003, 'sub account mismatch', 400)
    if (builder !== undefined) {
      // the builder must be authorized by the sub-account's main account, with a cap at least this order's fee
      const approval =
        account.mainAddress === undefined
          ? undefined
          : this.builderApprovals.get(account.mainAddress)?.get(builder.address.toLowerCase())
      if (!approval) throw grvtReject(1001, `builder ${builder.address} is not authorized by the main account`, 403)
      if (BigInt(builder.feeE4Percent) > approval.maxFuturesFeeE4)
        throw grvtReject(1001, `builder_fee ${builder.feeText} exceeds the authorized max_futures_fee_rate`, 403)
    }
    // --- grid
    let lots: bigint
    let priceTicks: bigint
    try {
      const units = parseScaled(size, inst.qtyDecimals, 'size')
      const pUnits = o.is_market === true ? 0n : parseScaled(price, inst.priceDecimals, 'limit_price')
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
    const engineClientOrderId = `${clientOrderId}#${this.orderIdCounter}`
    this.pendingExtra = { clientOrderId, postOnly, signature: o.signature, engineClientOrderId, builder }
    const result = this.engine.placeOrder({
      accountId: account.accountId,
      symbol: inst.symbol,
      side: leg.is_buying_asset === true ? 'BUY' : 'SELL',
      type: o.is_market === true ? 'MARKET' : 'LIMIT',
      timeInForce: postOnly ? 'GTX' : tif.engine,
      priceTicks: o.is_market === true ? null : priceTicks,
      lots,
      clientOrderId: engineClientOrderId,
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
      builder: extra?.builder?.address.toLowerCase() ?? '0x00',
      builder_fee: extra?.builder?.feeText ?? '0.0',
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
      leverage: String(this.leverageOf(account, inst)),
    }
  }

  // ------------------------------------------------------------------ WebSocket

  openConnection(transport: GrvtTransport, session: GrvtSession | undefined): GrvtConnection {
    const conn = new GrvtConnection(transport, session)
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
    if (isPrivate && conn.session === undefined) {
      this.send(conn, {
        jsonrpc: '2.0',
        id,
        error: { code: 1000, message: 'You need to authenticate prior to using this functionality' },
      })
      return
    }
    if (!isPrivate && !['v1.book.d', 'v1.trade', 'v1.candle'].includes(stream) && !TICKER_STREAMS.has(stream)) {
      this.send(conn, { jsonrpc: '2.0', id, error: { code: 1004, message: `unknown stream ${stream}` } })
      return
    }
    const badCandle =
      stream === 'v1.candle' ? selectors.find((sel) => candleSelectorIntervalMs(sel) === null) : undefined
    if (badCandle !== undefined) {
      this.send(conn, {
        jsonrpc: '2.0',
        id,
        error: {
          code: 1003,
          message: `selector ${badCandle} is not served (interval CI_<n>_M|H|D|W, type TRADE only)`,
        },
      })
      return
    }
    const snapshots: Sub[] = []
    const tickers: Sub[] = []
    for (const selector of selectors) {
      const instrument = selector.split('@')[0]
      const sub: Sub = {
        stream,
        selector,
        seq: 0,
        instrument: isPrivate ? undefined : instrument,
        live: stream !== 'v1.book.d',
      }
      if (TICKER_STREAMS.has(stream)) {
        const rate = Number(selector.split('@')[1] ?? 500)
        sub.rateMs = Number.isFinite(rate) && rate > 0 ? rate : 500
        sub.nextMs = 0
        tickers.push(sub)
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
      // ticker streams: the first feed right after the subscribe answer, then every rate ms (on tick)
      for (const sub of tickers) {
        if (
          !sub.instrument ||
          !this.engine.hasSymbol(sub.instrument) ||
          conn.subs.get(`${sub.stream}|${sub.selector}`) !== sub
        )
          continue
        sub.nextMs = this.clock.nowMs() + (sub.rateMs ?? 500)
        this.sendTicker(conn, sub)
      }
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
      this.lastTrade.set(event.symbol, { priceTicks: event.priceTicks, lots: event.lots })
      const inst = this.engine.instrument(event.symbol)
      const feed = this.formatPublicTrade(inst, event)
      for (const conn of this.connections)
        for (const sub of conn.subs.values()) {
          if (sub.stream !== 'v1.trade' || sub.instrument !== event.symbol) continue
          sub.seq += 1
          this.send(conn, { stream: sub.stream, selector: sub.selector, sequence_number: String(sub.seq), feed })
        }
      this.publishCandles(inst, event.tsMs)
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
      if (this.pendingExtra?.engineClientOrderId === order.clientOrderId && !this.orderExtra.has(order.orderId))
        this.orderExtra.set(order.orderId, this.pendingExtra)
      const builder = this.orderExtra.get(order.orderId)?.builder
      if (event.fill && builder) {
        // builder fee = notional × builder_fee %, truncated to 10^-8 of the quote asset, debited after the match
        const inst = this.engine.instrument(order.symbol)
        const notionalUnits = event.fill.lots * inst.stepUnits * event.fill.priceTicks * inst.tickUnits
        const feeE8 =
          (notionalUnits * BigInt(builder.feeE4Percent) * 10n ** 8n) /
          (10n ** BigInt(inst.qtyDecimals + inst.priceDecimals) * 1_000_000n)
        if (feeE8 > 0n) this.pendingBuilderFees.push({ accountId: order.accountId, asset: inst.quoteAsset, feeE8 })
      }
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
      // percentage points, as GRVT states its rates (taker 450 ppm = "0.045"): the engine's rate for this side
      fee_rate: formatRate(BigInt(fill.isMaker ? inst.makerFeePpm : inst.takerFeePpm) * 10_000n),
      trade_id: String(fill.tradeId),
      order_id: `0x${order.orderId.toString(16)}`,
      venue: 'ORDERBOOK',
      client_order_id: extra?.clientOrderId ?? order.clientOrderId,
    }
  }

  private publishPrivate(account: Account, stream: string, instrument: string, feed: unknown): void {
    for (const conn of this.connections) {
      if (!conn.session?.accountIds.has(account.accountId)) continue
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

type ParsedSignature = { r: string; s: string; v: number; nonce: number; expiration: bigint; signer: string }

/** A percent decimal string as GRVT signs it: trunc(percent × 10^4), a uint32 (ccxt, builder-examples `authorize.py`). */
function percentE4(value: string, field: string): bigint {
  if (!/^\d+(?:\.\d+)?$/.test(value)) throw grvtReject(1003, `${field} must be a decimal percent`, 400)
  const scaled = truncate(value, 4)
  if (scaled > UINT32_MAX) throw grvtReject(1003, `${field} is out of range`, 400)
  return scaled
}

/**
 * The address of a configured private key. A malformed key is refused with what is wrong (length, characters), never
 * with the key itself (ethers' own error would echo it, so it is never reached).
 */
function addressOfKey(privateKey: string, field: string): string {
  const body = typeof privateKey === 'string' ? privateKey.replace(/^0x/i, '') : ''
  const problem =
    typeof privateKey !== 'string'
      ? 'is not a string'
      : /\s/.test(body)
        ? 'contains whitespace'
        : /[^0-9a-fA-F]/.test(body)
          ? `has a character that is not a hex digit (at ${body.search(/[^0-9a-fA-F]/) + 1})`
          : body.length !== 64
            ? `has ${body.length} hex digits, 64 expected`
            : BigInt(`0x${body}`) === 0n || BigInt(`0x${body}`) >= SECP256K1_ORDER
              ? 'is zero or not below the secp256k1 order'
              : undefined
  if (problem !== undefined)
    throw new InvalidEmulatorConfigError({ field, reason: `the private key ${problem} (the key is not shown)` })
  return computeAddress(`0x${body}`)
}

const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/** GRVT's optional `kind` / `base` / `quote` list filters (absent or empty = all); the emulator lists perpetuals only. */
/** `limit` of a list endpoint: default `fallback`, at most 1000. */
function limitOf(value: unknown, fallback: number): number {
  const n = value === undefined ? fallback : Number(value)
  if (!Number.isInteger(n) || n < 1) throw grvtReject(1003, 'limit must be a positive whole number', 400)
  return Math.min(n, 1000)
}

/** Unix ns (string or number) → ms. */
function nsToMs(value: unknown): number {
  if ((typeof value !== 'string' && typeof value !== 'number') || !/^\d+$/.test(String(value)))
    throw grvtReject(1003, 'time must be unix nanoseconds', 400)
  return Number(BigInt(String(value)) / 1_000_000n)
}

/** `tsMs` within the request's optional [start_time, end_time] (unix ns). */
function inTimeRange(tsMs: number, p: Record<string, unknown>): boolean {
  if (p.start_time !== undefined && tsMs < nsToMs(p.start_time)) return false
  if (p.end_time !== undefined && tsMs > nsToMs(p.end_time)) return false
  return true
}

/** A rate in 10^-8 percentage points as GRVT prints it ("0.01", "-0.0034"). */
function formatRate(rateE8: bigint): string {
  const text = formatScaled(rateE8, 8).replace(/0+$/, '')
  return text.endsWith('.') ? `${text}0` : text
}

function signedE8(text: string, field: string): bigint {
  return text.startsWith('-') ? -parseScaled(text.slice(1), 8, field) : parseScaled(text, 8, field)
}

function matchesFilter(p: Record<string, unknown>, inst: Instrument): boolean {
  const allows = (list: unknown, value: string) => !Array.isArray(list) || list.length === 0 || list.includes(value)
  return allows(p.kind, 'PERPETUAL') && allows(p.base, inst.baseAsset) && allows(p.quote, inst.quoteAsset)
}

/** Milliseconds of a GRVT kline interval `CI_<n>_M|H|D|W`, or null. */
function klineIntervalMs(interval: string): number | null {
  const match = /^CI_(\d+)_([MHDW])$/.exec(interval)
  if (!match || Number(match[1]) <= 0) return null
  return Number(match[1]) * (KLINE_UNIT_MS[match[2] ?? 'M'] ?? 60_000)
}

/** The interval of a `v1.candle` selector `instrument@CI_<n>_<unit>-TRADE`, or null (other types are not served). */
function candleSelectorIntervalMs(selector: string): number | null {
  const match = /^[^@]+@(CI_\d+_[MHDW])-TRADE$/.exec(selector)
  return match ? klineIntervalMs(match[1] ?? '') : null
}
