import { createGrvtConnector, type GrvtConnector, systemClock } from '@alp/exchange-connectors'
import type { RoleConfig } from '../config/loadConfig.js'
import { RuntimeError } from '../errors/base.js'
import { ConfigInvalidError } from '../errors/config.js'
import { locateConfigKey } from './locateConfigKey.js'

/** GRVT's own hosts (docs: ../shared/reference/exchange-protocols.md §3.1), by market-data REST base. */
const KNOWN_HOSTS: Readonly<Record<string, { edge: string; trades: string; tradesWs: string }>> = {
  'https://market-data.grvt.io': {
    edge: 'https://edge.grvt.io',
    trades: 'https://trades.grvt.io',
    tradesWs: 'wss://trades.grvt.io/ws/full',
  },
  'https://market-data.testnet.grvt.io': {
    edge: 'https://edge.testnet.grvt.io',
    trades: 'https://trades.testnet.grvt.io',
    tradesWs: 'wss://trades.testnet.grvt.io/ws/full',
  },
}

export type CreateGrvtConnectorFromConfigErrorType = RuntimeError | ConfigInvalidError

/**
 * The GRVT connector of one exchange from its roles' config: market-data REST `[HTTP_API] HTTP_BASE_URL`, its
 * WebSocket `[WEBSOCKET] WS_PUBLIC_URL` (of the quote-server, else the trading-engine), the trades stream
 * `WS_PRIVATE_URL`, and `[GRVT]` `EDGE_URL` (API-key login), `TRADES_URL` (trading REST), `SUB_ACCOUNT_ID` and
 * `CHAIN_ID` (EIP-712 order signatures) of the trading-engine (else the position-server), with its `API_KEY` and
 * `API_SECRET` (the signing private key). Unset URLs: GRVT's own host set when `HTTP_BASE_URL` is GRVT's market-data
 * host (prod or testnet); otherwise (an emulator, a proxy serving everything on one base) `HTTP_BASE_URL` and
 * `WS_PUBLIC_URL`. Logs in and opens the market-data stream.
 * @throws ConfigInvalidError naming file, section and key when `[GRVT] SUB_ACCOUNT_ID` or `CHAIN_ID` is missing;
 * RuntimeError `VENUE_CONFIG_MISSING` when a URL or the keys are.
 */
export async function createGrvtConnectorFromConfig(roles: readonly RoleConfig[]): Promise<GrvtConnector> {
  const pick = <T>(kinds: readonly string[], get: (role: RoleConfig) => T | null | undefined): T | undefined => {
    for (const kind of kinds) {
      const value = roles
        .filter((role) => role.role === kind)
        .map(get)
        .find((v) => v !== null && v !== undefined)
      if (value !== null && value !== undefined) return value
    }
    return undefined
  }
  const venueKinds = ['quote-server', 'trading-engine', 'position-server'] as const
  const accountKinds = ['trading-engine', 'position-server'] as const
  const missing = (what: string, next: string): RuntimeError =>
    new RuntimeError(`GRVT: no ${what} in the roles of this exchange.`, {
      code: 'VENUE_CONFIG_MISSING',
      metaMessages: [`Next: ${next}`],
    })
  const http = pick(venueKinds, (role) => role.http)
  if (http === undefined) throw missing('HTTP_BASE_URL', 'set [HTTP_API] HTTP_BASE_URL = https://market-data.grvt.io.')
  const marketDataUrl = http.baseUrl.replace(/\/+$/, '')
  const known = KNOWN_HOSTS[marketDataUrl]
  const marketDataWsUrl = pick(venueKinds, (role) => role.websocket?.publicUrl)
  if (marketDataWsUrl === undefined)
    throw missing('WS_PUBLIC_URL', 'set [WEBSOCKET] WS_PUBLIC_URL = wss://market-data.grvt.io/ws/full.')
  const keyed = roles.find(
    (role) =>
      (accountKinds as readonly string[]).includes(role.role) && role.apiKey !== null && role.apiSecret !== null,
  )
  if (keyed?.apiKey == null || keyed.apiSecret === null)
    throw missing('API_KEY / API_SECRET', 'set them (env: or keystore: references) in the trading-engine section.')
  const subAccountId = pick(accountKinds, (role) => role.grvt?.subAccountId)
  const chainId = pick(accountKinds, (role) => role.grvt?.chainId)
  if (subAccountId === undefined || chainId === undefined)
    throw new ConfigInvalidError({
      issues: [
        ...(subAccountId === undefined ? ['SUB_ACCOUNT_ID'] : []),
        ...(chainId === undefined ? ['CHAIN_ID'] : []),
      ].map((key) => ({
        ...locateConfigKey(keyed, 'GRVT', key),
        key,
        message:
          'required to build the GRVT connector from the config (GRVT signs every order for one sub-account and chain)',
      })),
    })
  let nonce = Math.floor(Math.random() * 2 ** 31)
  return createGrvtConnector({
    urls: {
      marketDataUrl,
      marketDataWsUrl,
      edgeUrl: pick(accountKinds, (role) => role.grvt?.edgeUrl) ?? known?.edge ?? marketDataUrl,
      tradesUrl: pick(accountKinds, (role) => role.grvt?.tradesUrl) ?? known?.trades ?? marketDataUrl,
      tradesWsUrl: pick(accountKinds, (role) => role.websocket?.privateUrl) ?? known?.tradesWs ?? marketDataWsUrl,
    },
    apiKey: keyed.apiKey.reveal(),
    signerPrivateKey: keyed.apiSecret.reveal(),
    subAccountId,
    chainId,
    clock: systemClock,
    random: Math.random,
    // The order signature's nonce (uint32): a random start, then one per order.
    nextNonce: () => {
      nonce = (nonce + 1) % 2 ** 32
      return nonce
    },
  })
}
