import { UnknownAccountError, UnknownSymbolError } from '../errors/matching.js'
import {
  type AccountState,
  applyPerpFill,
  getBalance,
  getPosition,
  notionalAtPriceE8,
  type PerpPosition,
} from './accountState.js'
import { type BookLevel, BookSide, levelLots } from './BookSide.js'
import { createInstrument } from './createInstrument.js'
import { divRound } from './divRound.js'
import { maxBigint, minBigint } from './minBigint.js'
import type {
  AccountEvent,
  AmendOrderResult,
  BookDeltaEvent,
  CancelOrderResult,
  Clock,
  EngineEvent,
  EngineOrder,
  Fill,
  IdSource,
  Instrument,
  InstrumentSpec,
  PlaceOrderInput,
  PlaceOrderResult,
  RejectReason,
  Side,
} from './types.js'

export type MatchingEngineOptions = {
  clock: Clock
  ids: IdSource
  instruments: InstrumentSpec[]
  /** How many closed orders are kept for queries (oldest dropped first). Default 10 000. */
  closedOrderRetention?: number | undefined
}

type SymbolState = {
  instrument: Instrument
  bids: BookSide
  asks: BookSide
  updateId: number
  lastEmittedUpdateId: number
  pendingFirstUpdateId: number | null
  pending: Map<string, { side: Side; priceTicks: bigint }>
  markPriceE8: bigint | null
  lastTradePriceTicks: bigint | null
}

/** Margin summary of a perp account in its margin asset (all 10^-8 units). */
export type MarginSummary = {
  asset: string
  walletBalanceE8: bigint
  unrealizedPnlE8: bigint
  positionInitialMarginE8: bigint
  openOrderInitialMarginE8: bigint
  maintMarginE8: bigint
  availableBalanceE8: bigint
}

export type PositionView = {
  symbol: string
  lots: bigint
  entryCostE8: bigint
  markPriceE8: bigint
  notionalE8: bigint
  unrealizedPnlE8: bigint
  initialMarginE8: bigint
  maintMarginE8: bigint
  openOrderInitialMarginE8: bigint
  bidNotionalE8: bigint
  askNotionalE8: bigint
  cumRealizedPnlE8: bigint
  leverage: number
  updatedTsMs: number
}

/**
 * Venue-independent, deterministic price-time-priority matching engine.
 *
 * Each book level holds external size (set by a market driver: replay or simulation) and account orders in time priority.
 * Incoming account orders take external size at a level first, then resting account orders in time order. Resting account
 * orders are filled by external flow in two ways: an external trade through their price (or at their price once the external
 * queue ahead of them has traded away), and external size that crosses their price (filled as maker at the order's price).
 * All state is integers: price ticks, size lots, money in 10^-8 units.
 */
export class MatchingEngine {
  private readonly clock: Clock
  private readonly ids: IdSource
  private readonly symbols = new Map<string, SymbolState>()
  private readonly accounts = new Map<string, AccountState>()
  private readonly openOrders = new Map<number, EngineOrder>()
  private readonly closedOrders = new Map<number, EngineOrder>()
  private readonly clientIndex = new Map<string, number>()
  private readonly spotLocks = new Map<number, { asset: string; lockedE8: bigint }>()
  private readonly listeners: Array<(event: EngineEvent) => void> = []
  private readonly closedOrderRetention: number
  /** Per-account leverage overrides, key `${accountId}\u0000${symbol}`. */
  private readonly accountLeverage = new Map<string, number>()
  private seq = 0
  private prioritySeq = 0
  private touchedAccounts = new Map<string, { assets: Set<string>; symbols: Set<string> }>()

  /** Set while {@link MatchingEngine.atTime} runs: the time events are stamped with. */
  private pinnedMs: number | null = null

  constructor(options: MatchingEngineOptions) {
    const clock = options.clock
    this.clock = { nowMs: () => this.pinnedMs ?? clock.nowMs() }
    this.ids = options.ids
    this.closedOrderRetention = options.closedOrderRetention ?? 10_000
    for (const spec of options.instruments) this.addInstrument(spec)
  }

  addInstrument(spec: InstrumentSpec): Instrument {
    const instrument = createInstrument(spec)
    this.symbols.set(spec.symbol, {
      instrument,
      bids: new BookSide('BUY'),
      asks: new BookSide('SELL'),
      updateId: 0,
      lastEmittedUpdateId: 0,
      pendingFirstUpdateId: null,
      pending: new Map(),
      markPriceE8: null,
      lastTradePriceTicks: null,
    })
    return instrument
  }

  instrument(symbol: string): Instrument {
    return this.state(symbol).instrument
  }

  instruments(): Instrument[] {
    return [...this.symbols.values()].map((s) => s.instrument)
  }

  hasSymbol(symbol: string): boolean {
    return this.symbols.has(symbol)
  }

