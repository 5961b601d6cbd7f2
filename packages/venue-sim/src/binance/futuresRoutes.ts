import type { BinanceRejectionError } from '../errors/binance.js'
import { BinanceRejectionError as RejectionClass } from '../errors/binance.js'
import { formatScaled } from '../matching/formatScaled.js'
import { marginAssetOf } from '../matching/MatchingEngine.js'
import { minBigint } from '../matching/minBigint.js'
import type { PlaceOrderResult, RejectReason, Side, TimeInForce } from '../matching/types.js'
import { binanceReject } from './binanceErrors.js'
import {
  formatE8,
  formatEntryPrice,
  formatFuturesOrder,
  formatPrice,
  formatQty,
  formatSignedQty,
} from './formatFutures.js'
import {
  depthWeight,
  parseClientOrderId,
  parsePriceTicks,
  parseQtyLots,
  type Route,
  type RouteContext,
  requireAccount,
  requireParam,
} from './routeTypes.js'

const DEPTH_LIMITS = new Set([5, 10, 20, 50, 100, 500, 1000])

function futuresInstrument(ctx: RouteContext, symbol: string) {
  if (!ctx.emu.futuresSymbols.includes(symbol)) throw binanceReject('INVALID_SYMBOL')
  return ctx.emu.engine.instrument(symbol)
}

/** Maps an engine rejection to Binance's futures error. */
export function futuresRejection(reason: RejectReason, ctx: RouteContext, symbol: string): BinanceRejectionError {
  switch (reason) {
    case 'POST_ONLY_WOULD_TAKE':
      return binanceReject('GTX_WOULD_TAKE')
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return binanceReject('CLIENT_ORDER_ID_DUPLICATED')
    case 'QTY_BELOW_MIN':
      return binanceReject('QTY_LESS_THAN_MIN')
    case 'QTY_ABOVE_MAX':
      return binanceReject('QTY_GREATER_THAN_MAX')
    case 'NOTIONAL_BELOW_MIN':
      return binanceReject('MIN_NOTIONAL', [ctx.emu.engine.instrument(symbol).minNotional])
    case 'INSUFFICIENT_MARGIN':
    case 'INSUFFICIENT_BALANCE':
      return binanceReject('MARGIN_INSUFFICIENT')
    case 'REDUCE_ONLY_REJECTED':
      return binanceReject('REDUCE_ONLY_REJECT')
    case 'UNKNOWN_ORDER':
      return binanceReject('NO_SUCH_ORDER')
    case 'NO_CHANGE':
      return binanceReject('NO_NEED_TO_MODIFY')
    case 'INVALID_QUANTITY':
      return binanceReject('QTY_LESS_THAN_ZERO')
  }
}

/** Places one futures order from wire parameters; returns the response JSON (ACK or RESULT). */
export function placeFuturesOrder(ctx: RouteContext, params: Map<string, string>): Record<string, unknown> {
  const account = requireAccount(ctx)
  const sub: RouteContext = { ...ctx, params }
  const symbol = requireParam(sub, 'symbol')
  const inst = futuresInstrument(sub, symbol)
  const side = requireParam(sub, 'side')
  if (side !== 'BUY' && side !== 'SELL') throw binanceReject('INVALID_SIDE')
  const type = requireParam(sub, 'type')
  if (type !== 'LIMIT' && type !== 'MARKET') throw binanceReject('INVALID_ORDER_TYPE')
  const positionSide = params.get('positionSide') ?? 'BOTH'
  if (positionSide !== 'BOTH') throw binanceReject('BAD_PARAMETER', ['positionSide'])
  let timeInForce: TimeInForce = 'GTC'
  let priceTicks: bigint | null = null
  if (type === 'LIMIT') {
    const tif = requireParam(sub, 'timeInForce')
    if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK' && tif !== 'GTX') throw binanceReject('INVALID_TIF')
    timeInForce = tif
    priceTicks = parsePriceTicks(requireParam(sub, 'price'), inst, false)
  }
  const lots = parseQtyLots(requireParam(sub, 'quantity'), inst, false)
  const clientOrderId = parseClientOrderId(sub, 'newClientOrderId')
  const reduceOnly = params.get('reduceOnly') === 'true'
  const respType = params.get('newOrderRespType') ?? 'ACK'
  if (respType !== 'ACK' && respType !== 'RESULT') throw binanceReject('BAD_PARAMETER', ['newOrderRespType'])
  const result: PlaceOrderResult = ctx.emu.engine.placeOrder({
    accountId: account.accountId,
    symbol,
    side: side as Side,
    type,
    timeInForce,
    priceTicks,
    lots,
    clientOrderId,
    reduceOnly,
  })
  if (!result.ok) throw futuresRejection(result.reason, ctx, symbol)
  if (respType === 'ACK') {
    const ack = {
      ...result.order,
      status: 'NEW' as const,
      executedLots: 0n,
      cumQuoteE8: 0n,
      updatedTsMs: result.order.createdTsMs,
    }
    return formatFuturesOrder(ack, inst, false)
  }
  return formatFuturesOrder(result.order, inst, false)
}

