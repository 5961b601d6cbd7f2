import { divRound } from '../matching/divRound.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { Instrument } from '../matching/types.js'
import { aggregateKlines, isKlineInterval, type Kline, rollingStats } from './aggregateKlines.js'
import type { TapeTrade } from './BinanceHistory.js'
import { binanceReject } from './binanceErrors.js'
import { formatE8, formatFuturesOrder, formatPrice, formatQty, formatQuote } from './formatFutures.js'
import { type Route, type RouteContext, requireAccount, requireParam } from './routeTypes.js'
import { SPOT_PREFIX } from './spotPrefix.js'

/** Market-history, ticker and account-history endpoints of USDⓈ-M (`/fapi`) and spot (`/api/v3`), answered from `emu.history`. */

const DAY_MS = 86_400_000

type Product = 'futures' | 'spot'

/** Engine symbol and instrument of a wire symbol, -1121 when the product does not list it. */
function instrumentOf(ctx: RouteContext, product: Product, wire: string): Instrument {
  const list = product === 'futures' ? ctx.emu.futuresSymbols : ctx.emu.spotSymbols
  if (!list.includes(wire)) throw binanceReject('INVALID_SYMBOL')
  return ctx.emu.engine.instrument(product === 'futures' ? wire : SPOT_PREFIX + wire)
}

function wireOf(inst: Instrument): string {
  return inst.kind === 'spot' ? inst.symbol.slice(SPOT_PREFIX.length) : inst.symbol
}

/** Price / size strings: futures print the instrument's decimals, spot always 8. */
function px(product: Product, ticks: bigint, inst: Instrument): string {
  if (product === 'futures') return formatPrice(ticks, inst)
  return formatScaled(ticks * inst.tickUnits * 10n ** BigInt(8 - inst.priceDecimals), 8)
}

function qty(product: Product, lots: bigint, inst: Instrument): string {
  if (product === 'futures') return formatQty(lots, inst)
  return formatScaled(lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals), 8)
}

function quote(product: Product, amountE8: bigint, inst: Instrument): string {
  return product === 'futures' ? formatQuote(amountE8, inst) : formatE8(amountE8)
}

function optionalInt(ctx: RouteContext, name: string): number | undefined {
  const raw = ctx.params.get(name)
  if (raw === undefined || raw === '') return undefined
  if (!/^-?\d+$/.test(raw)) throw binanceReject('BAD_PARAMETER', [name])
  return Number(raw)
}

function limitParam(ctx: RouteContext, fallback: number, max: number): number {
  const limit = optionalInt(ctx, 'limit') ?? fallback
  if (limit < 1) throw binanceReject('BAD_PARAMETER', ['limit'])
  return Math.min(limit, max)
}

/**
 * Binance paging: rows from `fromId` (inclusive) or inside [startTime, endTime], the first `limit` of them when a start is given,
 * otherwise the most recent `limit`. Rows are oldest first.
 */
function page<T>(
  ctx: RouteContext,
  rows: readonly T[],
  idOf: (r: T) => number,
  timeOf: (r: T) => number,
  limit: number,
): T[] {
  const fromId = optionalInt(ctx, 'fromId')
  const startTime = optionalInt(ctx, 'startTime')
  const endTime = optionalInt(ctx, 'endTime')
  const picked = rows.filter(
    (r) =>
      (fromId === undefined || idOf(r) >= fromId) &&
      (startTime === undefined || timeOf(r) >= startTime) &&
      (endTime === undefined || timeOf(r) <= endTime),
  )
  if (fromId !== undefined || startTime !== undefined) return picked.slice(0, limit)
  return picked.slice(Math.max(0, picked.length - limit))
}

function tape(ctx: RouteContext, inst: Instrument): readonly TapeTrade[] {
  return ctx.emu.history.trades(inst.symbol)
}

function recentTrades(ctx: RouteContext, product: Product): unknown {
  const inst = instrumentOf(ctx, product, requireParam(ctx, 'symbol'))
  const limit = limitParam(ctx, 500, 1000)
  const rows = tape(ctx, inst)
  return rows.slice(Math.max(0, rows.length - limit)).map((t) => {
    const row: Record<string, unknown> = {
      id: t.tradeId,
      price: px(product, t.priceTicks, inst),
      qty: qty(product, t.lots, inst),
      quoteQty: quote(product, t.priceTicks * t.lots * inst.notionalFactor, inst),
      time: t.tsMs,
      isBuyerMaker: t.buyerMaker,
    }
    if (product === 'spot') row.isBestMatch = true
    return row
  })
}

