import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import { checkConfigFiles } from '../config/loadConfig.js'
import { KEYSTORE_PASSWORD_ENV } from '../config/resolveSecretRef.js'
import { listSecretsKeystoreEntries, setSecretsKeystoreEntry } from '../config/secretsKeystore.js'
import { runDoctor } from '../doctor/runDoctor.js'
import { formatConfigIssue } from '../errors/config.js'
import { Journal } from '../journal/Journal.js'
import { EXIT, type ExitCode } from './exitCodes.js'
import { registerPaperCommand } from './paperCommand.js'
import { runKill } from './runKill.js'
import { LOG_LEVEL_VALUES, runLogs } from './runLogs.js'
import { runResume } from './runResume.js'
import { runStart } from './runStart.js'
import { runStatus } from './runStatus.js'
import { runStop } from './runStop.js'

/** Where the CLI writes and what it reads: the process by default, buffers in tests. */
export type CliIo = {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly env: NodeJS.ProcessEnv
  readonly now?: (() => number) | undefined
  /** The whole of standard input (`alp keystore set` reads the secret from it, never from an argument). */
  readonly readStdin: () => Promise<string>
  /** `alp start` runs until this resolves. Default: the first SIGINT or SIGTERM. */
  readonly waitForStop?: (() => Promise<string>) | undefined
}

/**
 * The `alp` program (commander). Each action stores its exit code in `result.code`; commander's own errors (unknown
 * command or option, missing argument) become EXIT.USAGE. Every observing command takes `--json`.
 */