function findOrder(ctx: RouteContext, params: Map<string, string>, missing: 'UNKNOWN_ORDER_CANCEL' | 'NO_SUCH_ORDER') {
  const account = requireAccount(ctx)
  const sub: RouteContext = { ...ctx, params }
  const symbol = requireParam(sub, 'symbol')
  const inst = futuresInstrument(sub, symbol)
  const orderId = params.get('orderId')
  const clientId = params.get('origClientOrderId')
  if (orderId === undefined && clientId === undefined) throw binanceReject('MANDATORY_PARAM', ['orderId'])
  const order =
    orderId !== undefined
      ? ctx.emu.engine.getOrder(Number(orderId))
      : ctx.emu.engine.getOrderByClientId(account.accountId, symbol, clientId as string)
  if (!order || order.accountId !== account.accountId || order.symbol !== symbol) throw binanceReject(missing)
  return { account, inst, order }
}

function cancelFuturesOrder(ctx: RouteContext, params: Map<string, string>): Record<string, unknown> {
  const { account, inst, order } = findOrder(ctx, params, 'UNKNOWN_ORDER_CANCEL')
  const result = ctx.emu.engine.cancelOrder(account.accountId, order.orderId)
  if (!result.ok) throw binanceReject('UNKNOWN_ORDER_CANCEL')
  return formatFuturesOrder(result.order, inst, false)
}

function modifyFuturesOrder(ctx: RouteContext, params: Map<string, string>): Record<string, unknown> {
  const { account, inst, order } = findOrder(ctx, params, 'NO_SUCH_ORDER')
  const sub: RouteContext = { ...ctx, params }
  const side = requireParam(sub, 'side')
  if (side !== order.side) throw binanceReject('INVALID_SIDE')
  const lots = parseQtyLots(requireParam(sub, 'quantity'), inst, false)
  const priceTicks = parsePriceTicks(requireParam(sub, 'price'), inst, false)
  if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') throw binanceReject('NO_SUCH_ORDER')
  const result = ctx.emu.engine.amendOrder(account.accountId, order.orderId, { priceTicks, lots })
  if (!result.ok) throw futuresRejection(result.reason, ctx, order.symbol)
  return formatFuturesOrder(result.order, inst, false)
}

/** Runs one item of a batch; a Binance error becomes {code,msg} in place. */
function batchItem(run: () => Record<string, unknown>): Record<string, unknown> {
  try {
    return run()
  } catch (error) {
    if (error instanceof RejectionClass) return { code: error.binanceCode, msg: error.binanceMsg }
    throw error
  }
}

function parseBatch(ctx: RouteContext, name: string): Array<Record<string, unknown>> {
  const raw = requireParam(ctx, name)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    // Unparsable batch JSON is the client's error: Binance answers -1130 for the parameter.
    throw binanceReject('BAD_PARAMETER', [name])
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 5) throw binanceReject('BAD_PARAMETER', [name])
  return parsed as Array<Record<string, unknown>>
}

