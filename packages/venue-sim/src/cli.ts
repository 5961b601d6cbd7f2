#!/usr/bin/env node
import { parseArgs } from 'node:util'
import type { BinanceMarketConfig } from './binance/BinanceEmulator.js'
import { parseFaultKnobs } from './binance/parseFaultKnobs.js'
import { startBinanceEmulator } from './binance/startBinanceEmulator.js'
import { type StartedFromArgs, startDeribitFromArgs, startGrvtFromArgs } from './startVenueFromArgs.js'

const USAGE = `Usage:
  alp-venue-sim binance [options]        run the Binance emulator until Ctrl-C (paper trading)
  alp-venue-sim deribit [options]        run the Deribit JSON-RPC emulator until Ctrl-C
  alp-venue-sim grvt [options]           run the GRVT emulator until Ctrl-C
  alp-venue-sim fault --url <restUrl> <knob=value>...   change fault knobs of a running emulator
  alp-venue-sim fault --url <restUrl> --disconnect [all|market|private] | --expire-listen-keys | --reset

binance options:
  --host <ip>              default 127.0.0.1
  --port <n>               REST (+WebSocket) port, default 8080 (0 = any free port)
  --ws-port <n>            separate WebSocket port (default: same as --port)
  --symbol <SYM>           futures symbol, repeatable (default ETHUSDT); spot uses the same names
  --simulate               seeded simulated market (default when no --replay / --klines)
  --mid <price>            start mid for --simulate (default 2681.62)
  --seed <n>               seed for the market and the fault decisions (default 1)
  --replay <file>          replay a Binance combined-stream capture (e.g. data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz)
  --klines <file>          drive the mid from a klines CSV (open_time,open,high,low,close,volume)
  --speed <x>              time compression for --replay / --klines (default 1)
  --api-key <key>          account API key (default alp-paper-key)
  --api-secret-env <VAR>   environment variable holding the API secret (default ALP_VENUE_SIM_API_SECRET); never printed
  --balance <ASSET=amt>    futures wallet, repeatable (default USDT=100000)
  --spot-balance <ASSET=amt>  spot wallet, repeatable
  --fault <knob=value>     initial fault knob, repeatable, e.g. depth.dropProbability=0.01 rest.http5xxNext=2

deribit options (one linear perpetual, one account):
  --host <ip> / --port <n>       default 127.0.0.1 / 8081 (0 = any free port)
  --instrument <NAME>            default ETH_USDC-PERPETUAL; --tick-size (0.05), --step-size (0.001)
  --simulate / --mid / --seed    seeded simulated book (default: empty book), start mid 2681.62, seed 1
  --client-id <id>               default alp-paper
  --client-secret-env <VAR>      environment variable holding the client secret (default ALP_VENUE_SIM_DERIBIT_SECRET); never printed
  --balance <ASSET=amt>          repeatable (default USDC=100000)

grvt options (one instrument, one sub-account):
  --host <ip> / --port <n>       default 127.0.0.1 / 8082 (0 = any free port)
  --instrument <NAME>            default ETH_USDT_Perp; --instrument-hash (0x030401), --tick-size (0.01), --min-size (0.001)
  --simulate / --mid / --seed    as for deribit
  --api-key <key>                default alp-paper-key; --sub-account <id> (default 1000)
  --signer-key-env <VAR>         environment variable holding the signer private key (default ALP_VENUE_SIM_GRVT_SIGNER_KEY); never printed
  --main-wallet-key-env <VAR>    optional: environment variable holding the main account's wallet key; enables
                                 /auth/wallet/login (how ccxt grvt logs in) and builder approvals; never printed
  --balance <ASSET=amt>          repeatable (default USDT=100000)
`

function parseBalances(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const [asset, amount] = pair.split('=')
    if (!asset || !amount) throw new Error(`bad balance "${pair}": expected ASSET=amount`)
    out[asset] = amount
  }
  return out
}