/** Every emulator print is its own aggregate (one taker order at one price is one print here). */
function aggTrades(ctx: RouteContext, product: Product): unknown {
  const inst = instrumentOf(ctx, product, requireParam(ctx, 'symbol'))
  const limit = limitParam(ctx, 500, 1000)
  return page(
    ctx,
    tape(ctx, inst),
    (t) => t.tradeId,
    (t) => t.tsMs,
    limit,
  ).map((t) => {
    const row: Record<string, unknown> = {
      a: t.tradeId,
      p: px(product, t.priceTicks, inst),
      q: qty(product, t.lots, inst),
      f: t.tradeId,
      l: t.tradeId,
      T: t.tsMs,
      m: t.buyerMaker,
    }
    if (product === 'spot') row.M = true
    return row
  })
}

/** Kline row as Binance prints it: [open time, o, h, l, c, volume, close time, quote volume, count, taker buy base, taker buy quote, "0"]. */
export function formatKline(k: Kline, inst: Instrument, product: Product): unknown[] {
  return [
    k.openTimeMs,
    px(product, k.openTicks, inst),
    px(product, k.highTicks, inst),
    px(product, k.lowTicks, inst),
    px(product, k.closeTicks, inst),
    qty(product, k.volumeLots, inst),
    k.closeTimeMs,
    quote(product, k.quoteVolumeE8, inst),
    k.count,
    qty(product, k.takerBuyLots, inst),
    quote(product, k.takerBuyQuoteE8, inst),
    '0',
  ]
}

function klines(ctx: RouteContext, product: Product): unknown {
  const inst = instrumentOf(ctx, product, requireParam(ctx, 'symbol'))
  const interval = requireParam(ctx, 'interval')
  if (!isKlineInterval(interval)) throw binanceReject('BAD_PARAMETER', ['interval'])
  const limit = limitParam(ctx, 500, product === 'futures' ? 1500 : 1000)
  const startTime = optionalInt(ctx, 'startTime')
  const endTime = optionalInt(ctx, 'endTime')
  const all = aggregateKlines(tape(ctx, inst), interval, ctx.nowMs, inst.notionalFactor)
  const picked = all.filter(
    (k) =>
      (startTime === undefined || k.closeTimeMs >= startTime) && (endTime === undefined || k.openTimeMs <= endTime),
  )
  const rows = startTime !== undefined ? picked.slice(0, limit) : picked.slice(Math.max(0, picked.length - limit))
  return rows.map((k) => formatKline(k, inst, product))
}

/** 24 h rolling ticker of one symbol (futures shape, plus spot's extra fields). */
export function ticker24h(ctx: RouteContext, inst: Instrument, product: Product): Record<string, unknown> {
  const stats = rollingStats(tape(ctx, inst), ctx.nowMs - DAY_MS, ctx.nowMs, inst.notionalFactor)
  const open = stats.openTicks ?? 0n
  const last = stats.lastTicks ?? 0n
  const change = last - open
  const percent = open === 0n ? 0n : divRound(change * 100_000n, open, 'trunc')
  const baseE8 = stats.volumeLots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
  const avgUnits =
    baseE8 === 0n ? 0n : divRound(stats.quoteVolumeE8 * 10n ** BigInt(inst.priceDecimals), baseE8, 'trunc')
  const avg =
    product === 'futures'
      ? formatScaled(avgUnits, inst.priceDecimals)
      : formatScaled(avgUnits * 10n ** BigInt(8 - inst.priceDecimals), 8)
  const row: Record<string, unknown> = {
    symbol: wireOf(inst),
    priceChange: px(product, change, inst),
    priceChangePercent: formatScaled(percent, 3),
    weightedAvgPrice: avg,
    lastPrice: px(product, last, inst),
    lastQty: qty(product, stats.lastLots, inst),
    openPrice: px(product, open, inst),
    highPrice: px(product, stats.highTicks ?? 0n, inst),
    lowPrice: px(product, stats.lowTicks ?? 0n, inst),
    volume: qty(product, stats.volumeLots, inst),
    quoteVolume: quote(product, stats.quoteVolumeE8, inst),
    openTime: ctx.nowMs - DAY_MS,
    closeTime: ctx.nowMs,
    firstId: stats.firstTradeId,
    lastId: stats.lastTradeId,
    count: stats.count,
  }
  if (product === 'spot') {
    const top = ctx.emu.engine.bestBidAsk(inst.symbol)
    return {
      symbol: row.symbol,
      priceChange: row.priceChange,
      priceChangePercent: row.priceChangePercent,
      weightedAvgPrice: row.weightedAvgPrice,
      prevClosePrice: px(product, open, inst),
      lastPrice: row.lastPrice,
      lastQty: row.lastQty,
      bidPrice: px(product, top.bid?.[0] ?? 0n, inst),
      bidQty: qty(product, top.bid?.[1] ?? 0n, inst),
      askPrice: px(product, top.ask?.[0] ?? 0n, inst),
      askQty: qty(product, top.ask?.[1] ?? 0n, inst),
      openPrice: row.openPrice,
      highPrice: row.highPrice,
      lowPrice: row.lowPrice,
      volume: row.volume,
      quoteVolume: row.quoteVolume,
      openTime: row.openTime,
      closeTime: row.closeTime,
      firstId: row.firstId,
      lastId: row.lastId,
      count: row.count,
    }
  }
  return row
}

