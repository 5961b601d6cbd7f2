import { InvalidParameterError } from '../errors/parameter.js'

export type ComputeShapedOrderSizesParameters = {
  /** Unshaped order size per side, base units. > 0 and finite. */
  orderSizeBase: number
  /** Signed inventory q (order sizes, or Hummingbot's normalised fraction: η is per unit of this q). Finite. */
  q: number
  /** η, the shape factor (Hummingbot's `order_amount_shape_factor`), per unit of q. ≥ 0 and finite; 0 = no shaping. */
  eta: number
  /** The venue's lot (quantity step), base units. > 0 and finite. */
  lotSizeBase: number
  /** How a shaped size becomes whole lots: `'down'` (never more than the shaped size) or `'nearest'`. */
  rounding: 'down' | 'nearest'
}

export type ShapedOrderSizes = {
  /** Buy size in whole lots (an integer ≥ 0); build the venue's decimal string from this and the lot. */
  bidLots: number
  /** Sell size in whole lots (an integer ≥ 0). */
  askLots: number
  /** bidLots · lotSizeBase, base units (a float: for display and models, not for the wire). */
  bidSizeBase: number
  /** askLots · lotSizeBase, base units. */
  askSizeBase: number
  /** The bid rounded to 0 lots: do not send it. */
  bidDropped: boolean
  /** The ask rounded to 0 lots: do not send it. */
  askDropped: boolean
}

/** Within 1e-9 lot of a whole number of lots counts as that number (absorbs the float error of size / lot). */
const LOT_TOLERANCE = 1e-9

/** What computeShapedOrderSizes can throw. */
export type ComputeShapedOrderSizesErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * Order-size shaping from GLFT 2013 as Hummingbot applies it (η = `order_amount_shape_factor`): only the side that
 * would grow |q| shrinks, by e^(−η|q|): if q > 0 the buy size is × e^(−η·q); if q < 0 the sell size is × e^(η·q).
 * Sizes are then quantised to whole lots with the caller's rounding; a side that rounds to 0 lots is dropped.
 *
 * @throws InvalidParameterError naming the bad field and value.
 */
export function computeShapedOrderSizes(parameters: ComputeShapedOrderSizesParameters): ShapedOrderSizes {
  const { orderSizeBase, q, eta, lotSizeBase, rounding } = parameters
  if (!(typeof orderSizeBase === 'number' && orderSizeBase > 0 && orderSizeBase < Number.POSITIVE_INFINITY))
    throw new InvalidParameterError({ field: 'orderSizeBase', value: orderSizeBase, rule: '> 0' })
  if (!(typeof q === 'number' && Number.isFinite(q)))
    throw new InvalidParameterError({ field: 'q', value: q, rule: 'a finite number' })
  if (!(typeof eta === 'number' && eta >= 0 && eta < Number.POSITIVE_INFINITY))
    throw new InvalidParameterError({ field: 'eta', value: eta, rule: '>= 0' })
  if (!(typeof lotSizeBase === 'number' && lotSizeBase > 0 && lotSizeBase < Number.POSITIVE_INFINITY))
    throw new InvalidParameterError({ field: 'lotSizeBase', value: lotSizeBase, rule: '> 0' })
  if (rounding !== 'down' && rounding !== 'nearest')
    throw new InvalidParameterError({ field: 'rounding', value: rounding, rule: "'down' or 'nearest'" })

  const bidSize = q > 0 ? orderSizeBase * Math.exp(-eta * q) : orderSizeBase
  const askSize = q < 0 ? orderSizeBase * Math.exp(eta * q) : orderSizeBase
  const toLots = (sizeBase: number): number => {
    const ratio = sizeBase / lotSizeBase
    return rounding === 'down' ? Math.floor(ratio + LOT_TOLERANCE) : Math.round(ratio)
  }
  const bidLots = toLots(bidSize)
  const askLots = toLots(askSize)
  return {
    bidLots,
    askLots,
    bidSizeBase: bidLots * lotSizeBase,
    askSizeBase: askLots * lotSizeBase,
    bidDropped: bidLots === 0,
    askDropped: askLots === 0,
  }
}
