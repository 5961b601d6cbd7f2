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
  gasPriceWei: bigint
}

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
export function resolveModels(config: RunConfig): ResolvedModels {
  const m = config.models
  if (m.fill === undefined) throw new MissingModelError({ field: 'models.fill', choices: ['touch', 'tradeThrough'] })
  if (m.exchange === undefined)
    throw new MissingModelError({ field: 'models.exchange', choices: ['noPartialFill', 'partialFill'] })
  if (m.fee === undefined) throw new MissingModelError({ field: 'models.fee', choices: ['makerTaker'] })
  if (m.latency === undefined) throw new MissingModelError({ field: 'models.latency', choices: ['constant'] })
  if (m.gas === undefined) throw new MissingModelError({ field: 'models.gas', choices: ['constant'] })
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
  if (m.gas.kind !== 'constant') invalid('models.gas.kind', (m.gas as { kind: string }).kind)
  return { fill, exchange, fee, latency, gasPriceWei: gweiToWei(m.gas.gasPriceGwei) }
}

function invalid(field: string, value: string): never {
  throw new InvalidConfigError({ field, value, rule: 'a known model kind (docs/backtest.md#models)' })
}
