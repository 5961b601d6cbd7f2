import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { InvalidDecimalError } from '../errors/matching.js'
import { parseScaled } from '../matching/parseScaled.js'

/** USDⓈ-M funding interval: funding happens at 00:00, 08:00 and 16:00 UTC. */
export const FUNDING_INTERVAL_MS = 28_800_000

/** Binance's usual rate when nothing is configured: 0.01 % per 8 h (the interest-rate component alone). */
export const DEFAULT_FUNDING_RATE = '0.0001'

/** One entry of a funding schedule: the rate charged at `fundingTimeMs` and at every later funding time until the next entry. */
export type BinanceFundingRateEntry = { fundingTimeMs: number; rate: string }

/**
 * Funding rate of one perpetual, per 8 h, as a decimal string with at most 8 decimals (Binance prints "0.00010000"): a constant
 * (`"0.0001"`), or a schedule of `{ fundingTimeMs, rate }` entries (e.g. a real `GET /fapi/v1/fundingRate` history for a replay).
 * Each entry's time is rounded to the nearest funding time (Binance prints them a few ms late); before the first entry the
 * default 0.0001 applies, after the last one its rate holds.
 */
export type BinanceFundingRateConfig = string | readonly BinanceFundingRateEntry[]

type Schedule = { constantE8: bigint; entries: Array<{ fundingTimeMs: number; rateE8: bigint }> }

/** The funding time at or before `tsMs`. */
export function fundingTimeAtOrBefore(tsMs: number): number {
  return Math.floor(tsMs / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS
}

/** Funding rates of every perpetual (10^-8 units): which rate is charged at which funding time. */
export class FundingSchedule {
  private readonly bySymbol = new Map<string, Schedule>()
  private readonly defaultE8: bigint

  constructor() {
    this.defaultE8 = parseScaled(DEFAULT_FUNDING_RATE, 8, 'DEFAULT_FUNDING_RATE')
  }

  /** Sets the rate (or schedule) of `symbol`; `field` names the option in errors. */
  set(symbol: string, config: BinanceFundingRateConfig, field: string): void {
    if (typeof config === 'string') {
      this.bySymbol.set(symbol, { constantE8: parseRate(config, field), entries: [] })
      return
    }
    if (!Array.isArray(config) || config.length === 0) {
      throw new InvalidEmulatorConfigError({ field, reason: 'expected a rate string or a non-empty schedule' })
    }
    const entries = config.map((entry, i) => {
      if (!Number.isSafeInteger(entry.fundingTimeMs) || entry.fundingTimeMs < 0) {
        throw new InvalidEmulatorConfigError({
          field: `${field}[${i}].fundingTimeMs`,
          reason: `${String(entry.fundingTimeMs)} is not a time in ms`,
        })
      }
      return {
        fundingTimeMs: Math.round(entry.fundingTimeMs / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS,
        rateE8: parseRate(entry.rate, `${field}[${i}].rate`),
      }
    })
    entries.sort((a, b) => a.fundingTimeMs - b.fundingTimeMs)
    this.bySymbol.set(symbol, { constantE8: this.defaultE8, entries })
  }

  /** The rate charged on `symbol` at the funding time `fundingTimeMs` (10^-8 units). */
  rateE8At(symbol: string, fundingTimeMs: number): bigint {
    const schedule = this.bySymbol.get(symbol)
    if (!schedule) return this.defaultE8
    let rate = schedule.constantE8
    for (const entry of schedule.entries) {
      if (entry.fundingTimeMs > fundingTimeMs) break
      rate = entry.rateE8
    }
    return rate
  }
}

function parseRate(value: unknown, field: string): bigint {
  if (typeof value !== 'string') {
    throw new InvalidEmulatorConfigError({ field, reason: 'expected a decimal string such as "0.0001"' })
  }
  try {
    return parseScaled(value, 8, field)
  } catch (error) {
    if (error instanceof InvalidDecimalError) {
      throw new InvalidEmulatorConfigError({
        field,
        reason: `${value} is not a rate with at most 8 decimals`,
        cause: error,
      })
    }
    throw error
  }
}
