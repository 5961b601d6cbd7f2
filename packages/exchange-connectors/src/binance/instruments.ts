import { DecimalGrid } from '../common/decimal.js'
import { rateLimitRulesFromExchangeInfo } from '../common/rateLimiter.js'
import type { Instrument } from '../common/types/instrument.js'
import { ConnectorError } from '../errors/base.js'
import type { BinanceHttpClient } from './http/client.js'
import { getExchangeInfo } from './http/market.js'
import { parseInstrument } from './parse/parseInstrument.js'
import type { BinanceProduct } from './urls.js'

/**
 * Loads instruments from `exchangeInfo` and installs the published `rateLimits` into the REST client's limiter, so
 * limits are the venue's own numbers, not constants in our code.
 */
export class BinanceInstrumentProvider {
  private readonly bySymbol = new Map<string, Instrument>()
  constructor(
    private readonly http: BinanceHttpClient,
    private readonly product: BinanceProduct,
  ) {}

  async load(): Promise<Instrument[]> {
    const info = await getExchangeInfo(this.http, this.product)
    const rules = rateLimitRulesFromExchangeInfo(info.rateLimits)
    if (rules.length > 0) this.http.rateLimiter.setRules(rules)
    for (const s of info.symbols) {
      const instrument = parseInstrument(s, this.product, this.http.venue)
      this.bySymbol.set(instrument.symbol, instrument)
    }
    return [...this.bySymbol.values()]
  }

  /** What `JSON.stringify` prints: the loaded symbols. */
  toJSON(): { venue: string; product: BinanceProduct; symbols: string[] } {
    return { venue: this.http.venue, product: this.product, symbols: [...this.bySymbol.keys()] }
  }

  get(symbol: string): Instrument {
    const instrument = this.bySymbol.get(symbol)
    if (!instrument)
      throw new ConnectorError(`Unknown ${this.http.venue} instrument: ${symbol}.`, {
        code: 'UNKNOWN_INSTRUMENT',
        venue: this.http.venue,
        retryable: false,
        metaMessages: ['Next: call load() first, and check the symbol spelling (e.g. ETHUSDT).'],
      })
    return instrument
  }

  /**
   * Grid for sizes in depth/bookTicker frames: USDⓈ-M publishes sizes on the step size; spot levels carry sizes down
   * to the base asset precision (finer than the order step), so spot uses 10^−baseAssetPrecision.
   */
  bookSizeGrid(symbol: string): DecimalGrid {
    const instrument = this.get(symbol)
    if (this.product === 'usdm') return instrument.sizeGrid
    const raw = instrument.raw as { baseAssetPrecision?: unknown }
    const precision = typeof raw.baseAssetPrecision === 'number' ? raw.baseAssetPrecision : 8
    return new DecimalGrid(precision === 0 ? '1' : `0.${'0'.repeat(precision - 1)}1`)
  }
}
