import { type Command, CommanderError, Option } from 'commander'
import { RuntimeError } from '../errors/base.js'
import { ConfigInvalidError, formatConfigIssue } from '../errors/config.js'
import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'

export type PaperCommandOptions = {
  day: string
  from?: string | undefined
  to?: string | undefined
  speed: number
  out?: string | undefined
  config?: string[] | undefined
  dataDir?: string | undefined
  json?: boolean | undefined
  split?: boolean | undefined
}

/**
 * `alp paper`: the whole deployment against anvil replaying the day's pool and the Binance emulator replaying its
 * klines on one replay clock; writes the run's results and report, the backtester's on the same window, and the parity
 * report. Paper mode loads @alp/venue-sim and @alp/backtest (optional peer dependencies) only here, through a dynamic
 * import: `alp start` and the main entry never load them.
 */
export function registerPaperCommand(program: Command, io: CliIo, result: { code: ExitCode }): void {
  program
    .command('paper')
    .description(
      'paper mode: anvil with the real Uniswap v3 contracts replaying the day, the Binance emulator replaying its klines on one replay clock, every role against them; writes backtest_results.json, report.html and the parity report against the backtester',
    )
    .option('--day <YYYY-MM-DD>', 'the day to replay', '2024-01-05')
    .option('--from <HH:MM>', 'window start, UTC (default 00:00)')
    .option('--to <HH:MM>', 'window end, UTC (default 24:00)')
    .addOption(new Option('--speed <x>', 'replay ms per wall ms').default(20).argParser(positiveNumber))
    .option('--out <dir>', 'output folder (default ./alp-paper-<day>)')
    .option('--config <files...>', 'INI files with the roles’ strategy and hedger keys (default: the paper example’s)')
    .option(
      '--data-dir <dir>',
      'folder with uniswap-mainnet-<day>/ and binance-ethusdt-klines-<day>/ (default: data/ above the cwd)',
    )
    .option('--json', 'progress and the final summary as JSON lines')
    .option(
      '--split',
      'run each role as a process of its own on ZeroMQ over loopback (alp paper-role = alp start --roles on the replay clock); anvil, the replayer and the emulator stay in this process',
    )
    .action(async (options: PaperCommandOptions) => {
      result.code = await runPaperCommand(io, options)
    })
  // One role process of `alp paper --split` (started by it: ALP_PAPER_SPLIT names the run's file).
  program
    .command('paper-role', { hidden: true })
    .description('one role process of alp paper --split: alp start --roles on the run’s replay clock')
    .requiredOption('--config <files...>', 'the run’s paper.ini')
    .requiredOption('--roles <roles>', 'the roles of this process, comma-separated')
    .action(async (options: { config: string[]; roles: string }) => {
      const { runPaperRole } = await import('../paper/runPaperRole.js')
      result.code = await runPaperRole(io, { files: options.config, roles: options.roles.split(',') })
    })
}

async function runPaperCommand(io: CliIo, options: PaperCommandOptions): Promise<ExitCode> {
  // Relative, so that tsup bundles paper mode as a chunk of its own, loaded only by this command.
  const { runPaper } = await import('../paper/index.js')
  const now = io.now ?? Date.now
  let lastPrint = Number.NEGATIVE_INFINITY
  const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19)
  try {
    const run = await runPaper({
      day: options.day,
      from: options.from,
      to: options.to,
      speed: options.speed,
      outDir: options.out,
      configFiles: options.config,
      dataDir: options.dataDir,
      split: options.split,
      onProgress: (p) => {
        // At most once per second (the run reports once a second, and once at the end).
        if (now() - lastPrint < 1_000) return
        lastPrint = now()
        if (options.json === true) io.stdout(`${JSON.stringify({ type: 'progress', ...p })}\n`)
        else
          io.stdout(
            `${hhmmss(p.replayMs)}  swaps ${p.swapsReplayed}  rebalances ${p.rebalances}  fills ${p.fills}  net exposure ${p.netExposureBase === null ? '-' : p.netExposureBase.toFixed(3)}  LP vs hold ${p.lpPnlVsHoldUsd === null ? '-' : `$${p.lpPnlVsHoldUsd.toFixed(2)}`}\n`,
          )
      },
    })
    const s = run.paper.summary
    if (options.json === true)
      io.stdout(
        `${JSON.stringify({
          type: 'done',
          files: run.files,
          summary: s,
          backtest: run.backtest.summary,
          differences: run.parity.differences,
        })}\n`,
      )
    else
      io.stdout(
        [
          `paper run done: ${s.rebalances} rebalances, ${s.trades} hedge fills; PnL vs hold $${s.pnlVsHoldUsd.toFixed(2)} = fees ${s.feesUsd.toFixed(2)} + IL ${s.impermanentLossUsd.toFixed(2)} + hedge ${s.hedgePnlUsd.toFixed(2)} − gas ${s.gasUsd.toFixed(2)}`,
          `backtester, same window: ${run.backtest.summary.rebalances} rebalances, ${run.backtest.summary.trades} fills, PnL vs hold $${run.backtest.summary.pnlVsHoldUsd.toFixed(2)}`,
          `parity: ${run.parity.differences.length} of ${run.parity.rows.length} items differ, each with its cause: ${run.files.parityMarkdown}`,
          `results ${run.files.results}`,
          `report ${run.files.report}`,
          '',
        ].join('\n'),
      )
    return EXIT.OK
  } catch (error) {
    if (error instanceof ConfigInvalidError) {
      io.stderr(`${error.issues.map(formatConfigIssue).join('\n')}\n`)
      return EXIT.CONFIG_INVALID
    }
    if (error instanceof RuntimeError && error.code === 'PAPER_INVALID') {
      io.stderr(`alp paper: ${error.message}\n`)
      return EXIT.USAGE
    }
    io.stderr(`alp paper: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.FAILURE
  }
}

function positiveNumber(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0)
    throw new CommanderError(EXIT.USAGE, 'alp.invalidArgument', `not a number > 0: ${value}`)
  return n
}