function tickers(ctx: RouteContext, product: Product): unknown {
  const one = ctx.params.get('symbol')
  if (one !== undefined) return ticker24h(ctx, instrumentOf(ctx, product, one), product)
  const multi = ctx.params.get('symbols')
  const wires =
    multi !== undefined ? parseSymbols(multi) : product === 'futures' ? ctx.emu.futuresSymbols : ctx.emu.spotSymbols
  return wires.map((w) => ticker24h(ctx, instrumentOf(ctx, product, w), product))
}

function parseSymbols(raw: string): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    // A symbols list that is not JSON is the client's error: Binance answers -1130 for the parameter.
    throw binanceReject('BAD_PARAMETER', ['symbols'])
  }
  if (!Array.isArray(parsed) || parsed.some((s) => typeof s !== 'string'))
    throw binanceReject('BAD_PARAMETER', ['symbols'])
  return parsed as string[]
}

/** Last price of a symbol: the last print, or 0 when nothing traded. */
function priceTicker(ctx: RouteContext, inst: Instrument): Record<string, unknown> {
  const rows = tape(ctx, inst)
  const last = rows[rows.length - 1]
  return { symbol: wireOf(inst), price: formatPrice(last?.priceTicks ?? 0n, inst), time: last?.tsMs ?? ctx.nowMs }
}

function userTrades(ctx: RouteContext, product: Product): unknown {
  const account = requireAccount(ctx)
  const inst = instrumentOf(ctx, product, requireParam(ctx, 'symbol'))
  const accountId = product === 'futures' ? account.accountId : account.spotAccountId
  const orderId = optionalInt(ctx, 'orderId')
  const limit = limitParam(ctx, 500, 1000)
  const fills = ctx.emu.history
    .accountFills(accountId)
    .filter((f) => f.symbol === inst.symbol && (orderId === undefined || f.orderId === orderId))
  return page(
    ctx,
    fills,
    (f) => f.fill.tradeId,
    (f) => f.tsMs,
    limit,
  ).map((f) => {
    const notional = f.fill.priceTicks * f.fill.lots * inst.notionalFactor
    if (product === 'futures') {
      return {
        buyer: f.side === 'BUY',
        commission: formatE8(f.fill.feeE8),
        commissionAsset: f.fill.feeAsset,
        id: f.fill.tradeId,
        maker: f.fill.isMaker,
        orderId: f.orderId,
        price: px(product, f.fill.priceTicks, inst),
        qty: qty(product, f.fill.lots, inst),
        quoteQty: quote(product, notional, inst),
        realizedPnl: formatE8(f.fill.realizedPnlE8),
        side: f.side,
        positionSide: 'BOTH',
        symbol: wireOf(inst),
        time: f.tsMs,
      }
    }
    return {
      symbol: wireOf(inst),
      id: f.fill.tradeId,
      orderId: f.orderId,
      orderListId: -1,
      price: px(product, f.fill.priceTicks, inst),
      qty: qty(product, f.fill.lots, inst),
      quoteQty: formatE8(notional),
      commission: formatE8(f.fill.feeE8),
      commissionAsset: f.fill.feeAsset,
      time: f.tsMs,
      isBuyer: f.side === 'BUY',
      isMaker: f.fill.isMaker,
      isBestMatch: true,
    }
  })
}

