import { InvalidConfigError, MissingModelError } from '../errors/config.js'
import { makerTakerFee } from '../fills/makerTakerFee.js'
import { noPartialFill } from '../fills/noPartialFill.js'
import { partialFill } from '../fills/partialFill.js'
import { touchFill } from '../fills/touchFill.js'
import { tradeThroughFill } from '../fills/tradeThroughFill.js'
import type { BarFillModel, ExchangeKind, FeeModel } from '../fills/types.js'
import { constantLatency } from '../latency/constantLatency.js'
import type { LatencyModel } from '../latency/types.js'
import type { RunConfig } from './runConfig.js'

export type ResolvedModels = {
  fill: BarFillModel
  exchange: ExchangeKind
  fee: FeeModel
  latency: LatencyModel
  /** Gas price for an operation at `tsNs`. */
  gasPriceWeiAt: (tsNs: bigint) => bigint
  /** For the results: the constant in gwei, or the series file name. */
  gasLabel: string
}

/** A loaded gas price series, sorted by time (see loadGasPriceSeries). */
export type GasPriceSeries = { file: string; tsNs: bigint[]; gasPriceWei: bigint[] }

function gweiToWei(gwei: string): bigint {
  if (!/^\d+(\.\d{1,9})?$/.test(gwei))
    throw new InvalidConfigError({ field: 'models.gas.gasPriceGwei', value: gwei, rule: 'a decimal with ≤ 9 decimals' })
  const [whole = '0', fraction = ''] = gwei.split('.')
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'))
}

/**
 * Builds every model the config names (hftbacktest's explicit assembly): a missing one is a MissingModelError, an
 * unknown kind an InvalidConfigError. There are no defaults.
 */
export function resolveModels(config: RunConfig, gasSeries?: GasPriceSeries): ResolvedModels {
  const m = config.models
  if (m.fill === undefined) throw new MissingModelError({ field: 'models.fill', choices: ['touch', 'tradeThrough'] })
  if (m.exchange === undefined)
    throw new MissingModelError({ field: 'models.exchange', choices: ['noPartialFill', 'partialFill'] })
  if (m.fee === undefined) throw new MissingModelError({ field: 'models.fee', choices: ['makerTaker'] })
  if (m.latency === undefined) throw new MissingModelError({ field: 'models.latency', choices: ['constant'] })
  if (m.gas === undefined) throw new MissingModelError({ field: 'models.gas', choices: ['constant', 'series'] })
  const fill =
    m.fill.kind === 'touch'
      ? touchFill()
      : m.fill.kind === 'tradeThrough'
        ? tradeThroughFill()
        : invalid('models.fill.kind', (m.fill as { kind: string }).kind)
  const exchange =
    m.exchange.kind === 'noPartialFill'
      ? noPartialFill()
      : m.exchange.kind === 'partialFill'
        ? partialFill({ participation: m.exchange.participation })
        : invalid('models.exchange.kind', (m.exchange as { kind: string }).kind)
  if (m.fee.kind !== 'makerTaker') invalid('models.fee.kind', (m.fee as { kind: string }).kind)
  const fee = makerTakerFee({
    tickSize: config.venue.tickSize,
    stepSize: config.venue.stepSize,
    makerFeeBps: m.fee.makerFeeBps,
    takerFeeBps: m.fee.takerFeeBps,
  })
  if (m.latency.kind !== 'constant') invalid('models.latency.kind', (m.latency as { kind: string }).kind)
  const latency = constantLatency({
    entryNs: BigInt(Math.round(m.latency.entryMs * 1e6)),
    responseNs: BigInt(Math.round(m.latency.responseMs * 1e6)),
  })
  if (m.gas.kind === 'constant') {
    const wei = gweiToWei(m.gas.gasPriceGwei)
    return { fill, exchange, fee, latency, gasPriceWeiAt: () => wei, gasLabel: `${m.gas.gasPriceGwei} gwei` }
  }
  if (m.gas.kind !== 'series') invalid('models.gas.kind', (m.gas as { kind: string }).kind)
  if (gasSeries === undefined) {
    throw new MissingModelError({ field: 'models.gas.file (loaded series)', choices: ['loadGasPriceSeries(file)'] })
  }
  const series = gasSeries
  const gasPriceWeiAt = (tsNs: bigint): bigint => {
    let lo = 0
    let hi = series.tsNs.length - 1
    if (hi < 0 || series.tsNs[0]! > tsNs) {
      throw new InvalidConfigError({
        field: 'models.gas.file',
        value: series.file,
        rule: `a gas price sample at or before ${new Date(Number(tsNs / 1_000_000n)).toISOString()} (the series starts later)`,
      })
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (series.tsNs[mid]! <= tsNs) lo = mid
      else hi = mid - 1
    }
    return series.gasPriceWei[lo]!
  }
  return { fill, exchange, fee, latency, gasPriceWeiAt, gasLabel: `series ${series.file}` }
}

function invalid(field: string, value: string): never {
  throw new InvalidConfigError({
    field,
    value,
    rule: 'a known model kind (https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#models)',
  })
}
