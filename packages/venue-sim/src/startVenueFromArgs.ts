import { parseArgs } from 'node:util'
import { Wallet } from 'ethers'
import { type RunningDeribitEmulator, startDeribitEmulator } from './deribit/startDeribitEmulator.js'
import { type RunningGrvtEmulator, startGrvtEmulator } from './grvt/startGrvtEmulator.js'

/** A started emulator and the banner the CLI prints (never contains a secret). */
export type StartedFromArgs = { readonly banner: string; close(): Promise<void> }

type Environment = Readonly<Record<string, string | undefined>>

function secretFrom(env: Environment, variable: string, what: string): string {
  const value = env[variable]
  if (value === undefined || value === '')
    throw new Error(`set the ${what} in the environment variable ${variable} (it is never read from the command line)`)
  return value
}

function parseBalances(pairs: readonly string[] | undefined, fallback: Record<string, string>): Record<string, string> {
  if (!pairs) return fallback
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const [asset, amount] = pair.split('=')
    if (!asset || !amount) throw new Error(`bad balance "${pair}": expected ASSET=amount`)
    out[asset] = amount
  }
  return out
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`bad --port "${text}": expected 0..65535`)
  return port
}

/** `alp-venue-sim deribit [options]`: the Deribit JSON-RPC emulator (one linear perpetual, one account). */
export async function startDeribitFromArgs(argv: readonly string[], env: Environment): Promise<StartedFromArgs> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8081' },
      instrument: { type: 'string', default: 'ETH_USDC-PERPETUAL' },
      'tick-size': { type: 'string', default: '0.05' },
      'step-size': { type: 'string', default: '0.001' },
      simulate: { type: 'boolean', default: false },
      mid: { type: 'string', default: '2681.62' },
      seed: { type: 'string', default: '1' },
      'client-id': { type: 'string', default: 'alp-paper' },
      'client-secret-env': { type: 'string', default: 'ALP_VENUE_SIM_DERIBIT_SECRET' },
      balance: { type: 'string', multiple: true },
    },
  })
  const clientSecret = secretFrom(env, values['client-secret-env'], 'client secret')
  const seed = Number(values.seed)
  const instrumentName = values.instrument
  const running: RunningDeribitEmulator = await startDeribitEmulator({
    host: values.host,
    port: parsePort(values.port),
    instruments: [{ instrumentName, tickSize: values['tick-size'], stepSize: values['step-size'] }],
    accounts: [
      { clientId: values['client-id'], clientSecret, balances: parseBalances(values.balance, { USDC: '100000' }) },
    ],
    market: values.simulate ? { kind: 'simulated', instrumentName, midPrice: values.mid, seed } : { kind: 'none' },
    seed,
  })
  return {
    banner: [
      'alp-venue-sim deribit emulator running',
      `  JSON-RPC    ${running.wsUrl}`,
      `  Instrument  ${instrumentName} (tick ${values['tick-size']}, step ${values['step-size']})${values.simulate ? `, simulated from ${values.mid}` : ''}`,
      `  Client id   ${values['client-id']} (secret from $${values['client-secret-env']})`,
      '',
    ].join('\n'),
    close: () => running.close(),
  }
}

/** `alp-venue-sim grvt [options]`: the GRVT emulator (cookie login, /full/v1 REST, JSON-RPC streams). */
export async function startGrvtFromArgs(argv: readonly string[], env: Environment): Promise<StartedFromArgs> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8082' },
      instrument: { type: 'string', default: 'ETH_USDT_Perp' },
      'instrument-hash': { type: 'string', default: '0x030401' },
      'tick-size': { type: 'string', default: '0.01' },
      'min-size': { type: 'string', default: '0.001' },
      simulate: { type: 'boolean', default: false },
      mid: { type: 'string', default: '2681.62' },
      seed: { type: 'string', default: '1' },
      'api-key': { type: 'string', default: 'alp-paper-key' },
      'sub-account': { type: 'string', default: '1000' },
      'signer-key-env': { type: 'string', default: 'ALP_VENUE_SIM_GRVT_SIGNER_KEY' },
      'main-wallet-key-env': { type: 'string' },
      balance: { type: 'string', multiple: true },
    },
  })
  const signerKey = secretFrom(env, values['signer-key-env'], 'signer private key')
  // Optional: the main account's wallet, which enables /auth/wallet/login (how ccxt logs in) and builder approvals.
  const mainWalletEnv = values['main-wallet-key-env']
  const mainAccountPrivateKey =
    mainWalletEnv === undefined ? undefined : secretFrom(env, mainWalletEnv, 'main account wallet key')
  const seed = Number(values.seed)
  const instrument = values.instrument
  const running: RunningGrvtEmulator = await startGrvtEmulator({
    host: values.host,
    port: parsePort(values.port),
    instruments: [
      {
        instrument,
        instrumentHash: values['instrument-hash'],
        tickSize: values['tick-size'],
        minSize: values['min-size'],
      },
    ],
    accounts: [
      {
        apiKey: values['api-key'],
        signerPrivateKeys: [signerKey],
        ...(mainAccountPrivateKey === undefined ? {} : { mainAccountPrivateKey }),
        subAccountId: values['sub-account'],
        balances: parseBalances(values.balance, { USDT: '100000' }),
      },
    ],
    market: values.simulate ? { kind: 'simulated', instrument, midPrice: values.mid, seed } : { kind: 'none' },
    seed,
  })
  return {
    banner: [
      'alp-venue-sim grvt emulator running',
      `  REST        ${running.restUrl}   (/auth/api_key/login, /full/v1/<name>)`,
      `  WebSocket   ${running.wsUrl}`,
      `  Instrument  ${instrument} (tick ${values['tick-size']}, min size ${values['min-size']})${values.simulate ? `, simulated from ${values.mid}` : ''}`,
      `  API key     ${values['api-key']}, sub-account ${values['sub-account']} (signer key from $${values['signer-key-env']})`,
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