function toParamMap(item: Record<string, unknown>): Map<string, string> {
  const map = new Map<string, string>()
  for (const [k, v] of Object.entries(item)) if (v !== undefined && v !== null) map.set(k, String(v))
  return map
}

function accountAssets(ctx: RouteContext) {
  const account = requireAccount(ctx)
  const engine = ctx.emu.engine
  const assets = new Set<string>()
  for (const symbol of ctx.emu.futuresSymbols) assets.add(marginAssetOf(engine.instrument(symbol)))
  for (const asset of engine.account(account.accountId).balances.keys()) assets.add(asset)
  return { account, assets: [...assets] }
}

function balanceRows(ctx: RouteContext): Array<Record<string, unknown>> {
  const { account, assets } = accountAssets(ctx)
  return assets.map((asset) => {
    const m = ctx.emu.engine.marginSummary(account.accountId, asset)
    return {
      accountAlias: 'SgsR',
      asset,
      balance: formatE8(m.walletBalanceE8),
      crossWalletBalance: formatE8(m.walletBalanceE8),
      crossUnPnl: formatE8(m.unrealizedPnlE8),
      availableBalance: formatE8(m.availableBalanceE8),
      maxWithdrawAmount: formatE8(minBigint(m.availableBalanceE8, m.walletBalanceE8)),
      marginAvailable: true,
      updateTime: ctx.nowMs,
    }
  })
}

function positionRows(ctx: RouteContext, version: 2 | 3): Array<Record<string, unknown>> {
  const account = requireAccount(ctx)
  const symbol = ctx.params.get('symbol')
  if (symbol !== undefined) futuresInstrument(ctx, symbol)
  const symbols = symbol !== undefined ? [symbol] : ctx.emu.futuresSymbols
  const rows: Array<Record<string, unknown>> = []
  for (const s of symbols) {
    const inst = ctx.emu.engine.instrument(s)
    const v = ctx.emu.engine.positionView(account.accountId, s)
    if (version === 3 && v.lots === 0n && v.openOrderInitialMarginE8 === 0n) continue
    const common = {
      symbol: s,
      positionSide: 'BOTH',
      positionAmt: formatSignedQty(v.lots, inst),
      entryPrice: formatEntryPrice(v, inst),
      breakEvenPrice: formatEntryPrice(v, inst),
      markPrice: formatE8(v.markPriceE8),
      unRealizedProfit: formatE8(v.unrealizedPnlE8),
      liquidationPrice: '0',
      isolatedMargin: '0',
      notional: formatE8(v.notionalE8),
      isolatedWallet: '0',
      updateTime: v.updatedTsMs,
    }
    if (version === 2) {
      rows.push({
        ...common,
        marginType: 'cross',
        isAutoAddMargin: 'false',
        leverage: String(v.leverage),
        maxNotionalValue: '250000',
      })
    } else {
      rows.push({
        ...common,
        marginAsset: marginAssetOf(inst),
        initialMargin: formatE8(v.initialMarginE8 + v.openOrderInitialMarginE8),
        maintMargin: formatE8(v.maintMarginE8),
        positionInitialMargin: formatE8(v.initialMarginE8),
        openOrderInitialMargin: formatE8(v.openOrderInitialMarginE8),
        adl: 0,
        bidNotional: formatE8(v.bidNotionalE8),
        askNotional: formatE8(v.askNotionalE8),
      })
    }
  }
  return rows
}

