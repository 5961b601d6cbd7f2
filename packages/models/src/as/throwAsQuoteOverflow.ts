import { InvalidParameterError } from '../errors/parameter.js'
import type { AsQuoteParameters } from './types.js'

/**
 * Slow path when every input is in its domain but the quote overflowed to ±Infinity (q·γσ²(T − t) beyond ~1e308).
 * Names `q`, the input that scales the skew, with the rule it broke.
 */
export function throwAsQuoteOverflow(parameters: AsQuoteParameters, bidPrice: number, askPrice: number): never {
  throw new InvalidParameterError({
    field: 'q',
    value: parameters.q,
    rule: `small enough that the quote is finite (got bid ${bidPrice}, ask ${askPrice})`,
    next: 'check the units of q, gammaPerPrice, sigmaPerSqrtTime and timeToHorizon: the skew q·γσ²(T − t) overflowed.',
  })
}
