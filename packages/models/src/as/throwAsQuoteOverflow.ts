import { InvalidParameterError } from '../errors/parameter.js'
import { findAsOverflowField } from './findAsOverflowField.js'
import type { AsQuoteParameters } from './types.js'

/**
 * Slow path when every input is in its domain but a result overflowed to ±Infinity (e.g. σ = 1e200, or q = 1e300):
 * names the input that pushed it out of range ({@link findAsOverflowField}) with the rule it broke.
 */
export function throwAsQuoteOverflow(
  parameters: Partial<AsQuoteParameters>,
  what: string,
  got: readonly number[],
): never {
  const field = findAsOverflowField(parameters)
  throw new InvalidParameterError({
    field,
    value: parameters[field],
    rule: `small enough that the ${what} is finite (got ${got.join(', ')})`,
    next: `check the units of ${field}: the ${what} overflowed the double range (> 1.8e308).`,
  })
}
