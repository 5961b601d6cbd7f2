import { Command, InvalidArgumentError } from 'commander'
import { Wallet } from 'ethers'
import { type RunningDeribitEmulator, startDeribitEmulator } from './deribit/startDeribitEmulator.js'
import { type RunningGrvtEmulator, startGrvtEmulator } from './grvt/startGrvtEmulator.js'

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
  stepSize: string
  simulate?: boolean | undefined
  mid: string
  seed: number
  clientId: string
  clientSecretEnv: string
  balance?: Record<string, string> | undefined
}

/** The `deribit` command (options and help; the caller adds the action). */
export function createDeribitCommand(): Command {
  return new Command('deribit')
    .description('run the Deribit JSON-RPC emulator (one linear perpetual, one account) until Ctrl-C')
    .option('--host <ip>', 'listen address', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', parsePortOption, 8081)
    .option('--instrument <NAME>', 'instrument name', 'ETH_USDC-PERPETUAL')
    .option('--tick-size <price>', 'price increment', parsePositiveDecimalOption, '0.05')
    .option('--step-size <size>', 'amount increment', parsePositiveDecimalOption, '0.001')
    .option('--simulate', 'seeded simulated book (without it: an empty book)')
    .option('--mid <price>', 'start mid for --simulate', parsePositiveDecimalOption, '2681.62')
    .option('--seed <n>', 'seed of the simulated market', parseSeedOption, 1)
    .option('--client-id <id>', 'client id', 'alp-paper')
    .option(
      '--client-secret-env <VAR>',
      'environment variable holding the client secret (never printed)',
      'ALP_VENUE_SIM_DERIBIT_SECRET',
    )
    .option('--balance <ASSET=amt>', 'balance, repeatable (default USDC=100000)', collectBalanceOption)
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
}

/** The `grvt` command (options and help; the caller adds the action). */
export function createGrvtCommand(): Command {
  return new Command('grvt')
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

/** Starts the Deribit emulator from parsed {@link DeribitOptions}; the secret comes from `env` only. */
export async function startDeribitFromOptions(options: DeribitOptions, env: Environment): Promise<StartedFromArgs> {
  const clientSecret = secretFrom(env, options.clientSecretEnv, 'client secret')
  const { instrument: instrumentName, seed } = options
  const running: RunningDeribitEmulator = await startDeribitEmulator({
    host: options.host,
    port: options.port,
    instruments: [{ instrumentName, tickSize: options.tickSize, stepSize: options.stepSize }],
    accounts: [{ clientId: options.clientId, clientSecret, balances: options.balance ?? { USDC: '100000' } }],
    market: options.simulate ? { kind: 'simulated', instrumentName, midPrice: options.mid, seed } : { kind: 'none' },
    seed,
  })
  return {
    banner: [
      'alp-venue-sim deribit emulator running',
      `  JSON-RPC    ${running.wsUrl}`,
      `  Instrument  ${instrumentName} (tick ${options.tickSize}, step ${options.stepSize})${options.simulate ? `, simulated from ${options.mid}, seed ${seed}` : ''}`,
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
    market: options.simulate ? { kind: 'simulated', instrument, midPrice: options.mid, seed } : { kind: 'none' },
    seed,
  })
  return {
    banner: [
      'alp-venue-sim grvt emulator running',
      `  REST        ${running.restUrl}   (/auth/api_key/login, /full/v1/<name>)`,
      `  WebSocket   ${running.wsUrl}`,
      `  Instrument  ${instrument} (tick ${options.tickSize}, min size ${options.minSize})${options.simulate ? `, simulated from ${options.mid}, seed ${seed}` : ''}`,
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