function accountInfo(ctx: RouteContext): Record<string, unknown> {
  const { account, assets } = accountAssets(ctx)
  const engine = ctx.emu.engine
  let totalWallet = 0n
  let totalUpnl = 0n
  let totalPosIm = 0n
  let totalOrderIm = 0n
  let totalMaint = 0n
  let totalAvailable = 0n
  const assetRows = assets.map((asset) => {
    const m = engine.marginSummary(account.accountId, asset)
    totalWallet += m.walletBalanceE8
    totalUpnl += m.unrealizedPnlE8
    totalPosIm += m.positionInitialMarginE8
    totalOrderIm += m.openOrderInitialMarginE8
    totalMaint += m.maintMarginE8
    totalAvailable += m.availableBalanceE8
    return {
      asset,
      walletBalance: formatE8(m.walletBalanceE8),
      unrealizedProfit: formatE8(m.unrealizedPnlE8),
      marginBalance: formatE8(m.walletBalanceE8 + m.unrealizedPnlE8),
      maintMargin: formatE8(m.maintMarginE8),
      initialMargin: formatE8(m.positionInitialMarginE8 + m.openOrderInitialMarginE8),
      positionInitialMargin: formatE8(m.positionInitialMarginE8),
      openOrderInitialMargin: formatE8(m.openOrderInitialMarginE8),
      crossWalletBalance: formatE8(m.walletBalanceE8),
      crossUnPnl: formatE8(m.unrealizedPnlE8),
      availableBalance: formatE8(m.availableBalanceE8),
      maxWithdrawAmount: formatE8(minBigint(m.availableBalanceE8, m.walletBalanceE8)),
      updateTime: ctx.nowMs,
    }
  })
  const positions = ctx.emu.futuresSymbols
    .map((s) => ({ s, v: engine.positionView(account.accountId, s), inst: engine.instrument(s) }))
    .filter(({ v }) => v.lots !== 0n)
    .map(({ s, v, inst }) => ({
      symbol: s,
      positionSide: 'BOTH',
      positionAmt: formatSignedQty(v.lots, inst),
      unrealizedProfit: formatE8(v.unrealizedPnlE8),
      isolatedMargin: '0',
      notional: formatE8(v.notionalE8),
      isolatedWallet: '0',
      initialMargin: formatE8(v.initialMarginE8),
      maintMargin: formatE8(v.maintMarginE8),
      updateTime: v.updatedTsMs,
    }))
  return {
    totalInitialMargin: formatE8(totalPosIm + totalOrderIm),
    totalMaintMargin: formatE8(totalMaint),
    totalWalletBalance: formatE8(totalWallet),
    totalUnrealizedProfit: formatE8(totalUpnl),
    totalMarginBalance: formatE8(totalWallet + totalUpnl),
    totalPositionInitialMargin: formatE8(totalPosIm),
    totalOpenOrderInitialMargin: formatE8(totalOrderIm),
    totalCrossWalletBalance: formatE8(totalWallet),
    totalCrossUnPnl: formatE8(totalUpnl),
    availableBalance: formatE8(totalAvailable),
    maxWithdrawAmount: formatE8(minBigint(totalAvailable, totalWallet)),
    assets: assetRows,
    positions,
  }
}

function exchangeInfo(ctx: RouteContext): Record<string, unknown> {
  const limits = ctx.emu.limiter.limits
  const engine = ctx.emu.engine
  const assets = new Set<string>()
  const symbols = ctx.emu.futuresSymbols.map((symbol) => {
    const inst = engine.instrument(symbol)
    assets.add(marginAssetOf(inst))
    return {
      symbol,
      pair: symbol,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1569398400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: inst.baseAsset,
      quoteAsset: inst.quoteAsset,
      marginAsset: marginAssetOf(inst),
      pricePrecision: inst.priceDecimals,
      quantityPrecision: inst.qtyDecimals,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: ['Layer-1'],
      settlePlan: 0,
      triggerProtect: '0.0500',
      liquidationFee: '0.012500',
      marketTakeBound: '0.05',
      maxMoveOrderLimit: 10000,
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: inst.tickSize,
          maxPrice: '1000000',
          tickSize: inst.tickSize,
        },
        { filterType: 'LOT_SIZE', stepSize: inst.stepSize, maxQty: inst.maxQty, minQty: inst.minQty },
        { filterType: 'MARKET_LOT_SIZE', stepSize: inst.stepSize, maxQty: inst.maxQty, minQty: inst.minQty },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
        { filterType: 'MIN_NOTIONAL', notional: inst.minNotional },
        { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
      ],
      orderTypes: ['LIMIT', 'MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
      permissionSets: ['GRID', 'COPY'],
    }
  })
  return {
    timezone: 'UTC',
    serverTime: ctx.requestNowMs,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.requestWeightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: limits.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
    ],
    exchangeFilters: [],
    assets: [...assets].map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-10000' })),
    symbols,
  }
}