function allOrders(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const inst = instrumentOf(ctx, 'futures', requireParam(ctx, 'symbol'))
  const orderId = optionalInt(ctx, 'orderId')
  const startTime = optionalInt(ctx, 'startTime')
  const endTime = optionalInt(ctx, 'endTime')
  const limit = limitParam(ctx, 500, 1000)
  const rows = ctx.emu.history
    .accountOrders(account.accountId)
    .filter(
      (o) =>
        o.symbol === inst.symbol &&
        (orderId === undefined || o.orderId >= orderId) &&
        (startTime === undefined || o.createdTsMs >= startTime) &&
        (endTime === undefined || o.createdTsMs <= endTime),
    )
  const picked =
    orderId !== undefined || startTime !== undefined
      ? rows.slice(0, limit)
      : rows.slice(Math.max(0, rows.length - limit))
  return picked.map((o) => formatFuturesOrder(ctx.emu.engine.getOrder(o.orderId) ?? o, inst, true))
}

const INCOME_TYPES = new Set(['TRANSFER', 'REALIZED_PNL', 'COMMISSION', 'FUNDING_FEE'])

function income(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const symbol = ctx.params.get('symbol')
  if (symbol !== undefined) instrumentOf(ctx, 'futures', symbol)
  const incomeType = ctx.params.get('incomeType')
  const startTime = optionalInt(ctx, 'startTime')
  const endTime = optionalInt(ctx, 'endTime')
  const limit = limitParam(ctx, 100, 1000)
  const pageNo = optionalInt(ctx, 'page') ?? 1
  if (pageNo < 1) throw binanceReject('BAD_PARAMETER', ['page'])
  const rows = ctx.emu.history.accountIncome(account.accountId).filter(
    (r) =>
      (symbol === undefined || r.symbol === symbol) &&
      (incomeType === undefined || (INCOME_TYPES.has(incomeType) && r.incomeType === incomeType)) &&
      // Without a window Binance answers the last 7 days.
      (startTime === undefined ? endTime !== undefined || r.tsMs >= ctx.nowMs - 7 * DAY_MS : r.tsMs >= startTime) &&
      (endTime === undefined || r.tsMs <= endTime),
  )
  return rows.slice((pageNo - 1) * limit, pageNo * limit).map((r) => ({
    symbol: r.symbol,
    incomeType: r.incomeType,
    income: formatE8(r.amountE8),
    asset: r.asset,
    info: r.incomeType,
    time: r.tsMs,
    tranId: r.tranId,
    tradeId: r.tradeId,
  }))
}

/**
 * `GET /fapi/v1/fundingRate`: the funding times the emulator applied, ascending. With `startTime` the first `limit` rows from it,
 * otherwise the most recent `limit` (default 100, max 1000) up to `endTime`; without `symbol` every perpetual.
 */
function fundingRateHistory(ctx: RouteContext): unknown {
  const symbol = ctx.params.get('symbol')
  const symbols = symbol !== undefined ? [instrumentOf(ctx, 'futures', symbol).symbol] : ctx.emu.futuresSymbols
  const startTime = optionalInt(ctx, 'startTime')
  const endTime = optionalInt(ctx, 'endTime')
  const limit = limitParam(ctx, 100, 1000)
  const rows = symbols
    .flatMap((s) => ctx.emu.history.fundings(s))
    .filter(
      (r) =>
        (startTime === undefined || r.fundingTimeMs >= startTime) &&
        (endTime === undefined || r.fundingTimeMs <= endTime),
    )
    .sort((a, b) => a.fundingTimeMs - b.fundingTimeMs)
  const picked = startTime !== undefined ? rows.slice(0, limit) : rows.slice(Math.max(0, rows.length - limit))
  return picked.map((r) => ({
    symbol: r.symbol,
    fundingRate: formatE8(r.rateE8),
    fundingTime: r.fundingTimeMs,
    markPrice: formatE8(r.markPriceE8),
  }))
}