  /** Subscribes to engine events; returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.push(listener)
    return () => {
      const i = this.listeners.indexOf(listener)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  // ---------------------------------------------------------------- accounts

  addAccount(accountId: string, balancesE8: Record<string, bigint>): void {
    const account: AccountState = { accountId, balances: new Map(), positions: new Map() }
    for (const [asset, walletE8] of Object.entries(balancesE8)) account.balances.set(asset, { walletE8, lockedE8: 0n })
    this.accounts.set(accountId, account)
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId)
  }

  account(accountId: string): Readonly<AccountState> {
    const account = this.accounts.get(accountId)
    if (!account) throw new UnknownAccountError({ accountId })
    return account
  }

  /** Credits (or debits, if negative) an asset balance and emits an account event. */
  adjustBalance(accountId: string, asset: string, deltaE8: bigint, reason: AccountEvent['reason'] = 'DEPOSIT'): void {
    const account = this.mutableAccount(accountId)
    getBalance(account, asset).walletE8 += deltaE8
    this.touchAccount(accountId, asset, null)
    this.flushAccounts(reason)
  }

  /**
   * Runs one match (an order placed, amended or cancelled, an external print or depth change) with the clock read once: the
   * positions' `updatedTsMs`, the fills' order events and the account events it causes carry that one time, so a position
   * report stamped t never holds a fill stamped later than t. Inside {@link MatchingEngine.atTime} the pinned time is kept.
   */
  private oneClockRead<T>(apply: () => T): T {
    if (this.pinnedMs !== null) return apply()
    return this.atTime(this.clock.nowMs(), apply)
  }

  /**
   * Runs `apply` with the engine's time pinned to `tsMs`: the events it causes (external prints, fills of resting orders)
   * carry that time. Replay drivers use it to stamp data events with the data's time when the emulator ticks late.
   */
  atTime<T>(tsMs: number, apply: () => T): T {
    const previous = this.pinnedMs
    this.pinnedMs = tsMs
    try {
      return apply()
    } finally {
      this.pinnedMs = previous
    }
  }

  // ---------------------------------------------------------------- market data

  /** Mark price in 10^-8 quote per base: explicit mark, else mid of the best bid/ask, else the last trade price. */
  markPriceE8(symbol: string): bigint | null {
    const st = this.state(symbol)
    if (st.markPriceE8 !== null) return st.markPriceE8
    const scale = st.instrument.tickUnits * 10n ** BigInt(8 - st.instrument.priceDecimals)
    const bid = st.bids.best()
    const ask = st.asks.best()
    if (bid && ask) return divRound((bid.priceTicks + ask.priceTicks) * scale, 2n, 'trunc')
    if (st.lastTradePriceTicks !== null) return st.lastTradePriceTicks * scale
    return null
  }

  setMarkPrice(symbol: string, markPriceE8: bigint | null): void {
    this.state(symbol).markPriceE8 = markPriceE8
  }

  /** Current book: the update id it reflects and the top `depth` aggregated levels. */
  snapshot(
    symbol: string,
    depth: number,
  ): { lastUpdateId: number; bids: Array<[bigint, bigint]>; asks: Array<[bigint, bigint]> } {
    const st = this.state(symbol)
    return { lastUpdateId: st.updateId, bids: st.bids.top(depth), asks: st.asks.top(depth) }
  }

  bestBidAsk(symbol: string): { bid: [bigint, bigint] | null; ask: [bigint, bigint] | null; updateId: number } {
    const st = this.state(symbol)
    const bid = st.bids.top(1)[0] ?? null
    const ask = st.asks.top(1)[0] ?? null
    return { bid, ask, updateId: st.updateId }
  }

  /** Raises the update-id counter (replay keeps ids near the captured ones). Never lowers it. */
  raiseUpdateId(symbol: string, atLeast: number): void {
    const st = this.state(symbol)
    if (atLeast > st.updateId) st.updateId = atLeast
  }

  /**
   * Sets external (market) size at price levels. `lots` is absolute; 0 removes the external size. Afterwards any external size
   * crossing resting account orders fills them as makers at their own price.
   */
  applyExternalDepth(
    symbol: string,
    bids: ReadonlyArray<readonly [bigint, bigint]>,
    asks: ReadonlyArray<readonly [bigint, bigint]>,
  ): void {
    this.oneClockRead(() => this.applyExternalDepthPinned(symbol, bids, asks))
  }

  private applyExternalDepthPinned(
    symbol: string,
    bids: ReadonlyArray<readonly [bigint, bigint]>,
    asks: ReadonlyArray<readonly [bigint, bigint]>,
  ): void {
    const st = this.state(symbol)
    for (const [priceTicks, lots] of bids) this.setExternal(st, st.bids, priceTicks, lots)
    for (const [priceTicks, lots] of asks) this.setExternal(st, st.asks, priceTicks, lots)
    this.uncross(st)
    this.flushAccounts('ORDER')
  }

  /** Removes every external level on both sides (used before loading a new snapshot). */
  clearExternalDepth(symbol: string): void {
    const st = this.state(symbol)
    for (const side of [st.bids, st.asks]) {
      for (const level of side.levelsBestFirst()) this.setExternal(st, side, level.priceTicks, 0n)
    }
  }

  /**
   * An external trade printed at `priceTicks` for `lots`, the aggressor on `takerSide`. Resting account orders on the passive side
   * priced through the print fill first (best price first); at the print price, the external queue ahead of an order is consumed first.
   * External book size is not changed (the driver's depth updates carry that).
   */
  applyExternalTrade(symbol: string, priceTicks: bigint, lots: bigint, takerSide: Side): void {
    this.oneClockRead(() => this.applyExternalTradePinned(symbol, priceTicks, lots, takerSide))
  }