async function runBinance(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'ws-port': { type: 'string' },
      symbol: { type: 'string', multiple: true },
      simulate: { type: 'boolean', default: false },
      mid: { type: 'string', default: '2681.62' },
      seed: { type: 'string', default: '1' },
      replay: { type: 'string' },
      klines: { type: 'string' },
      speed: { type: 'string', default: '1' },
      'api-key': { type: 'string', default: 'alp-paper-key' },
      'api-secret-env': { type: 'string', default: 'ALP_VENUE_SIM_API_SECRET' },
      balance: { type: 'string', multiple: true },
      'spot-balance': { type: 'string', multiple: true },
      fault: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(USAGE)
    return
  }
  const secretEnv = values['api-secret-env']
  const apiSecret = process.env[secretEnv]
  if (apiSecret === undefined || apiSecret === '') {
    throw new Error(
      `set the API secret in the environment variable ${secretEnv} (it is never read from the command line)`,
    )
  }
  const seed = Number(values.seed)
  const speed = Number(values.speed)
  const symbols = values.symbol ?? ['ETHUSDT']
  let market: BinanceMarketConfig
  if (values.replay !== undefined) market = { kind: 'replay', file: values.replay, speed }
  else if (values.klines !== undefined) market = { kind: 'klines', file: values.klines, speed, seed }
  else market = { kind: 'simulated', midPrice: values.mid, seed }
  const running = await startBinanceEmulator({
    host: values.host,
    port: Number(values.port),
    wsPort: values['ws-port'] === undefined ? undefined : Number(values['ws-port']),
    symbols,
    accounts: [
      {
        apiKey: values['api-key'],
        apiSecret,
        balances: values.balance ? parseBalances(values.balance) : { USDT: '100000' },
        spotBalances: values['spot-balance'] ? parseBalances(values['spot-balance']) : { USDT: '100000', ETH: '10' },
      },
    ],
    market,
    seed,
    faults: parseFaultKnobs(values.fault ?? []),
  })
  process.stdout.write(
    [
      'alp-venue-sim binance emulator running',
      `  REST        ${running.restUrl}   (/fapi/v1/…, /fapi/v2|v3/…, /api/v3/…)`,
      `  WebSocket   ${running.wsUrl}   (/public/ws/<stream>, /market/stream?streams=a/b, /private/ws?listenKey=…, legacy /ws)`,
      `  Admin       ${running.restUrl}/__admin/faults   (GET/POST JSON; see docs/venue-sim.md)`,
      `  Market      ${running.emulator.drivers.map((d) => d.describe()).join(', ')}`,
      `  API key     ${values['api-key']} (secret from $${secretEnv})`,
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  )
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await running.close()
}

async function runFault(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      disconnect: { type: 'string' },
      'expire-listen-keys': { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
    },
  })
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${values.url}${path}`, { method: 'POST', body: JSON.stringify(body) })
    process.stdout.write(`${await res.text()}\n`)
  }
  if (values.reset) await post('/__admin/faults/reset', {})
  if (values.disconnect !== undefined) await post('/__admin/disconnect', { scope: values.disconnect })
  if (values['expire-listen-keys']) await post('/__admin/expire-listen-keys', {})
  if (positionals.length > 0) await post('/__admin/faults', parseFaultKnobs(positionals))
}

async function runUntilSignal(start: Promise<StartedFromArgs>): Promise<void> {
  const started = await start
  process.stdout.write(`${started.banner}  Ctrl-C to stop.\n`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await started.close()
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2)
  if (command === 'binance') await runBinance(rest)
  else if (command === 'deribit') await runUntilSignal(startDeribitFromArgs(rest, process.env))
  else if (command === 'grvt') await runUntilSignal(startGrvtFromArgs(rest, process.env))
  else if (command === 'fault') await runFault(rest)
  else process.stdout.write(USAGE)
}

main().catch((error: unknown) => {
  process.stderr.write(`alp-venue-sim: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
