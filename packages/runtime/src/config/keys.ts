import * as v from 'valibot'
import { LINK_NAMES } from '../transport/portMap.js'

/**
 * Every key of every section but the trader's `[HEDGER.*]` ones (those come from @alp/hedger's `hedgerConfigSchema`, see
 * hedgerSections.ts). One valibot schema per key, from the INI string to the typed value; `doc` is the reference text of
 * docs/deployment.md. The original system's keys keep their names.
 */
export type KeySpec = {
  readonly schema: v.GenericSchema<string, unknown>
  readonly doc: string
  /** Required for these roles (the others may omit it). */
  readonly requiredFor?: readonly RoleKind[]
  /** Value when omitted (already typed). */
  readonly default?: unknown
  /** A secret: only `env:VAR` or `keystore:<file>#<name>` references are accepted. */
  readonly secret?: 'apiKey' | 'walletKey'
}

export type RoleKind = 'lp-manager' | 'quote-server' | 'trading-engine' | 'position-server' | 'trader'
export const ROLE_KINDS: readonly RoleKind[] = [
  'lp-manager',
  'quote-server',
  'trading-engine',
  'position-server',
  'trader',
]
export const VENUE_ROLES: readonly RoleKind[] = ['quote-server', 'trading-engine', 'position-server']
export const EXCHANGES = ['binance', 'deribit', 'grvt'] as const
export type ExchangeName = (typeof EXCHANGES)[number]

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'))
const int = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^-?[0-9]+$/, 'must be an integer'),
    v.transform(Number),
    v.minValue(min, `must be ≥ ${min}`),
    v.maxValue(max, `must be ≤ ${max}`),
  )
const decimal = (min: number, max: number, exclusiveMin = false) =>
  v.pipe(
    v.string(),
    v.regex(/^[0-9]+(\.[0-9]+)?$/, 'must be a decimal number such as 0.02'),
    v.transform(Number),
    exclusiveMin ? v.gtValue(min, `must be > ${min}`) : v.minValue(min, `must be ≥ ${min}`),
    v.maxValue(max, `must be ≤ ${max}`),
  )
