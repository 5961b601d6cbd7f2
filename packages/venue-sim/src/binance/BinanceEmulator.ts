import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import { resolveRequestClock } from '../clock/resolveRequestClock.js'
import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { createMarketDriver, type MarketConfig } from '../matching/createMarketDriver.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { MarketDriver } from '../matching/MarketDriver.js'
import { MatchingEngine, marginAssetOf } from '../matching/MatchingEngine.js'
import { parseScaled } from '../matching/parseScaled.js'
import type { Clock, EngineEvent, Instrument, InstrumentSpec } from '../matching/types.js'
import { aggregateKlines, isKlineInterval, klineOpenTime } from './aggregateKlines.js'
import { attachWsApi } from './attachWsApi.js'
import { BinanceHistory } from './BinanceHistory.js'
import { FaultController, type FaultSettings } from './FaultController.js'
import {
  type BinanceFundingRateConfig,
  FUNDING_INTERVAL_MS,
  FundingSchedule,
  fundingTimeAtOrBefore,
} from './FundingSchedule.js'
import { formatExecutionReport } from './formatExecutionReport.js'
import { formatAccountUpdate, formatE8, formatOrderTradeUpdate, formatPrice, formatQty } from './formatFutures.js'
import { fundingIncomeE8 } from './fundingIncomeE8.js'
import { formatKline, ticker24h } from './historyRoutes.js'
import { ListenKeyRegistry } from './ListenKeyRegistry.js'
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './RateLimiter.js'
import type { RouteContext } from './routeTypes.js'
import { StreamHub } from './StreamHub.js'
import { SPOT_PREFIX } from './spotPrefix.js'

export type BinanceAccountConfig = {
  apiKey: string
  apiSecret: string
  /** Futures (USDⓈ-M) wallet, decimal strings, e.g. { USDT: "10000" }. */
  balances: Record<string, string>
  /** Spot wallet, e.g. { USDT: "10000", ETH: "5" }. Default: empty. */
  spotBalances?: Record<string, string> | undefined
}

export type BinanceSymbolConfig = string | (Partial<InstrumentSpec> & { symbol: string })

/**
 * The emulator's market (futures: `market`, spot: `spotMarket`): `none`, `simulated`, `klines` or `replay` (see
 * `MarketConfig`); `symbol` is the wire symbol (default the first one).
 */
export type BinanceMarketConfig = MarketConfig

export type BinanceEmulatorOptions = {
  /** Futures symbols. Default ["ETHUSDT"]. Defaults per symbol: tick 0.01, step 0.001, min notional 20, fees 2/5 bps, leverage 20. */
  symbols?: BinanceSymbolConfig[] | undefined
  /** Spot symbols (served under /api/v3). Default: the futures symbol names with spot defaults (step 0.0001, min notional 5). */
  spotSymbols?: BinanceSymbolConfig[] | undefined
  accounts: BinanceAccountConfig[]
  market?: BinanceMarketConfig | undefined
  spotMarket?: BinanceMarketConfig | undefined
  faults?: FaultSettings | undefined
  /** Seed for fault decisions, generated ids and listenKeys. Default 1. */
  seed?: number | undefined
  /** Emulator clock. Default: wall clock. */
  clock?: Clock | undefined
  /**
   * The clock requests are checked against (timestamp/recvWindow, listenKeys, rate limits, server time). Default: the wall
   * clock of a replay clock, otherwise `clock` (see `resolveRequestClock`).
   */
  requestClock?: Clock | undefined
  /**
   * Funding rate per 8 h of each perpetual, keyed by symbol: a constant (`{ ETHUSDT: "0.0001" }`) or a schedule
   * (`{ ETHUSDT: [{ fundingTimeMs, rate }, …] }`). Charged at every funding time (00:00, 08:00, 16:00 UTC on the emulator clock)
   * to every open position. Default 0.0001 for every symbol.
   */
  fundingRates?: Record<string, BinanceFundingRateConfig> | undefined
  rateLimits?: Partial<RateLimits> | undefined
  /** listenKey lifetime. Default 60 min. */
  listenKeyTtlMs?: number | undefined
  /** First order id. Default 4_000_000_000 (Binance-sized). */
  firstOrderId?: number | undefined
  /** Wall-clock ms between server pings. Default 180 000; 0 disables. */
  pingIntervalMs?: number | undefined
  /** Called with unexpected errors inside request handlers (answered 500 / -1000). Default: print to stderr. */
  onInternalError?: ((error: unknown) => void) | undefined
}

