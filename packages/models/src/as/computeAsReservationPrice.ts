import { productOfPowers } from '../internal/productOfPowers.js'
import { throwAsQuoteOverflow } from './throwAsQuoteOverflow.js'
import { throwInvalidAsParameter } from './throwInvalidAsParameter.js'
import type { AsInventory, AsModelParameters } from './types.js'

export type ComputeAsReservationPriceParameters = Pick<AsModelParameters, 'gammaPerPrice' | 'sigmaPerSqrtTime'> &
  AsInventory & {
    /** s, the mid price, in price units. Must be > 0 and finite. */
    midPrice: number
    /** T − t, in the time unit of σ. Must be ≥ 0 and finite. */
    timeToHorizon: number
  }

const FIELDS = ['midPrice', 'q', 'gammaPerPrice', 'sigmaPerSqrtTime', 'timeToHorizon'] as const

/** What computeAsReservationPrice can throw. */
export type ComputeAsReservationPriceErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * AS 2008 reservation (indifference) price r = s − q·γ·σ²·(T − t) (eq. (29); preprint §2.2), in price units.
 * Units: s price; q order sizes; γ per price; σ price/√time; T − t time (σ's time base).
 *
 * @throws InvalidParameterError naming the first field out of its domain, or the input that makes r overflow.
 */
export function computeAsReservationPrice(parameters: ComputeAsReservationPriceParameters): number {
  const { midPrice: s, gammaPerPrice: gamma, sigmaPerSqrtTime: sigma, timeToHorizon: tau } = parameters
  const q = parameters.inventoryLots ?? parameters.q
  if (
    !(
      typeof s === 'number' &&
      typeof q === 'number' &&
      s > 0 &&
      s < Number.POSITIVE_INFINITY &&
      q > Number.NEGATIVE_INFINITY &&
      q < Number.POSITIVE_INFINITY &&
      gamma > 0 &&
      gamma < Number.POSITIVE_INFINITY &&
      sigma >= 0 &&
      sigma < Number.POSITIVE_INFINITY &&
      tau >= 0 &&
      tau < Number.POSITIVE_INFINITY
    )
  )
    throwInvalidAsParameter(parameters, FIELDS)
  const reservationPrice =
    s -
    q *
      productOfPowers([
        [gamma, 1],
        [sigma, 2],
        [tau, 1],
      ])
  if (!(reservationPrice - reservationPrice === 0))
    throwAsQuoteOverflow(parameters, 'reservation price', [reservationPrice])
  return reservationPrice
}
