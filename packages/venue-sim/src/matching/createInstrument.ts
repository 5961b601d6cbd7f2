import { InvalidInstrumentError } from '../errors/matching.js'
import { countDecimals, parseScaled } from './parseScaled.js'
import type { Instrument, InstrumentSpec } from './types.js'

/** Money is kept in 10^-8 units; price decimals + size decimals must fit in that scale so notionals stay exact. */
export const AMOUNT_DECIMALS = 8

/** Validates a spec and derives the integer scales the engine works with. */
export function createInstrument(spec: InstrumentSpec): Instrument {
  const priceDecimals = countDecimals(spec.tickSize)
  const qtyDecimals = countDecimals(spec.stepSize)
  if (priceDecimals + qtyDecimals > AMOUNT_DECIMALS) {
    throw new InvalidInstrumentError({
      symbol: spec.symbol,
      field: 'tickSize/stepSize',
      reason: `price decimals ${priceDecimals} + size decimals ${qtyDecimals} exceed ${AMOUNT_DECIMALS}`,
    })
  }
  const tickUnits = parseScaled(spec.tickSize, priceDecimals, 'tickSize')
  const stepUnits = parseScaled(spec.stepSize, qtyDecimals, 'stepSize')
  if (tickUnits <= 0n)
    throw new InvalidInstrumentError({ symbol: spec.symbol, field: 'tickSize', reason: 'must be > 0' })
  if (stepUnits <= 0n)
    throw new InvalidInstrumentError({ symbol: spec.symbol, field: 'stepSize', reason: 'must be > 0' })
  const toLots = (value: string, field: string): bigint => {
    const units = parseScaled(value, qtyDecimals, field)
    if (units % stepUnits !== 0n) {
      throw new InvalidInstrumentError({
        symbol: spec.symbol,
        field,
        reason: `not a multiple of stepSize ${spec.stepSize}`,
      })
    }
    return units / stepUnits
  }
  const leverage = spec.leverage ?? 20
  if (!Number.isInteger(leverage) || leverage < 1 || leverage > 125) {
    throw new InvalidInstrumentError({
      symbol: spec.symbol,
      field: 'leverage',
      reason: `${leverage} is not an integer in 1..125`,
    })
  }
  return {
    ...spec,
    priceDecimals,
    qtyDecimals,
    tickUnits,
    stepUnits,
    minQtyLots: toLots(spec.minQty, 'minQty'),
    maxQtyLots: toLots(spec.maxQty, 'maxQty'),
    minNotionalE8: parseScaled(spec.minNotional, AMOUNT_DECIMALS, 'minNotional'),
    notionalFactor: tickUnits * stepUnits * 10n ** BigInt(AMOUNT_DECIMALS - priceDecimals - qtyDecimals),
    leverage,
    maintMarginRatePpm: spec.maintMarginRatePpm ?? 5000,
  }
}
