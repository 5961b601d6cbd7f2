import { readFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import type { BinanceMarketConfig } from './binance/BinanceEmulator.js'
import type { DepthFaults, FaultSettings, RestFaults, WsFaults } from './binance/FaultController.js'
import { parseFaultKnobs } from './binance/parseFaultKnobs.js'
import { startBinanceEmulator } from './binance/startBinanceEmulator.js'
import { type ChainCommandOptions, createChainCommand, runChainCommand } from './chain/replay/chainCommand.js'
import {
  addPaperMarketOptions,
  collectBalanceOption,
  collectOption,
  createDeribitCommand,
  createGrvtCommand,
  type DeribitOptions,
  describeClock,
  type GrvtOptions,
  type PaperMarketOptions,
  paperMarketFrom,
  parsePortOption,
  parsePositiveDecimalOption,
  parsePositiveNumberOption,
  parseSeedOption,
  type StartedFromArgs,
  startDeribitFromOptions,
  startGrvtFromOptions,
} from './startVenueFromArgs.js'

/**
 * Exit codes of `alp-venue-sim`: 0 ok (also --help, --version); 1 an emulator could not start or a fault request
 * failed (missing secret in the environment, port in use, emulator unreachable); 2 bad command line or input file
 * (unknown command or option, a bad value, an unknown fault knob, a malformed --klines CSV): nothing was started.
 */
const EXIT_USAGE = 2

type KnobRule = { readonly rule: string; readonly test: (value: unknown) => boolean }
const probability: KnobRule = {
  rule: 'a probability in [0, 1]',
  test: (v) => typeof v === 'number' && v >= 0 && v <= 1,
}
const count: KnobRule = { rule: 'an integer ≥ 0', test: (v) => Number.isInteger(v) && (v as number) >= 0 }
const milliseconds: KnobRule = { rule: 'milliseconds ≥ 0', test: (v) => typeof v === 'number' && v >= 0 }
const oneOf = (...choices: readonly (string | number)[]): KnobRule => ({
  rule: `one of ${choices.join(', ')}`,
  test: (v) => choices.includes(v as string | number),
})

/**
 * Every fault knob and its rule, per group. `satisfies` keeps the lists equal to FaultController's types: a knob added
 * there and not here (or the reverse) fails the type check.
 */
const KNOBS = {
  depth: {
    dropProbability: probability,
    duplicateProbability: probability,
    reorderProbability: probability,
    dropNext: count,
    duplicateNext: count,
    reorderNext: count,
  } satisfies Record<keyof DepthFaults, KnobRule>,
  ws: {
    delayMs: milliseconds,
    disconnectAfterMessages: count,
    malformedNext: count,
    malformedKind: oneOf('invalidJson', 'truncated'),
  } satisfies Record<keyof WsFaults, KnobRule>,
  rest: {
    http5xxNext: count,
    http5xxStatus: oneOf(500, 502, 503, 504),
    http5xxMode: oneOf('before', 'after'),
    timeoutNext: count,
    timeoutMode: oneOf('before', 'after'),
    delayMs: milliseconds,
    rateLimitNext: count,
    lagNext: count,
    lagMs: milliseconds,
  } satisfies Record<keyof RestFaults, KnobRule>,
} as const satisfies Record<keyof FaultSettings, Record<string, KnobRule>>

/** Parses and checks `group.name=value` knobs: an unknown group or name, or a value out of range, is a usage error. */
export function checkFaultKnobs(knobs: readonly string[]): FaultSettings {
  const problems: string[] = []
  for (const knob of knobs) {
    const match = /^([^.=]+)\.([^=]+)=(.*)$/.exec(knob)
    if (!match) {
      problems.push(`"${knob}" is not <group>.<knob>=<value> (groups: ${Object.keys(KNOBS).join(', ')})`)
      continue
    }
    const [, group = '', name = '', raw = ''] = match
    const rules = (KNOBS as Record<string, Record<string, KnobRule>>)[group]
    if (rules === undefined) {
      problems.push(`"${knob}": unknown group '${group}' (groups: ${Object.keys(KNOBS).join(', ')})`)
      continue
    }
    const rule = rules[name]
    if (rule === undefined) {
      const suggestion = closest(name, Object.keys(rules))
      problems.push(
        `"${knob}": unknown knob '${group}.${name}'${suggestion ? `; did you mean '${group}.${suggestion}'?` : ''} (${group} knobs: ${Object.keys(rules).join(', ')})`,
      )
      continue
    }
    const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
    if (!rule.test(value)) problems.push(`"${knob}": ${group}.${name} must be ${rule.rule}`)
  }
  if (problems.length > 0) throw new InvalidArgumentError(problems.join('\n  '))
  return parseFaultKnobs(knobs)
}

function closest(name: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j)
    for (let i = 1; i <= a.length; i++) {
      const next = [i]
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      row = next
    }
    return row[b.length]!
  }
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}