export type EmulatorAccount = { apiKey: string; apiSecret: string; accountId: string; spotAccountId: string }

const FUTURES_DEFAULTS: Omit<InstrumentSpec, 'symbol' | 'baseAsset' | 'quoteAsset'> = {
  kind: 'perp',
  tickSize: '0.01',
  stepSize: '0.001',
  minQty: '0.001',
  maxQty: '10000',
  minNotional: '20',
  makerFeePpm: 200,
  takerFeePpm: 500,
  leverage: 20,
  maintMarginRatePpm: 5000,
}

const SPOT_DEFAULTS: Omit<InstrumentSpec, 'symbol' | 'baseAsset' | 'quoteAsset'> = {
  kind: 'spot',
  tickSize: '0.01',
  stepSize: '0.0001',
  minQty: '0.0001',
  maxQty: '9000',
  minNotional: '5',
  makerFeePpm: 1000,
  takerFeePpm: 1000,
}

const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'BTC', 'ETH']

/**
 * State of one Binance emulator: the matching engine, accounts, rate limits, listenKeys, countdown (dead-man) timers, the market
 * driver and the WebSocket hub. Transport-free; `startBinanceEmulator` puts HTTP and WebSocket servers in front of it.
 */
export class BinanceEmulator {
  readonly engine: MatchingEngine
  readonly clock: Clock
  /** Clock of request checks: signed timestamps, listenKeys, rate limits, server time (see `resolveRequestClock`). */
  readonly requestClock: Clock
  readonly faults: FaultController
  readonly limiter: RateLimiter
  readonly listenKeys: ListenKeyRegistry
  readonly hub: StreamHub
  readonly futuresSymbols: string[]
  readonly spotSymbols: string[]
  readonly drivers: MarketDriver[] = []
  /** What was traded and replayed: the tape per symbol, fills, orders and income per account (history endpoints read it). */
  readonly history = new BinanceHistory()
  private readonly accountsByKey = new Map<string, EmulatorAccount>()
  private readonly accountsById = new Map<string, EmulatorAccount>()
  /** Dead-man switches: key `${accountId}\u0000${symbol}` → deadline (emulator ms). */
  readonly countdowns = new Map<string, { accountId: string; symbol: string; deadlineMs: number }>()
  private readonly rng: RandomGenerator
  private readonly lastTop = new Map<string, string>()
  private readonly pendingBalanceChange = new Map<string, Map<string, bigint>>()
  private orderIdCounter: number
  private readonly spotSubscribers = new Map<number, { accountId: string; send: (event: unknown) => void }>()
  private nextSubscriptionId = 0
  private nextMarkPriceMs = 0
  private readonly onInternalError: (error: unknown) => void
  private tradeIdCounter = 1_000_000_000
  private readonly lastKlineOpen = new Map<string, number>()
  /** Funding rates of the perpetuals (constant or scheduled). */
  readonly funding = new FundingSchedule()
  private nextFundingMs: number

