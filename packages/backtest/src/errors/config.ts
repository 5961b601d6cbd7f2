import { BacktestError } from './base.js'

/** The run configuration does not name a required model or part (no silent defaults). */
export type MissingModelErrorType = MissingModelError & { name: 'MissingModelError' }

export class MissingModelError extends BacktestError {
  override name = 'MissingModelError' as const
  readonly field: string

  constructor({ field, choices }: { field: string; choices: readonly string[] }) {
    super(`The run config does not name '${field}'.`, {
      code: 'MISSING_MODEL',
      metaMessages: [
        `field: ${field}`,
        `choices: ${choices.join(', ')}`,
        `Next: set '${field}' explicitly in the config; the backtester has no defaults for models.`,
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#models',
    })
    this.field = field
  }
}

/** A config value is invalid or conflicts with another (overlapping ranges, unknown model kind …). */
export type InvalidConfigErrorType = InvalidConfigError & { name: 'InvalidConfigError' }

export class InvalidConfigError extends BacktestError {
  override name = 'InvalidConfigError' as const
  readonly field: string

  constructor({ file, field, value, rule }: { file?: string | undefined; field: string; value: string; rule: string }) {
    super(`${file ? `${file}: ` : ''}config field '${field}' = ${value} is invalid (${rule}).`, {
      code: 'INVALID_CONFIG',
      metaMessages: [
        ...(file ? [`file: ${file}`] : []),
        `field: ${field}`,
        `value: ${value}`,
        `rule: ${rule}`,
        'Next: fix the config; see https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config',
    })
    this.field = field
  }
}