  private applyExternalTradePinned(symbol: string, priceTicks: bigint, lots: bigint, takerSide: Side): void {
    const st = this.state(symbol)
    const now = this.clock.nowMs()
    st.lastTradePriceTicks = priceTicks
    const tradeId = this.ids.nextTradeId()
    this.emit({
      kind: 'trade',
      seq: 0,
      tsMs: now,
      symbol: st.instrument.symbol,
      tradeId,
      priceTicks,
      lots,
      takerSide,
      external: true,
    })
    const passive = takerSide === 'SELL' ? st.bids : st.asks
    let remaining = lots
    for (const level of passive.levelsBestFirst(priceTicks)) {
      if (remaining <= 0n) break
      if (level.orders.length === 0) continue
      const through = passive.isBetter(level.priceTicks, priceTicks)
      if (!through && level.priceTicks !== priceTicks) break
      for (const order of [...level.orders]) {
        if (remaining <= 0n) break
        if (!through) {
          const skip = minBigint(order.queueAheadLots, remaining)
          order.queueAheadLots -= skip
          remaining -= skip
          if (remaining <= 0n) break
        }
        const open = order.origLots - order.executedLots
        const fillLots = minBigint(open, remaining)
        this.fillResting(st, passive, level, order, fillLots, tradeId, false)
        remaining -= fillLots
      }
      passive.pruneIfEmpty(level)
    }
    this.flushAccounts('ORDER')
  }

  /** Emits the pending book changes of `symbol` as one delta event (null when nothing changed since the last flush). */
  flushBook(symbol: string): BookDeltaEvent | null {
    const st = this.state(symbol)
    if (st.pendingFirstUpdateId === null) return null
    const bids: Array<[bigint, bigint]> = []
    const asks: Array<[bigint, bigint]> = []
    for (const { side, priceTicks } of st.pending.values()) {
      const book = side === 'BUY' ? st.bids : st.asks
      const level = book.get(priceTicks)
      ;(side === 'BUY' ? bids : asks).push([priceTicks, level ? levelLots(level) : 0n])
    }
    bids.sort((a, b) => (a[0] > b[0] ? -1 : a[0] < b[0] ? 1 : 0))
    asks.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const event: BookDeltaEvent = {
      kind: 'bookDelta',
      seq: 0,
      tsMs: this.clock.nowMs(),
      symbol,
      firstUpdateId: st.pendingFirstUpdateId,
      lastUpdateId: st.updateId,
      prevLastUpdateId: st.lastEmittedUpdateId,
      bids,
      asks,
    }
    st.lastEmittedUpdateId = st.updateId
    st.pendingFirstUpdateId = null
    st.pending.clear()
    this.emit(event)
    return event
  }

  // ---------------------------------------------------------------- orders

  getOrder(orderId: number): Readonly<EngineOrder> | undefined {
    return this.openOrders.get(orderId) ?? this.closedOrders.get(orderId)
  }

  getOrderByClientId(accountId: string, symbol: string, clientOrderId: string): Readonly<EngineOrder> | undefined {
    const id = this.clientIndex.get(clientKey(accountId, symbol, clientOrderId))
    return id === undefined ? undefined : this.getOrder(id)
  }

  listOpenOrders(accountId: string, symbol?: string | undefined): Readonly<EngineOrder>[] {
    const out: EngineOrder[] = []
    for (const o of this.openOrders.values()) {
      if (o.accountId === accountId && (symbol === undefined || o.symbol === symbol)) out.push(o)
    }
    return out
  }

  placeOrder(input: PlaceOrderInput): PlaceOrderResult {
    return this.oneClockRead(() => this.placeOrderPinned(input))
  }

