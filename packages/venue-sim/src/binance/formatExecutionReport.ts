import { formatScaled } from '../matching/formatScaled.js'
import type { Instrument, OrderEvent } from '../matching/types.js'
import { SPOT_PREFIX } from './spotPrefix.js'

function px(priceTicks: bigint, inst: Instrument): string {
  return formatScaled(priceTicks * inst.tickUnits * 10n ** BigInt(8 - inst.priceDecimals), 8)
}

function qty(lots: bigint, inst: Instrument): string {
  return formatScaled(lots * inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals), 8)
}

/**
 * Spot `executionReport` user-data event (field names as Binance's spot user-data stream). On a cancel, `c` is a new client id
 * (the cancel request's) and `C` the order's original one, as on Binance.
 */
export function formatExecutionReport(
  event: OrderEvent,
  inst: Instrument,
  newClientId: () => string,
): Record<string, unknown> {
  const o = event.order
  const f = event.fill
  const cancelled = event.execType === 'CANCELED'
  const zero = formatScaled(0n, 8)
  return {
    e: 'executionReport',
    E: event.tsMs,
    s: o.symbol.slice(SPOT_PREFIX.length),
    c: cancelled ? newClientId() : o.clientOrderId,
    S: o.side,
    o: o.timeInForce === 'GTX' ? 'LIMIT_MAKER' : o.type,
    f: o.timeInForce === 'GTX' ? 'GTC' : o.timeInForce,
    q: qty(o.origLots, inst),
    p: o.priceTicks === null ? zero : px(o.priceTicks, inst),
    P: zero,
    F: zero,
    g: -1,
    C: cancelled ? o.clientOrderId : '',
    x: event.execType === 'AMENDMENT' ? 'REPLACED' : event.execType,
    X: o.status,
    r: 'NONE',
    i: o.orderId,
    l: f ? qty(f.lots, inst) : zero,
    z: qty(o.executedLots, inst),
    L: f ? px(f.priceTicks, inst) : zero,
    n: f ? formatScaled(f.feeE8, 8) : '0',
    N: f ? f.feeAsset : null,
    T: event.tsMs,
    t: f ? f.tradeId : -1,
    v: 0,
    I: event.seq,
    w: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED',
    m: f ? f.isMaker : false,
    M: false,
    O: o.createdTsMs,
    Z: formatScaled(o.cumQuoteE8, 8),
    Y: f ? formatScaled(f.priceTicks * f.lots * inst.notionalFactor, 8) : zero,
    Q: zero,
    W: o.createdTsMs,
    V: 'EXPIRE_MAKER',
  }
}
