import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { loadRunConfig } from '../config/loadRunConfig.js'
import { collectRunConfigIssues, throwRunConfigIssues } from '../config/parseRunConfig.js'
import type { RunConfig } from '../config/runConfig.js'
import { ConfigSyntaxError, ConfigUnreadableError, InvalidRunConfigError } from '../config/runConfigErrors.js'
import { InvalidConfigError, MissingModelError } from '../errors/config.js'
import { writeResults } from '../report/writeResults.js'
import { runBacktest } from '../strategy/runBacktest.js'
import { formatSweepTable } from '../sweep/formatSweepTable.js'
import { runSweep } from '../sweep/runSweep.js'
import type { SweepJob, SweepRow } from '../sweep/sweepTypes.js'
import { countDataRows } from './countDataRows.js'
import { createProgressReporter, type ProgressStream } from './createProgressReporter.js'

/** Exit codes of `alp-backtest` (docs/backtest.md#cli). */
export const EXIT_CODES = Object.freeze({
  /** The command did what it was asked (also `--help`, `--version`). */
  ok: 0,
  /** The run started and failed: a bad data row, a sweep job that threw, an internal error. */
  runFailed: 1,
  /** The command line is wrong: unknown command or option, a missing or malformed option value. */
  usage: 2,
  /** The config is wrong: unreadable, invalid JSON, or fields that break the schema (all listed at once). */
  invalidConfig: 3,
})

/** The exit code for an error thrown by {@link runCli}. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage
  if (
    error instanceof InvalidRunConfigError ||
    error instanceof ConfigSyntaxError ||
    error instanceof ConfigUnreadableError ||
    error instanceof InvalidConfigError ||
    error instanceof MissingModelError
  )
    return EXIT_CODES.invalidConfig
  return EXIT_CODES.runFailed
}

function readVersion(): string {
  // src/cli/runCli.ts and dist/cli/runCli.js both sit two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

const integerAtLeast =
  (min: number) =>
  (text: string): number => {
    const n = Number(text)
    if (text.trim() === '' || !Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`Expected an integer ≥ ${min}, got '${text}'.`)
    return n
  }

export type RunCliParameters = {
  /** Progress output (default process.stderr; a TTY gets a bar, anything else plain lines). */
  progressStream?: ProgressStream | undefined
}

/**
 * `alp-backtest run | sweep | as2008`: the command-line front of the backtester. Bad input is named precisely: unknown
 * options and commands are usage errors, the config is validated in full before anything runs. Throws on failure
 * (the bin maps the error to an exit code with {@link exitCodeFor}; commander has already printed its own errors).
 */