  private placeOrderPinned(input: PlaceOrderInput): PlaceOrderResult {
    const st = this.state(input.symbol)
    const account = this.mutableAccount(input.accountId)
    const inst = st.instrument
    const now = this.clock.nowMs()
    const reject = (reason: RejectReason): PlaceOrderResult => {
      this.emit({ kind: 'reject', seq: 0, tsMs: now, accountId: input.accountId, symbol: input.symbol, reason })
      return { ok: false, reason }
    }
    const existingId = this.clientIndex.get(clientKey(input.accountId, input.symbol, input.clientOrderId))
    if (existingId !== undefined && this.openOrders.has(existingId)) return reject('DUPLICATE_CLIENT_ORDER_ID')
    if (input.lots <= 0n) return reject('INVALID_QUANTITY')
    if (input.lots < inst.minQtyLots) return reject('QTY_BELOW_MIN')
    if (input.lots > inst.maxQtyLots) return reject('QTY_ABOVE_MAX')
    const opposite = input.side === 'BUY' ? st.asks : st.bids
    const same = input.side === 'BUY' ? st.bids : st.asks
    if (input.type === 'LIMIT') {
      if (input.priceTicks === null || input.priceTicks <= 0n) return reject('INVALID_QUANTITY')
      if (input.priceTicks * input.lots * inst.notionalFactor < inst.minNotionalE8) return reject('NOTIONAL_BELOW_MIN')
      const best = opposite.best()
      const crosses = best !== undefined && !opposite.isBetter(input.priceTicks, best.priceTicks)
      if (input.timeInForce === 'GTX' && crosses) return reject('POST_ONLY_WOULD_TAKE')
    }
    const reduceOnly = input.reduceOnly === true
    if (inst.kind === 'perp' && reduceOnly) {
      const position = account.positions.get(inst.symbol)
      const lots = position?.lots ?? 0n
      const reduces = input.side === 'BUY' ? lots < 0n && input.lots <= -lots : lots > 0n && input.lots <= lots
      if (!reduces) return reject('REDUCE_ONLY_REJECTED')
    }
    const order: EngineOrder = {
      orderId: this.ids.nextOrderId(),
      clientOrderId: input.clientOrderId,
      accountId: input.accountId,
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      timeInForce: input.type === 'MARKET' ? 'GTC' : input.timeInForce,
      priceTicks: input.type === 'MARKET' ? null : input.priceTicks,
      origLots: input.lots,
      executedLots: 0n,
      cumQuoteE8: 0n,
      status: 'NEW',
      reduceOnly,
      createdTsMs: now,
      updatedTsMs: now,
      queueAheadLots: 0n,
      prioritySeq: ++this.prioritySeq,
    }
    // Funds: perps need margin, spot locks the asset being sold (quote for buys at the limit price).
    if (inst.kind === 'perp') {
      if (!reduceOnly && order.type === 'LIMIT') {
        const before = this.marginSummary(input.accountId, marginAssetOf(inst))
        this.openOrders.set(order.orderId, order)
        const after = this.marginSummary(input.accountId, marginAssetOf(inst))
        this.openOrders.delete(order.orderId)
        if (after.availableBalanceE8 < 0n && after.openOrderInitialMarginE8 > before.openOrderInitialMarginE8) {
          return reject('INSUFFICIENT_MARGIN')
        }
      }
    } else {
      const lock = this.spotLockFor(inst, order, account)
      if (lock === null) return reject('INSUFFICIENT_BALANCE')
      const balance = getBalance(account, lock.asset)
      balance.lockedE8 += lock.lockedE8
      this.spotLocks.set(order.orderId, lock)
      this.touchAccount(account.accountId, lock.asset, null)
    }
    if (input.timeInForce === 'FOK' && order.type === 'LIMIT') {
      if (this.fillableLots(opposite, order) < order.origLots) {
        this.registerClientId(order)
        this.emitOrder('NEW', order, null)
        this.finish(order, 'EXPIRED', now)
        this.flushAccounts('ORDER')
        return { ok: true, order: { ...order }, fills: [] }
      }
    }
    this.registerClientId(order)
    this.emitOrder('NEW', order, null)
    const fills = this.matchIncoming(st, order, opposite)
    const open = order.origLots - order.executedLots
    if (open > 0n) {
      if (order.type === 'MARKET' || order.timeInForce === 'IOC' || order.timeInForce === 'FOK') {
        this.finish(order, 'EXPIRED', now)
      } else {
        this.rest(st, same, order)
      }
    }
    this.flushAccounts('ORDER')
    return { ok: true, order: { ...order }, fills }
  }

  cancelOrder(accountId: string, orderId: number): CancelOrderResult {
    return this.oneClockRead(() => this.cancelOrderPinned(accountId, orderId))
  }

  private cancelOrderPinned(accountId: string, orderId: number): CancelOrderResult {
    const order = this.openOrders.get(orderId)
    if (!order || order.accountId !== accountId) return { ok: false, reason: 'UNKNOWN_ORDER' }
    const st = this.state(order.symbol)
    const side = order.side === 'BUY' ? st.bids : st.asks
    this.unrest(st, side, order)
    this.finish(order, 'CANCELED', this.clock.nowMs())
    this.flushAccounts('ORDER')
    return { ok: true, order: { ...order } }
  }

  /** Cancels every open order of the account (on one symbol, or all). Returns the cancelled orders. */
  cancelAll(accountId: string, symbol?: string | undefined): Readonly<EngineOrder>[] {
    return this.oneClockRead(() => this.cancelAllPinned(accountId, symbol))
  }

  private cancelAllPinned(accountId: string, symbol?: string | undefined): Readonly<EngineOrder>[] {
    const out: EngineOrder[] = []
    for (const order of this.listOpenOrders(accountId, symbol)) {
      const result = this.cancelOrder(accountId, order.orderId)
      if (result.ok) out.push(result.order)
    }
    return out
  }

  /**
   * Changes price and/or size of an open limit order. A price change or a size increase loses time priority (the order moves to
   * the back of its new level and may trade); a size decrease keeps it. A post-only (GTX) order that would take is rejected.
   */
  amendOrder(accountId: string, orderId: number, change: { priceTicks: bigint; lots: bigint }): AmendOrderResult {
    return this.oneClockRead(() => this.amendOrderPinned(accountId, orderId, change))
  }

