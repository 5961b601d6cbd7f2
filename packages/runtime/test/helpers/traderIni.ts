/**
 * The `[trader]` sections of the single-venue deployment tests: the journal under `dataDir`, 0.1 ETH orders, a
 * volatility estimator ready at once, fixed intensity, a loose basis guard, and `[trader.HEDGER.VENUE.<venue>]` with
 * the venue's grid (`venueKeys`: TICK_SIZE, STEP_SIZE, …, one `KEY = value` a line) followed by the limits every
 * such test uses (2 ETH position, 1 ETH order, data stale after 10 min, 20 order actions a second).
 */
export function traderIni(p: { readonly dataDir: string; readonly venue: string; readonly venueKeys: string }): string {
  return `[trader]
PROCESS_NAME = trader
DATA_DIR = ${p.dataDir}
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
[trader.HEDGER.VENUE.${p.venue}]
${p.venueKeys.trim()}
MAX_POSITION_BASE = 2
MAX_ORDER_SIZE_BASE = 1
STALE_AFTER_MS = 600000
RATE_LIMIT_CAPACITY = 20
RATE_LIMIT_REFILL_PER_SEC = 20
`
}