/** The USDⓈ-M history, ticker and position-mode routes. */
export function futuresHistoryRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/fapi/v1/trades',
      security: 'NONE',
      weight: () => 5,
      handler: (ctx) => recentTrades(ctx, 'futures'),
    },
    {
      method: 'GET',
      path: '/fapi/v1/aggTrades',
      security: 'NONE',
      weight: () => 20,
      handler: (ctx) => aggTrades(ctx, 'futures'),
    },
    {
      method: 'GET',
      path: '/fapi/v1/klines',
      security: 'NONE',
      weight: (p) => klineWeight(p),
      handler: (ctx) => klines(ctx, 'futures'),
    },
    {
      method: 'GET',
      path: '/fapi/v1/ticker/24hr',
      security: 'NONE',
      weight: (p) => (p.has('symbol') ? 1 : 40),
      handler: (ctx) => tickers(ctx, 'futures'),
    },
    {
      method: 'GET',
      path: '/fapi/v1/ticker/price',
      security: 'NONE',
      weight: (p) => (p.has('symbol') ? 1 : 2),
      handler: (ctx) => {
        const symbol = ctx.params.get('symbol')
        if (symbol !== undefined) return priceTicker(ctx, instrumentOf(ctx, 'futures', symbol))
        return ctx.emu.futuresSymbols.map((s) => priceTicker(ctx, instrumentOf(ctx, 'futures', s)))
      },
    },
    {
      method: 'GET',
      path: '/fapi/v2/ticker/price',
      security: 'NONE',
      weight: (p) => (p.has('symbol') ? 1 : 2),
      handler: (ctx) => {
        const symbol = ctx.params.get('symbol')
        if (symbol !== undefined) return priceTicker(ctx, instrumentOf(ctx, 'futures', symbol))
        return ctx.emu.futuresSymbols.map((s) => priceTicker(ctx, instrumentOf(ctx, 'futures', s)))
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/userTrades',
      security: 'SIGNED',
      weight: () => 5,
      handler: (ctx) => userTrades(ctx, 'futures'),
    },
    { method: 'GET', path: '/fapi/v1/allOrders', security: 'SIGNED', weight: () => 5, handler: allOrders },
    { method: 'GET', path: '/fapi/v1/income', security: 'SIGNED', weight: () => 30, handler: income },
    { method: 'GET', path: '/fapi/v1/fundingRate', security: 'NONE', weight: () => 1, handler: fundingRateHistory },
    {
      method: 'GET',
      path: '/fapi/v1/positionSide/dual',
      security: 'SIGNED',
      weight: () => 30,
      handler: (ctx) => {
        requireAccount(ctx)
        return { dualSidePosition: false }
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/positionSide/dual',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        requireAccount(ctx)
        const value = requireParam(ctx, 'dualSidePosition')
        if (value === 'false') throw binanceReject('NO_NEED_TO_CHANGE_POSITION_SIDE')
        // The emulator books one-way (BOTH) positions only; hedge mode is refused as an invalid value.
        throw binanceReject('BAD_PARAMETER', ['dualSidePosition'])
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/marginType',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        requireAccount(ctx)
        instrumentOf(ctx, 'futures', requireParam(ctx, 'symbol'))
        const marginType = requireParam(ctx, 'marginType')
        if (marginType === 'CROSSED') throw binanceReject('NO_NEED_TO_CHANGE_MARGIN_TYPE')
        // Cross margin only: ISOLATED (and anything else) is refused as an invalid value.
        throw binanceReject('BAD_PARAMETER', ['marginType'])
      },
    },
  ]
}

/** The spot history and ticker routes. */
export function spotHistoryRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v3/trades',
      security: 'NONE',
      weight: () => 25,
      handler: (ctx) => recentTrades(ctx, 'spot'),
    },
    {
      method: 'GET',
      path: '/api/v3/aggTrades',
      security: 'NONE',
      weight: () => 4,
      handler: (ctx) => aggTrades(ctx, 'spot'),
    },
    { method: 'GET', path: '/api/v3/klines', security: 'NONE', weight: () => 2, handler: (ctx) => klines(ctx, 'spot') },
    {
      method: 'GET',
      path: '/api/v3/ticker/24hr',
      security: 'NONE',
      weight: (p) => (p.has('symbol') ? 2 : 80),
      handler: (ctx) => tickers(ctx, 'spot'),
    },
    {
      method: 'GET',
      path: '/api/v3/myTrades',
      security: 'SIGNED',
      weight: () => 20,
      handler: (ctx) => userTrades(ctx, 'spot'),
    },
  ]
}

function klineWeight(params: Map<string, string>): number {
  const limit = Number(params.get('limit') ?? '500')
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10
}