  private amendOrderPinned(
    accountId: string,
    orderId: number,
    change: { priceTicks: bigint; lots: bigint },
  ): AmendOrderResult {
    const order = this.openOrders.get(orderId)
    if (!order || order.accountId !== accountId || order.priceTicks === null)
      return { ok: false, reason: 'UNKNOWN_ORDER' }
    const st = this.state(order.symbol)
    const inst = st.instrument
    if (change.lots <= order.executedLots) return { ok: false, reason: 'INVALID_QUANTITY' }
    if (change.priceTicks === order.priceTicks && change.lots === order.origLots)
      return { ok: false, reason: 'NO_CHANGE' }
    if (change.priceTicks * change.lots * inst.notionalFactor < inst.minNotionalE8) {
      return { ok: false, reason: 'NOTIONAL_BELOW_MIN' }
    }
    const same = order.side === 'BUY' ? st.bids : st.asks
    const opposite = order.side === 'BUY' ? st.asks : st.bids
    const best = opposite.best()
    const crosses = best !== undefined && !opposite.isBetter(change.priceTicks, best.priceTicks)
    if (crosses && order.timeInForce === 'GTX') return { ok: false, reason: 'POST_ONLY_WOULD_TAKE' }
    if (inst.kind === 'spot') {
      const account = this.mutableAccount(accountId)
      const previous = this.spotLocks.get(orderId)
      const trial: EngineOrder = { ...order, priceTicks: change.priceTicks, origLots: change.lots }
      if (previous) getBalance(account, previous.asset).lockedE8 -= previous.lockedE8
      const lock = this.spotLockFor(inst, trial, account)
      if (lock === null) {
        if (previous) getBalance(account, previous.asset).lockedE8 += previous.lockedE8
        return { ok: false, reason: 'INSUFFICIENT_BALANCE' }
      }
      getBalance(account, lock.asset).lockedE8 += lock.lockedE8
      this.spotLocks.set(orderId, lock)
      this.touchAccount(accountId, lock.asset, null)
    }
    const now = this.clock.nowMs()
    const keepsPriority = change.priceTicks === order.priceTicks && change.lots < order.origLots
    const level = same.get(order.priceTicks)
    if (keepsPriority) {
      order.origLots = change.lots
      order.updatedTsMs = now
      if (level) this.touch(st, same.side, level.priceTicks)
      this.emitOrder('AMENDMENT', order, null)
      this.flushAccounts('ORDER')
      return { ok: true, order: { ...order }, fills: [] }
    }
    this.unrest(st, same, order)
    order.priceTicks = change.priceTicks
    order.origLots = change.lots
    order.updatedTsMs = now
    order.prioritySeq = ++this.prioritySeq
    this.emitOrder('AMENDMENT', order, null)
    const fills = this.matchIncoming(st, order, opposite)
    if (order.origLots - order.executedLots > 0n) this.rest(st, same, order)
    this.flushAccounts('ORDER')
    return { ok: true, order: { ...order }, fills }
  }

  // ---------------------------------------------------------------- account views

  /** Cross-margin summary of a perp account in `asset` (available = wallet + uPnL − position IM − open-order IM). */
  marginSummary(accountId: string, asset: string): MarginSummary {
    const account = this.mutableAccount(accountId)
    const wallet = account.balances.get(asset)?.walletE8 ?? 0n
    let upnl = 0n
    let positionIm = 0n
    let orderIm = 0n
    let maint = 0n
    for (const st of this.symbols.values()) {
      if (st.instrument.kind !== 'perp' || marginAssetOf(st.instrument) !== asset) continue
      const view = this.positionView(accountId, st.instrument.symbol)
      upnl += view.unrealizedPnlE8
      positionIm += view.initialMarginE8
      orderIm += view.openOrderInitialMarginE8
      maint += view.maintMarginE8
    }
    return {
      asset,
      walletBalanceE8: wallet,
      unrealizedPnlE8: upnl,
      positionInitialMarginE8: positionIm,
      openOrderInitialMarginE8: orderIm,
      maintMarginE8: maint,
      availableBalanceE8: wallet + upnl - positionIm - orderIm,
    }
  }

  /**
   * Position of an account on a perp, valued at the mark price. Open-order initial margin: resting bid and ask notionals at their
   * limit prices, each reduced by the position it would close, the larger side divided by leverage (rounded up).
   */
  positionView(accountId: string, symbol: string): PositionView {
    const st = this.state(symbol)
    const inst = st.instrument
    const account = this.mutableAccount(accountId)
    const position: PerpPosition = account.positions.get(symbol) ?? {
      symbol,
      lots: 0n,
      entryCostE8: 0n,
      cumRealizedPnlE8: 0n,
      updatedTsMs: 0,
    }
    const mark = this.markPriceE8(symbol) ?? 0n
    const notional = notionalAtPriceE8(position.lots, mark, inst)
    const absNotional = notional < 0n ? -notional : notional
    const accountLev = this.leverageOf(accountId, symbol)
    const leverage = BigInt(accountLev)
    let bidNotional = 0n
    let askNotional = 0n
    for (const o of this.openOrders.values()) {
      if (o.accountId !== accountId || o.symbol !== symbol || o.priceTicks === null) continue
      const n = o.priceTicks * (o.origLots - o.executedLots) * inst.notionalFactor
      if (o.side === 'BUY') bidNotional += n
      else askNotional += n
    }
    const bidNeed = position.lots < 0n ? max0(bidNotional - absNotional) : bidNotional
    const askNeed = position.lots > 0n ? max0(askNotional - absNotional) : askNotional
    const orderNeed = maxBigint(bidNeed, askNeed)
    return {
      symbol,
      lots: position.lots,
      entryCostE8: position.entryCostE8,
      markPriceE8: mark,
      notionalE8: notional,
      unrealizedPnlE8: position.lots === 0n ? 0n : notional - position.entryCostE8,
      initialMarginE8: divRound(absNotional, leverage, 'ceil'),
      maintMarginE8: divRound(absNotional * BigInt(inst.maintMarginRatePpm), 1_000_000n, 'ceil'),
      openOrderInitialMarginE8: divRound(orderNeed, leverage, 'ceil'),
      bidNotionalE8: bidNotional,
      askNotionalE8: askNotional,
      cumRealizedPnlE8: position.cumRealizedPnlE8,
      leverage: accountLev,
      updatedTsMs: position.updatedTsMs,
    }
  }

