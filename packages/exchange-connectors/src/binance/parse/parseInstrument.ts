import { DecimalGrid } from '../../common/decimal.js'
import type { Instrument } from '../../common/types/instrument.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { asObject, readArray, readString } from '../schemas/fields.js'
import type { BinanceProduct } from '../urls.js'

/** `exchangeInfo.symbols[i]` → `Instrument` (PRICE_FILTER tickSize, LOT_SIZE stepSize/minQty, MIN_NOTIONAL/NOTIONAL). */
export function parseInstrument(data: unknown, product: BinanceProduct, venue: string): Instrument {
  const o = asObject(data, 'symbols[]', venue)
  const symbol = readString(o, 'symbol', venue)
  const filters = readArray(o, 'filters', venue).map((f) => asObject(f, 'filters[]', venue))
  const find = (type: string) => filters.find((f) => f.filterType === type)
  const price = find('PRICE_FILTER')
  const lot = find('LOT_SIZE')
  if (!price || !lot)
    throw new MalformedFrameError({ venue, field: `${symbol}.filters`, reason: 'lacks PRICE_FILTER or LOT_SIZE' })
  const notional = find('MIN_NOTIONAL') ?? find('NOTIONAL')
  const tickSize = readString(price, 'tickSize', venue)
  const stepSize = readString(lot, 'stepSize', venue)
  const minNotionalQuote = notional
    ? typeof notional.notional === 'string'
      ? notional.notional
      : readString(notional, 'minNotional', venue)
    : '0'
  const quote = readString(o, 'quoteAsset', venue)
  return {
    venue,
    symbol,
    kind: product === 'usdm' ? 'perpetual' : 'spot',
    base: readString(o, 'baseAsset', venue),
    quote,
    settle: product === 'usdm' ? (typeof o.marginAsset === 'string' ? o.marginAsset : quote) : quote,
    tickSize,
    stepSize,
    minSizeBase: readString(lot, 'minQty', venue),
    minNotionalQuote,
    contractSize: '1',
    priceGrid: new DecimalGrid(tickSize, `${symbol}.tickSize`),
    sizeGrid: new DecimalGrid(stepSize, `${symbol}.stepSize`),
    raw: data,
  }
}