/**
 * Checks a klines CSV before the emulator reads it: the file exists, the header starts with open_time, and every row
 * has an integer open_time and decimal prices > 0 (low ≤ high). Problems name the file, the row (header = row 1) and
 * the column; at most five are listed.
 */
export function checkKlinesFile(path: string): void {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InvalidArgumentError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}.`)
  }
  const lines = text.split('\n')
  const columns = ['open_time', 'open', 'high', 'low', 'close']
  if (!lines[0]?.startsWith('open_time,open,high,low,close'))
    throw new InvalidArgumentError(`${path} row 1: the header must start with ${columns.join(',')}.`)
  const problems: string[] = []
  let rows = 0
  for (let i = 1; i < lines.length && problems.length < 5; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    rows++
    const cells = line.split(',')
    const at = `${path} row ${i + 1}`
    if (cells.length < 5) {
      problems.push(`${at}: ${cells.length} columns, expected at least 5 (${columns.join(',')})`)
      continue
    }
    if (!/^\d+$/.test(cells[0]!)) problems.push(`${at} column open_time: "${cells[0]}" is not an integer (ms)`)
    for (const [c, name] of columns.entries()) {
      if (c === 0) continue
      const cell = cells[c]!
      if (!/^\d+(\.\d+)?$/.test(cell) || !/[1-9]/.test(cell))
        problems.push(`${at} column ${name}: "${cell}" is not a decimal price > 0`)
    }
    if (Number(cells[2]) < Number(cells[3])) problems.push(`${at} column high: ${cells[2]} is below low ${cells[3]}`)
  }
  if (problems.length === 0 && rows === 0) problems.push(`${path}: no kline rows after the header`)
  if (problems.length > 0) throw new InvalidArgumentError(problems.join('\n  '))
}

type BinanceOptions = {
  host: string
  port: number
  wsPort?: number | undefined
  symbol?: string[] | undefined
  simulate?: boolean | undefined
  mid: string
  seed: number
  apiKey: string
  apiSecretEnv: string
  balance?: Record<string, string> | undefined
  spotBalance?: Record<string, string> | undefined
  fault?: string[] | undefined
  fundingRate?: Record<string, string> | undefined
} & PaperMarketOptions

/** A repeatable `SYMBOL=rate` option (a signed decimal per 8 h, e.g. ETHUSDT=-0.0003), collected into a record. */
function collectFundingRateOption(text: string, previous: Record<string, string> | undefined): Record<string, string> {
  const match = /^([A-Z0-9]+)=(-?\d+(\.\d{1,8})?)$/.exec(text)
  if (!match) throw new InvalidArgumentError('Expected SYMBOL=rate with at most 8 decimals, e.g. ETHUSDT=0.0001.')
  return { ...previous, [match[1]!]: match[2]! }
}

function createBinanceCommand(): Command {
  const command = new Command('binance')
    .description('run the Binance emulator (USDⓈ-M futures and spot order entry) until Ctrl-C')
    .option('--host <ip>', 'listen address', '127.0.0.1')
    .option('--port <n>', 'REST (+WebSocket) port (0 = any free port)', parsePortOption, 8080)
    .option('--ws-port <n>', 'separate WebSocket port (default: same as --port)', parsePortOption)
    .option('--symbol <SYM>', 'futures symbol, repeatable (default ETHUSDT); spot uses the same names', collectOption)
    .option('--simulate', 'seeded simulated market (the default when there is no --replay / --klines)')
    .option('--mid <price>', 'start mid for --simulate', parsePositiveDecimalOption, '2681.62')
    .option('--seed <n>', 'seed for the market and the fault decisions', parseSeedOption, 1)
    .addOption(
      new Option(
        '--replay <file>',
        'replay a Binance combined-stream capture (e.g. data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz)',
      ).conflicts('klines'),
    )
    .option('--klines <file>', 'drive the mid from a klines CSV (open_time,open,high,low,close,volume)')
    .option(
      '--speed <x>',
      'replay speed: of the clock with --clock-start, else of --replay / --klines from start-up (default 1)',
      parsePositiveNumberOption,
    )
    .option('--api-key <key>', 'account API key', 'alp-paper-key')
    .option(
      '--api-secret-env <VAR>',
      'environment variable holding the API secret (never printed)',
      'ALP_VENUE_SIM_API_SECRET',
    )
    .option('--balance <ASSET=amt>', 'futures wallet, repeatable (default USDT=100000)', collectBalanceOption)
    .option('--spot-balance <ASSET=amt>', 'spot wallet, repeatable (default USDT=100000, ETH=10)', collectBalanceOption)
    .option(
      '--fault <knob=value>',
      'initial fault knob, repeatable, e.g. depth.dropProbability=0.01 rest.http5xxNext=2',
      collectOption,
    )
    .option(
      '--funding-rate <SYM=rate>',
      'funding rate per 8 h of a perpetual, charged at 00:00/08:00/16:00 UTC of the emulator clock, repeatable (default 0.0001)',
      collectFundingRateOption,
    )
  return addPaperMarketOptions(command, { marketSources: false })
}

async function runBinance(options: BinanceOptions, command: Command): Promise<void> {
  const faults = usage(command, () => checkFaultKnobs(options.fault ?? []), '--fault')
  if (options.klines !== undefined) usage(command, () => checkKlinesFile(options.klines!), '--klines')
  const secretEnv = options.apiSecretEnv
  const apiSecret = process.env[secretEnv]
  if (apiSecret === undefined || apiSecret === '') {
    throw new Error(
      `set the API secret in the environment variable ${secretEnv} (it is never read from the command line)`,
    )
  }
  const { seed } = options
  const paper = usage(
    command,
    () => paperMarketFrom<BinanceMarketConfig>(options, { kind: 'simulated', midPrice: options.mid, seed }, seed),
    '--clock-wall-start',
  )
  const market: BinanceMarketConfig = paper.market
  const running = await startBinanceEmulator({
    host: options.host,
    port: options.port,
    wsPort: options.wsPort,
    symbols: options.symbol ?? ['ETHUSDT'],
    accounts: [
      {
        apiKey: options.apiKey,
        apiSecret,
        balances: options.balance ?? { USDT: '100000' },
        spotBalances: options.spotBalance ?? { USDT: '100000', ETH: '10' },
      },
    ],
    market,
    seed,
    faults,
    ...(options.fundingRate === undefined ? {} : { fundingRates: options.fundingRate }),
    ...(paper.clock === undefined ? {} : { clock: paper.clock, tickIntervalMs: 10 }),
  })
  await runUntilSignal({
    banner: [
      'alp-venue-sim binance emulator running',
      `  REST        ${running.restUrl}   (/fapi/v1/…, /fapi/v2|v3/…, /api/v3/…)`,
      `  WebSocket   ${running.wsUrl}   (/public/ws/<stream>, /market/stream?streams=a/b, /private/ws?listenKey=…, legacy /ws)`,
      `  Admin       ${running.restUrl}/__admin/faults   (GET/POST JSON; see https://github.com/alp-sdk/alp/blob/main/docs/venue-sim.md)`,
      `  Market      ${running.emulator.drivers.map((d) => d.describe()).join(', ')}, seed ${seed}`,
      `  Funding     ${(options.symbol ?? ['ETHUSDT']).map((s) => `${s} ${options.fundingRate?.[s] ?? '0.0001'}`).join(', ')} per 8 h`,
      ...describeClock(paper.clock),
      `  API key     ${options.apiKey} (secret from $${secretEnv})`,
      '',
    ].join('\n'),
    close: () => running.close(),
  })
}