const bool = v.pipe(
  v.string(),
  v.transform((text) => text.toLowerCase()),
  v.picklist(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], 'must be true or false'),
  v.transform((text) => text === 'true' || text === '1' || text === 'yes' || text === 'on'),
)
const url = (protocols: readonly string[]) =>
  v.pipe(
    v.string(),
    v.url('must be a URL'),
    v.check(
      (text) => protocols.some((p) => text.startsWith(`${p}://`)),
      `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    ),
  )
const list = v.pipe(
  v.string(),
  v.transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
  v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:\-/]+$/, 'items are names (letters, digits, _ . : - /)'))),
)
const address = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address'))
const endpoint = v.pipe(
  v.string(),
  v.regex(
    /^(tcp:\/\/[^:\s]+:[0-9]{1,5}|ipc:\/\/\S+|inproc:\/\/\S+)$/,
    'must be tcp://host:port, ipc://path or inproc://name',
  ),
)
/** Secret references are checked and resolved by resolveSecretRef; the schema only takes the text. */
const secretRef = v.string()

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const GLOBAL_KEYS: Record<string, KeySpec> = {
  PROCESS_NAME: {
    schema: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)')),
    doc: 'Name of the process in logs, metrics and the journal (unique per deployment).',
    requiredFor: ROLE_KINDS,
  },
  ROLE: {
    schema: v.picklist(ROLE_KINDS, `must be one of ${ROLE_KINDS.join(', ')}`),
    doc: 'The role this file configures (one file per role); in a file with a section per role it comes from the section name.',
  },
  LOG_LEVEL: {
    schema: v.pipe(
      v.string(),
      v.transform((text) => text.toLowerCase()),
      v.picklist(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`),
    ),
    doc: 'trace, debug, info, warn, error, fatal or silent (case-insensitive: the original wrote INFO).',
    default: 'info',
  },
  EXCHANGE_NAME: {
    schema: v.picklist(EXCHANGES, `must be one of ${EXCHANGES.join(', ')}`),
    doc: 'The venue of a quote-server, trading-engine or position-server: binance, deribit or grvt.',
    requiredFor: VENUE_ROLES,
  },
  ASSET_TYPE: {
    schema: v.picklist(
      ['SPOT', 'FUTURES', 'PERPETUAL', 'INVERSE', 'OPTIONS'],
      'must be SPOT, FUTURES, PERPETUAL, INVERSE or OPTIONS',
    ),
    doc: 'The product: SPOT, FUTURES (Binance USDⓈ-M), PERPETUAL (GRVT), INVERSE (Deribit ETH-PERPETUAL) or OPTIONS.',
    default: 'PERPETUAL',
  },
  API_KEY: {
    schema: secretRef,
    doc: 'Venue API key: a reference `env:VAR` or `keystore:<file>#<name>`, never the key itself.',
    requiredFor: ['trading-engine', 'position-server'],
    secret: 'apiKey',
  },
  API_SECRET: {
    schema: secretRef,
    doc: 'Venue API secret (GRVT: the signing private key): a reference `env:VAR` or `keystore:<file>#<name>`.',
    requiredFor: ['trading-engine', 'position-server'],
    secret: 'apiKey',
  },
  DATA_DIR: {
    schema: nonEmpty,
    doc: 'Directory of the journal (`journal.sqlite`) and the pid file, relative to the config file. Default `data`.',
    default: 'data',
  },
  METRICS_HOST: {
    schema: nonEmpty,
    doc: 'Interface of the Prometheus `/metrics` server. Default 127.0.0.1 (loopback only).',
    default: '127.0.0.1',
  },
  METRICS_PORT: {
    schema: int(0, 65_535),
    doc: 'Port of the `/metrics` server; 0 turns it off. Default 9464.',
    default: 9464,
  },
  CONTROL_HOST: {
    schema: nonEmpty,
    doc: 'Interface of the control server (`alp status`, `kill`, `resume`, `stop`; every action needs the token of `<DATA_DIR>/<PROCESS_NAME>.token`). Default 127.0.0.1 (loopback only).',
    default: '127.0.0.1',
  },
  CONTROL_PORT: {
    schema: int(0, 65_535),
    doc: 'Port of the control server; 0 = a free port, written to `<DATA_DIR>/<PROCESS_NAME>.control.json`. Default 0.',
    default: 0,
  },
  TRANSPORT: {
    schema: v.picklist(['auto', 'inproc', 'zmq'], 'must be auto, inproc or zmq'),
    doc: 'The bus between the roles: `inproc` (one process), `zmq` (ZeroMQ on the port map and [PUBLISHERS]/[SUBSCRIBERS]), `auto` = inproc when the process runs every role of the config, zmq when `--roles` selects a subset. Default auto.',
    default: 'auto',
  },
  ALERT_WEBHOOK_URL: {
    schema: secretRef,
    doc: 'Alerts (kill, halts, a venue or the RPC down, loss, a failed rebalance, a failed start-up reconciliation) to this webhook: a reference `env:VAR` or `keystore:<file>#<name>` (Slack and Telegram URLs carry a token). Absent: no alerts.',
    secret: 'apiKey',
  },
  ALERT_FORMAT: {
    schema: v.picklist(['generic', 'slack', 'telegram'], 'must be generic, slack or telegram'),
    doc: 'The webhook body: `generic` (the alert as JSON), `slack` (`{ text }`: Slack, Mattermost, Discord /slack) or `telegram` (Bot API sendMessage). Default generic.',
    default: 'generic',
  },
  ALERT_TELEGRAM_CHAT_ID: {
    schema: nonEmpty,
    doc: 'Telegram: the chat the bot posts to (with ALERT_FORMAT = telegram).',
  },
  ALERT_DOWN_AFTER_MS: {
    schema: int(1_000, 86_400_000),
    doc: 'A venue disconnected, or the LP manager failing every step (RPC down), this long before it alerts. Default 60000.',
    default: 60_000,
  },
  ALERT_LOSS_USD: {
    schema: decimal(0, 1e12),
    doc: 'Alert when the PnL falls below minus this many USD (0 = off). Default 0.',
    default: 0,
  },
  ALERT_DEDUP_MS: {
    schema: int(0, 86_400_000),
    doc: 'Alerts with the same key within this window are counted, not sent again. Default 300000.',
    default: 300_000,
  },
  ALERT_MAX_PER_MINUTE: {
    schema: int(1, 1_000),
    doc: 'At most this many webhook messages a minute; the rest arrive as one summary. Default 10.',
    default: 10,
  },
  PNL_SNAPSHOT_MS: {
    schema: int(1_000, 86_400_000),
    doc: 'Trader: a PnL snapshot (portfolio value, hold value, LP fees, hedge PnL, fees paid, net exposure) is journaled every this many milliseconds, and at stop. Default 60000.',
    default: 60_000,
  },
}

