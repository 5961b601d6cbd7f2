import { Command, InvalidArgumentError, Option } from 'commander'
import { Wallet } from 'ethers'
import { createReplayClock, type ReplayClock } from './clock/createReplayClock.js'
import type { DeribitMarketConfig } from './deribit/DeribitEmulator.js'
import { type RunningDeribitEmulator, startDeribitEmulator } from './deribit/startDeribitEmulator.js'
import type { GrvtEmulatorOptions } from './grvt/GrvtEmulator.js'
import { type RunningGrvtEmulator, startGrvtEmulator } from './grvt/startGrvtEmulator.js'
import type { KlinesMarketConfig, ReplayMarketConfig } from './matching/createMarketDriver.js'

type GrvtMarketConfig = NonNullable<GrvtEmulatorOptions['market']>

/** A started emulator and the banner the CLI prints (never contains a secret). */
export type StartedFromArgs = { readonly banner: string; close(): Promise<void> }

type Environment = Readonly<Record<string, string | undefined>>

// Option value parsers shared by the `alp-venue-sim` commands: each rejects a bad value with the rule it breaks, and
// commander prefixes the option name ("option '--port <n>' argument 'abc' is invalid. …").

/** A TCP port, 0..65535 (0 = any free port). */
export function parsePortOption(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError('Expected a port number in 0..65535.')
  return port
}

/** A seed: a non-negative safe integer. */
export function parseSeedOption(text: string): number {
  const seed = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed))
    throw new InvalidArgumentError('Expected a non-negative integer seed.')
  return seed
}

/** A price or size as a decimal string > 0 (kept as a string: venue-sim parses it onto the instrument's grid). */
export function parsePositiveDecimalOption(text: string): string {
  if (!/^\d+(\.\d+)?$/.test(text) || !/[1-9]/.test(text))
    throw new InvalidArgumentError('Expected a decimal number > 0, e.g. 2681.62.')
  return text
}

/** A finite number > 0 (time compression). */
export function parsePositiveNumberOption(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a number > 0.')
  return n
}

/** A time: an ISO 8601 date-time with a zone (e.g. 2024-01-05T00:00:00Z) or whole ms since the epoch. */
export function parseTimeOption(text: string): number {
  if (/^\d+$/.test(text)) {
    const ms = Number(text)
    if (Number.isSafeInteger(ms)) return ms
  }
  const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError(
      'Expected an ISO 8601 time with a zone (2024-01-05T00:00:00Z) or ms since the epoch.',
    )
  return ms
}

/** The paper-market options every command shares (market data source and the replay clock). */
export type PaperMarketOptions = {
  replay?: string | undefined
  klines?: string | undefined
  speed?: number | undefined
  clockStart?: number | undefined
  clockWallStart?: number | undefined
  dataStart?: number | undefined
}

/**
 * Adds `--replay`, `--klines`, `--speed`, `--clock-start`, `--data-start` and `--clock-wall-start` to a command
 * (Deribit, GRVT; Binance declares its own `--replay` / `--klines` / `--speed` and takes the other three from here).
 */
export function addPaperMarketOptions(command: Command, { marketSources }: { marketSources: boolean }): Command {
  if (marketSources)
    command
      .addOption(
        new Option(
          '--replay <file>',
          "replay a Binance L2 + trades capture into the instrument's book (e.g. data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz)",
        ).conflicts(['klines', 'simulate']),
      )
      .addOption(
        new Option(
          '--klines <file>',
          'replay a klines CSV (open_time,open,high,low,close,volume) as prints reproducing every bar',
        ).conflicts('simulate'),
      )
      .option(
        '--speed <x>',
        'replay speed: of the clock with --clock-start, else of --replay / --klines from start-up',
        parsePositiveNumberOption,
      )
  return command
    .option(
      '--clock-start <time>',
      'run on a replay clock: the replay time (ISO or ms) at --clock-wall-start; data timestamps are emulator time',
      parseTimeOption,
    )
    .option(
      '--data-start <time>',
      'emulator time (ISO or ms) at which the first --replay / --klines timestamp plays (default: its own time on a replay clock, start-up otherwise)',
      parseTimeOption,
    )
    .option(
      '--clock-wall-start <time>',
      'with --clock-start: the wall time (ISO or ms) the replay starts at (default now); give every process the same three numbers',
      parseTimeOption,
    )
}