function depth(ctx: RouteContext): Record<string, unknown> {
  const symbol = requireParam(ctx, 'symbol')
  const inst = futuresInstrument(ctx, symbol)
  const limit = Number(ctx.params.get('limit') ?? '500')
  if (!DEPTH_LIMITS.has(limit)) throw binanceReject('BAD_PARAMETER', ['limit'])
  const snap = ctx.emu.engine.snapshot(symbol, limit)
  const rows = (levels: Array<[bigint, bigint]>) => levels.map(([p, q]) => [formatPrice(p, inst), formatQty(q, inst)])
  return { lastUpdateId: snap.lastUpdateId, E: ctx.nowMs, T: ctx.nowMs, bids: rows(snap.bids), asks: rows(snap.asks) }
}

/** ETHUSDT-like leverage brackets (static). */
function leverageBracket(ctx: RouteContext): unknown {
  requireAccount(ctx)
  const symbol = ctx.params.get('symbol')
  const symbols = symbol !== undefined ? [symbol] : ctx.emu.futuresSymbols
  if (symbol !== undefined) futuresInstrument(ctx, symbol)
  const rows = symbols.map((s) => ({
    symbol: s,
    notionalCoef: 1.0,
    brackets: [
      { bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0.0 },
      {
        bracket: 2,
        initialLeverage: 100,
        notionalCap: 600000,
        notionalFloor: 50000,
        maintMarginRatio: 0.005,
        cum: 50.0,
      },
      {
        bracket: 3,
        initialLeverage: 75,
        notionalCap: 3000000,
        notionalFloor: 600000,
        maintMarginRatio: 0.0065,
        cum: 950.0,
      },
      {
        bracket: 4,
        initialLeverage: 50,
        notionalCap: 12000000,
        notionalFloor: 3000000,
        maintMarginRatio: 0.01,
        cum: 11450.0,
      },
    ],
  }))
  return rows
}

