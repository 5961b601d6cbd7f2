import { resolve } from 'node:path'
import { SingleBar } from 'cli-progress'
import { Command } from 'commander'
import { loadRunConfig } from '../config/loadRunConfig.js'
import type { RunConfig } from '../config/runConfig.js'
import { InvalidConfigError } from '../errors/config.js'
import { writeResults } from '../report/writeResults.js'
import { runBacktest } from '../strategy/runBacktest.js'
import { formatSweepTable } from '../sweep/formatSweepTable.js'
import { runSweep } from '../sweep/runSweep.js'
import type { SweepJob } from '../sweep/sweepTypes.js'

/** Events in the mainnet day (pool events + klines): the progress bar's total for that data set. */
const countHint = (total: number | undefined) => total ?? 7_674

/**
 * `alp-backtest run --config <file> [--out <dir>]`: runs one backtest with a progress bar, writes
 * backtest_results.json and report.html, and prints the summary.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = new Command()
  program.name('alp-backtest').description('Event-driven backtests of the ALP two-venue strategy')
  program
    .command('run')
    .description('run one backtest')
    .requiredOption('--config <file>', 'run config JSON (docs/backtest.md#config)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--events <n>', 'expected event count for the progress bar', (v) => Number(v))
    .option('--no-progress', 'no progress bar')
    .action(async (options: { config: string; out: string; events?: number; progress: boolean }) => {
      const config = await loadRunConfig(options.config)
      const bar = options.progress
        ? new SingleBar({ format: 'backtest [{bar}] {value}/{total} events', hideCursor: true })
        : null
      bar?.start(countHint(options.events), 0)
      const results = await runBacktest({
        config,
        onProgress: bar ? (n) => (n % 64 === 0 ? bar.update(n) : undefined) : undefined,
        nowMs: () => performance.now(),
      })
      bar?.update(results.period.poolEvents + results.period.klines)
      bar?.stop()
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
    .requiredOption('--config <file>', 'base run config JSON')
    .requiredOption(
      '--param <path=v1,v2,…>',
      'a numeric config field and its values, e.g. lp.seed.BASE_SPREAD=0.01,0.02,0.04',
    )
    .option('--threads <n>', 'worker threads', (v) => Number(v), 2)
    .action(async (options: { config: string; param: string; threads: number }) => {
      const config = await loadRunConfig(options.config)
      const [path, list] = options.param.split('=')
      if (path === undefined || list === undefined || path.length === 0) {
        throw new InvalidConfigError({ field: '--param', value: options.param, rule: 'path=v1,v2,…' })
      }
      const jobs: SweepJob[] = list.split(',').map((value) => ({
        kind: 'backtest',
        label: `${path}=${value}`,
        config: withValue(config, path, Number(value)),
      }))
      process.stdout.write(`${formatSweepTable(await runSweep({ jobs, threads: options.threads }))}\n`)
    })
  program
    .command('as2008')
    .description(
      'reproduce Avellaneda-Stoikov (2008) Table 1-3 (γ = 0.01, 0.1, 1) with @alp/models across worker threads',
    )
    .option('--paths <n>', 'paths per γ (the paper: 1000)', (v) => Number(v), 1000)
    .option('--seed <n>', 'random seed', (v) => Number(v), 1)
    .option('--threads <n>', 'worker threads', (v) => Number(v), 2)
    .action(async (options: { paths: number; seed: number; threads: number }) => {
      const jobs: SweepJob[] = [0.01, 0.1, 1].map((gammaPerPrice) => ({
        kind: 'as2008',
        label: `gamma=${gammaPerPrice}`,
        gammaPerPrice,
        seed: options.seed,
        paths: options.paths,
      }))
      process.stdout.write(`${formatSweepTable(await runSweep({ jobs, threads: options.threads }))}\n`)
    })
  await program.parseAsync([...argv])
}

/** A copy of `config` with the numeric field at dotted `path` replaced (the field must exist and be a number). */
function withValue(config: RunConfig, path: string, value: number): RunConfig {
  if (!Number.isFinite(value)) throw new InvalidConfigError({ field: path, value: String(value), rule: 'a number' })
  const copy = structuredClone(config) as unknown as Record<string, unknown>
  const keys = path.split('.')
  let node: Record<string, unknown> = copy
  for (const key of keys.slice(0, -1)) {
    const child = node[key]
    if (typeof child !== 'object' || child === null)
      throw new InvalidConfigError({ field: path, value: String(value), rule: `no object at '${key}'` })
    node = child as Record<string, unknown>
  }
  const last = keys[keys.length - 1]!
  if (typeof node[last] !== 'number')
    throw new InvalidConfigError({ field: path, value: String(node[last]), rule: 'an existing numeric field' })
  node[last] = value
  return copy as unknown as RunConfig
}