/**
 * The replay clock of `--clock-start` (none without it) and the `market` of `--replay` / `--klines` (`fallback` without
 * them). On a replay clock `--speed` is the clock's; without one it compresses the data from start-up.
 */
export function paperMarketFrom<M>(
  options: PaperMarketOptions,
  fallback: M,
  seed: number,
): { clock: ReplayClock | undefined; market: M | ReplayMarketConfig | KlinesMarketConfig } {
  if (options.clockWallStart !== undefined && options.clockStart === undefined)
    throw new InvalidArgumentError('--clock-wall-start needs --clock-start.')
  const clock =
    options.clockStart === undefined
      ? undefined
      : createReplayClock({
          startMs: options.clockStart,
          speed: options.speed ?? 1,
          wallStartMs: options.clockWallStart,
        })
  const speed = clock === undefined ? options.speed : undefined
  const startMs = options.dataStart
  if (options.replay !== undefined) return { clock, market: { kind: 'replay', file: options.replay, speed, startMs } }
  if (options.klines !== undefined)
    return { clock, market: { kind: 'klines', file: options.klines, speed, seed, startMs } }
  return { clock, market: fallback }
}

/** The banner line of a replay clock: its three numbers, to start the other processes of the run with. */
export function describeClock(clock: ReplayClock | undefined): string[] {
  if (clock === undefined) return []
  const iso = (ms: number) => new Date(ms).toISOString()
  return [
    `  Clock       replay ${iso(clock.startMs)} at ${clock.speed}× from wall ${iso(clock.wallStartMs)}`,
    `              (same clock elsewhere: --clock-start ${clock.startMs} --speed ${clock.speed} --clock-wall-start ${clock.wallStartMs})`,
  ]
}

/** A repeatable `ASSET=amount` option, collected into a record. */
export function collectBalanceOption(
  text: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const match = /^([A-Za-z0-9]+)=(\d+(\.\d+)?)$/.exec(text)
  if (!match) throw new InvalidArgumentError('Expected ASSET=amount, e.g. USDT=100000.')
  return { ...previous, [match[1]!]: match[2]! }
}

/** A repeatable string option, collected into an array. */
export function collectOption(text: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), text]
}

function secretFrom(env: Environment, variable: string, what: string): string {
  const value = env[variable]
  if (value === undefined || value === '')
    throw new Error(`set the ${what} in the environment variable ${variable} (it is never read from the command line)`)
  return value
}

/** Options of `alp-venue-sim deribit`, as parsed by {@link createDeribitCommand}. */
export type DeribitOptions = {
  host: string
  port: number
  instrument: string
  tickSize: string
  /** Linear perpetuals only (inverse ones trade whole USD contracts); default 0.001 there. */
  stepSize?: string | undefined
  simulate?: boolean | undefined
  mid: string
  seed: number
  clientId: string
  clientSecretEnv: string
  balance?: Record<string, string> | undefined
} & PaperMarketOptions