  /** Sets the instrument's default leverage (every account without its own setting, see `setAccountLeverage`). */
  setLeverage(symbol: string, leverage: number): void {
    this.state(symbol).instrument.leverage = leverage
  }

  /** Sets one account's leverage on one perp (Binance `POST /fapi/v1/leverage`); other accounts keep theirs. */
  setAccountLeverage(accountId: string, symbol: string, leverage: number): void {
    this.state(symbol)
    this.mutableAccount(accountId)
    this.accountLeverage.set(`${accountId}\u0000${symbol}`, leverage)
  }

  /** Leverage an account trades `symbol` at: its own setting, else the instrument's default. */
  leverageOf(accountId: string, symbol: string): number {
    return this.accountLeverage.get(`${accountId}\u0000${symbol}`) ?? this.state(symbol).instrument.leverage
  }

  // ---------------------------------------------------------------- internals

  private state(symbol: string): SymbolState {
    const st = this.symbols.get(symbol)
    if (!st) throw new UnknownSymbolError({ symbol })
    return st
  }

  private mutableAccount(accountId: string): AccountState {
    const account = this.accounts.get(accountId)
    if (!account) throw new UnknownAccountError({ accountId })
    return account
  }

  private emit(event: EngineEvent): void {
    event.seq = ++this.seq
    for (const listener of [...this.listeners]) listener(event)
  }

  private emitOrder(
    execType: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'AMENDMENT',
    order: EngineOrder,
    fill: Fill | null,
  ): void {
    this.emit({ kind: 'order', seq: 0, tsMs: this.clock.nowMs(), execType, order: { ...order }, fill })
  }

  private touch(st: SymbolState, side: Side, priceTicks: bigint): void {
    st.updateId += 1
    if (st.pendingFirstUpdateId === null) st.pendingFirstUpdateId = st.updateId
    st.pending.set(`${side}:${priceTicks}`, { side, priceTicks })
  }

  private touchAccount(accountId: string, asset: string | null, symbol: string | null): void {
    let entry = this.touchedAccounts.get(accountId)
    if (!entry) {
      entry = { assets: new Set(), symbols: new Set() }
      this.touchedAccounts.set(accountId, entry)
    }
    if (asset !== null) entry.assets.add(asset)
    if (symbol !== null) entry.symbols.add(symbol)
  }

  private flushAccounts(reason: AccountEvent['reason']): void {
    if (this.touchedAccounts.size === 0) return
    const touched = this.touchedAccounts
    this.touchedAccounts = new Map()
    const now = this.clock.nowMs()
    for (const [accountId, { assets, symbols }] of touched) {
      this.emit({ kind: 'account', seq: 0, tsMs: now, accountId, reason, assets: [...assets], symbols: [...symbols] })
    }
  }

  private setExternal(st: SymbolState, side: BookSide, priceTicks: bigint, lots: bigint): void {
    const level = lots > 0n ? side.getOrCreate(priceTicks) : side.get(priceTicks)
    if (!level || level.externalLots === lots) return
    level.externalLots = lots
    for (const o of level.orders) if (o.queueAheadLots > lots) o.queueAheadLots = lots
    this.touch(st, side.side, priceTicks)
    side.pruneIfEmpty(level)
  }

  /** External size crossing resting account orders fills them as makers at their own price, best order first. */
  private uncross(st: SymbolState): void {
    for (const [ours, theirs] of [
      [st.bids, st.asks],
      [st.asks, st.bids],
    ] as const) {
      for (;;) {
        const mine = ours.bestWithOrders()
        const external = theirs.bestExternal()
        if (!mine || !external) break
        if (theirs.isBetter(mine.priceTicks, external.priceTicks) && mine.priceTicks !== external.priceTicks) break
        const order = mine.orders[0] as EngineOrder
        const open = order.origLots - order.executedLots
        const lots = minBigint(open, external.externalLots)
        external.externalLots -= lots
        this.touch(st, theirs.side, external.priceTicks)
        theirs.pruneIfEmpty(external)
        this.fillResting(st, ours, mine, order, lots, this.ids.nextTradeId(), true)
        ours.pruneIfEmpty(mine)
      }
    }
  }

  private fillableLots(opposite: BookSide, order: EngineOrder): bigint {
    let total = 0n
    for (const level of opposite.levelsBestFirst(order.priceTicks)) {
      if (order.priceTicks !== null && opposite.isBetter(order.priceTicks, level.priceTicks)) break
      total += level.externalLots
      for (const o of level.orders) if (o.accountId !== order.accountId) total += o.origLots - o.executedLots
      if (total >= order.origLots) break
    }
    return total
  }