export async function runCli(argv: readonly string[], { progressStream }: RunCliParameters = {}): Promise<void> {
  const program = new Command()
  program
    .name('alp-backtest')
    .description('Event-driven backtests of the ALP two-venue strategy')
    .version(readVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the run failed, 2 bad command line, 3 invalid config (https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#cli).',
    )
  const requireConfig = (command: Command, config: string | undefined): string => {
    // Checked here, after commander's unknown-option check, so `run --bogus` reports --bogus and not --config.
    if (config === undefined) command.error("error: required option '--config <file>' not specified", { exitCode: 2 })
    return config as string
  }
  program
    .command('run')
    .description('run one backtest; progress on stderr, summary on stdout')
    .option(
      '--config <file>',
      'run config JSON (required; https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#config)',
    )
    .option('--out <dir>', 'output folder', 'out')
    .option(
      '--events <n>',
      'expected event count for the progress total (default: the rows of the two data files)',
      integerAtLeast(1),
    )
    .option('--no-progress', 'no progress output')
    .action(async (options: { config?: string; out: string; events?: number; progress: boolean }, command: Command) => {
      const config = await loadRunConfig(requireConfig(command, options.config))
      const total =
        options.events ?? (await countDataRows(config.data.poolEvents)) + (await countDataRows(config.data.klines))
      const progress = options.progress
        ? createProgressReporter({ label: 'backtest', total, unit: 'events', stream: progressStream })
        : null
      const results = await runBacktest({
        config,
        onProgress: progress ? (n) => (n % 64 === 0 ? progress.update(n) : undefined) : undefined,
        nowMs: () => performance.now(),
      })
      progress?.finish(results.period.poolEvents + results.period.klines)
      const out = await writeResults(results, resolve(options.out))
      const s = results.summary
      process.stdout.write(
        [
          `${results.name}`,
          `  PnL vs hold ${s.pnlVsHoldUsd.toFixed(2)} USD = fees ${s.feesUsd.toFixed(2)} + IL ${s.impermanentLossUsd.toFixed(2)} + hedge ${s.hedgePnlUsd.toFixed(2)} − gas ${s.gasUsd.toFixed(2)}`,
          `  rebalances ${s.rebalances}, hedge trades ${s.trades}, time in range ${(s.timeInRange * 100).toFixed(1)} %, Sharpe ${s.sharpe.toFixed(2)}`,
          `  ${results.period.poolEvents + results.period.klines} events in ${results.performance.wallMs.toFixed(0)} ms`,
          `  wrote ${out.resultsPath}`,
          `  wrote ${out.reportPath}`,
          '',
        ].join('\n'),
      )
    })
  program
    .command('sweep')
    .description('run one backtest per parameter value across worker threads and print a result table')
    .option('--config <file>', 'base run config JSON (required)')
    .option(
      '--param <path=v1,v2,…>',
      'a numeric config field and its values (required), e.g. lp.seed.BASE_SPREAD=0.01,0.02,0.04',
    )
    .option('--threads <n>', 'worker threads', integerAtLeast(1), 2)
    .option('--no-progress', 'no progress output')
    .action(
      async (options: { config?: string; param?: string; threads: number; progress: boolean }, command: Command) => {
        const configPath = requireConfig(command, options.config)
        if (options.param === undefined)
          command.error("error: required option '--param <path=v1,v2,…>' not specified", { exitCode: 2 })
        const param = options.param as string
        const [path, list, ...rest] = param.split('=')
        if (path === undefined || path === '' || list === undefined || list === '' || rest.length > 0)
          command.error(`error: option '--param' must be path=v1,v2,… (got '${param}')`, { exitCode: 2 })
        const values = list!.split(',').map((text) => {
          const value = Number(text)
          if (text.trim() === '' || !Number.isFinite(value))
            command.error(`error: option '--param' value '${text}' is not a finite number (in '${param}')`, {
              exitCode: 2,
            })
          return value
        })
        const config = await loadRunConfig(configPath)
        const jobs: SweepJob[] = values.map((value) => ({
          kind: 'backtest',
          label: `${path}=${value}`,
          config: withValue(config, path!, value),
        }))
        const rows = await runJobs(jobs, options.threads, options.progress, progressStream)
        process.stdout.write(`${formatSweepTable(rows)}\n`)
      },
    )
  program
    .command('as2008')
    .description(
      'reproduce Avellaneda-Stoikov (2008) Table 1-3 (γ = 0.01, 0.1, 1) with @alp/models across worker threads',
    )
    .option('--paths <n>', 'paths per γ (the paper: 1000)', integerAtLeast(1), 1000)
    .option('--seed <n>', 'random seed', integerAtLeast(0), 1)
    .option('--threads <n>', 'worker threads', integerAtLeast(1), 2)
    .option('--no-progress', 'no progress output')
    .action(async (options: { paths: number; seed: number; threads: number; progress: boolean }) => {
      const jobs: SweepJob[] = [0.01, 0.1, 1].map((gammaPerPrice) => ({
        kind: 'as2008',
        label: `gamma=${gammaPerPrice}`,
        gammaPerPrice,
        seed: options.seed,
        paths: options.paths,
      }))
      const rows = await runJobs(jobs, options.threads, options.progress, progressStream)
      process.stdout.write(`${formatSweepTable(rows)}\n`)
    })
  try {
    await program.parseAsync([...argv])
  } catch (error) {
    // --help and --version end through exitOverride with exit code 0: they are not failures.
    if (error instanceof CommanderError && error.exitCode === 0) return
    throw error
  }
}

/**
 * Runs sweep jobs `threads` at a time, one runSweep (one worker) per job, so that each finished job moves the progress
 * on. Rows come back in job order.
 */
async function runJobs(
  jobs: readonly SweepJob[],
  threads: number,
  showProgress: boolean,
  stream: ProgressStream | undefined,
): Promise<SweepRow[]> {
  const progress = showProgress
    ? createProgressReporter({
        label: 'sweep',
        total: jobs.length,
        unit: 'jobs',
        stream,
        stepFraction: 1 / jobs.length,
      })
    : null
  const rows: SweepRow[] = new Array(jobs.length)
  let next = 0
  let done = 0
  const lane = async () => {
    while (next < jobs.length) {
      const index = next++
      const [row] = await runSweep({ jobs: [jobs[index]!], threads: 1 })
      rows[index] = row!
      done++
      progress?.update(done, `(finished ${jobs[index]!.label})`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, lane))
  progress?.finish(done)
  return rows
}

/**
 * A copy of `config` with the numeric field at dotted `path` replaced; the field must exist and be a number, and the
 * changed config must still pass the schema (a sweep value out of range is reported like a config error).
 */
function withValue(config: RunConfig, path: string, value: number): RunConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>
  const keys = path.split('.')
  let node: Record<string, unknown> = copy
  for (const key of keys.slice(0, -1)) {
    const child = node[key]
    if (typeof child !== 'object' || child === null)
      throw new InvalidConfigError({ field: path, value: String(value), rule: `--param: no object at '${key}'` })
    node = child as Record<string, unknown>
  }
  const last = keys[keys.length - 1]!
  if (typeof node[last] !== 'number')
    throw new InvalidConfigError({
      field: path,
      value: String(node[last]),
      rule: '--param must name an existing numeric field',
    })
  node[last] = value
  throwRunConfigIssues(collectRunConfigIssues(copy), { file: `--param ${path}=${value}` })
  return copy as unknown as RunConfig
}
