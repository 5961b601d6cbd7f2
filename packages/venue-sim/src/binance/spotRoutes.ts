import { BinanceRejectionError } from '../errors/binance.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { EngineOrder, Fill, Instrument, RejectReason, TimeInForce } from '../matching/types.js'
import { binanceReject } from './binanceErrors.js'
import { formatE8 } from './formatFutures.js'
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
import { SPOT_PREFIX } from './spotPrefix.js'

const SPOT_DEPTH_MAX = 5000

function spotInstrument(ctx: RouteContext, symbol: string): Instrument {
  if (!ctx.emu.spotSymbols.includes(symbol)) throw binanceReject('INVALID_SYMBOL')
  return ctx.emu.engine.instrument(SPOT_PREFIX + symbol)
}

/** Spot prints prices and sizes with 8 decimals. */
function px(priceTicks: bigint, inst: Instrument): string {
  return formatScaled(priceTicks * inst.tickUnits * 10n ** BigInt(8 - inst.priceDecimals), 8)
}

function qty(lots: bigint, inst: Instrument): string {
  return formatScaled(lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals), 8)
}

function spotRejection(reason: RejectReason): BinanceRejectionError {
  switch (reason) {
    case 'POST_ONLY_WOULD_TAKE':
      return binanceReject('SPOT_WOULD_TAKE')
    case 'INSUFFICIENT_BALANCE':
    case 'INSUFFICIENT_MARGIN':
      return binanceReject('SPOT_INSUFFICIENT_BALANCE')
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return binanceReject('SPOT_DUPLICATE_ORDER')
    case 'QTY_BELOW_MIN':
    case 'QTY_ABOVE_MAX':
    case 'INVALID_QUANTITY':
      return binanceReject('SPOT_FILTER', ['LOT_SIZE'])
    case 'NOTIONAL_BELOW_MIN':
      return binanceReject('SPOT_FILTER', ['NOTIONAL'])
    default:
      return binanceReject('NO_SUCH_ORDER')
  }
}

function spotType(order: Readonly<EngineOrder>): string {
  return order.timeInForce === 'GTX' ? 'LIMIT_MAKER' : order.type
}

function formatSpotOrder(order: Readonly<EngineOrder>, inst: Instrument, wire: string): Record<string, unknown> {
  return {
    symbol: wire,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: order.priceTicks === null ? px(0n, inst) : px(order.priceTicks, inst),
    origQty: qty(order.origLots, inst),
    executedQty: qty(order.executedLots, inst),
    cummulativeQuoteQty: formatE8(order.cumQuoteE8),
    status: order.status,
    timeInForce: order.timeInForce === 'GTX' ? 'GTC' : order.timeInForce,
    type: spotType(order),
    side: order.side,
    workingTime: order.createdTsMs,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  }
}

function placeSpotOrder(ctx: RouteContext): Record<string, unknown> {
  const account = requireAccount(ctx)
  const symbol = requireParam(ctx, 'symbol')
  const inst = spotInstrument(ctx, symbol)
  const side = requireParam(ctx, 'side')
  if (side !== 'BUY' && side !== 'SELL') throw binanceReject('INVALID_SIDE')
  const type = requireParam(ctx, 'type')
  if (type !== 'LIMIT' && type !== 'LIMIT_MAKER' && type !== 'MARKET') throw binanceReject('INVALID_ORDER_TYPE')
  let timeInForce: TimeInForce = 'GTC'
  let priceTicks: bigint | null = null
  if (type === 'LIMIT') {
    const tif = requireParam(ctx, 'timeInForce')
    if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw binanceReject('INVALID_TIF')
    timeInForce = tif
  }
  if (type === 'LIMIT_MAKER') timeInForce = 'GTX'
  if (type !== 'MARKET') priceTicks = parsePriceTicks(requireParam(ctx, 'price'), inst, true)
  const lots = parseQtyLots(requireParam(ctx, 'quantity'), inst, true)
  const clientOrderId = parseClientOrderId(ctx, 'newClientOrderId')
  const respType = ctx.params.get('newOrderRespType') ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK')
  const result = ctx.emu.engine.placeOrder({
    accountId: account.spotAccountId,
    symbol: SPOT_PREFIX + symbol,
    side,
    type: type === 'MARKET' ? 'MARKET' : 'LIMIT',
    timeInForce,
    priceTicks,
    lots,
    clientOrderId,
  })
  if (!result.ok) throw spotRejection(result.reason)
  const ack = { symbol, orderId: result.order.orderId, orderListId: -1, clientOrderId, transactTime: ctx.nowMs }
  if (respType === 'ACK') return ack
  const full = { ...formatSpotOrder(result.order, inst, symbol), transactTime: ctx.nowMs }
  if (respType === 'RESULT') return full
  return {
    ...full,
    fills: result.fills.map((f: Fill) => ({
      price: px(f.priceTicks, inst),
      qty: qty(f.lots, inst),
      commission: formatE8(f.feeE8),
      commissionAsset: f.feeAsset,
      tradeId: f.tradeId,
    })),
  }
}