/** Every USDⓈ-M route the emulator serves. */
export function futuresRoutes(): Route[] {
  return [
    { method: 'GET', path: '/fapi/v1/ping', security: 'NONE', weight: () => 1, handler: () => ({}) },
    {
      method: 'GET',
      path: '/fapi/v1/time',
      security: 'NONE',
      weight: () => 1,
      handler: (ctx) => ({ serverTime: ctx.requestNowMs }),
    },
    { method: 'GET', path: '/fapi/v1/exchangeInfo', security: 'NONE', weight: () => 1, handler: exchangeInfo },
    { method: 'GET', path: '/fapi/v1/depth', security: 'NONE', weight: (p) => depthWeight(p, false), handler: depth },
    {
      method: 'GET',
      path: '/fapi/v1/ticker/bookTicker',
      security: 'NONE',
      weight: (p) => (p.has('symbol') ? 2 : 5),
      handler: (ctx) => {
        const one = (symbol: string) => {
          const inst = futuresInstrument(ctx, symbol)
          const top = ctx.emu.engine.bestBidAsk(symbol)
          return {
            symbol,
            bidPrice: top.bid ? formatPrice(top.bid[0], inst) : formatPrice(0n, inst),
            bidQty: top.bid ? formatQty(top.bid[1], inst) : formatQty(0n, inst),
            askPrice: top.ask ? formatPrice(top.ask[0], inst) : formatPrice(0n, inst),
            askQty: top.ask ? formatQty(top.ask[1], inst) : formatQty(0n, inst),
            time: ctx.nowMs,
            lastUpdateId: top.updateId,
          }
        }
        const symbol = ctx.params.get('symbol')
        return symbol !== undefined ? one(symbol) : ctx.emu.futuresSymbols.map(one)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/premiumIndex',
      security: 'NONE',
      weight: () => 1,
      handler: (ctx) => {
        const one = (symbol: string) => {
          futuresInstrument(ctx, symbol)
          const mark = ctx.emu.engine.markPriceE8(symbol) ?? 0n
          return {
            symbol,
            markPrice: formatE8(mark),
            indexPrice: formatE8(mark),
            estimatedSettlePrice: formatE8(mark),
            // The rate the next funding time will charge (Binance's "lastFundingRate" is the current estimate).
            lastFundingRate: ctx.emu.fundingRateAt(symbol, ctx.emu.nextFundingTimeMs()),
            interestRate: '0.00010000',
            nextFundingTime: ctx.emu.nextFundingTimeMs(),
            time: ctx.nowMs,
          }
        }
        const symbol = ctx.params.get('symbol')
        return symbol !== undefined ? one(symbol) : ctx.emu.futuresSymbols.map(one)
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      weight: () => 0,
      countsOrder: true,
      handler: (ctx) => placeFuturesOrder(ctx, ctx.params),
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => cancelFuturesOrder(ctx, ctx.params),
    },
    {
      method: 'PUT',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      weight: () => 1,
      countsOrder: true,
      handler: (ctx) => modifyFuturesOrder(ctx, ctx.params),
    },
    {
      method: 'GET',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        const { inst, order } = findOrder(ctx, ctx.params, 'NO_SUCH_ORDER')
        return formatFuturesOrder(order, inst, true)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openOrder',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        const { inst, order } = findOrder(ctx, ctx.params, 'NO_SUCH_ORDER')
        if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') {
          throw new RejectionClass({ httpStatus: 400, binanceCode: -2013, binanceMsg: 'Order does not exist.' })
        }
        return formatFuturesOrder(order, inst, true)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openOrders',
      security: 'SIGNED',
      weight: (p) => (p.has('symbol') ? 1 : 40),
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const symbol = ctx.params.get('symbol')
        if (symbol !== undefined) futuresInstrument(ctx, symbol)
        return ctx.emu.engine
          .listOpenOrders(account.accountId, symbol)
          .filter((o) => ctx.emu.futuresSymbols.includes(o.symbol))
          .map((o) => formatFuturesOrder(o, ctx.emu.engine.instrument(o.symbol), true))
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/allOpenOrders',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const symbol = requireParam(ctx, 'symbol')
        futuresInstrument(ctx, symbol)
        ctx.emu.engine.cancelAll(account.accountId, symbol)
        return { code: 200, msg: 'The operation of cancel all open order is done.' }
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/batchOrders',
      security: 'SIGNED',
      weight: () => 5,
      countsOrder: true,
      handler: (ctx) =>
        parseBatch(ctx, 'batchOrders').map((item) => batchItem(() => placeFuturesOrder(ctx, toParamMap(item)))),
    },
    {
      method: 'PUT',
      path: '/fapi/v1/batchOrders',
      security: 'SIGNED',
      weight: () => 5,
      handler: (ctx) =>
        parseBatch(ctx, 'batchOrders').map((item) => batchItem(() => modifyFuturesOrder(ctx, toParamMap(item)))),
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/batchOrders',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        const symbol = requireParam(ctx, 'symbol')
        const ids = ctx.params.get('orderIdList') ?? ctx.params.get('orderidlist')
        const clientIds = ctx.params.get('origClientOrderIdList') ?? ctx.params.get('origclientorderidlist')
        const items: Array<Map<string, string>> = []
        const parseList = (raw: string, name: string): unknown[] => {
          let parsed: unknown
          try {
            parsed = JSON.parse(raw)
          } catch {
            throw binanceReject('BAD_PARAMETER', [name])
          }
          if (!Array.isArray(parsed) || parsed.length > 10) throw binanceReject('BAD_PARAMETER', [name])
          return parsed
        }
        if (ids !== undefined)
          for (const id of parseList(ids, 'orderIdList'))
            items.push(
              new Map([
                ['symbol', symbol],
                ['orderId', String(id)],
              ]),
            )
        if (clientIds !== undefined) {
          for (const id of parseList(clientIds, 'origClientOrderIdList')) {
            items.push(
              new Map([
                ['symbol', symbol],
                ['origClientOrderId', String(id)],
              ]),
            )
          }
        }
        if (items.length === 0) throw binanceReject('MANDATORY_PARAM', ['orderIdList'])
        return items.map((params) => batchItem(() => cancelFuturesOrder(ctx, params)))
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/countdownCancelAll',
      security: 'SIGNED',
      weight: () => 10,
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const symbol = requireParam(ctx, 'symbol')
        futuresInstrument(ctx, symbol)
        const countdownTime = requireParam(ctx, 'countdownTime')
        if (!/^\d+$/.test(countdownTime)) throw binanceReject('BAD_PARAMETER', ['countdownTime'])
        const ms = Number(countdownTime)
        const key = `${account.accountId}\u0000${symbol}`
        if (ms === 0) ctx.emu.countdowns.delete(key)
        else ctx.emu.countdowns.set(key, { accountId: account.accountId, symbol, deadlineMs: ctx.nowMs + ms })
        return { symbol, countdownTime }
      },
    },
    { method: 'GET', path: '/fapi/v3/account', security: 'SIGNED', weight: () => 5, handler: accountInfo },
    { method: 'GET', path: '/fapi/v2/account', security: 'SIGNED', weight: () => 5, handler: accountInfo },
    { method: 'GET', path: '/fapi/v2/balance', security: 'SIGNED', weight: () => 5, handler: balanceRows },
    { method: 'GET', path: '/fapi/v3/balance', security: 'SIGNED', weight: () => 5, handler: balanceRows },
    {
      method: 'GET',
      path: '/fapi/v2/positionRisk',
      security: 'SIGNED',
      weight: () => 5,
      handler: (ctx) => positionRows(ctx, 2),
    },
    {
      method: 'GET',
      path: '/fapi/v3/positionRisk',
      security: 'SIGNED',
      weight: () => 5,
      handler: (ctx) => positionRows(ctx, 3),
    },
    { method: 'GET', path: '/fapi/v1/leverageBracket', security: 'SIGNED', weight: () => 1, handler: leverageBracket },
    {
      method: 'POST',
      path: '/fapi/v1/leverage',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const symbol = requireParam(ctx, 'symbol')
        futuresInstrument(ctx, symbol)
        const leverage = Number(requireParam(ctx, 'leverage'))
        if (!Number.isInteger(leverage) || leverage < 1 || leverage > 125)
          throw binanceReject('BAD_PARAMETER', ['leverage'])
        ctx.emu.engine.setAccountLeverage(account.accountId, symbol, leverage)
        return { leverage, maxNotionalValue: '250000', symbol }
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/commissionRate',
      security: 'SIGNED',
      weight: () => 20,
      handler: (ctx) => {
        const symbol = requireParam(ctx, 'symbol')
        const inst = futuresInstrument(ctx, symbol)
        return {
          symbol,
          makerCommissionRate: formatScaled(BigInt(inst.makerFeePpm), 6),
          takerCommissionRate: formatScaled(BigInt(inst.takerFeePpm), 6),
        }
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      weight: () => 1,
      handler: (ctx) => ({
        listenKey: ctx.emu.listenKeys.start(requireAccount(ctx).accountId, ctx.requestNowMs).listenKey,
      }),
    },
    {
      method: 'PUT',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      weight: () => 1,
      handler: (ctx) => {
        const entry = ctx.emu.listenKeys.keepAlive(requireAccount(ctx).accountId, ctx.requestNowMs)
        if (!entry) throw binanceReject('INVALID_LISTEN_KEY')
        return { listenKey: entry.listenKey }
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      weight: () => 1,
      handler: (ctx) => {
        const entry = ctx.emu.listenKeys.close(requireAccount(ctx).accountId)
        if (entry) ctx.emu.hub.expireListenKey(entry.listenKey, ctx.nowMs)
        return {}
      },
    },
  ]
}
