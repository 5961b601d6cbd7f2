import {
  BINANCE_SPOT_MAINNET,
  BINANCE_USDM_MAINNET,
  BINANCE_USDM_TESTNET,
  type BinanceConnector,
  type BinanceUrls,
  binanceUrlsFromBases,
  createBinanceConnector,
  systemClock,
} from '@alp/exchange-connectors'
import type { RoleConfig } from '../config/loadConfig.js'
import { RuntimeError } from '../errors/base.js'

const KNOWN: readonly BinanceUrls[] = [BINANCE_USDM_MAINNET, BINANCE_USDM_TESTNET, BINANCE_SPOT_MAINNET]

/**
 * The Binance connector of one exchange from its roles' config: `[HTTP_API] HTTP_BASE_URL`, `HTTP_TIMEOUT_MS` and
 * `[WEBSOCKET] WS_PUBLIC_URL` (of the quote-server, else the trading-engine), the product from `ASSET_TYPE`
 * (`SPOT` → spot, otherwise USDⓈ-M), the credentials of the trading-engine (else the position-server). A REST base of
 * Binance's own (mainnet, testnet) takes Binance's URL set; any other (an emulator, a proxy) serves every stream under
 * the WebSocket base (USDⓈ-M: `WS_PUBLIC_URL` without its `/public` suffix gets `/public`, `/market`, `/private`).
 */
export async function createBinanceConnectorFromConfig(roles: readonly RoleConfig[]): Promise<BinanceConnector> {
  const pick = <T>(get: (role: RoleConfig) => T | null | undefined): T | undefined => {
    for (const kind of ['quote-server', 'trading-engine', 'position-server'] as const) {
      const value = roles
        .filter((role) => role.role === kind)
        .map(get)
        .find((v) => v !== null && v !== undefined)
      if (value !== null && value !== undefined) return value
    }
    return undefined
  }
  const http = pick((role) => role.http)
  const wsPublicUrl = pick((role) => role.websocket?.publicUrl)
  const first = roles[0]
  if (http === undefined || first === undefined)
    throw new RuntimeError('Binance: no HTTP_BASE_URL in the roles of this exchange.', {
      code: 'VENUE_CONFIG_MISSING',
      metaMessages: ['Next: set [HTTP_API] HTTP_BASE_URL in the quote-server or trading-engine section.'],
    })
  const product = first.assetType === 'SPOT' ? 'spot' : 'usdm'
  const restUrl = http.baseUrl.replace(/\/+$/, '')
  let urls = KNOWN.find((known) => known.restUrl === restUrl)
  if (urls === undefined) {
    if (wsPublicUrl === undefined)
      throw new RuntimeError('Binance: no WS_PUBLIC_URL for a REST base that is not Binance’s own.', {
        code: 'VENUE_CONFIG_MISSING',
        metaMessages: ['Next: set [WEBSOCKET] WS_PUBLIC_URL in the quote-server section.'],
      })
    const wsBase = wsPublicUrl.replace(/\/+$/, '').replace(/\/public$/, '')
    urls = binanceUrlsFromBases(product, restUrl, wsBase)
  }
  const keyed =
    roles.find((role) => role.role === 'trading-engine' && role.apiKey && role.apiSecret) ??
    roles.find((role) => role.role === 'position-server' && role.apiKey && role.apiSecret)
  const credentials =
    keyed?.apiKey && keyed.apiSecret
      ? { apiKey: keyed.apiKey.reveal(), apiSecret: keyed.apiSecret.reveal() }
      : undefined
  const symbol = pick((role) => role.marketData?.symbols[0])
  return createBinanceConnector(
    {
      product,
      urls,
      credentials,
      clock: systemClock,
      random: Math.random,
      httpTimeoutMs: http.timeoutMs,
    },
    symbol === undefined ? [] : [symbol],
  )
}