/** `[PUBLISHERS]` / `[SUBSCRIBERS]`: one key per link of the port map (docs/deployment-transport.md), SCREAMING_SNAKE. */
export const LINK_KEYS: Record<string, KeySpec> = Object.fromEntries(
  LINK_NAMES.map((link) => [
    toScreamingSnake(link),
    { schema: endpoint, doc: `Endpoint of the ${link} link (overrides the port map).` } satisfies KeySpec,
  ]),
)

export const HTTP_API_KEYS: Record<string, KeySpec> = {
  HTTP_BASE_URL: {
    schema: url(['http', 'https']),
    doc: 'REST base URL of the venue (e.g. https://fapi.binance.com, https://www.deribit.com, https://market-data.grvt.io).',
    requiredFor: VENUE_ROLES,
  },
  HTTP_TIMEOUT_MS: { schema: int(1, 600_000), doc: 'REST timeout, milliseconds. Default 5000.', default: 5_000 },
}

export const WEBSOCKET_KEYS: Record<string, KeySpec> = {
  WS_PUBLIC_URL: {
    schema: url(['ws', 'wss']),
    doc: 'Public market-data WebSocket URL.',
    requiredFor: ['quote-server'],
  },
  WS_PRIVATE_URL: {
    schema: url(['ws', 'wss']),
    doc: 'Private (user data) WebSocket URL (GRVT: the trades stream; default wss://trades.grvt.io/ws/full for GRVT’s own hosts, else WS_PUBLIC_URL).',
  },
  ENABLE_PRIVATE_WEBSOCKET: {
    schema: bool,
    doc: 'Open the private stream (true/false). Default false.',
    default: false,
  },
  PRIVATE_CHANNELS: { schema: list, doc: 'Comma-separated private channels (e.g. orders, positions).', default: [] },
}

export const MARKET_DATA_KEYS: Record<string, KeySpec> = {
  SYMBOLS: {
    schema: v.pipe(list, v.minLength(1, 'must name at least one symbol')),
    doc: 'Comma-separated venue symbols (e.g. ETHUSDT; ETH-PERPETUAL; ETH_USDT_Perp).',
    requiredFor: VENUE_ROLES,
  },
  COLLECT_TICKER: { schema: bool, doc: 'Publish tickers (true/false). Default true.', default: true },
  COLLECT_ORDERBOOK: { schema: bool, doc: 'Publish order books (true/false). Default true.', default: true },
}

