import { resolve } from 'node:path'
import { SingleBar } from 'cli-progress'
import { Command } from 'commander'
import { loadRunConfig } from '../config/loadRunConfig.js'
import { writeResults } from '../report/writeResults.js'
import { runBacktest } from '../strategy/runBacktest.js'

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
  await program.parseAsync([...argv])
}
