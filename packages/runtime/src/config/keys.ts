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
  WS_PRIVATE_URL: { schema: url(['ws', 'wss']), doc: 'Private (user data) WebSocket URL.' },
  ENABLE_PRIVATE_WEBSOCKET: {
    schema: bool,
    doc: 'Open the private stream (true/false). Default false.',
    default: false,
  },
  PRIVATE_CHANNELS: { schema: list, doc: 'Comma-separated private channels (e.g. orders, positions).', default: [] },
}

export const MARKET_DATA_KEYS: Record<string, KeySpec> = {
  SYMBOLS: {
    schema: list,
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
  }
}

/** `gammaPerPrice` → `GAMMA_PER_PRICE`, `marketData` → `MARKET_DATA`. */
export function toScreamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
}