/** The `deribit` command (options and help; the caller adds the action). */
export function createDeribitCommand(): Command {
  const command = new Command('deribit')
    .description(
      'run the Deribit JSON-RPC emulator (one perpetual: linear BASE_QUOTE-PERPETUAL or inverse BASE-PERPETUAL; one account) until Ctrl-C',
    )
    .option('--host <ip>', 'listen address', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', parsePortOption, 8081)
    .option('--instrument <NAME>', 'instrument name', 'ETH_USDC-PERPETUAL')
    .option('--tick-size <price>', 'price increment', parsePositiveDecimalOption, '0.05')
    .option('--step-size <size>', 'amount increment of a linear perpetual (default 0.001)', parsePositiveDecimalOption)
    .option('--simulate', 'seeded simulated book (without it: an empty book)')
    .option('--mid <price>', 'start mid for --simulate', parsePositiveDecimalOption, '2681.62')
    .option('--seed <n>', 'seed of the simulated market', parseSeedOption, 1)
    .option('--client-id <id>', 'client id', 'alp-paper')
    .option(
      '--client-secret-env <VAR>',
      'environment variable holding the client secret (never printed)',
      'ALP_VENUE_SIM_DERIBIT_SECRET',
    )
    .option(
      '--balance <ASSET=amt>',
      'balance, repeatable (default USDC=100000 for a linear perpetual, 100 of the coin for an inverse one)',
      collectBalanceOption,
    )
  return addPaperMarketOptions(command, { marketSources: true })
}

/** Options of `alp-venue-sim grvt`, as parsed by {@link createGrvtCommand}. */
export type GrvtOptions = {
  host: string
  port: number
  instrument: string
  instrumentHash: string
  tickSize: string
  minSize: string
  simulate?: boolean | undefined
  mid: string
  seed: number
  apiKey: string
  subAccount: string
  signerKeyEnv: string
  mainWalletKeyEnv?: string | undefined
  balance?: Record<string, string> | undefined
} & PaperMarketOptions

/** The `grvt` command (options and help; the caller adds the action). */
export function createGrvtCommand(): Command {
  const command = new Command('grvt')
    .description('run the GRVT emulator (one instrument, one sub-account) until Ctrl-C')
    .option('--host <ip>', 'listen address', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', parsePortOption, 8082)
    .option('--instrument <NAME>', 'instrument name', 'ETH_USDT_Perp')
    .option('--instrument-hash <hex>', 'instrument hash', '0x030401')
    .option('--tick-size <price>', 'price increment', parsePositiveDecimalOption, '0.01')
    .option('--min-size <size>', 'size increment and minimum', parsePositiveDecimalOption, '0.001')
    .option('--simulate', 'seeded simulated book (without it: an empty book)')
    .option('--mid <price>', 'start mid for --simulate', parsePositiveDecimalOption, '2681.62')
    .option('--seed <n>', 'seed of the simulated market', parseSeedOption, 1)
    .option('--api-key <key>', 'API key', 'alp-paper-key')
    .option('--sub-account <id>', 'sub-account id', '1000')
    .option(
      '--signer-key-env <VAR>',
      'environment variable holding the signer private key (never printed)',
      'ALP_VENUE_SIM_GRVT_SIGNER_KEY',
    )
    .option(
      '--main-wallet-key-env <VAR>',
      "optional: environment variable holding the main account's wallet key; enables /auth/wallet/login and builder approvals (never printed)",
    )
    .option('--balance <ASSET=amt>', 'balance, repeatable (default USDT=100000)', collectBalanceOption)
  return addPaperMarketOptions(command, { marketSources: true })
}

/** Parses `argv` (options only) with `command`; a bad option throws a CommanderError instead of exiting. */
function parseOptions<T>(command: Command, argv: readonly string[]): T {
  command.exitOverride().configureOutput({ writeErr: () => {} })
  command.parse([...argv], { from: 'user' })
  return command.opts<T & Record<string, unknown>>()
}

/** `alp-venue-sim deribit [options]`: the Deribit JSON-RPC emulator (one linear perpetual, one account). */
export async function startDeribitFromArgs(argv: readonly string[], env: Environment): Promise<StartedFromArgs> {
  return startDeribitFromOptions(parseOptions<DeribitOptions>(createDeribitCommand(), argv), env)
}

/** The coin of an inverse Deribit instrument name (`ETH-PERPETUAL`, `BTC-27DEC24`), or null for a linear one. */
function inverseCoin(instrumentName: string): string | null {
  return /^([A-Z0-9]+)-(?:PERPETUAL|\d{1,2}[A-Z]{3}\d{2})$/.exec(instrumentName)?.[1] ?? null
}

/** USDC for a linear perpetual; the coin (margin and settlement currency) for an inverse one. */
function defaultDeribitBalance(instrumentName: string): Record<string, string> {
  const coin = inverseCoin(instrumentName)
  return coin === null ? { USDC: '100000' } : { [coin]: '100' }
}

/** Starts the Deribit emulator from parsed {@link DeribitOptions}; the secret comes from `env` only. */
export async function startDeribitFromOptions(options: DeribitOptions, env: Environment): Promise<StartedFromArgs> {
  const clientSecret = secretFrom(env, options.clientSecretEnv, 'client secret')
  const { instrument: instrumentName, seed } = options
  const paper = paperMarketFrom<DeribitMarketConfig>(
    options,
    options.simulate ? { kind: 'simulated', instrumentName, midPrice: options.mid, seed } : { kind: 'none' },
    seed,
  )
  const running: RunningDeribitEmulator = await startDeribitEmulator({
    host: options.host,
    port: options.port,
    instruments: [
      {
        instrumentName,
        tickSize: options.tickSize,
        ...(options.stepSize === undefined ? {} : { stepSize: options.stepSize }),
      },
    ],
    accounts: [
      { clientId: options.clientId, clientSecret, balances: options.balance ?? defaultDeribitBalance(instrumentName) },
    ],
    market: paper.market,
    seed,
    ...(paper.clock === undefined ? {} : { clock: paper.clock, tickIntervalMs: 10 }),
  })
  return {
    banner: [
      'alp-venue-sim deribit emulator running',
      `  JSON-RPC    ${running.wsUrl}`,
      `  Instrument  ${instrumentName} (tick ${options.tickSize}${inverseCoin(instrumentName) === null ? `, step ${options.stepSize ?? '0.001'}` : ', whole USD contracts'})${options.simulate ? `, simulated from ${options.mid}, seed ${seed}` : ''}`,
      ...running.emulator.drivers.map((d) => `  Market      ${d.describe()}`),
      ...describeClock(paper.clock),
      `  Client id   ${options.clientId} (secret from $${options.clientSecretEnv})`,
      '',
    ].join('\n'),
    close: () => running.close(),
  }
}

/** `alp-venue-sim grvt [options]`: the GRVT emulator (cookie login, /full/v1 REST, JSON-RPC streams). */
export async function startGrvtFromArgs(argv: readonly string[], env: Environment): Promise<StartedFromArgs> {
  return startGrvtFromOptions(parseOptions<GrvtOptions>(createGrvtCommand(), argv), env)
}

/** Starts the GRVT emulator from parsed {@link GrvtOptions}; keys come from `env` only. */
export async function startGrvtFromOptions(options: GrvtOptions, env: Environment): Promise<StartedFromArgs> {
  const signerKey = secretFrom(env, options.signerKeyEnv, 'signer private key')
  // Optional: the main account's wallet, which enables /auth/wallet/login (how ccxt logs in) and builder approvals.
  const mainWalletEnv = options.mainWalletKeyEnv
  const mainAccountPrivateKey =
    mainWalletEnv === undefined ? undefined : secretFrom(env, mainWalletEnv, 'main account wallet key')
  const { instrument, seed } = options
  const paper = paperMarketFrom<GrvtMarketConfig>(
    options,
    options.simulate ? { kind: 'simulated', instrument, midPrice: options.mid, seed } : { kind: 'none' },
    seed,
  )
  const running: RunningGrvtEmulator = await startGrvtEmulator({
    host: options.host,
    port: options.port,
    instruments: [
      {
        instrument,
        instrumentHash: options.instrumentHash,
        tickSize: options.tickSize,
        minSize: options.minSize,
      },
    ],
    accounts: [
      {
        apiKey: options.apiKey,
        signerPrivateKeys: [signerKey],
        ...(mainAccountPrivateKey === undefined ? {} : { mainAccountPrivateKey }),
        subAccountId: options.subAccount,
        balances: options.balance ?? { USDT: '100000' },
      },
    ],
    market: paper.market,
    seed,
    ...(paper.clock === undefined ? {} : { clock: paper.clock, tickIntervalMs: 10 }),
  })
  return {
    banner: [
      'alp-venue-sim grvt emulator running',
      `  REST        ${running.restUrl}   (/auth/api_key/login, /full/v1/<name>)`,
      `  WebSocket   ${running.wsUrl}   (full; lite ${running.wsLiteUrl}, legacy ${running.wsLegacyUrl}; REST /lite/v1/<name>)`,
      `  Instrument  ${instrument} (tick ${options.tickSize}, min size ${options.minSize})${options.simulate ? `, simulated from ${options.mid}, seed ${seed}` : ''}`,
      ...running.emulator.drivers.map((d) => `  Market      ${d.describe()}`),
      ...describeClock(paper.clock),
      `  API key     ${options.apiKey}, sub-account ${options.subAccount} (signer key from $${options.signerKeyEnv})`,
      ...(mainAccountPrivateKey === undefined
        ? []
        : [
            `  Main wallet ${new Wallet(mainAccountPrivateKey).address} (key from $${mainWalletEnv}; /auth/wallet/login)`,
          ]),
      '',
    ].join('\n'),
    close: () => running.close(),
  }
}
