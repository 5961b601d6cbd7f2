import type { Instrument } from './types.js'

/**
 * How a data source's base-coin sizes become the engine's lots. `base`: lots of the instrument's step (linear contracts,
 * spot). `inverse`: one lot is one contract of `contractSizeUsd` USD (Deribit `ETH-PERPETUAL`: 1 USD), so a size of q coin
 * at price p is q · p / contractSizeUsd contracts.
 */
export type MarketSizeUnits = { kind: 'base' } | { kind: 'inverse'; contractSizeUsd: bigint }

const E8 = 100_000_000n

/** Price / size conversions of one instrument: data prices and sizes (10^-8 units) → ticks and lots. */
export type InstrumentUnits = {
  /** 10^-8 quote units per tick. */
  tickE8: bigint
  priceE8(priceTicks: bigint): bigint
  /** Nearest tick (half up). */
  nearestTicks(priceE8: bigint): bigint
  /** Tick at or below (bids: never better than the data). */
  floorTicks(priceE8: bigint): bigint
  /** Tick at or above (asks: never better than the data). */
  ceilTicks(priceE8: bigint): bigint
  /** Lots for `qtyE8` coin traded or quoted at `priceTicks`, rounded half up. */
  lots(qtyE8: bigint, priceTicks: bigint): bigint
}

/** Builds the conversions for `inst` (tick and lot sizes up to 8 decimals, as on every emulated venue). */
export function createInstrumentUnits(inst: Instrument, units: MarketSizeUnits = { kind: 'base' }): InstrumentUnits {
  const tickE8 = inst.tickUnits * 10n ** BigInt(8 - inst.priceDecimals)
  const stepE8 = inst.stepUnits * 10n ** BigInt(8 - inst.qtyDecimals)
  const priceE8 = (priceTicks: bigint) => priceTicks * tickE8
  return {
    tickE8,
    priceE8,
    nearestTicks: (p) => halfUp(p, tickE8),
    floorTicks: (p) => p / tickE8,
    ceilTicks: (p) => (p + tickE8 - 1n) / tickE8,
    lots:
      units.kind === 'base'
        ? (q) => halfUp(q, stepE8)
        : (q, priceTicks) => halfUp(q * priceE8(priceTicks), units.contractSizeUsd * E8 * E8),
  }
}

/** n / d rounded half up, for n ≥ 0 and d > 0. */
function halfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d)
}
