import { formatScaled } from '../matching/formatScaled.js'
import type { MarginSummary, PositionView } from '../matching/MatchingEngine.js'
import type { EngineOrder, Fill, Instrument } from '../matching/types.js'

/** Deribit sends prices and amounts as JSON numbers; the emulator prints them from exact decimals. */
export function priceNumber(inst: Instrument, priceTicks: bigint): number {
  return Number(formatScaled(priceTicks * inst.tickUnits, inst.priceDecimals))
}

export function amountNumber(inst: Instrument, lots: bigint): number {
  return Number(formatScaled(lots * inst.stepUnits, inst.qtyDecimals))
}

export function e8Number(valueE8: bigint): number {
  return Number(formatScaled(valueE8, 8))
}

/** Quote per base unit (8 decimals, truncated) of `quoteE8` spent on `lots`: quoteE8 · 10^qtyDecimals / (lots · stepUnits). */
export function averagePrice(inst: Instrument, quoteE8: bigint, lots: bigint): number {
  if (lots === 0n) return 0
  return e8Number((quoteE8 * 10n ** BigInt(inst.qtyDecimals)) / (lots * inst.stepUnits))
}

/** Extra per-order facts the engine does not keep (Deribit flags and the label as sent). */
export type DeribitOrderMeta = {
  label: string
  postOnly: boolean
  rejectPostOnly: boolean
  replaced: boolean
  /** Set when the order is final because of cancel-on-disconnect or a user cancel. */
  cancelReason: string | undefined
}

/** Deribit order id: `<settlement currency>-<engine id>` as Deribit prints (`USDC-1234`); the number is the engine id. */
export function formatOrderId(inst: Instrument, orderId: number): string {
  return `${inst.quoteAsset}-${orderId}`
}

export function parseOrderId(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const match = /^[A-Z0-9]+-(\d+)$/.exec(text)
  return match ? Number(match[1]) : undefined
}

/** The order object of private/buy, user.orders, get_open_orders… */
export function formatDeribitOrder(
  inst: Instrument,
  order: Readonly<EngineOrder>,
  meta: DeribitOrderMeta,
  rejected = false,
): Record<string, unknown> {
  const state = rejected
    ? 'rejected'
    : order.status === 'FILLED'
      ? 'filled'
      : order.status === 'CANCELED' || order.status === 'EXPIRED'
        ? 'cancelled'
        : 'open'
  return {
    order_id: formatOrderId(inst, order.orderId),
    order_state: state,
    label: meta.label,
    instrument_name: inst.symbol,
    direction: order.side === 'BUY' ? 'buy' : 'sell',
    amount: amountNumber(inst, order.origLots),
    filled_amount: amountNumber(inst, order.executedLots),
    contracts: amountNumber(inst, order.origLots),
    price: order.priceTicks === null ? 'market_price' : priceNumber(inst, order.priceTicks),
    average_price: averagePrice(inst, order.cumQuoteE8, order.executedLots),
    order_type: order.type === 'MARKET' ? 'market' : 'limit',
    time_in_force:
      order.timeInForce === 'IOC'
        ? 'immediate_or_cancel'
        : order.timeInForce === 'FOK'
          ? 'fill_or_kill'
          : 'good_til_cancelled',
    post_only: meta.postOnly,
    reject_post_only: meta.rejectPostOnly,
    reduce_only: order.reduceOnly,
    creation_timestamp: order.createdTsMs,
    last_update_timestamp: order.updatedTsMs,
    api: true,
    web: false,
    replaced: meta.replaced,
    is_liquidation: false,
    risk_reducing: false,
    mmp: false,
    max_show: amountNumber(inst, order.origLots),
    ...(meta.cancelReason !== undefined && state === 'cancelled' ? { cancel_reason: meta.cancelReason } : {}),
  }
}

