import { createDeribitConnector, type DeribitConnector, systemClock } from '@alp/exchange-connectors'
import type { RoleConfig } from '../config/loadConfig.js'
import { RuntimeError } from '../errors/base.js'

/**
 * The Deribit connector of one exchange from its roles' config: `[WEBSOCKET] WS_PUBLIC_URL` (Deribit serves market
 * data and trading on one JSON-RPC WebSocket: `wss://www.deribit.com/ws/api/v2`, or an emulator's), `HTTP_TIMEOUT_MS`
 * as the request timeout, the client id and secret from `API_KEY` / `API_SECRET` of the trading-engine (else the
 * position-server). Cancel-on-disconnect stays on.
 */
export async function createDeribitConnectorFromConfig(roles: readonly RoleConfig[]): Promise<DeribitConnector> {
  const wsUrl =
    roles.map((role) => role.websocket?.publicUrl).find((url) => url !== null && url !== undefined) ??
    roles.map((role) => role.websocket?.privateUrl).find((url) => url !== null && url !== undefined)
  if (wsUrl === undefined)
    throw new RuntimeError('Deribit: no WS_PUBLIC_URL in the roles of this exchange.', {
      code: 'VENUE_CONFIG_MISSING',
      metaMessages: [
        'Next: set [WEBSOCKET] WS_PUBLIC_URL = wss://www.deribit.com/ws/api/v2 in the quote-server section.',
      ],
    })
  const keyed =
    roles.find((role) => role.role === 'trading-engine' && role.apiKey && role.apiSecret) ??
    roles.find((role) => role.role === 'position-server' && role.apiKey && role.apiSecret)
  const timeoutMs = roles.map((role) => role.http?.timeoutMs).find((ms) => ms !== undefined)
  let nonce = 0
  return createDeribitConnector({
    wsUrl,
    credentials:
      keyed?.apiKey && keyed.apiSecret
        ? { clientId: keyed.apiKey.reveal(), clientSecret: keyed.apiSecret.reveal() }
        : undefined,
    clock: systemClock,
    random: Math.random,
    nonce: () => `${Date.now().toString(36)}${(++nonce).toString(36)}`,
    requestTimeoutMs: timeoutMs,
  })
}
