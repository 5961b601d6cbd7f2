import { BacktestError } from '../errors/base.js'

/** One problem in a run config: the field as the user wrote it, what is wrong, and where it is in the file. */
export type RunConfigIssue = {
  /** Dotted path with array indices, e.g. `pool.feePips`, `hedger.venues[0].tickSize`; `(root)` for the whole file. */
  readonly path: string
  /** What the field must be (or why it is wrong), e.g. `must be "token0" or "token1"`. */
  readonly message: string
  /** The value found, as JSON (absent for a missing field). */
  readonly received?: string | undefined
  /** 1-based line and column of the value (or of its parent object for a missing field), when read from a file. */
  readonly line?: number | undefined
  readonly column?: number | undefined
}

/** Formats one issue as a line: `config.json:12:7  pool.feePips = 501: must be one of 100, 500, 3000, 10000`. */
export function formatRunConfigIssue(issue: RunConfigIssue, file?: string | undefined): string {
  const where =
    file === undefined ? '' : issue.line === undefined ? `${file}  ` : `${file}:${issue.line}:${issue.column}  `
  const value = issue.received === undefined ? '' : ` = ${issue.received}`
  return `${where}${issue.path}${value}: ${issue.message}`
}

/**
 * A run config breaks its schema: every problem found is listed at once (`issues`), each naming its field the way the
 * config spells it and, for a file, its line and column. Code `INVALID_RUN_CONFIG`.
 */
export type InvalidRunConfigErrorType = InvalidRunConfigError & { name: 'InvalidRunConfigError' }

export class InvalidRunConfigError extends BacktestError {
  override name = 'InvalidRunConfigError' as const
  readonly file: string | undefined
  readonly issues: readonly RunConfigIssue[]

  constructor({ file, issues }: { file?: string | undefined; issues: readonly RunConfigIssue[] }) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
    super(`${file ? `${file}: ` : ''}the run config has ${count}.`, {
      code: 'INVALID_RUN_CONFIG',
      metaMessages: [
        ...issues.map((issue) => `  ${formatRunConfigIssue(issue, file)}`),
        '',
        'Next: fix the fields above (all of them were checked); https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config lists every field.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config',
    })
    this.file = file
    this.issues = issues
  }
}

/** The config file is not valid JSON: the first syntax error with its line and column. Code `CONFIG_SYNTAX`. */
export type ConfigSyntaxErrorType = ConfigSyntaxError & { name: 'ConfigSyntaxError' }

export class ConfigSyntaxError extends BacktestError {
  override name = 'ConfigSyntaxError' as const
  readonly file: string
  readonly line: number
  readonly column: number

  constructor({
    file,
    line,
    column,
    expected,
    found,
    excerpt,
  }: {
    file: string
    line: number
    column: number
    expected: string
    found: string
    excerpt: readonly string[]
  }) {
    super(`${file}:${line}:${column}: invalid JSON: expected ${expected}, found ${found}.`, {
      code: 'CONFIG_SYNTAX',
      metaMessages: [
        ...excerpt,
        '',
        'Next: fix the JSON at that line and column (no comments, no trailing commas, keys in double quotes).',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config',
    })
    this.file = file
    this.line = line
    this.column = column
  }
}

/** The config file cannot be read (missing, a folder, no permission). Code `CONFIG_UNREADABLE`. */
export type ConfigUnreadableErrorType = ConfigUnreadableError & { name: 'ConfigUnreadableError' }

export class ConfigUnreadableError extends BacktestError {
  override name = 'ConfigUnreadableError' as const
  readonly file: string

  constructor({ file, cause }: { file: string; cause: unknown }) {
    super(`Cannot read the run config ${file}.`, {
      code: 'CONFIG_UNREADABLE',
      cause,
      metaMessages: [`file: ${file}`, 'Next: check the --config path (relative to the current folder).'],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config',
    })
    this.file = file
  }
}
