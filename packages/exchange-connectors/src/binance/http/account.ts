import type { Balance, Position } from '../../common/types/account.js'
import { parseFuturesBalances, parsePositionRisk, parseSpotBalances } from '../parse/parseAccount.js'
import { asObject, readString } from '../schemas/fields.js'
import { BINANCE_PATHS, type BinanceProduct } from '../urls.js'
import type { BinanceHttpClient } from './client.js'

/** `GET /fapi/v3/positionRisk`. */
export async function getPositionRisk(client: BinanceHttpClient, symbol?: string): Promise<Position[]> {
  const { body } = await client.request<unknown>({
    method: 'GET',
    path: BINANCE_PATHS.usdm.positionRisk,
    params: symbol ? [['symbol', symbol]] : [],
    security: 'SIGNED',
    cost: { weight: 5 },
    retry: 'safe',
  })
  return parsePositionRisk(body, client.venue)
}

/** `GET /fapi/v3/balance` (USDⓈ-M, available = availableBalance) or `GET /api/v3/account` (spot). */
export async function getBalances(client: BinanceHttpClient, product: BinanceProduct): Promise<Balance[]> {
  const { body } = await client.request<unknown>({
    method: 'GET',
    path: product === 'usdm' ? BINANCE_PATHS.usdm.balance : BINANCE_PATHS.spot.account,
    security: 'SIGNED',
    cost: { weight: product === 'usdm' ? 5 : 20 },
    retry: 'safe',
  })
  return product === 'usdm' ? parseFuturesBalances(body, client.venue) : parseSpotBalances(body, client.venue)
}

/** USDⓈ-M `POST /fapi/v1/listenKey` (returns the account's active key, extended, or a new one). */
export async function createListenKey(client: BinanceHttpClient): Promise<string> {
  const { body } = await client.request<unknown>({
    method: 'POST',
    path: BINANCE_PATHS.usdm.listenKey,
    security: 'API_KEY',
    cost: { weight: 1 },
    retry: 'safe',
  })
  return readString(asObject(body, 'listenKey', client.venue), 'listenKey', client.venue)
}

/** USDⓈ-M `PUT /fapi/v1/listenKey` (keep-alive; `-1125` → `ListenKeyExpiredError`). */
export async function keepAliveListenKey(client: BinanceHttpClient): Promise<void> {
  await client.request<unknown>({
    method: 'PUT',
    path: BINANCE_PATHS.usdm.listenKey,
    security: 'API_KEY',
    cost: { weight: 1 },
    retry: 'safe',
  })
}