export function createProgram(io: CliIo): { program: Command; result: { code: ExitCode } } {
  const result: { code: ExitCode } = { code: EXIT.OK }
  const program = new Command('alp')
    .description('ALP reference deployment: roles, journal, metrics and operator commands')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run alp --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)

  const config = program.command('config').description('work with the INI config files')
  config
    .command('check')
    .description('validate config files: every problem with file, section, key and line (exit 3 when any)')
    .argument('<files...>', 'INI files (one per role, or one with a section per role)')
    .option('--json', 'machine-readable output')
    .action((files: string[], options: { json?: boolean }) => {
      const checked = checkConfigFiles(files, { env: io.env })
      if (options.json) {
        io.stdout(
          `${JSON.stringify({
            ok: checked.config !== null,
            issues: checked.issues,
            roles:
              checked.config?.roles.map((r) => ({
                instance: r.instance,
                role: r.role,
                processName: r.processName,
                file: r.file,
              })) ?? [],
          })}\n`,
        )
      } else if (checked.config === null) {
        io.stderr(
          `${checked.issues.map(formatConfigIssue).join('\n')}\n${checked.issues.length} problem${checked.issues.length === 1 ? '' : 's'}\n`,
        )
      } else {
        io.stdout(
          `${checked.config.roles.map((r) => `ok  ${r.instance} (${r.processName}) from ${r.file}`).join('\n')}\n`,
        )
      }
      result.code = checked.config === null ? EXIT.CONFIG_INVALID : EXIT.OK
    })

  program
    .command('doctor')
    .description(
      'check keys, clock skew and reachability of each venue, RPC chain id and block age, disk, stale pid files',
    )
    .argument('<files...>', 'INI config files')
    .option('--json', 'machine-readable output')
    .addOption(
      new Option('--max-skew-ms <ms>', 'largest |clock skew| against a venue').default(1000).argParser(positiveInt),
    )
    .addOption(
      new Option('--max-block-age-s <s>', 'largest age of the latest block').default(60).argParser(positiveInt),
    )
    .addOption(new Option('--min-free-mb <mb>', 'least free disk under DATA_DIR').default(512).argParser(positiveInt))
    .action(
      async (
        files: string[],
        options: { json?: boolean; maxSkewMs: number; maxBlockAgeS: number; minFreeMb: number },
      ) => {
        const checked = checkConfigFiles(files, { env: io.env })
        if (checked.config === null) {
          if (options.json) io.stdout(`${JSON.stringify({ ok: false, issues: checked.issues, checks: [] })}\n`)
          else io.stderr(`${checked.issues.map(formatConfigIssue).join('\n')}\n`)
          result.code = EXIT.CONFIG_INVALID
          return
        }
        const report = await runDoctor(checked.config, {
          maxSkewMs: options.maxSkewMs,
          maxBlockAgeS: options.maxBlockAgeS,
          minFreeBytes: options.minFreeMb * 2 ** 20,
          now: io.now,
        })
        if (options.json) io.stdout(`${JSON.stringify(report)}\n`)
        else
          io.stdout(
            `${report.checks.map((c) => `${c.status.padEnd(4)}  ${c.check.padEnd(13)} ${c.subject}: ${c.detail}`).join('\n')}\n${report.ok ? 'all checks passed' : 'some checks failed'}\n`,
          )
        result.code = report.ok ? EXIT.OK : EXIT.CHECKS_FAILED
      },
    )

  const keystore = program
    .command('keystore')
    .description('the encrypted alp-secrets file of keystore:<file>#<name> references')
  keystore
    .command('set')
    .description(
      `encrypt the secret read from stdin as entry <name> (password in ${KEYSTORE_PASSWORD_ENV}); creates the file`,
    )
    .argument('<file>', 'the alp-secrets file')
    .argument('<name>', 'entry name, as in keystore:<file>#<name>')
    .action(async (file: string, name: string) => {
      const password = io.env[KEYSTORE_PASSWORD_ENV]
      if (password === undefined || password === '') {
        io.stderr(`environment variable ${KEYSTORE_PASSWORD_ENV} is not set (the keystore's password)\n`)
        result.code = EXIT.USAGE
        return
      }
      const value = (await io.readStdin()).replace(/\r?\n$/, '')
      if (value === '') {
        io.stderr('no secret on standard input\n')
        result.code = EXIT.USAGE
        return
      }
      const text = existsSync(file) ? readFileSync(file, 'utf8') : null
      writeFileSync(file, setSecretsKeystoreEntry(text, name, value, password, file), { mode: 0o600 })
      io.stdout(
        `${text === null ? 'created' : 'updated'} ${file}: entry ${name} (reference keystore:${file}#${name})\n`,
      )
    })
  keystore
    .command('list')
    .description('entry names of an alp-secrets file (no password needed)')
    .argument('<file>', 'the alp-secrets file')
    .option('--json', 'machine-readable output')
    .action((file: string, options: { json?: boolean }) => {
      const names = listSecretsKeystoreEntries(readFileSync(file, 'utf8'), file)
      io.stdout(options.json ? `${JSON.stringify({ file, entries: names })}\n` : `${names.join('\n')}\n`)
    })

  program
    .command('start')
    .description(
      'run the roles of the config in this process until SIGINT/SIGTERM, then cancel every order and wait for the venues to confirm (every role: one in-process bus; a --roles subset: ZeroMQ to the other processes)',
    )
    .requiredOption('--config <files...>', 'INI config files')
    .option('--roles <list>', 'comma-separated role instances or kinds (default: every role of the config)')
    .addOption(
      new Option('--stop-timeout-ms <ms>', 'how long the stop waits for the venues to confirm')
        .default(30_000)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--reconcile-timeout-ms <ms>', 'how long each start-up read of a venue may take (then exit 4)')
        .default(30_000)
        .argParser(positiveInt),
    )
    .option(
      '--skip-reconciliation',
      'quote without first reconciling with the venues (open orders, position, fills missed while down): the inventory may be wrong; for a venue that cannot answer, after checking it by hand',
    )
    .action(
      async (options: {
        config: string[]
        roles?: string
        stopTimeoutMs: number
        reconcileTimeoutMs: number
        skipReconciliation?: boolean
      }) => {
        result.code = await runStart(io, {
          files: options.config,
          roles: splitRoles(options.roles),
          stopTimeoutMs: options.stopTimeoutMs,
          reconcileTimeoutMs: options.reconcileTimeoutMs,
          skipReconciliation: options.skipReconciliation === true,
        })
      },
    )

  program
    .command('stop')
    .description(
      'SIGTERM to the alp start of the config (its pid file); waits until it has cancelled every order and exited',
    )
    .requiredOption('--config <files...>', 'INI config files (the same as alp start)')
    .option('--roles <list>', 'the same --roles as alp start')
    .addOption(
      new Option('--timeout-ms <ms>', 'how long to wait for it to exit').default(60_000).argParser(positiveInt),
    )
    .action(async (options: { config: string[]; roles?: string; timeoutMs: number }) => {
      result.code = await runStop(io, {
        files: options.config,
        roles: splitRoles(options.roles),
        timeoutMs: options.timeoutMs,
      })
    })

  program
    .command('status')
    .description(
      'the running deployment: per venue book top, mid, reservation price, optimal spread, our orders (price, size, age), warm-up; LP range, holdings, uncollected fees; net exposure; PnL by part; halts and why; recent errors (exit 5 when nothing runs)',
    )
    .requiredOption('--config <files...>', 'INI config files (the same as alp start)')
    .option('--roles <list>', 'the same --roles as alp start')
    .option('--json', 'machine-readable output (the GET /status document)')
    .action(async (options: { config: string[]; roles?: string; json?: boolean }) => {
      result.code = await runStatus(io, { files: options.config, roles: splitRoles(options.roles), json: options.json })
    })

  program
    .command('kill')
    .description(
      'kill switch of the running deployment: quoting halts (latched), every order is cancelled until each venue confirms, the LP manager stops stepping (exit 0 confirmed, 1 not confirmed in time, 8 token refused, 5 nothing runs)',
    )
    .requiredOption('--config <files...>', 'INI config files (the same as alp start)')
    .option('--roles <list>', 'the same --roles as alp start')
    .option('--reason <text>', 'why (journaled, shown by alp status)', 'alp kill')
    .addOption(
      new Option('--timeout-ms <ms>', 'how long to wait for the venues to confirm')
        .default(30_000)
        .argParser(positiveInt),
    )
    .option('--json', 'machine-readable output')
    .action(
      async (options: { config: string[]; roles?: string; reason: string; timeoutMs: number; json?: boolean }) => {
        result.code = await runKill(io, {
          files: options.config,
          roles: splitRoles(options.roles),
          reason: options.reason,
          timeoutMs: options.timeoutMs,
          json: options.json,
        })
      },
    )

  program
    .command('resume')
    .description(
      'release the kill switch: the trader quotes again, the LP manager steps again (exit 8 when refused: a limit still breached, or the token)',
    )
    .requiredOption('--config <files...>', 'INI config files (the same as alp start)')
    .option('--roles <list>', 'the same --roles as alp start')
    .option('--reason <text>', 'why (journaled)', 'alp resume')
    .option('--json', 'machine-readable output')
    .action(async (options: { config: string[]; roles?: string; reason: string; json?: boolean }) => {
      result.code = await runResume(io, {
        files: options.config,
        roles: splitRoles(options.roles),
        reason: options.reason,
        json: options.json,
      })
    })

  program
    .command('logs')
    .description(
      "the log of the config's alp start (<DATA_DIR>/<PROCESS_NAME>.log, secrets scrubbed), running or not (exit 5 when there is none)",
    )
    .requiredOption('--config <files...>', 'INI config files (the same as alp start)')
    .option('--roles <list>', 'the same --roles as alp start')
    .addOption(new Option('--lines <n>', 'the last n lines').default(50).argParser(positiveInt))
    .addOption(new Option('--level <level>', 'this level and above').choices(Object.keys(LOG_LEVEL_VALUES)))
    .option('--follow', 'keep printing new lines until SIGINT')
    .option('--json', 'the NDJSON lines as written')
    .action(
      async (options: {
        config: string[]
        roles?: string
        lines: number
        level?: string
        follow?: boolean
        json?: boolean
      }) => {
        result.code = await runLogs(io, {
          files: options.config,
          roles: splitRoles(options.roles),
          lines: options.lines,
          level: options.level,
          follow: options.follow,
          json: options.json,
        })
      },
    )

  program
    .command('history')
    .description('fills, rebalances, PnL vs hold, fees paid and return % from the journal')
    .requiredOption('--journal <path>', 'the journal file (DATA_DIR/journal.sqlite)')
    .option('--json', 'machine-readable output')
    .option('--venue <venue>', 'only the fills of this venue')
    .option(
      '--report <dir>',
      'replay the journal into the backtester: write its backtest_results.json and report.html to <dir>',
    )
    .action(async (options: { journal: string; json?: boolean; venue?: string; report?: string }) => {
      if (!existsSync(options.journal)) {
        io.stderr(`no journal at ${options.journal}\n`)
        result.code = EXIT.NOT_RUNNING
        return
      }
      if (options.report !== undefined) {
        // Loads @alp/backtest (an optional peer dependency) only here.
        const { writeJournalReport } = await import('../journal/replayJournalIntoBacktest.js')
        const written = await writeJournalReport(options.journal, options.report)
        const s = written.results.summary
        io.stdout(
          options.json
            ? `${JSON.stringify({ results: written.resultsPath, report: written.reportPath, summary: s })}\n`
            : `${s.rebalances} rebalances, ${s.trades} hedge fills; PnL vs hold $${s.pnlVsHoldUsd.toFixed(2)} = fees ${s.feesUsd.toFixed(2)} + IL ${s.impermanentLossUsd.toFixed(2)} + hedge ${s.hedgePnlUsd.toFixed(2)} − gas ${s.gasUsd.toFixed(2)}\nresults ${written.resultsPath}\nreport ${written.reportPath}\n`,
        )
        return
      }
      const journal = new Journal(options.journal)
      try {
        const summary = journal.history()
        const fills = journal.fills(options.venue === undefined ? {} : { venue: options.venue })
        const rebalances = journal.lpActions({ action: 'rebalance' })
        if (options.json)
          io.stdout(
            `${JSON.stringify({ summary, fills, rebalances }, (_, value) => (typeof value === 'bigint' ? value.toString() : value))}\n`,
          )
        else {
          const lines = [
            `runs ${summary.runs}, fills ${summary.fills}, rebalances ${summary.rebalances}`,
            `value ${summary.startValueUsd ?? '-'} → ${summary.endValueUsd ?? '-'} USD, PnL ${summary.pnlUsd ?? '-'} USD, vs hold ${summary.pnlVsHoldUsd ?? '-'} USD, return ${summary.returnPct ?? '-'} %`,
            `fees paid ${summary.feesPaidUsd ?? '-'} USD (CEX fees ${summary.cexFeesQuote} quote, gas ${summary.gasCostWei} wei)`,
            `LP fees ${summary.lpFeesUsd ?? '-'} USD, hedge PnL ${summary.hedgePnlUsd ?? '-'} USD, PnL snapshots ${summary.pnlSnapshots}`,
            ...rebalances.map((r) => {
              const detail = (r.detail ?? {}) as {
                reason?: string
                closed?: string[]
                minted?: string[]
                gasPaidWei?: string | null
              }
              const mints = journal
                .lpActions({ action: 'mint' })
                .filter(
                  (m) =>
                    (m.detail as { executionId?: string } | undefined)?.executionId ===
                    (r.detail as { executionId?: string } | undefined)?.executionId,
                )
                .map(
                  (m) =>
                    `#${m.tokenId} [${m.tickLower}, ${m.tickUpper}] ${m.amount0Raw ?? '-'}/${m.amount1Raw ?? '-'} raw`,
                )
              return `rebalance ${new Date(Number(r.tsNs / 1_000_000n)).toISOString()} ${detail.reason ?? ''}: closed ${(detail.closed ?? []).map((id) => `#${id}`).join(' ') || '-'}, minted ${mints.join(', ') || '-'}, gas ${detail.gasPaidWei ?? '-'} wei`
            }),
            ...fills.map(
              (f) =>
                `fill ${f.venue} ${f.side} ${f.sizeLots} lots @ ${f.priceTicks} ticks, fee ${f.feeQuote} (${f.tradeId}, ${f.clientOrderId})`,
            ),
          ]
          io.stdout(`${lines.join('\n')}\n`)
        }
      } finally {
        journal.close()
      }
    })
  registerPaperCommand(program, io, result)
  return { program, result }
}

/** The exit codes under `alp --help` (the same table as docs/deployment.md#exit-codes). */
const EXIT_CODES_HELP = `
Exit codes (stable):
  0 OK                     done, or every check passed
  1 FAILURE                an unexpected failure (see stderr); alp kill/stop: a venue did not confirm in time
  2 USAGE                  bad command line
  3 CONFIG_INVALID         the config files have problems (file, section, key and line printed)
  4 RECONCILIATION_FAILED  start-up reconciliation failed; nothing was quoted
  5 NOT_RUNNING            nothing runs for this config (alp stop/status/kill/resume), no journal (history), no log (logs)
  6 CHECKS_FAILED          alp doctor found a failing check
  7 ALREADY_RUNNING        another instance holds the pid file
  8 REFUSED                the running deployment refused the command: no valid token, or a resume while a limit is breached
`

function splitRoles(list: string | undefined): string[] | undefined {
  return list
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

function positiveInt(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n <= 0)
    throw new CommanderError(EXIT.USAGE, 'alp.invalidArgument', `not a positive integer: ${text}`)
  return n
}

/** The journal's file in a DATA_DIR. */
export function journalPathOf(dataDir: string): string {
  return join(dataDir, 'journal.sqlite')
}
