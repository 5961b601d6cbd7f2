import { UniswapLpError } from './base.js'
import { formatValue } from './format.js'

export type InvalidParameterErrorType = InvalidParameterError & { name: 'InvalidParameterError' }

/** A configuration or model input is out of its domain (NaN, negative width, threshold outside [0, 1], …). */
export class InvalidParameterError extends UniswapLpError {
  override name = 'InvalidParameterError' as const
  readonly field: string
  readonly value: unknown
  readonly rule: string

  constructor({ field, value, rule, next }: { field: string; value: unknown; rule: string; next?: string }) {
    super(`Invalid ${field}: ${formatValue(value)} (must be ${rule}).`, {
      code: 'INVALID_PARAMETER',
      metaMessages: [`Next: ${next ?? `pass a ${field} that is ${rule}.`}`],
    })
    this.field = field
    this.value = value
    this.rule = rule
  }
}
