import { InvalidConfigError } from '../errors/config.js'
import type { FeeModel } from './types.js'

function decimals(step: string): number {
  const dot = step.indexOf('.')
  return dot < 0 ? 0 : step.length - dot - 1
}

function toUnits(value: string): bigint {
  return BigInt(value.replace('.', ''))
}

/**
 * Maker/taker fees on traded value (hftbacktest `TradingValueFeeModel` over `CommonFees`), computed exactly:
 * fee = price × size × rate, with price = priceTicks × tickSize, size = sizeLots × stepSize and the rate in bps given as
 * a decimal string (negative = rebate). The result is an exact decimal string; nothing is rounded.
 */
export function makerTakerFee(parameters: {
  tickSize: string
  stepSize: string
  makerFeeBps: string
  takerFeeBps: string
}): FeeModel {
  const { tickSize, stepSize, makerFeeBps, takerFeeBps } = parameters
  for (const [field, value] of Object.entries(parameters)) {
    if (!/^-?\d+(\.\d+)?$/.test(value))
      throw new InvalidConfigError({ field: `fees.${field}`, value, rule: 'a decimal string' })
  }
  const scale = decimals(tickSize) + decimals(stepSize)
  const tick = toUnits(tickSize)
  const step = toUnits(stepSize)
  const rate = (bps: string) => ({ units: toUnits(bps), scale: decimals(bps) + 4 })
  const maker = rate(makerFeeBps)
  const taker = rate(takerFeeBps)
  return {
    kind: 'makerTaker',
    feeQuote: ({ priceTicks, sizeLots, maker: isMaker }) => {
      const r = isMaker ? maker : taker
      const units = BigInt(priceTicks) * tick * BigInt(sizeLots) * step * r.units
      return formatScaled(units, scale + r.scale)
    },
  }
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}