export const LP_KEYS: Record<string, KeySpec> = {
  RPC_URL: {
    schema: url(['http', 'https', 'ws', 'wss']),
    doc: 'JSON-RPC URL of the chain.',
    requiredFor: ['lp-manager'],
  },
  CHAIN_ID: {
    schema: int(1, 2 ** 53 - 1),
    doc: 'Chain id the RPC must report (1 = Ethereum mainnet, 31337 = anvil).',
    requiredFor: ['lp-manager'],
  },
  POOL_ADDRESS: { schema: address, doc: 'The Uniswap v3 pool.', requiredFor: ['lp-manager'] },
  POSITION_MANAGER_ADDRESS: { schema: address, doc: 'The NonfungiblePositionManager.', requiredFor: ['lp-manager'] },
  WALLET_KEY: {
    schema: secretRef,
    doc: 'The LP wallet: `env:VAR` (0x + 64 hex digits) or `keystore:<file>` (an ethers JSON keystore, password in ALP_KEYSTORE_PASSWORD).',
    requiredFor: ['lp-manager'],
    secret: 'walletKey',
  },
  BASE_SPREAD: {
    schema: decimal(0, 1, true),
    doc: 'Base half-width of the range, fraction (0.02 = ±2 %). Default 0.02.',
    default: 0.02,
  },
  REBALANCE_THRESHOLD: {
    schema: decimal(0, 1, true),
    doc: 'Rebalance when the inventory drifts by this fraction of value. Default 0.10.',
    default: 0.1,
  },
  FEE_TIER: {
    schema: v.pipe(decimal(0, 1), v.picklist([0.0001, 0.0005, 0.003, 0.01], 'must be 0.0001, 0.0005, 0.003 or 0.01')),
    doc: 'Pool fee as a fraction (0.0005 = 0.05 %, 500 pips). Default 0.0005.',
    default: 0.0005,
  },
  MODEL_TYPE: {
    schema: v.picklist(['GLFT', 'AS'], 'must be GLFT or AS'),
    doc: 'GLFT or AS. Default GLFT.',
    default: 'GLFT',
  },
  CONFIRMATIONS: { schema: int(0, 64), doc: 'Blocks to wait after each transaction. Default 1.', default: 1 },
  MAX_FEE_PER_GAS_GWEI: {
    schema: decimal(0, 100_000, true),
    doc: 'Cap on maxFeePerGas, gwei: a transaction that would pay more waits. Default 100.',
    default: 100,
  },
  BASE_TOKEN: {
    schema: address,
    doc: 'The pool token that is hedged (its address; token0 or token1 of the pool, e.g. WETH). Needed to build the LP manager from the config.',
  },
  TARGET_BASE_SHARE: {
    schema: decimal(0, 1, true),
    doc: 'Inventory target: share of the value held in the base token. Default 0.5.',
    default: 0.5,
  },
  SWAP_ROUTER_ADDRESS: {
    schema: address,
    doc: 'The v3 SwapRouter (only a rebalance with a swap uses it; the manager’s plans swap nothing today).',
  },
  QUOTER_V2_ADDRESS: {
    schema: address,
    doc: 'The v3 QuoterV2 (the minimum output of a rebalance swap).',
  },
  MULTICALL3_ADDRESS: {
    schema: v.union([address, v.literal('none')], 'must be a 0x-prefixed 20-byte address or none'),
    doc: 'Multicall3 for the batched holdings reads; `none`: one eth_call per read. Default the canonical 0xcA11bde05977b3631167028862bE2a173976CA11 when it has code.',
  },
  SLIPPAGE_BPS: {
    schema: int(0, 10_000),
    doc: 'Minimum amounts of every LP transaction: the planned amounts less this many basis points. Default 50.',
    default: 50,
  },
  DEADLINE_SEC: {
    schema: int(1, 86_400),
    doc: 'Transaction deadline, seconds after the latest block’s timestamp. Default 600.',
    default: 600,
  },
  TWAP_WINDOW_SEC: {
    schema: int(1, 86_400),
    doc: 'TWAP guard: window of the pool oracle’s mean tick, seconds (the pool’s observation cardinality must cover it). Default 600.',
    default: 600,
  },
  TWAP_MAX_DEVIATION_TICKS: {
    schema: int(0, 887_272),
    doc: 'TWAP guard: refuse to act when the spot tick is further than this from the TWAP tick. Default 100.',
    default: 100,
  },
  GAS_LIMIT_PADDING_BPS: {
    schema: int(0, 100_000),
    doc: 'Gas limit = eth_estimateGas × (1 + this / 10 000). Default 3000.',
    default: 3_000,
  },
  RECEIPT_TIMEOUT_MS: {
    schema: int(1_000, 3_600_000),
    doc: 'How long to wait for a receipt after a broadcast, ms (then the outcome is unknown and the plan resumes from the chain). Default 180000.',
    default: 180_000,
  },
  RECEIPT_POLL_INTERVAL_MS: {
    schema: int(10, 60_000),
    doc: 'Receipt polling interval, ms. Default 1000.',
    default: 1_000,
  },
  REPLACE_AFTER_MS: {
    schema: int(1, 3_600_000),
    doc: 'Replace a transaction not mined after this long (same nonce, fees +10 % + 1 wei, capped by MAX_FEE_PER_GAS_GWEI); below RECEIPT_TIMEOUT_MS. Default 60000.',
    default: 60_000,
  },
  MAX_FEE_WAIT_MS: {
    schema: int(0, 86_400_000),
    doc: 'When the chain needs more than MAX_FEE_PER_GAS_GWEI: 0 fails at once, more waits (polling every 5 s) up to this long, then fails. Default 0.',
    default: 0,
  },
  MIN_GAIN_TO_GAS_RATIO: {
    schema: decimal(0, 1_000),
    doc: 'Gas vs gain: rebalance only when the expected fee gain (trailing hour × 24) ≥ this × the gas cost. Default 1.',
    default: 1,
  },
  GAS_UNITS_MINT: {
    schema: int(1, 30_000_000),
    doc: 'Gas vs gain: the gas units the check prices per mint (a rebalance is burn + collect per position held and two mints). The backtester’s `gasUsed.mint`; `alp paper` writes its strategy’s. Default 500000.',
    default: 500_000,
  },
  GAS_UNITS_BURN: {
    schema: int(1, 30_000_000),
    doc: 'Gas vs gain: the gas units priced per burn (decreaseLiquidity). The backtester’s `gasUsed.burn`. Default 200000.',
    default: 200_000,
  },
  GAS_UNITS_COLLECT: {
    schema: int(1, 30_000_000),
    doc: 'Gas vs gain: the gas units priced per collect. The backtester’s `gasUsed.collect`. Default 150000.',
    default: 150_000,
  },
  MIN_REBALANCE_INTERVAL_MS: {
    schema: int(0, 7 * 86_400_000),
    doc: 'Least time between two rebalances, ms. Default 3600000 (1 h).',
    default: 3_600_000,
  },
  STEP_INTERVAL_MS: {
    schema: int(10, 3_600_000),
    doc: 'Polling interval of the LP manager’s steps (sync, holdings, decision), ms. Default 2000.',
    default: 2_000,
  },
  RPC_TIMEOUT_MS: {
    schema: int(100, 600_000),
    doc: 'Timeout of each JSON-RPC read, ms. Default 10000.',
    default: 10_000,
  },
  MAX_BLOCK_RANGE: {
    schema: int(1, 100_000),
    doc: 'Most blocks per eth_getLogs (providers cap it). Default 500.',
    default: 500,
  },
  PLAN_STORE_PATH: {
    schema: nonEmpty,
    doc: 'The persisted rebalance plan (resumed after a crash), relative to the config file. Default `<DATA_DIR>/rebalance-plan.json`.',
  },
  CHECKPOINT_PATH: {
    schema: nonEmpty,
    doc: 'The LP manager’s checkpoint (ledger, policy state), relative to the config file. Default `<DATA_DIR>/lp-manager-checkpoint.json`.',
  },
  OBSERVE_ONLY: {
    schema: bool,
    doc: 'true: follow the pool and publish the inventory, never send a transaction. Default false.',
    default: false,
  },
}