function findSpotOrder(ctx: RouteContext, missing: 'UNKNOWN_ORDER_CANCEL' | 'NO_SUCH_ORDER') {
  const account = requireAccount(ctx)
  const symbol = requireParam(ctx, 'symbol')
  const inst = spotInstrument(ctx, symbol)
  const orderId = ctx.params.get('orderId')
  const clientId = ctx.params.get('origClientOrderId')
  if (orderId === undefined && clientId === undefined) throw binanceReject('MANDATORY_PARAM', ['orderId'])
  const order =
    orderId !== undefined
      ? ctx.emu.engine.getOrder(Number(orderId))
      : ctx.emu.engine.getOrderByClientId(account.spotAccountId, SPOT_PREFIX + symbol, clientId as string)
  if (!order || order.accountId !== account.spotAccountId || order.symbol !== SPOT_PREFIX + symbol) {
    throw missing === 'UNKNOWN_ORDER_CANCEL' ? binanceReject('UNKNOWN_ORDER_CANCEL') : binanceReject('NO_SUCH_ORDER')
  }
  return { account, inst, order, symbol }
}

function cancelSpotOrder(ctx: RouteContext): Record<string, unknown> {
  const { account, inst, order, symbol } = findSpotOrder(ctx, 'UNKNOWN_ORDER_CANCEL')
  const result = ctx.emu.engine.cancelOrder(account.spotAccountId, order.orderId)
  if (!result.ok) throw binanceReject('UNKNOWN_ORDER_CANCEL')
  return {
    ...formatSpotOrder(result.order, inst, symbol),
    origClientOrderId: order.clientOrderId,
    transactTime: ctx.nowMs,
  }
}

/** POST /api/v3/order/cancelReplace: cancel then place; both halves are reported (not atomic, as on Binance). */
function cancelReplace(ctx: RouteContext): Record<string, unknown> {
  const mode = requireParam(ctx, 'cancelReplaceMode')
  if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE')
    throw binanceReject('BAD_PARAMETER', ['cancelReplaceMode'])
  const cancelParams = new Map<string, string>([['symbol', requireParam(ctx, 'symbol')]])
  const cancelId = ctx.params.get('cancelOrderId')
  const cancelClientId = ctx.params.get('cancelOrigClientOrderId')
  if (cancelId === undefined && cancelClientId === undefined) throw binanceReject('MANDATORY_PARAM', ['cancelOrderId'])
  if (cancelId !== undefined) cancelParams.set('orderId', cancelId)
  if (cancelClientId !== undefined) cancelParams.set('origClientOrderId', cancelClientId)
  const attempt = (run: () => Record<string, unknown>): [boolean, Record<string, unknown>] => {
    try {
      return [true, run()]
    } catch (error) {
      // Each half's Binance error is reported inside the combined answer.
      if (!(error instanceof BinanceRejectionError)) throw error
      return [false, { code: error.binanceCode, msg: error.binanceMsg }]
    }
  }
  const [cancelled, cancelResponse] = attempt(() => cancelSpotOrder({ ...ctx, params: cancelParams }))
  if (!cancelled && mode === 'STOP_ON_FAILURE') {
    throw new BinanceRejectionError({
      httpStatus: 400,
      binanceCode: -2022,
      binanceMsg: 'Order cancel-replace failed.',
      data: { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse, newOrderResponse: null },
    })
  }
  const placeParams = new Map(ctx.params)
  for (const k of ['cancelReplaceMode', 'cancelOrderId', 'cancelOrigClientOrderId', 'cancelNewClientOrderId'])
    placeParams.delete(k)
  const [placed, newOrderResponse] = attempt(() => placeSpotOrder({ ...ctx, params: placeParams }))
  const data = {
    cancelResult: cancelled ? 'SUCCESS' : 'FAILURE',
    newOrderResult: placed ? 'SUCCESS' : 'FAILURE',
    cancelResponse,
    newOrderResponse,
  }
  if (cancelled && placed) return data
  throw new BinanceRejectionError({
    httpStatus: 409,
    binanceCode: cancelled || placed ? -2021 : -2022,
    binanceMsg: cancelled || placed ? 'Order cancel-replace partially failed.' : 'Order cancel-replace failed.',
    data,
  })
}

function spotExchangeInfo(ctx: RouteContext): Record<string, unknown> {
  const limits = ctx.emu.limiter.limits
  return {
    timezone: 'UTC',
    serverTime: ctx.requestNowMs,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.requestWeightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
    ],
    exchangeFilters: [],
    symbols: ctx.emu.spotSymbols.map((symbol) => {
      const inst = ctx.emu.engine.instrument(SPOT_PREFIX + symbol)
      return {
        symbol,
        status: 'TRADING',
        baseAsset: inst.baseAsset,
        baseAssetPrecision: 8,
        quoteAsset: inst.quoteAsset,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        baseCommissionPrecision: 8,
        quoteCommissionPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
        icebergAllowed: false,
        ocoAllowed: false,
        otoAllowed: false,
        quoteOrderQtyMarketAllowed: false,
        allowTrailingStop: false,
        cancelReplaceAllowed: false,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: px(1n, inst), maxPrice: '1000000.00000000', tickSize: px(1n, inst) },
          {
            filterType: 'LOT_SIZE',
            minQty: qty(inst.minQtyLots, inst),
            maxQty: qty(inst.maxQtyLots, inst),
            stepSize: qty(1n, inst),
          },
          {
            filterType: 'NOTIONAL',
            minNotional: formatE8(inst.minNotionalE8),
            applyMinToMarket: true,
            maxNotional: '9000000.00000000',
            applyMaxToMarket: false,
            avgPriceMins: 5,
          },
        ],
        permissions: [],
        permissionSets: [['SPOT']],
        defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
        allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
      }
    }),
  }
}

