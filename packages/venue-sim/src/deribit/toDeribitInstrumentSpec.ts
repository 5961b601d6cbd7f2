import { InvalidEmulatorConfigError } from '../errors/binance.js'
import type { InstrumentSpec } from '../matching/types.js'
import type { DeribitInstrumentConfig } from './DeribitEmulator.js'

/** Terms of an inverse (coin-margined) instrument that the matching engine does not model: it only matches USD lots. */
export type DeribitInverseTerms = {
  /** Settlement / margin coin (`BTC` for `BTC-PERPETUAL`). */
  coin: string
  /** USD per contract (`10` for BTC, `1` for other coins, as Deribit lists them). */
  contractSizeUsd: bigint
  makerFeePpm: number
  takerFeePpm: number
  /** `perpetual` or `month` (dated future). */
  settlementPeriod: 'perpetual' | 'month'
  /** Expiry at 08:00 UTC of the named date (ms); undefined for perpetuals. */
  expirationTsMs: number | undefined
}

/** The engine books inverse sizes against this internal quote asset, never shown as a currency. */
export const INVERSE_QUOTE_ASSET = 'USD'

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const LINEAR_RE = /^([A-Z0-9]+)_([A-Z0-9]+)-PERPETUAL$/
const INVERSE_RE = /^([A-Z0-9]+)-(?:PERPETUAL|([1-9]|[12]\d|3[01])([A-Z]{3})(\d{2}))$/

/**
 * Instrument config → matching-engine spec. Linear perpetuals (`BTC_USDC-PERPETUAL`) trade base-coin amounts on the
 * `stepSize` grid. Inverse perpetuals and dated futures (`BTC-PERPETUAL`, `BTC-27DEC24`) trade USD amounts: one engine
 * lot is one contract of `contractSize` USD (default 10 for BTC, 1 otherwise), engine fees are zero and margin, PnL and
 * fees are kept in coin by the emulator (`InverseLedger`).
 */
export function toDeribitInstrumentSpec(
  config: string | DeribitInstrumentConfig,
  index: number,
): { spec: InstrumentSpec; inverse: DeribitInverseTerms | undefined } {
  const c = typeof config === 'string' ? { instrumentName: config } : config
  const linear = LINEAR_RE.exec(c.instrumentName)
  if (linear) {
    const step = c.stepSize ?? '0.001'
    return {
      spec: {
        symbol: c.instrumentName,
        kind: 'perp',
        baseAsset: linear[1] ?? '',
        quoteAsset: linear[2] ?? '',
        tickSize: c.tickSize ?? '0.5',
        stepSize: step,
        minQty: step,
        maxQty: '1000000',
        minNotional: '0',
        makerFeePpm: c.makerFeePpm ?? 0,
        takerFeePpm: c.takerFeePpm ?? 500,
        leverage: c.leverage ?? 50,
        maintMarginRatePpm: 10_000,
      },
      inverse: undefined,
    }
  }
  const inverse = INVERSE_RE.exec(c.instrumentName)
  if (!inverse)
    throw new InvalidEmulatorConfigError({
      field: `instruments[${index}]`,
      reason: `${c.instrumentName} is neither a linear perpetual (BASE_QUOTE-PERPETUAL) nor an inverse perpetual/future (BASE-PERPETUAL, BASE-DMMMYY)`,
    })
  const coin = inverse[1] ?? ''
  let expirationTsMs: number | undefined
  if (inverse[2] !== undefined) {
    const month = MONTHS.indexOf(inverse[3] ?? '')
    const day = Number(inverse[2])
    const year = 2000 + Number(inverse[4])
    const expiry = new Date(Date.UTC(year, month, day, 8))
    if (month < 0 || expiry.getUTCDate() !== day)
      throw new InvalidEmulatorConfigError({
        field: `instruments[${index}]`,
        reason: `${c.instrumentName} names no calendar date`,
      })
    expirationTsMs = expiry.getTime()
  }
  const contractSize = c.contractSize ?? (coin === 'BTC' ? '10' : '1')
  if (!/^[1-9]\d*$/.test(contractSize))
    throw new InvalidEmulatorConfigError({
      field: `instruments[${index}].contractSize`,
      reason: `${contractSize} is not a whole number of USD`,
    })
  if (c.stepSize !== undefined)
    throw new InvalidEmulatorConfigError({
      field: `instruments[${index}].stepSize`,
      reason: 'inverse instruments trade whole contracts: set contractSize (USD) instead',
    })
  return {
    spec: {
      symbol: c.instrumentName,
      kind: 'perp',
      baseAsset: coin,
      quoteAsset: INVERSE_QUOTE_ASSET,
      tickSize: c.tickSize ?? '0.5',
      stepSize: contractSize,
      minQty: contractSize,
      maxQty: '1000000000',
      minNotional: '0',
      makerFeePpm: 0,
      takerFeePpm: 0,
      leverage: c.leverage ?? 50,
      maintMarginRatePpm: 10_000,
    },
    inverse: {
      coin,
      contractSizeUsd: BigInt(contractSize),
      makerFeePpm: c.makerFeePpm ?? 0,
      takerFeePpm: c.takerFeePpm ?? 500,
      settlementPeriod: expirationTsMs === undefined ? 'perpetual' : 'month',
      expirationTsMs,
    },
  }
}