  /** Crosses an incoming order against the opposite side: external size first at each level, then resting orders in time order. */
  private matchIncoming(st: SymbolState, taker: EngineOrder, opposite: BookSide): Fill[] {
    const fills: Fill[] = []
    for (const level of opposite.levelsBestFirst(taker.priceTicks)) {
      if (taker.origLots - taker.executedLots <= 0n) break
      if (taker.priceTicks !== null && opposite.isBetter(taker.priceTicks, level.priceTicks)) break
      if (st.instrument.kind === 'spot' && !this.spotCanTake(st.instrument, taker, level.priceTicks)) break
      if (level.externalLots > 0n) {
        const open = this.takeableLots(st.instrument, taker, level.priceTicks)
        const lots = minBigint(open, level.externalLots)
        if (lots <= 0n) break
        level.externalLots -= lots
        this.touch(st, opposite.side, level.priceTicks)
        const tradeId = this.ids.nextTradeId()
        fills.push(this.applyFill(st, taker, lots, level.priceTicks, false, tradeId))
        this.emitTrade(st, lots, level.priceTicks, taker.side, tradeId)
      }
      for (const maker of [...level.orders]) {
        const open = this.takeableLots(st.instrument, taker, level.priceTicks)
        if (open <= 0n) break
        if (maker.accountId === taker.accountId) {
          // Self-trade prevention, Binance's default EXPIRE_MAKER: the resting order expires.
          this.unrest(st, opposite, maker)
          this.finish(maker, 'EXPIRED_IN_MATCH', this.clock.nowMs())
          continue
        }
        const makerOpen = maker.origLots - maker.executedLots
        const lots = minBigint(open, makerOpen)
        const tradeId = this.ids.nextTradeId()
        fills.push(this.applyFill(st, taker, lots, level.priceTicks, false, tradeId))
        this.fillResting(st, opposite, level, maker, lots, tradeId, false)
        this.emitTrade(st, lots, level.priceTicks, taker.side, tradeId)
      }
      opposite.pruneIfEmpty(level)
    }
    return fills
  }

  private emitTrade(st: SymbolState, lots: bigint, priceTicks: bigint, takerSide: Side, tradeId: number): void {
    st.lastTradePriceTicks = priceTicks
    this.emit({
      kind: 'trade',
      seq: 0,
      tsMs: this.clock.nowMs(),
      symbol: st.instrument.symbol,
      tradeId,
      priceTicks,
      lots,
      takerSide,
      external: false,
    })
  }

  /** Fills a resting (maker) order; removes it from the level when complete. */
  private fillResting(
    st: SymbolState,
    side: BookSide,
    level: BookLevel,
    order: EngineOrder,
    lots: bigint,
    tradeId: number,
    print: boolean,
  ): void {
    this.applyFill(st, order, lots, level.priceTicks, true, tradeId)
    this.touch(st, side.side, level.priceTicks)
    if (order.origLots - order.executedLots === 0n) {
      const i = level.orders.indexOf(order)
      if (i >= 0) level.orders.splice(i, 1)
    }
    if (print) this.emitTrade(st, lots, level.priceTicks, order.side === 'BUY' ? 'SELL' : 'BUY', tradeId)
  }

  /** Books a fill on the order and its account (fees, position / balances) and emits the TRADE order event. */
  private applyFill(
    st: SymbolState,
    order: EngineOrder,
    lots: bigint,
    priceTicks: bigint,
    isMaker: boolean,
    tradeId: number,
  ): Fill {
    const inst = st.instrument
    const account = this.mutableAccount(order.accountId)
    const now = this.clock.nowMs()
    const notional = priceTicks * lots * inst.notionalFactor
    const feePpm = BigInt(isMaker ? inst.makerFeePpm : inst.takerFeePpm)
    let feeE8: bigint
    let feeAsset: string
    let realized = 0n
    if (inst.kind === 'perp') {
      feeAsset = marginAssetOf(inst)
      feeE8 = divRound(notional * feePpm, 1_000_000n, 'ceil')
      const position = getPosition(account, inst.symbol)
      realized = applyPerpFill(position, order.side === 'BUY' ? lots : -lots, priceTicks, inst)
      position.updatedTsMs = now
      getBalance(account, feeAsset).walletE8 += realized - feeE8
      this.touchAccount(account.accountId, feeAsset, inst.symbol)
    } else {
      const baseE8 = lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
      const base = getBalance(account, inst.baseAsset)
      const quote = getBalance(account, inst.quoteAsset)
      const lock = this.spotLocks.get(order.orderId)
      if (order.side === 'BUY') {
        feeAsset = inst.baseAsset
        feeE8 = divRound(baseE8 * feePpm, 1_000_000n, 'ceil')
        quote.walletE8 -= notional
        base.walletE8 += baseE8 - feeE8
        if (lock && order.priceTicks !== null) {
          const release = order.priceTicks * lots * inst.notionalFactor
          const r = minBigint(release, lock.lockedE8)
          lock.lockedE8 -= r
          quote.lockedE8 -= r
        } else if (lock) {
          const r = minBigint(notional, lock.lockedE8)
          lock.lockedE8 -= r
          quote.lockedE8 -= r
        }
      } else {
        feeAsset = inst.quoteAsset
        feeE8 = divRound(notional * feePpm, 1_000_000n, 'ceil')
        base.walletE8 -= baseE8
        quote.walletE8 += notional - feeE8
        if (lock) {
          const r = minBigint(baseE8, lock.lockedE8)
          lock.lockedE8 -= r
          base.lockedE8 -= r
        }
      }
      this.touchAccount(account.accountId, inst.baseAsset, null)
      this.touchAccount(account.accountId, inst.quoteAsset, null)
    }
    order.executedLots += lots
    order.cumQuoteE8 += notional
    order.updatedTsMs = now
    order.status = order.executedLots === order.origLots ? 'FILLED' : 'PARTIALLY_FILLED'
    const fill: Fill = {
      tradeId,
      lots,
      priceTicks,
      isMaker,
      feeE8,
      feeAsset,
      realizedPnlE8: realized,
    }
    if (order.status === 'FILLED') this.close(order)
    this.emitOrder('TRADE', order, fill)
    return fill
  }