  constructor(options: BinanceEmulatorOptions) {
    this.clock = options.clock ?? { nowMs: () => Date.now() }
    this.requestClock = resolveRequestClock(this.clock, options.requestClock)
    this.onInternalError =
      options.onInternalError ?? ((error) => process.stderr.write(`alp-venue-sim internal error: ${String(error)}\n`))
    const seed = options.seed ?? 1
    this.rng = xoroshiro128plus(seed ^ 0x5bd1e995)
    this.faults = new FaultController(seed, options.faults)
    this.limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits })
    this.listenKeys = new ListenKeyRegistry(options.listenKeyTtlMs ?? 3_600_000, () => this.randomString(64))
    this.orderIdCounter = options.firstOrderId ?? 4_000_000_000
    const futures = (options.symbols ?? ['ETHUSDT']).map((s) => toSpec(s, FUTURES_DEFAULTS, ''))
    const spot = (options.spotSymbols ?? futures.map((f) => f.symbol)).map((s) => toSpec(s, SPOT_DEFAULTS, SPOT_PREFIX))
    this.futuresSymbols = futures.map((f) => f.symbol)
    this.spotSymbols = spot.map((s) => s.symbol.slice(SPOT_PREFIX.length))
    this.engine = new MatchingEngine({
      clock: this.clock,
      ids: { nextOrderId: () => this.orderIdCounter++, nextTradeId: () => this.tradeIdCounter++ },
      instruments: [...futures, ...spot],
    })
    options.accounts.forEach((a, i) => {
      if (this.accountsByKey.has(a.apiKey)) {
        throw new InvalidEmulatorConfigError({ field: `accounts[${i}].apiKey`, reason: 'duplicate API key' })
      }
      const account: EmulatorAccount = {
        apiKey: a.apiKey,
        apiSecret: a.apiSecret,
        accountId: `futures-${i}`,
        spotAccountId: `spot-${i}`,
      }
      this.engine.addAccount(account.accountId, toE8Record(a.balances, `accounts[${i}].balances`))
      this.engine.addAccount(account.spotAccountId, toE8Record(a.spotBalances ?? {}, `accounts[${i}].spotBalances`))
      this.accountsByKey.set(a.apiKey, account)
      this.accountsById.set(account.accountId, account)
    })
    this.hub = new StreamHub({
      faults: this.faults,
      resolveListenKey: (key) => this.listenKeys.active(key, this.requestClock.nowMs())?.accountId ?? null,
      pingIntervalMs: options.pingIntervalMs ?? 180_000,
      attachWsApi: (ws, product, ip) => attachWsApi(this, ws, product, ip),
    })
    for (const [symbol, config] of Object.entries(options.fundingRates ?? {})) {
      if (!this.futuresSymbols.includes(symbol)) {
        throw new InvalidEmulatorConfigError({
          field: `fundingRates.${symbol}`,
          reason: `not one of the futures symbols ${this.futuresSymbols.join(', ')}`,
        })
      }
      this.funding.set(symbol, config, `fundingRates.${symbol}`)
    }
    this.engine.onEvent((event) => this.onEngineEvent(event))
    const now = this.clock.nowMs()
    this.nextFundingMs = fundingTimeAtOrBefore(now) + FUNDING_INTERVAL_MS
    if (options.market) this.addDriver(options.market, '')
    if (options.spotMarket) this.addDriver(options.spotMarket, SPOT_PREFIX)
  }

  accountByApiKey(apiKey: string): EmulatorAccount | undefined {
    return this.accountsByKey.get(apiKey)
  }

  /** Deterministic alphanumeric string from the emulator's seeded generator (listenKeys, generated client order ids). */
  randomString(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[uniformInt(this.rng, 0, alphabet.length - 1)]
    return out
  }

  /**
   * Advances emulator time: market drivers, dead-man switches, listenKey expiry, then publishes book changes. Called by a wall-clock
   * timer when running live, or by tests after moving a manual clock.
   */
  tick(): void {
    this.settleFunding()
    const now = this.clock.nowMs()
    for (const driver of this.drivers) driver.advance(now)
    for (const [key, countdown] of [...this.countdowns]) {
      if (countdown.deadlineMs <= now) {
        this.countdowns.delete(key)
        this.engine.cancelAll(countdown.accountId, countdown.symbol)
      }
    }
    for (const entry of this.listenKeys.collectExpired(this.requestClock.nowMs()))
      this.hub.expireListenKey(entry.listenKey, now)
    this.flushMarket()
    if (now >= this.nextMarkPriceMs) {
      this.nextMarkPriceMs = (Math.floor(now / 1000) + 1) * 1000
      this.publishMarkPrices(now)
    }
  }

  /** The next funding time (ms) on the emulator clock: 00:00, 08:00 or 16:00 UTC. */
  nextFundingTimeMs(): number {
    return this.nextFundingMs
  }

  /** The rate (decimal string, 8 decimals) `symbol` will be charged at the funding time `fundingTimeMs`. */
  fundingRateAt(symbol: string, fundingTimeMs: number): string {
    return formatE8(this.funding.rateE8At(symbol, fundingTimeMs))
  }

  /** Changes the funding rate (constant or schedule) of a futures symbol from now on; funding already applied is kept. */
  setFundingRate(symbol: string, config: BinanceFundingRateConfig): void {
    if (!this.futuresSymbols.includes(symbol)) {
      throw new InvalidEmulatorConfigError({ field: 'symbol', reason: `${symbol} is not a futures symbol` })
    }
    this.funding.set(symbol, config, `fundingRates.${symbol}`)
  }

  /**
   * Applies every funding time the emulator clock has passed, once each and in order. Before each one the market drivers advance
   * to it, so the position and the mark are those at the funding time even when the clock jumped over several. Every open position
   * on each perpetual is charged size × mark × rate (longs pay a positive rate, shorts receive it): the wallet changes, a
   * `FUNDING_FEE` income row is booked at the funding time, and the account's user-data stream gets `ACCOUNT_UPDATE` with reason
   * `FUNDING_FEE` (balance only, as Binance sends it for cross margin). Called by `tick()` and before every request.
   */
  settleFunding(): void {
    const now = this.clock.nowMs()
    while (this.nextFundingMs <= now) {
      const fundingTimeMs = this.nextFundingMs
      for (const driver of this.drivers) driver.advance(fundingTimeMs)
      for (const symbol of this.futuresSymbols) this.applyFunding(symbol, fundingTimeMs)
      this.nextFundingMs = fundingTimeMs + FUNDING_INTERVAL_MS
    }
  }

  private applyFunding(symbol: string, fundingTimeMs: number): void {
    const inst = this.engine.instrument(symbol)
    const rateE8 = this.funding.rateE8At(symbol, fundingTimeMs)
    const mark = this.engine.markPriceE8(symbol)
    this.history.recordFunding({ symbol, fundingTimeMs, rateE8, markPriceE8: mark ?? 0n })
    // Without any price there can be no position.
    if (mark === null) return
    const asset = marginAssetOf(inst)
    for (const account of this.accountsById.values()) {
      const position = this.engine.account(account.accountId).positions.get(symbol)
      if (!position || position.lots === 0n) continue
      const amountE8 = fundingIncomeE8(position.lots, inst, mark, rateE8)
      if (amountE8 === 0n) continue
      this.pendingBalanceChange.set(account.accountId, new Map([[asset, amountE8]]))
      this.history.addIncome(account.accountId, symbol, 'FUNDING_FEE', amountE8, asset, fundingTimeMs, null)
      this.engine.adjustBalance(account.accountId, asset, amountE8, 'FUNDING_FEE')
    }
  }

  /** Partial book `<sym>@depth5|10|20[@100ms|@500ms]` (futures): the top levels after each change, with the diff's ids. */
  private publishPartialDepth(
    inst: Instrument,
    event: { tsMs: number; firstUpdateId: number; lastUpdateId: number; prevLastUpdateId: number },
  ): void {
    const base = streamNames(inst, 'depth')[0] as string
    for (const levels of [5, 10, 20]) {
      const names = [`${base}${levels}`, `${base}${levels}@100ms`, `${base}${levels}@250ms`, `${base}${levels}@500ms`]
      if (!this.hub.hasSubscriber(names)) continue
      const snap = this.engine.snapshot(inst.symbol, levels)
      const rows = (side: Array<[bigint, bigint]>) => side.map(([p, q]) => [formatPrice(p, inst), formatQty(q, inst)])
      this.hub.publish(names, {
        e: 'depthUpdate',
        E: event.tsMs,
        T: event.tsMs,
        s: inst.symbol,
        U: event.firstUpdateId,
        u: event.lastUpdateId,
        pu: event.prevLastUpdateId,
        b: rows(snap.bids),
        a: rows(snap.asks),
      })
    }
  }

  /**
   * `<sym>@markPrice` / `@markPrice@1s` (every emulator second): mark = mid of the book, index = mark, `r` the rate of the next
   * funding time `T`.
   */
  private publishMarkPrices(now: number): void {
    for (const symbol of this.futuresSymbols) {
      const mark = this.engine.markPriceE8(symbol)
      if (mark === null) continue
      const inst = this.engine.instrument(symbol)
      const p = formatE8(mark)
      this.hub.publish([...streamNames(inst, 'markPrice'), ...streamNames(inst, 'markPrice@1s')], {
        e: 'markPriceUpdate',
        E: now,
        s: symbol,
        p,
        ap: p,
        P: p,
        i: p,
        r: this.fundingRateAt(symbol, this.nextFundingMs),
        T: this.nextFundingMs,
      })
    }
  }

  /** WS-API user-data subscription of a spot account; returns the subscriptionId. */
  subscribeSpotUserData(spotAccountId: string, send: (event: unknown) => void): number {
    const id = this.nextSubscriptionId++
    this.spotSubscribers.set(id, { accountId: spotAccountId, send })
    return id
  }

  unsubscribeSpotUserData(subscriptionId: number): void {
    this.spotSubscribers.delete(subscriptionId)
  }

  private publishSpot(accountId: string, event: unknown): void {
    for (const sub of this.spotSubscribers.values()) if (sub.accountId === accountId) sub.send(event)
  }

  /** Merges fault settings (runtime knob changes). */
  setFaults(settings: FaultSettings): void {
    this.faults.set(settings)
  }

  reportInternalError(error: unknown): void {
    this.onInternalError(error)
  }

  /** Expires listenKeys now (fault knob): every key, or one. */
  expireListenKeysNow(listenKey?: string | undefined): void {
    this.listenKeys.expireNow(this.requestClock.nowMs(), listenKey)
    this.tick()
  }

  /** Publishes pending book deltas and bookTicker changes of every symbol. */
  flushMarket(): void {
    for (const inst of this.engine.instruments()) {
      this.engine.flushBook(inst.symbol)
      this.publishBookTicker(inst)
    }
  }

  private addDriver(market: BinanceMarketConfig, prefix: string): void {
    if (market.kind === 'none') return
    const names = prefix === '' ? this.futuresSymbols : this.spotSymbols
    const wire = market.symbol ?? names[0]
    if (wire === undefined || !names.includes(wire)) {
      throw new InvalidEmulatorConfigError({
        field: 'market.symbol',
        reason: `${String(wire)} is not one of ${names.join(', ')}`,
      })
    }
    const symbol = prefix + wire
    const driver = createMarketDriver({
      engine: this.engine,
      symbol,
      config: market,
      clock: this.clock,
      // the capture is Binance's own: its update ids are kept (streams re-emit the captured U/u/pu chain)
      keepUpdateIds: true,
      field: prefix === '' ? 'market' : 'spotMarket',
    })
    if (driver) this.drivers.push(driver)
  }

  private publishBookTicker(inst: Instrument): void {
    const top = this.engine.bestBidAsk(inst.symbol)
    const key = `${top.bid?.[0]}:${top.bid?.[1]}:${top.ask?.[0]}:${top.ask?.[1]}`
    if (this.lastTop.get(inst.symbol) === key) return
    this.lastTop.set(inst.symbol, key)
    const now = this.clock.nowMs()
    const isSpot = inst.kind === 'spot'
    const wire = isSpot ? inst.symbol.slice(SPOT_PREFIX.length) : inst.symbol
    const zeroPrice = formatPrice(0n, inst)
    const zeroQty = formatQty(0n, inst)
    const body = {
      u: top.updateId,
      s: wire,
      b: top.bid ? formatPrice(top.bid[0], inst) : zeroPrice,
      B: top.bid ? formatQty(top.bid[1], inst) : zeroQty,
      a: top.ask ? formatPrice(top.ask[0], inst) : zeroPrice,
      A: top.ask ? formatQty(top.ask[1], inst) : zeroQty,
    }
    const data = isSpot ? body : { e: 'bookTicker', ...body, T: now, E: now }
    this.hub.publish(streamNames(inst, 'bookTicker'), data, isSpot ? 'spot' : 'futures')
  }

  private onEngineEvent(event: EngineEvent): void {
    this.history.record(event, (symbol) => {
      const inst = this.engine.instrument(symbol)
      return inst.kind === 'perp' ? marginAssetOf(inst) : null
    })
    switch (event.kind) {
      case 'bookDelta': {
        const inst = this.engine.instrument(event.symbol)
        const isSpot = inst.kind === 'spot'
        const wire = isSpot ? inst.symbol.slice(SPOT_PREFIX.length) : inst.symbol
        const levels = (rows: Array<[bigint, bigint]>) =>
          rows.map(([p, q]) => [formatPrice(p, inst), formatQty(q, inst)])
        const data = isSpot
          ? {
              e: 'depthUpdate',
              E: event.tsMs,
              s: wire,
              U: event.firstUpdateId,
              u: event.lastUpdateId,
              b: levels(event.bids),
              a: levels(event.asks),
            }
          : {
              e: 'depthUpdate',
              E: event.tsMs,
              T: event.tsMs,
              s: wire,
              U: event.firstUpdateId,
              u: event.lastUpdateId,
              pu: event.prevLastUpdateId,
              b: levels(event.bids),
              a: levels(event.asks),
            }
        this.hub.publishDepth(event.symbol, depthStreamNames(inst), data, isSpot ? 'spot' : 'futures')
        if (!isSpot) this.publishPartialDepth(inst, event)
        return
      }
      case 'trade': {
        const inst = this.engine.instrument(event.symbol)
        this.publishTickerAndKlines(inst, event.tsMs)
        const m = event.takerSide === 'SELL'
        if (inst.kind === 'spot') {
          const wire = inst.symbol.slice(SPOT_PREFIX.length)
          const p = spotDecimal(event.priceTicks * inst.tickUnits, inst.priceDecimals)
          const q = spotDecimal(event.lots * inst.stepUnits, inst.qtyDecimals)
          this.hub.publish(
            streamNames(inst, 'aggTrade'),
            {
              e: 'aggTrade',
              E: event.tsMs,
              s: wire,
              a: event.tradeId,
              p,
              q,
              f: event.tradeId,
              l: event.tradeId,
              T: event.tsMs,
              m,
              M: true,
            },
            'spot',
          )
          this.hub.publish(
            streamNames(inst, 'trade'),
            { e: 'trade', E: event.tsMs, s: wire, t: event.tradeId, p, q, T: event.tsMs, m, M: true },
            'spot',
          )
          return
        }
        const p = formatPrice(event.priceTicks, inst)
        const q = formatQty(event.lots, inst)
        this.hub.publish(streamNames(inst, 'aggTrade'), {
          e: 'aggTrade',
          E: event.tsMs,
          a: event.tradeId,
          s: inst.symbol,
          p,
          q,
          nq: q,
          f: event.tradeId,
          l: event.tradeId,
          T: event.tsMs,
          m,
        })
        this.hub.publish(streamNames(inst, 'trade'), {
          e: 'trade',
          E: event.tsMs,
          T: event.tsMs,
          s: inst.symbol,
          t: event.tradeId,
          p,
          q,
          X: 'MARKET',
          m,
        })
        return
      }
      case 'order': {
        const inst = this.engine.instrument(event.order.symbol)
        if (inst.kind === 'spot') {
          this.publishSpot(
            event.order.accountId,
            formatExecutionReport(event, inst, () => this.randomString(22)),
          )
          return
        }
        if (!this.accountsById.has(event.order.accountId)) return
        const view = this.engine.positionView(event.order.accountId, event.order.symbol)
        this.hub.publishPrivate(event.order.accountId, formatOrderTradeUpdate(event, inst, view))
        return
      }
      case 'account': {
        if (event.assets.length > 0 && !this.accountsById.has(event.accountId)) {
          const balances = this.engine.account(event.accountId).balances
          this.publishSpot(event.accountId, {
            e: 'outboundAccountPosition',
            E: event.tsMs,
            u: event.tsMs,
            B: event.assets.map((a) => {
              const b = balances.get(a)
              return { a, f: formatE8((b?.walletE8 ?? 0n) - (b?.lockedE8 ?? 0n)), l: formatE8(b?.lockedE8 ?? 0n) }
            }),
          })
          return
        }
        if (!this.accountsById.has(event.accountId)) return
        const changes = this.pendingBalanceChange.get(event.accountId) ?? new Map<string, bigint>()
        this.pendingBalanceChange.delete(event.accountId)
        this.hub.publishPrivate(
          event.accountId,
          formatAccountUpdate(
            this.engine,
            event.accountId,
            event.tsMs,
            event.reason,
            event.assets,
            event.symbols,
            changes,
          ),
        )
        return
      }
      default:
        return
    }
  }

  /**
   * `<sym>@ticker` (24hrTicker), `<sym>@miniTicker` (24hrMiniTicker) and `<sym>@kline_<interval>` after a print: the rolling 24 h statistics and the candle the print
   * fell in (`x` false while the interval is open; the previous candle is sent once with `x` true when a print opens a new one).
   */
  private publishTickerAndKlines(inst: Instrument, tsMs: number): void {
    const venue = inst.kind === 'spot' ? 'spot' : 'futures'
    const product = venue === 'spot' ? 'spot' : 'futures'
    const wire = inst.kind === 'spot' ? inst.symbol.slice(SPOT_PREFIX.length) : inst.symbol
    const tickerNames = streamNames(inst, 'ticker')
    const miniNames = streamNames(inst, 'miniTicker')
    const wantMini = this.hub.hasSubscriber(miniNames, venue)
    if (wantMini) {
      const t = ticker24h(this.routeView(tsMs), inst, product)
      this.hub.publish(
        miniNames,
        {
          e: '24hrMiniTicker',
          E: tsMs,
          s: wire,
          c: t.lastPrice,
          o: t.openPrice,
          h: t.highPrice,
          l: t.lowPrice,
          v: t.volume,
          q: t.quoteVolume,
        },
        venue,
      )
    }
    if (this.hub.hasSubscriber(tickerNames, venue)) {
      const t = ticker24h(this.routeView(tsMs), inst, product)
      this.hub.publish(
        tickerNames,
        {
          e: '24hrTicker',
          E: tsMs,
          s: wire,
          p: t.priceChange,
          P: t.priceChangePercent,
          w: t.weightedAvgPrice,
          c: t.lastPrice,
          Q: t.lastQty,
          o: t.openPrice,
          h: t.highPrice,
          l: t.lowPrice,
          v: t.volume,
          q: t.quoteVolume,
          O: t.openTime,
          C: t.closeTime,
          F: t.firstId,
          L: t.lastId,
          n: t.count,
        },
        venue,
      )
    }
    const prefix = `${wire.toLowerCase()}@kline_`
    const intervals = this.hub.subscribedSuffixes(prefix, venue).filter(isKlineInterval)
    for (const interval of intervals) {
      const name = `${prefix}${interval}`
      const openTime = klineOpenTime(interval, tsMs)
      const key = `${inst.symbol}\u0000${interval}`
      const lastOpen = this.lastKlineOpen.get(key)
      // Only the prints of the previous candle onwards are needed.
      const trades = this.history.trades(inst.symbol)
      const from = Math.min(lastOpen ?? openTime, openTime)
      let first = trades.length
      while (first > 0 && (trades[first - 1] as { tsMs: number }).tsMs >= from) first -= 1
      const all = aggregateKlines(trades.slice(first), interval, tsMs, inst.notionalFactor)
      const current = all[all.length - 1]
      if (current === undefined) continue
      const previous = all[all.length - 2]
      this.lastKlineOpen.set(key, openTime)
      const send = (k: typeof current, closed: boolean) => {
        const row = formatKline(k, inst, product)
        this.hub.publish(
          [name],
          {
            e: 'kline',
            E: tsMs,
            s: wire,
            k: {
              t: k.openTimeMs,
              T: k.closeTimeMs,
              s: wire,
              i: interval,
              f: k.firstTradeId,
              L: k.lastTradeId,
              o: row[1],
              c: row[4],
              h: row[2],
              l: row[3],
              v: row[5],
              n: k.count,
              x: closed,
              q: row[7],
              V: row[9],
              Q: row[10],
              B: '0',
            },
          },
          venue,
        )
      }
      if (lastOpen !== undefined && lastOpen < openTime && previous !== undefined) send(previous, true)
      send(current, false)
    }
  }

  /** The minimal route context the formatters need when publishing (no request, no account). */
  private routeView(nowMs: number): RouteContext {
    return {
      emu: this,
      params: new Map(),
      account: null,
      nowMs,
      requestNowMs: this.requestClock.nowMs(),
      ip: 'emulator',
    }
  }

  /** Credits a futures wallet (ACCOUNT_UPDATE with reason DEPOSIT and `bc` = the change). */
  deposit(apiKey: string, asset: string, amount: string): void {
    const account = this.accountsByKey.get(apiKey)
    if (!account) throw new InvalidEmulatorConfigError({ field: 'apiKey', reason: 'unknown API key' })
    const deltaE8 = parseScaled(amount, 8, 'amount')
    this.pendingBalanceChange.set(account.accountId, new Map([[asset, deltaE8]]))
    this.history.addIncome(account.accountId, '', 'TRANSFER', deltaE8, asset, this.clock.nowMs(), null)
    this.engine.adjustBalance(account.accountId, asset, deltaE8, 'DEPOSIT')
  }

  close(): void {
    this.hub.close()
  }
}

