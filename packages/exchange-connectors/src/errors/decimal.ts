import { ConnectorError } from './base.js'

export type InvalidDecimalErrorType = InvalidDecimalError & { name: 'InvalidDecimalError' }

/** A string that should be a venue decimal (price, size, tick size) is not one, or does not fit the grid. */
export class InvalidDecimalError extends ConnectorError {
  override name = 'InvalidDecimalError' as const
  readonly field: string
  readonly value: string
  readonly rule: string

  constructor({ field, value, rule, venue }: { field: string; value: string; rule: string; venue?: string }) {
    super(`Invalid ${field}: ${JSON.stringify(value)} (must be ${rule}).`, {
      code: 'INVALID_DECIMAL',
      venue: venue ?? 'any',
      retryable: false,
      metaMessages: [`Next: pass ${field} as a plain decimal string that is ${rule}.`],
    })
    this.field = field
    this.value = value
    this.rule = rule
  }
}
