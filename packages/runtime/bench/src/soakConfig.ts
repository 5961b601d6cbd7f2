import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Emulator-only keys (not real credentials), Binance's 64-character format. */
export const SOAK_KEYS = {
  apiKey: 'sOaKbEnChHeDgErKeY000000000000000000000000000000000000000000001',
  apiSecret: 'sOaKbEnChHeDgErSeCrEt0000000000000000000000000000000000000000001',
}
export const SOAK_ENV = {
  SOAK_BN_KEY: SOAK_KEYS.apiKey,
  SOAK_BN_SECRET: SOAK_KEYS.apiSecret,
  SOAK_LP_KEY: `0x${'59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'}`,
}

/**
 * The soak deployment's INI, one file with a section per role: binance quote-server, trading-engine and
 * position-server on the emulator, the trader (the live hedge test's parameters, the hedger's default order rate limit:
 * 10 orders, 5 per second) and the lp-manager (its LP manager is
 * the soak's inventory stream, passed from code: the `[LP]` keys are required by the config but not dialled).
 */
export function writeSoakIni(dir: string, venue: { restUrl: string; wsUrl: string }): string {
  const file = join(dir, 'alp.ini')
  const venueRole = (role: string, keys: boolean) => `[binance.${role}]
PROCESS_NAME = binance_${role.replace('-', '_')}
ASSET_TYPE = FUTURES
METRICS_PORT = 0
${keys ? 'API_KEY = env:SOAK_BN_KEY\nAPI_SECRET = env:SOAK_BN_SECRET\n' : ''}[binance.${role}.HTTP_API]
HTTP_BASE_URL = ${venue.restUrl}
HTTP_TIMEOUT_MS = 5000
[binance.${role}.WEBSOCKET]
WS_PUBLIC_URL = ${venue.wsUrl}/public
[binance.${role}.MARKET_DATA]
SYMBOLS = ETHUSDT
`
  writeFileSync(
    file,
    `${venueRole('quote-server', false)}
${venueRole('trading-engine', true)}
${venueRole('position-server', true)}
[trader]
PROCESS_NAME = trader
DATA_DIR = ${join(dir, 'data')}
METRICS_PORT = 0
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
STALE_AFTER_MS = 60000
DEAD_MAN_TIMEOUT_MS = 5000
DEAD_MAN_REARM_MS = 500

[lp-manager]
PROCESS_NAME = lp_manager
[lp-manager.LP]
RPC_URL = http://127.0.0.1:9
CHAIN_ID = 31337
POOL_ADDRESS = 0x0000000000000000000000000000000000000001
POSITION_MANAGER_ADDRESS = 0x0000000000000000000000000000000000000002
WALLET_KEY = env:SOAK_LP_KEY
`,
  )
  return file
}