type FaultOptions = {
  url: string
  disconnect?: string | undefined
  expireListenKeys?: boolean | undefined
  reset?: boolean | undefined
}

function createFaultCommand(): Command {
  return new Command('fault')
    .description('change the fault knobs of a running emulator (POST to its /__admin API)')
    .argument('[knobs...]', 'knobs as <group>.<knob>=<value>, e.g. depth.dropNext=3 rest.http5xxNext=2')
    .option('--url <restUrl>', "the emulator's REST url", parseUrlOption, 'http://127.0.0.1:8080')
    .addOption(new Option('--disconnect <scope>', 'drop WebSocket connections').choices(['all', 'market', 'private']))
    .option('--expire-listen-keys', 'expire every listen key (Binance user-data streams)')
    .option('--reset', 'clear every fault knob')
    .addHelpText(
      'after',
      `\nKnobs:\n${Object.entries(KNOBS)
        .map(
          ([group, rules]) =>
            `  ${group}: ${Object.entries(rules)
              .map(([name, r]) => `${name} (${r.rule})`)
              .join(', ')}`,
        )
        .join('\n')}\n`,
    )
}

function parseUrlOption(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InvalidArgumentError('Expected an http(s) URL such as http://127.0.0.1:8080.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('Expected an http(s) URL such as http://127.0.0.1:8080.')
  return text.replace(/\/+$/, '')
}

async function runFault(knobs: string[], options: FaultOptions, command: Command): Promise<void> {
  const settings = usage(command, () => checkFaultKnobs(knobs), 'fault knobs')
  if (knobs.length === 0 && !options.reset && options.disconnect === undefined && !options.expireListenKeys)
    command.error('error: nothing to do: give knobs, --reset, --disconnect or --expire-listen-keys', {
      exitCode: EXIT_USAGE,
    })
  const post = async (path: string, body: unknown) => {
    const url = `${options.url}${path}`
    let res: Response
    try {
      res = await fetch(url, { method: 'POST', body: JSON.stringify(body) })
    } catch (cause) {
      throw new Error(`cannot reach the emulator at ${url}: ${(cause as Error).cause ?? (cause as Error).message}`, {
        cause,
      })
    }
    const text = await res.text()
    if (!res.ok) throw new Error(`POST ${url} answered HTTP ${res.status}: ${text}`)
    process.stdout.write(`${text}\n`)
  }
  if (options.reset) await post('/__admin/faults/reset', {})
  if (options.disconnect !== undefined) await post('/__admin/disconnect', { scope: options.disconnect })
  if (options.expireListenKeys) await post('/__admin/expire-listen-keys', {})
  if (knobs.length > 0) await post('/__admin/faults', settings)
}

/** Runs `check`; an InvalidArgumentError becomes a usage error (exit 2) naming `what`. */
function usage<T>(command: Command, check: () => T, what: string): T {
  try {
    return check()
  } catch (error) {
    if (error instanceof InvalidArgumentError)
      command.error(`error: ${what}:\n  ${error.message}`, { exitCode: EXIT_USAGE, code: 'alp.invalidArgument' })
    throw error
  }
}

async function runUntilSignal(started: StartedFromArgs): Promise<void> {
  process.stdout.write(`${started.banner}  Ctrl-C to stop.\n`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await started.close()
}

function readVersion(): string {
  // src/cli.ts and dist/cli.js both sit one folder below package.json.
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

/** `alp-venue-sim <binance|deribit|grvt|fault> [options]`. Resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('alp-venue-sim')
    .description('local venues for paper trading and tests: Binance, Deribit and GRVT emulators, fault injection')
    .version(readVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 an emulator could not start or a fault request failed, 2 bad command line or input file.\nSecrets are read from environment variables only and never printed (https://github.com/alp-sdk/alp/blob/main/docs/venue-sim.md#cli-paper-trading).',
    )
  program.addCommand(
    createBinanceCommand().action((options: BinanceOptions, command: Command) => runBinance(options, command)),
  )
  program.addCommand(
    createDeribitCommand().action(async (options: DeribitOptions) =>
      runUntilSignal(await startDeribitFromOptions(options, process.env)),
    ),
  )
  program.addCommand(
    createGrvtCommand().action(async (options: GrvtOptions) =>
      runUntilSignal(await startGrvtFromOptions(options, process.env)),
    ),
  )
  program.addCommand(
    createFaultCommand().action((knobs: string[], options: FaultOptions, command: Command) =>
      runFault(knobs, options, command),
    ),
  )
  program.addCommand(
    createChainCommand().action((options: ChainCommandOptions, command: Command) => runChainCommand(options, command)),
  )
  // exitOverride is inherited only by commands created with .command(): set it on the added ones too.
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(run with --help for usage)')
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE
    process.stderr.write(`alp-venue-sim: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