/** One trade of `user.trades` / the `trades` array of private/buy. */
export function formatDeribitUserTrade(
  inst: Instrument,
  order: Readonly<EngineOrder>,
  fill: Fill,
  meta: DeribitOrderMeta,
  tsMs: number,
): Record<string, unknown> {
  return {
    trade_id: String(fill.tradeId),
    trade_seq: fill.tradeId,
    order_id: formatOrderId(inst, order.orderId),
    label: meta.label,
    instrument_name: inst.symbol,
    direction: order.side === 'BUY' ? 'buy' : 'sell',
    amount: amountNumber(inst, fill.lots),
    price: priceNumber(inst, fill.priceTicks),
    fee: e8Number(fill.feeE8),
    fee_currency: fill.feeAsset,
    liquidity: fill.isMaker ? 'M' : 'T',
    timestamp: tsMs,
    order_type: order.type === 'MARKET' ? 'market' : 'limit',
    state: order.status === 'FILLED' ? 'filled' : 'open',
    post_only: meta.postOnly,
    reduce_only: order.reduceOnly,
    tick_direction: 0,
    index_price: priceNumber(inst, fill.priceTicks),
    mark_price: priceNumber(inst, fill.priceTicks),
    matching_id: null,
    api: true,
    profit_loss: e8Number(fill.realizedPnlE8),
  }
}

/** One element of private/get_positions (linear instrument: `size` in base coin, signed). */
export function formatDeribitPosition(inst: Instrument, view: PositionView): Record<string, unknown> {
  const size = amountNumber(inst, view.lots)
  const absLots = view.lots < 0n ? -view.lots : view.lots
  return {
    instrument_name: inst.symbol,
    kind: 'future',
    direction: view.lots > 0n ? 'buy' : view.lots < 0n ? 'sell' : 'zero',
    size,
    size_currency: size,
    average_price: averagePrice(inst, view.entryCostE8 < 0n ? -view.entryCostE8 : view.entryCostE8, absLots),
    mark_price: e8Number(view.markPriceE8),
    index_price: e8Number(view.markPriceE8),
    settlement_price: e8Number(view.markPriceE8),
    floating_profit_loss: e8Number(view.unrealizedPnlE8),
    realized_profit_loss: e8Number(view.cumRealizedPnlE8),
    total_profit_loss: e8Number(view.unrealizedPnlE8 + view.cumRealizedPnlE8),
    initial_margin: e8Number(view.initialMarginE8),
    maintenance_margin: e8Number(view.maintMarginE8),
    open_orders_margin: e8Number(view.openOrderInitialMarginE8),
    leverage: view.leverage,
    estimated_liquidation_price: null,
    delta: size,
    interest_value: 0,
  }
}

/** private/get_account_summary and user.portfolio.{currency}. */
export function formatDeribitAccountSummary(currency: string, m: MarginSummary): Record<string, unknown> {
  const equity = m.walletBalanceE8 + m.unrealizedPnlE8
  return {
    currency,
    balance: e8Number(m.walletBalanceE8),
    equity: e8Number(equity),
    margin_balance: e8Number(equity),
    available_funds: e8Number(m.availableBalanceE8),
    available_withdrawal_funds: e8Number(m.availableBalanceE8),
    initial_margin: e8Number(m.positionInitialMarginE8 + m.openOrderInitialMarginE8),
    maintenance_margin: e8Number(m.maintMarginE8),
    projected_initial_margin: e8Number(m.positionInitialMarginE8 + m.openOrderInitialMarginE8),
    projected_maintenance_margin: e8Number(m.maintMarginE8),
    session_upl: e8Number(m.unrealizedPnlE8),
    session_rpl: 0,
    total_pl: e8Number(m.unrealizedPnlE8),
    futures_pl: e8Number(m.unrealizedPnlE8),
    futures_session_upl: e8Number(m.unrealizedPnlE8),
    options_pl: 0,
    options_value: 0,
    delta_total: 0,
    fee_balance: 0,
    margin_model: 'cross_sm',
    portfolio_margining_enabled: false,
    cross_collateral_enabled: false,
  }
}
