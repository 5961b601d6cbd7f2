import { InvalidDeribitInstrumentNameError } from '../errors/deribit.js'

/** Calendar date of a Deribit expiry (UTC; settlement is 08:00 UTC). */
export type DeribitExpiry = { readonly year: number; readonly month: number; readonly day: number }

/**
 * A parsed Deribit instrument name. `quote` is present only for linear (USDC/USDT-settled) instruments written
 * `BASE_QUOTE-…`; inverse instruments (`BTC-…`) are coin-margined and quoted in USD.
 */
export type DeribitInstrumentName =
  | { readonly kind: 'perpetual'; readonly base: string; readonly quote: string | undefined }
  | {
      readonly kind: 'future'
      readonly base: string
      readonly quote: string | undefined
      readonly expiry: DeribitExpiry
    }
  | {
      readonly kind: 'option'
      readonly base: string
      readonly quote: string | undefined
      readonly expiry: DeribitExpiry
      /** Strike as a plain decimal string (`"60000"`, `"0.625"`); Deribit writes the point as `d` (`0d625`). */
      readonly strike: string
      readonly optionType: 'call' | 'put'
    }
  | { readonly kind: 'spot'; readonly base: string; readonly quote: string }

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const ASSET_RE = /^[A-Z0-9]+$/
const DATE_RE = /^([1-9]|[12]\d|3[01])([A-Z]{3})(\d{2})$/
const STRIKE_RE = /^(0|[1-9]\d*)(?:d(\d*[1-9]))?$/
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function parseExpiry(name: string, text: string): DeribitExpiry {
  const match = DATE_RE.exec(text)
  if (!match)
    throw new InvalidDeribitInstrumentNameError({ instrumentName: name, rule: `expiry "${text}" is not DMMMYY` })
  const monthIndex = MONTHS.indexOf(match[2] as (typeof MONTHS)[number])
  if (monthIndex < 0)
    throw new InvalidDeribitInstrumentNameError({ instrumentName: name, rule: `month "${match[2]}" is unknown` })
  const day = Number(match[1])
  const year = 2000 + Number(match[3])
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const maxDay = monthIndex === 1 && !leap ? 28 : (DAYS_IN_MONTH[monthIndex] ?? 31)
  if (day > maxDay)
    throw new InvalidDeribitInstrumentNameError({
      instrumentName: name,
      rule: `day ${day} does not exist in ${match[2]}`,
    })
  return { year, month: monthIndex + 1, day }
}

function formatExpiry(expiry: DeribitExpiry): string {
  const month = MONTHS[expiry.month - 1]
  if (
    !month ||
    !Number.isInteger(expiry.day) ||
    expiry.day < 1 ||
    expiry.day > 31 ||
    expiry.year < 2000 ||
    expiry.year > 2099
  )
    throw new InvalidDeribitInstrumentNameError({
      instrumentName: JSON.stringify(expiry),
      rule: 'expiry must be a date in 2000–2099',
    })
  return `${expiry.day}${month}${String(expiry.year - 2000).padStart(2, '0')}`
}

/** Parses `BTC-PERPETUAL`, `BTC-27DEC24`, `BTC-27DEC24-60000-C`, `BTC_USDC-PERPETUAL`, `XRP_USDC-27DEC24-0d625-P`, `BTC_USDC`. */
export function parseDeribitInstrumentName(name: string): DeribitInstrumentName {
  const parts = name.split('-')
  const head = parts[0] ?? ''
  const pair = head.split('_')
  if (pair.length > 2 || !pair.every((p) => ASSET_RE.test(p)))
    throw new InvalidDeribitInstrumentNameError({
      instrumentName: name,
      rule: 'currency part is not BASE or BASE_QUOTE',
    })
  const base = pair[0] as string
  const quote = pair[1]
  if (parts.length === 1) {
    if (quote === undefined)
      throw new InvalidDeribitInstrumentNameError({
        instrumentName: name,
        rule: 'a bare currency is not an instrument',
      })
    return { kind: 'spot', base, quote }
  }
  if (parts.length === 2) {
    if (parts[1] === 'PERPETUAL') return { kind: 'perpetual', base, quote }
    return { kind: 'future', base, quote, expiry: parseExpiry(name, parts[1] ?? '') }
  }
  if (parts.length === 4) {
    const expiry = parseExpiry(name, parts[1] ?? '')
    const strikeMatch = STRIKE_RE.exec(parts[2] ?? '')
    if (!strikeMatch)
      throw new InvalidDeribitInstrumentNameError({
        instrumentName: name,
        rule: `strike "${parts[2]}" is not a number`,
      })
    const flag = parts[3]
    if (flag !== 'C' && flag !== 'P')
      throw new InvalidDeribitInstrumentNameError({ instrumentName: name, rule: `option type "${flag}" is not C or P` })
    const strike = strikeMatch[2] === undefined ? (strikeMatch[1] as string) : `${strikeMatch[1]}.${strikeMatch[2]}`
    return { kind: 'option', base, quote, expiry, strike, optionType: flag === 'C' ? 'call' : 'put' }
  }
  throw new InvalidDeribitInstrumentNameError({ instrumentName: name, rule: 'wrong number of "-" separated parts' })
}

/** Formats a parsed name back to Deribit's spelling (inverse of `parseDeribitInstrumentName`). */
export function formatDeribitInstrumentName(instrument: DeribitInstrumentName): string {
  const check = (asset: string): string => {
    if (!ASSET_RE.test(asset))
      throw new InvalidDeribitInstrumentNameError({ instrumentName: asset, rule: 'currency must be [A-Z0-9]+' })
    return asset
  }
  const head =
    instrument.quote === undefined ? check(instrument.base) : `${check(instrument.base)}_${check(instrument.quote)}`
  switch (instrument.kind) {
    case 'spot':
      return head
    case 'perpetual':
      return `${head}-PERPETUAL`
    case 'future':
      return `${head}-${formatExpiry(instrument.expiry)}`
    case 'option': {
      const match = /^(0|[1-9]\d*)(?:\.(\d*[1-9]))?$/.exec(instrument.strike)
      if (!match)
        throw new InvalidDeribitInstrumentNameError({
          instrumentName: instrument.strike,
          rule: 'strike must be a canonical positive decimal',
        })
      const strike = match[2] === undefined ? match[1] : `${match[1]}d${match[2]}`
      return `${head}-${formatExpiry(instrument.expiry)}-${strike}-${instrument.optionType === 'call' ? 'C' : 'P'}`
    }
  }
}

/**
 * Unit of `amount` in Deribit order requests: inverse perpetuals/futures trade in USD (multiples of the contract size);
 * options, linear (`_USDC`/`_USDT`) instruments and spot in the base coin.
 */
export function getDeribitAmountUnit(instrument: DeribitInstrumentName): 'usd' | 'base' {
  if ((instrument.kind === 'perpetual' || instrument.kind === 'future') && instrument.quote === undefined) return 'usd'
  return 'base'
}
