import { DecimalGrid } from '../../common/decimal.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { numberToDecimalString } from './numberToDecimalString.js'

/** A Deribit instrument as `public/get_instrument(s)` lists it; decimals are exact strings of the venue's numbers. */
export type DeribitInstrument = {
  readonly venue: 'deribit'
  readonly instrumentName: string
  /** `future` (perpetuals included), `option`, `spot`, `future_combo`, `option_combo`. */
  readonly kind: string
  /** `perpetual`, `month`, `week`, `day`. */
  readonly settlementPeriod: string | undefined
  /** `reversed` = inverse (coin-margined, USD amounts); `linear` = USDC/USDT-margined, coin amounts. */
  readonly instrumentType: 'reversed' | 'linear' | undefined
  /** Unit of order `amount`: USD for inverse futures/perpetuals, base coin otherwise. */
  readonly amountUnit: 'usd' | 'base'
  readonly base: string
  /** `counter_currency` (USD for inverse, USDC for `BTC_USDC-PERPETUAL`). */
  readonly quote: string
  /** `settlement_currency`: the coin for inverse instruments. */
  readonly settle: string
  readonly tickSize: string
  /** USD per contract for inverse futures (10 for BTC, 1 for ETH); coin per contract otherwise. */
  readonly contractSize: string
  /** In the amount unit (USD for inverse). */
  readonly minTradeAmount: string
  readonly priceGrid: DecimalGrid
  /** Grid of `amount`: the contract size for inverse instruments, `min_trade_amount` otherwise. */
  readonly amountGrid: DecimalGrid
  readonly expirationTsMs: number | undefined
  readonly raw: unknown
}

const PERPETUAL_EXPIRY_MS = 32_503_708_800_000

/**
 * One element of `public/get_instruments` (or the result of `public/get_instrument`) → `DeribitInstrument`.
 * Inverse ⇔ `kind: "future"` with `instrument_type` (or the older `future_type`) `"reversed"`.
 * @throws MalformedFrameError when a required field is missing or of the wrong type.
 */
export function parseDeribitInstrument(data: unknown): DeribitInstrument {
  if (data === null || typeof data !== 'object')
    throw new MalformedFrameError({ venue: 'deribit', field: 'instrument', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  const text = (key: string): string => {
    const v = o[key]
    if (typeof v !== 'string')
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a string' })
    return v
  }
  const decimal = (key: string): string => {
    const v = o[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0))
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a finite positive number' })
    return numberToDecimalString(v, key)
  }
  const kind = text('kind')
  const typeText = typeof o.instrument_type === 'string' ? o.instrument_type : o.future_type
  const instrumentType = typeText === 'reversed' || typeText === 'linear' ? typeText : undefined
  const amountUnit = kind === 'future' && instrumentType === 'reversed' ? 'usd' : 'base'
  const tickSize = decimal('tick_size')
  const contractSize = decimal('contract_size')
  const minTradeAmount = decimal('min_trade_amount')
  const expiry = o.expiration_timestamp
  return {
    venue: 'deribit',
    instrumentName: text('instrument_name'),
    kind,
    settlementPeriod: typeof o.settlement_period === 'string' ? o.settlement_period : undefined,
    instrumentType,
    amountUnit,
    base: text('base_currency'),
    quote: typeof o.counter_currency === 'string' ? o.counter_currency : text('quote_currency'),
    settle: text('settlement_currency'),
    tickSize,
    contractSize,
    minTradeAmount,
    priceGrid: new DecimalGrid(tickSize, 'tick_size'),
    amountGrid: new DecimalGrid(amountUnit === 'usd' ? contractSize : minTradeAmount, 'amount step'),
    expirationTsMs: typeof expiry === 'number' && expiry !== PERPETUAL_EXPIRY_MS ? expiry : undefined,
    raw: data,
  }
}