  private rest(st: SymbolState, side: BookSide, order: EngineOrder): void {
    if (order.priceTicks === null) return
    const level = side.getOrCreate(order.priceTicks)
    order.queueAheadLots = level.externalLots
    level.orders.push(order)
    this.openOrders.set(order.orderId, order)
    this.touch(st, side.side, order.priceTicks)
  }

  private unrest(st: SymbolState, side: BookSide, order: EngineOrder): void {
    if (order.priceTicks === null) return
    const level = side.get(order.priceTicks)
    if (!level) return
    const i = level.orders.indexOf(order)
    if (i < 0) return
    level.orders.splice(i, 1)
    this.touch(st, side.side, order.priceTicks)
    side.pruneIfEmpty(level)
  }

  private finish(order: EngineOrder, status: 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH', now: number): void {
    order.status = status
    order.updatedTsMs = now
    this.close(order)
    this.emitOrder(status === 'CANCELED' ? 'CANCELED' : 'EXPIRED', order, null)
  }

  private close(order: EngineOrder): void {
    this.openOrders.delete(order.orderId)
    this.closedOrders.set(order.orderId, order)
    if (this.closedOrders.size > this.closedOrderRetention) {
      const oldest = this.closedOrders.values().next()
      if (!oldest.done) {
        const dropped = oldest.value
        this.closedOrders.delete(dropped.orderId)
        const key = clientKey(dropped.accountId, dropped.symbol, dropped.clientOrderId)
        if (this.clientIndex.get(key) === dropped.orderId) this.clientIndex.delete(key)
      }
    }
    const lock = this.spotLocks.get(order.orderId)
    if (lock) {
      const account = this.mutableAccount(order.accountId)
      getBalance(account, lock.asset).lockedE8 -= lock.lockedE8
      this.spotLocks.delete(order.orderId)
      this.touchAccount(order.accountId, lock.asset, null)
    }
  }

  private registerClientId(order: EngineOrder): void {
    this.clientIndex.set(clientKey(order.accountId, order.symbol, order.clientOrderId), order.orderId)
  }

  /** Funds a spot order must lock: quote at the limit price for buys (all free quote for market buys), base for sells. */
  private spotLockFor(
    inst: Instrument,
    order: EngineOrder,
    account: AccountState,
  ): { asset: string; lockedE8: bigint } | null {
    if (order.side === 'BUY') {
      const quote = getBalance(account, inst.quoteAsset)
      const free = quote.walletE8 - quote.lockedE8
      const need = order.priceTicks === null ? free : order.priceTicks * order.origLots * inst.notionalFactor
      if (need > free || (order.priceTicks === null && free <= 0n)) return null
      return { asset: inst.quoteAsset, lockedE8: need }
    }
    const base = getBalance(account, inst.baseAsset)
    const need = order.origLots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
    if (need > base.walletE8 - base.lockedE8) return null
    return { asset: inst.baseAsset, lockedE8: need }
  }

  /** Open size of a taker, capped for a spot market buy by what its locked quote can pay at this price. */
  private takeableLots(inst: Instrument, taker: EngineOrder, priceTicks: bigint): bigint {
    const open = taker.origLots - taker.executedLots
    if (inst.kind !== 'spot' || taker.side === 'SELL' || taker.priceTicks !== null) return open
    const lock = this.spotLocks.get(taker.orderId)
    const affordable = lock ? lock.lockedE8 / (priceTicks * inst.notionalFactor) : 0n
    return minBigint(affordable, open)
  }

  /** A spot market buy stops when its locked quote cannot pay for one more lot at this level. */
  private spotCanTake(inst: Instrument, taker: EngineOrder, priceTicks: bigint): boolean {
    if (taker.side === 'SELL' || taker.priceTicks !== null) return true
    const lock = this.spotLocks.get(taker.orderId)
    return lock !== undefined && lock.lockedE8 >= priceTicks * inst.notionalFactor
  }
}

function clientKey(accountId: string, symbol: string, clientOrderId: string): string {
  return `${accountId}\u0000${symbol}\u0000${clientOrderId}`
}

function max0(x: bigint): bigint {
  return x > 0n ? x : 0n
}

/** Perps settle in the quote asset (USDⓈ-M). */
export function marginAssetOf(instrument: Instrument): string {
  return instrument.quoteAsset
}
