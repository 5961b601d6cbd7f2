import type { DecimalGrid } from '../decimal.js'

/** Product kind: spot pair or linear perpetual (the two Binance products this package trades). */
export type InstrumentKind = 'spot' | 'perpetual'

/** A tradable instrument with its venue grid. Decimal fields are exact strings as the venue publishes them. */
export type Instrument = {
  readonly venue: string
  /** Venue symbol, e.g. `ETHUSDT`. */
  readonly symbol: string
  readonly kind: InstrumentKind
  readonly base: string
  readonly quote: string
  /** Settlement / margin asset (`USDT` for USDⓈ-M; the quote asset for spot). */
  readonly settle: string
  /** Price increment, e.g. `"0.01"`. */
  readonly tickSize: string
  /** Size increment in base units, e.g. `"0.001"`. */
  readonly stepSize: string
  /** Minimum order size in base units. */
  readonly minSizeBase: string
  /** Minimum order notional in quote units (`"0"` when the venue has none). */
  readonly minNotionalQuote: string
  /** Base units per contract (`"1"` for Binance linear perps and spot). */
  readonly contractSize: string
  readonly priceGrid: DecimalGrid
  readonly sizeGrid: DecimalGrid
  /** The venue's payload, for debugging. */
  readonly raw: unknown
}
