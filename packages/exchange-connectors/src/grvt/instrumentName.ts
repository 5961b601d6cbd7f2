import { InvalidGrvtInstrumentNameError } from '../errors/grvt.js'

/** Calendar expiry of a GRVT future/option (UTC). */
export type GrvtExpiry = { readonly year: number; readonly month: number; readonly day: number }

/** A parsed GRVT instrument name (`BTC_USDT_Perp`, `BTC_USDT_Fut_20Oct23`, `ETH_USDT_Call_20Oct23_2800`). */
export type GrvtInstrumentName =
  | { readonly kind: 'perpetual'; readonly base: string; readonly quote: string }
  | { readonly kind: 'future'; readonly base: string; readonly quote: string; readonly expiry: GrvtExpiry }
  | {
      readonly kind: 'option'
      readonly base: string
      readonly quote: string
      readonly expiry: GrvtExpiry
      /** Plain decimal string. */
      readonly strike: string
      readonly optionType: 'call' | 'put'
    }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const
const ASSET_RE = /^[A-Z0-9]+$/
const DATE_RE = /^([1-9]|[12]\d|3[01])([A-Z][a-z]{2})(\d{2})$/
const STRIKE_RE = /^(0|[1-9]\d*)(\.\d*[1-9])?$/

function parseExpiry(name: string, text: string): GrvtExpiry {
  const match = DATE_RE.exec(text)
  const month = match ? MONTHS.indexOf(match[2] as (typeof MONTHS)[number]) : -1
  if (!match || month < 0)
    throw new InvalidGrvtInstrumentNameError({ instrumentName: name, rule: `expiry "${text}" is not DMonYY` })
  const year = 2000 + Number(match[3])
  const day = Number(match[1])
  if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day)
    throw new InvalidGrvtInstrumentNameError({ instrumentName: name, rule: `day ${day} does not exist in ${match[2]}` })
  return { year, month: month + 1, day }
}

function formatExpiry(expiry: GrvtExpiry): string {
  const month = MONTHS[expiry.month - 1]
  if (
    !month ||
    expiry.year < 2000 ||
    expiry.year > 2099 ||
    !Number.isInteger(expiry.day) ||
    expiry.day < 1 ||
    expiry.day > 31
  )
    throw new InvalidGrvtInstrumentNameError({
      instrumentName: JSON.stringify(expiry),
      rule: 'expiry must be a date in 2000–2099',
    })
  return `${expiry.day}${month}${String(expiry.year - 2000).padStart(2, '0')}`
}

/** Parses a GRVT instrument name. */
export function parseGrvtInstrumentName(name: string): GrvtInstrumentName {
  const parts = name.split('_')
  const [base, quote, kind] = parts
  if (!base || !quote || !ASSET_RE.test(base) || !ASSET_RE.test(quote))
    throw new InvalidGrvtInstrumentNameError({ instrumentName: name, rule: 'must start with BASE_QUOTE_' })
  if (kind === 'Perp' && parts.length === 3) return { kind: 'perpetual', base, quote }
  if (kind === 'Fut' && parts.length === 4)
    return { kind: 'future', base, quote, expiry: parseExpiry(name, parts[3] ?? '') }
  if ((kind === 'Call' || kind === 'Put') && parts.length === 5) {
    const strike = parts[4] ?? ''
    if (!STRIKE_RE.test(strike))
      throw new InvalidGrvtInstrumentNameError({ instrumentName: name, rule: `strike "${strike}" is not a decimal` })
    return {
      kind: 'option',
      base,
      quote,
      expiry: parseExpiry(name, parts[3] ?? ''),
      strike,
      optionType: kind === 'Call' ? 'call' : 'put',
    }
  }
  throw new InvalidGrvtInstrumentNameError({
    instrumentName: name,
    rule: 'kind must be Perp, Fut_DMonYY or Call|Put_DMonYY_STRIKE',
  })
}

/** Formats a parsed name (inverse of `parseGrvtInstrumentName`). */
export function formatGrvtInstrumentName(instrument: GrvtInstrumentName): string {
  if (!ASSET_RE.test(instrument.base) || !ASSET_RE.test(instrument.quote))
    throw new InvalidGrvtInstrumentNameError({
      instrumentName: `${instrument.base}_${instrument.quote}`,
      rule: 'assets must be [A-Z0-9]+',
    })
  const head = `${instrument.base}_${instrument.quote}`
  if (instrument.kind === 'perpetual') return `${head}_Perp`
  if (instrument.kind === 'future') return `${head}_Fut_${formatExpiry(instrument.expiry)}`
  if (!STRIKE_RE.test(instrument.strike))
    throw new InvalidGrvtInstrumentNameError({
      instrumentName: instrument.strike,
      rule: 'strike must be a canonical decimal',
    })
  return `${head}_${instrument.optionType === 'call' ? 'Call' : 'Put'}_${formatExpiry(instrument.expiry)}_${instrument.strike}`
}