/** The spot (/api/v3) subset the spot connector needs: time, exchangeInfo, depth, order entry, open orders, account. */
export function spotRoutes(): Route[] {
  return [
    { method: 'GET', path: '/api/v3/ping', security: 'NONE', weight: () => 1, handler: () => ({}) },
    {
      method: 'GET',
      path: '/api/v3/time',
      security: 'NONE',
      weight: () => 1,
      handler: (ctx) => ({ serverTime: ctx.requestNowMs }),
    },
    { method: 'GET', path: '/api/v3/exchangeInfo', security: 'NONE', weight: () => 20, handler: spotExchangeInfo },
    {
      method: 'GET',
      path: '/api/v3/depth',
      security: 'NONE',
      weight: (p) => depthWeight(p, true),
      handler: (ctx) => {
        const symbol = requireParam(ctx, 'symbol')
        const inst = spotInstrument(ctx, symbol)
        const limit = Number(ctx.params.get('limit') ?? '100')
        if (!Number.isInteger(limit) || limit < 1 || limit > SPOT_DEPTH_MAX)
          throw binanceReject('BAD_PARAMETER', ['limit'])
        const snap = ctx.emu.engine.snapshot(SPOT_PREFIX + symbol, limit)
        const rows = (levels: Array<[bigint, bigint]>) => levels.map(([p, q]) => [px(p, inst), qty(q, inst)])
        return { lastUpdateId: snap.lastUpdateId, bids: rows(snap.bids), asks: rows(snap.asks) }
      },
    },
    {
      method: 'POST',
      path: '/api/v3/order',
      security: 'SIGNED',
      weight: () => 1,
      countsOrder: true,
      handler: placeSpotOrder,
    },
    {
      method: 'GET',
      path: '/api/v3/order',
      security: 'SIGNED',
      weight: () => 4,
      handler: (ctx) => {
        const { inst, order, symbol } = findSpotOrder(ctx, 'NO_SUCH_ORDER')
        return {
          ...formatSpotOrder(order, inst, symbol),
          time: order.createdTsMs,
          updateTime: order.updatedTsMs,
          isWorking: true,
        }
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/order',
      security: 'SIGNED',
      weight: () => 1,
      handler: cancelSpotOrder,
    },
    {
      method: 'POST',
      path: '/api/v3/order/cancelReplace',
      security: 'SIGNED',
      weight: () => 1,
      countsOrder: true,
      handler: cancelReplace,
    },
    {
      method: 'GET',
      path: '/api/v3/openOrders',
      security: 'SIGNED',
      weight: (p) => (p.has('symbol') ? 6 : 80),
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const symbol = ctx.params.get('symbol')
        if (symbol !== undefined) spotInstrument(ctx, symbol)
        return ctx.emu.engine
          .listOpenOrders(account.spotAccountId, symbol === undefined ? undefined : SPOT_PREFIX + symbol)
          .map((o) => {
            const wire = o.symbol.slice(SPOT_PREFIX.length)
            return {
              ...formatSpotOrder(o, ctx.emu.engine.instrument(o.symbol), wire),
              time: o.createdTsMs,
              updateTime: o.updatedTsMs,
              isWorking: true,
            }
          })
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/openOrders',
      security: 'SIGNED',
      weight: () => 1,
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const symbol = requireParam(ctx, 'symbol')
        const inst = spotInstrument(ctx, symbol)
        return ctx.emu.engine.cancelAll(account.spotAccountId, SPOT_PREFIX + symbol).map((o) => ({
          ...formatSpotOrder(o, inst, symbol),
          origClientOrderId: o.clientOrderId,
          transactTime: ctx.nowMs,
        }))
      },
    },
    {
      method: 'GET',
      path: '/api/v3/account',
      security: 'SIGNED',
      weight: () => 20,
      handler: (ctx) => {
        const account = requireAccount(ctx)
        const balances = [...ctx.emu.engine.account(account.spotAccountId).balances.entries()].map(([asset, b]) => ({
          asset,
          free: formatE8(b.walletE8 - b.lockedE8),
          locked: formatE8(b.lockedE8),
        }))
        return {
          makerCommission: 10,
          takerCommission: 10,
          buyerCommission: 0,
          sellerCommission: 0,
          canTrade: true,
          canWithdraw: true,
          canDeposit: true,
          brokered: false,
          requireSelfTradePrevention: false,
          preventSor: false,
          updateTime: ctx.nowMs,
          accountType: 'SPOT',
          balances,
          permissions: ['SPOT'],
          uid: 0,
        }
      },
    },
  ]
}
