import { divRound } from '../matching/divRound.js'
import { formatScaled } from '../matching/formatScaled.js'
import type { MatchingEngine, PositionView } from '../matching/MatchingEngine.js'
import { marginAssetOf } from '../matching/MatchingEngine.js'
import type { EngineOrder, Fill, Instrument, OrderEvent } from '../matching/types.js'

/** Wire formats of USDⓈ-M futures responses and user-data events, field names exactly as Binance spells them. */

export function formatPrice(priceTicks: bigint, inst: Instrument): string {
  return formatScaled(priceTicks * inst.tickUnits, inst.priceDecimals)
}

export function formatQty(lots: bigint, inst: Instrument): string {
  return formatScaled(lots * inst.stepUnits, inst.qtyDecimals)
}

export function formatE8(amountE8: bigint): string {
  return formatScaled(amountE8, 8)
}

/** Quote amount (E8) with price+size decimals, e.g. cumQuote "268.16200". */
export function formatQuote(amountE8: bigint, inst: Instrument): string {
  const decimals = inst.priceDecimals + inst.qtyDecimals
  return formatScaled(divRound(amountE8, 10n ** BigInt(8 - decimals), 'trunc'), decimals)
}

/** Average fill price with 5 more digits than the tick (Binance prints e.g. "2681.6200000"), "0.00000" style when unfilled. */
export function formatAvgPrice(order: Readonly<EngineOrder>, inst: Instrument): string {
  const decimals = Math.min(inst.priceDecimals + 5, 8)
  if (order.executedLots === 0n) return formatScaled(0n, decimals)
  const baseE8 = order.executedLots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
  const avgE8 = divRound(order.cumQuoteE8 * 10n ** 8n, baseE8, 'trunc')
  return formatScaled(divRound(avgE8, 10n ** BigInt(8 - decimals), 'trunc'), decimals)
}

/** Futures order JSON (POST/GET/DELETE /fapi/v1/order, openOrders, batchOrders). */
export function formatFuturesOrder(
  order: Readonly<EngineOrder>,
  inst: Instrument,
  withTime: boolean,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    orderId: order.orderId,
    symbol: order.symbol,
    status: order.status,
    clientOrderId: order.clientOrderId,
    price: order.priceTicks === null ? formatScaled(0n, inst.priceDecimals) : formatPrice(order.priceTicks, inst),
    avgPrice: formatAvgPrice(order, inst),
    origQty: formatQty(order.origLots, inst),
    executedQty: formatQty(order.executedLots, inst),
    cumQty: formatQty(order.executedLots, inst),
    cumQuote: formatQuote(order.cumQuoteE8, inst),
    timeInForce: order.timeInForce,
    type: order.type,
    reduceOnly: order.reduceOnly,
    closePosition: false,
    side: order.side,
    positionSide: 'BOTH',
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: order.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    updateTime: order.updatedTsMs,
  }
  if (withTime) json.time = order.createdTsMs
  return json
}

/** ORDER_TRADE_UPDATE user-data event. */
export function formatOrderTradeUpdate(
  event: OrderEvent,
  inst: Instrument,
  view: PositionView,
): Record<string, unknown> {
  const o = event.order
  const fill: Fill | null = event.fill
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: event.tsMs,
    T: event.tsMs,
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: formatQty(o.origLots, inst),
      p: o.priceTicks === null ? '0' : formatPrice(o.priceTicks, inst),
      ap: formatAvgPrice(o, inst),
      sp: '0',
      x: event.execType,
      X: o.status,
      i: o.orderId,
      l: fill ? formatQty(fill.lots, inst) : '0',
      z: formatQty(o.executedLots, inst),
      L: fill ? formatPrice(fill.priceTicks, inst) : '0',
      N: fill ? fill.feeAsset : marginAssetOf(inst),
      n: fill ? formatE8(fill.feeE8) : '0',
      T: event.tsMs,
      t: fill ? fill.tradeId : 0,
      b: formatE8(view.bidNotionalE8),
      a: formatE8(view.askNotionalE8),
      m: fill ? fill.isMaker : false,
      R: o.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: o.type,
      ps: 'BOTH',
      cp: false,
      rp: fill ? formatE8(fill.realizedPnlE8) : '0',
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: 0,
      er: '0',
    },
  }
}

/** ACCOUNT_UPDATE user-data event. `cw` is the cross wallet balance, which is not the available balance. */
export function formatAccountUpdate(
  engine: MatchingEngine,
  accountId: string,
  tsMs: number,
  reason: string,
  assets: readonly string[],
  symbols: readonly string[],
  balanceChangesE8: Map<string, bigint>,
): Record<string, unknown> {
  const account = engine.account(accountId)
  const B = assets.map((asset) => {
    const wallet = account.balances.get(asset)?.walletE8 ?? 0n
    return { a: asset, wb: formatE8(wallet), cw: formatE8(wallet), bc: formatE8(balanceChangesE8.get(asset) ?? 0n) }
  })
  const P = symbols.map((symbol) => {
    const inst = engine.instrument(symbol)
    const view = engine.positionView(accountId, symbol)
    return {
      s: symbol,
      pa: formatSignedQty(view.lots, inst),
      ep: formatEntryPrice(view, inst),
      bep: formatEntryPrice(view, inst),
      cr: formatE8(view.cumRealizedPnlE8),
      up: formatE8(view.unrealizedPnlE8),
      mt: 'cross',
      iw: '0',
      ps: 'BOTH',
    }
  })
  return { e: 'ACCOUNT_UPDATE', E: tsMs, T: tsMs, a: { m: reason, B, P } }
}

/** Entry price with 8 decimals (truncated), "0.0" when flat as Binance prints it. */
export function formatEntryPrice(view: PositionView, inst: Instrument): string {
  if (view.lots === 0n) return '0.0'
  const baseE8 = view.lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
  return formatE8(divRound(view.entryCostE8 * 10n ** 8n, baseE8, 'trunc'))
}

export function formatSignedQty(lots: bigint, inst: Instrument): string {
  return formatScaled(lots * inst.stepUnits, inst.qtyDecimals)
}