/** `[GRVT]` of a GRVT venue role (`EXCHANGE_NAME = grvt`): what GRVT's signed orders and its split hosts need. */
export const GRVT_KEYS: Record<string, KeySpec> = {
  SUB_ACCOUNT_ID: {
    schema: v.pipe(v.string(), v.regex(/^[0-9]{1,20}$/, 'must be the numeric sub-account id')),
    doc: 'GRVT trading sub-account id (numeric, as GRVT shows it). Needed to build the GRVT connector from the config (trading-engine or position-server).',
  },
  CHAIN_ID: {
    schema: int(1, 2 ** 31 - 1),
    doc: 'Chain id of GRVT’s EIP-712 order signatures: 325 prod, 326 testnet. Needed to build the GRVT connector from the config (trading-engine or position-server).',
  },
  EDGE_URL: {
    schema: url(['http', 'https']),
    doc: 'GRVT auth (API-key login) base. Default https://edge.grvt.io (edge.testnet.grvt.io) when HTTP_BASE_URL is GRVT’s own market-data host, else HTTP_BASE_URL.',
  },
  TRADES_URL: {
    schema: url(['http', 'https']),
    doc: 'GRVT trading REST base. Default https://trades.grvt.io (trades.testnet.grvt.io) when HTTP_BASE_URL is GRVT’s own market-data host, else HTTP_BASE_URL.',
  },
}

/** Sections a role may have (besides the trader's [HEDGER.*]), with their keys. */
export const SECTIONS_BY_ROLE: Record<RoleKind, Record<string, Record<string, KeySpec>>> = {
  'lp-manager': { GLOBAL: GLOBAL_KEYS, PUBLISHERS: LINK_KEYS, SUBSCRIBERS: LINK_KEYS, LP: LP_KEYS },
  'quote-server': venueSections(),
  'trading-engine': venueSections(),
  'position-server': venueSections(),
  trader: { GLOBAL: GLOBAL_KEYS, PUBLISHERS: LINK_KEYS, SUBSCRIBERS: LINK_KEYS },
}

function venueSections(): Record<string, Record<string, KeySpec>> {
  return {
    GLOBAL: GLOBAL_KEYS,
    PUBLISHERS: LINK_KEYS,
    SUBSCRIBERS: LINK_KEYS,
    HTTP_API: HTTP_API_KEYS,
    WEBSOCKET: WEBSOCKET_KEYS,
    MARKET_DATA: MARKET_DATA_KEYS,
    GRVT: GRVT_KEYS,
  }
}

/** `gammaPerPrice` → `GAMMA_PER_PRICE`, `marketData` → `MARKET_DATA`. */
export function toScreamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
}
