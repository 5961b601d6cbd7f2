import type { Instrument } from '../matching/types.js'
import { e8Number } from './formatDeribit.js'
import { type InversePosition, inverseEntryPriceE8, inverseUnrealizedE8, usdToCoinE8 } from './InverseLedger.js'

/** Margins of one inverse position in 10^-8 coin units. */
export type InverseMarginsE8 = { initialE8: bigint; maintenanceE8: bigint; openOrdersE8: bigint }

/**
 * One element of private/get_positions for an inverse instrument (`BTC-PERPETUAL`, `BTC-27DEC24`), as Deribit prints
 * it: `size` in USD (signed), `size_currency` = size / mark in coin, PnL and margins in coin.
 */
export function formatDeribitInversePosition(
  inst: Instrument,
  position: Readonly<InversePosition>,
  markE8: bigint,
  margins: InverseMarginsE8,
): Record<string, unknown> {
  const size = position.sizeUsd
  const sizeCoinE8 = size === 0n ? 0n : usdToCoinE8(size, markE8)
  const unrealizedE8 = inverseUnrealizedE8(position, markE8)
  return {
    instrument_name: inst.symbol,
    kind: 'future',
    direction: size > 0n ? 'buy' : size < 0n ? 'sell' : 'zero',
    size: Number(size),
    size_currency: e8Number(sizeCoinE8),
    average_price: e8Number(inverseEntryPriceE8(position)),
    mark_price: e8Number(markE8),
    index_price: e8Number(markE8),
    settlement_price: e8Number(markE8),
    floating_profit_loss: e8Number(unrealizedE8),
    realized_profit_loss: e8Number(position.cumRealizedE8),
    total_profit_loss: e8Number(unrealizedE8 + position.cumRealizedE8),
    initial_margin: e8Number(margins.initialE8),
    maintenance_margin: e8Number(margins.maintenanceE8),
    open_orders_margin: e8Number(margins.openOrdersE8),
    leverage: inst.leverage,
    estimated_liquidation_price: null,
    delta: e8Number(sizeCoinE8),
    interest_value: 0,
  }
}
