import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Emulator-only keys (not real credentials), Binance's 64-character format. */
export const HEDGER_KEYS = {
  apiKey: 'dEpLoYmEnTtEsThEdGeRkEy0000000000000000000000000000000000000001',
  apiSecret: 'dEpLoYmEnTtEsThEdGeRsEcReT000000000000000000000000000000000001',
}
export const TAKER_KEYS = {
  apiKey: 'dEpLoYmEnTtEsTtAkErKeY00000000000000000000000000000000000000002',
  apiSecret: 'dEpLoYmEnTtEsTtAkErSeCrEt0000000000000000000000000000000000002',
}
export const DEPLOYMENT_ENV = {
  BN_KEY: HEDGER_KEYS.apiKey,
  BN_SECRET: HEDGER_KEYS.apiSecret,
  LP_KEY: `0x${'59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'}`,
}

/**
 * The deployment's INI (one file, a section per role) against a Binance USDⓈ-M emulator and an anvil pool: quote-server,
 * trading-engine and position-server of binance, the trader (the live hedge test's parameters) and, when `lp` is
 * given, the lp-manager.
 */
export function writeDeploymentIni(
  dir: string,
  venue: { restUrl: string; wsUrl: string },
  options: {
    lp?: { rpcUrl: string; pool: string; positionManager: string }
    metricsPort?: number
    /** [GLOBAL] TRANSPORT of every role (default: not written, i.e. auto). */
    transport?: 'inproc' | 'zmq'
  } = {},
): string {
  const file = join(dir, 'alp.ini')
  const venueRole = (role: string, keys: boolean) => `[binance.${role}]
PROCESS_NAME = binance_${role.replace('-', '_')}
ASSET_TYPE = FUTURES
METRICS_PORT = 0
${options.transport === undefined ? '' : `TRANSPORT = ${options.transport}\n`}${keys ? 'API_KEY = env:BN_KEY\nAPI_SECRET = env:BN_SECRET\n' : ''}[binance.${role}.HTTP_API]
HTTP_BASE_URL = ${venue.restUrl}
HTTP_TIMEOUT_MS = 2000
[binance.${role}.WEBSOCKET]
WS_PUBLIC_URL = ${venue.wsUrl}/public
[binance.${role}.MARKET_DATA]
SYMBOLS = ETHUSDT
`
  const lp = options.lp
  writeFileSync(
    file,
    `${venueRole('quote-server', false)}
${venueRole('trading-engine', true)}
${venueRole('position-server', true)}
[trader]
PROCESS_NAME = trader
DATA_DIR = ${join(dir, 'data')}
${options.transport === undefined ? '' : `TRANSPORT = ${options.transport}\n`}METRICS_PORT = ${options.metricsPort ?? 0}
[trader.HEDGER.HEDGE]
ORDER_SIZE_BASE = 0.1
[trader.HEDGER.CALIBRATION.VOLATILITY]
HALF_LIFE_MS = 5000
WARM_UP_MS = 0
MIN_INCREMENTS = 1
[trader.HEDGER.CALIBRATION.INTENSITY]
MODE = fixed
A_PER_SEC = 1
K_PER_PRICE = 2
[trader.HEDGER.RISK]
BASIS_SAMPLE_MS = 50
MAX_BASIS_BPS = 100
RESUME_BASIS_BPS = 50
MIN_CORRELATION = -1
[trader.HEDGER.VENUE.binance-usdm]
TICK_SIZE = 0.01
STEP_SIZE = 0.001
MAKER_FEE_BPS = 2
MIN_NOTIONAL_QUOTE = 20
MAX_POSITION_BASE = 2
MAX_ORDER_SIZE_BASE = 1
STALE_AFTER_MS = 600000
DEAD_MAN_TIMEOUT_MS = 5000
DEAD_MAN_REARM_MS = 500
RATE_LIMIT_CAPACITY = 20
RATE_LIMIT_REFILL_PER_SEC = 20
${
  lp === undefined
    ? ''
    : `
[lp-manager]
PROCESS_NAME = lp_manager
METRICS_PORT = 0
${options.transport === undefined ? '' : `TRANSPORT = ${options.transport}\n`}[lp-manager.LP]
RPC_URL = ${lp.rpcUrl}
CHAIN_ID = 31337
POOL_ADDRESS = ${lp.pool}
POSITION_MANAGER_ADDRESS = ${lp.positionManager}
WALLET_KEY = env:LP_KEY
`
}`,
  )
  return file
}
