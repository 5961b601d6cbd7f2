import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The emulator-only credentials of one soak run, generated when it starts (nothing is committed): the Binance
 * emulator's account (API key and secret, Binance's 64-character format) and the roles soak's LP wallet key (never
 * used to sign: its RPC is not dialled). The bench hands them to its child processes through the environment, where
 * the soak's INI refers to them (`API_SECRET = env:SOAK_BN_SECRET`) as a deployment's config reads its secrets; the
 * values sit in private fields (not shown by `util.inspect` or `JSON.stringify`).
 */
export class SoakCredentials {
  readonly #apiKey = randomBytes(32).toString('hex')
  readonly #apiSecret = randomBytes(32).toString('hex')
  readonly #lpWalletKey = `0x${randomBytes(32).toString('hex')}`

  /** The child processes' environment additions: the names the INI's `env:` references and the emulator read. */
  env(): Record<'SOAK_BN_KEY' | 'SOAK_BN_SECRET' | 'SOAK_LP_KEY', string> {
    return { SOAK_BN_KEY: this.#apiKey, SOAK_BN_SECRET: this.#apiSecret, SOAK_LP_KEY: this.#lpWalletKey }
  }

  toJSON(): string {
    return 'SoakCredentials (hidden)'
  }
}

/** A soak run's credentials, fresh random values on every call. */
export function createSoakCredentials(): SoakCredentials {
  return new SoakCredentials()
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