/** Stream names an event of `inst` is published on, e.g. ["ethusdt@bookTicker"]. */
export function streamNames(inst: Instrument, suffix: string): string[] {
  const wire = inst.kind === 'spot' ? inst.symbol.slice(SPOT_PREFIX.length) : inst.symbol
  return [`${wire.toLowerCase()}@${suffix}`]
}

/** Every diff-depth stream name of a symbol; all speeds carry the same events in the emulator. */
export function depthStreamNames(inst: Instrument): string[] {
  const base = streamNames(inst, 'depth')[0] as string
  return [base, `${base}@0ms`, `${base}@100ms`, `${base}@250ms`, `${base}@500ms`]
}

/** Spot streams print prices and sizes with 8 decimals. */
function spotDecimal(units: bigint, decimals: number): string {
  return formatScaled(units * 10n ** BigInt(8 - decimals), 8)
}

function toSpec(
  config: BinanceSymbolConfig,
  defaults: Omit<InstrumentSpec, 'symbol' | 'baseAsset' | 'quoteAsset'>,
  prefix: string,
): InstrumentSpec {
  const symbol = typeof config === 'string' ? config : config.symbol
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length)
  const extra: Partial<InstrumentSpec> = typeof config === 'string' ? {} : config
  const baseAsset = extra.baseAsset ?? (quote ? symbol.slice(0, symbol.length - quote.length) : undefined)
  const quoteAsset = extra.quoteAsset ?? quote
  if (baseAsset === undefined || quoteAsset === undefined) {
    throw new InvalidEmulatorConfigError({
      field: 'symbols',
      reason: `cannot split ${symbol} into base and quote; pass baseAsset and quoteAsset`,
    })
  }
  return { ...defaults, ...extra, kind: defaults.kind, symbol: prefix + symbol, baseAsset, quoteAsset }
}

function toE8Record(balances: Record<string, string>, field: string): Record<string, bigint> {
  const out: Record<string, bigint> = {}
  for (const [asset, amount] of Object.entries(balances)) out[asset] = parseScaled(amount, 8, `${field}.${asset}`)
  return out
}
