import { HedgerError } from './base.js'

export type InvalidConfigErrorType = InvalidConfigError & { name: 'InvalidConfigError' }

/** A hedger config field that fails validation: `field` is its dotted path (e.g. `venues.0.tickSize`). */
export class InvalidConfigError extends HedgerError {
  override name = 'InvalidConfigError'
  readonly field: string
  constructor({
    field,
    value,
    rule,
    issues,
  }: { field: string; value: unknown; rule: string; issues?: readonly string[] }) {
    super(`Invalid hedger config: ${field} = ${formatValue(value)}: ${rule}.`, {
      code: 'INVALID_CONFIG',
      metaMessages: [
        ...(issues && issues.length > 1 ? ['Other issues:', ...issues.slice(1).map((line) => `  ${line}`)] : []),
        `Next: fix ${field} in the hedger config; defaults and units are listed in https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#parameters.`,
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#parameters',
    })
    this.field = field
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text
}
