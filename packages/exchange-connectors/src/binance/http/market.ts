import { parseDepthSnapshot } from '../parse/parseDepthUpdate.js'
import type { DepthSnapshotWire } from '../schemas/depth.js'
import { asObject, readArray, readInteger } from '../schemas/fields.js'
import type { ExchangeInfoWire } from '../schemas/rest.js'
import { BINANCE_PATHS, type BinanceProduct } from '../urls.js'
import type { BinanceHttpClient } from './client.js'

/** Depth snapshot weight by limit (USDⓈ-M: 5,10,20,50 → 2; 100 → 5; 500 → 10; 1000 → 20. Spot: ≤100 → 5, ≤500 → 25, ≤1000 → 50, 5000 → 250). */
export function depthSnapshotWeight(product: BinanceProduct, limit: number): number {
  if (product === 'usdm') return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
}

/** `GET /fapi/v1/depth` / `GET /api/v3/depth`. */
export async function getDepthSnapshot(
  client: BinanceHttpClient,
  product: BinanceProduct,
  symbol: string,
  limit: number,
): Promise<DepthSnapshotWire> {
  const { body } = await client.request<unknown>({
    method: 'GET',
    path: BINANCE_PATHS[product].depth,
    params: [
      ['symbol', symbol],
      ['limit', String(limit)],
    ],
    security: 'NONE',
    cost: { weight: depthSnapshotWeight(product, limit) },
    retry: 'safe',
  })
  return parseDepthSnapshot(body, client.venue)
}

/** `GET …/exchangeInfo` (validated envelope; symbols parsed by `parseInstrument`). */
export async function getExchangeInfo(client: BinanceHttpClient, product: BinanceProduct): Promise<ExchangeInfoWire> {
  const { body } = await client.request<unknown>({
    method: 'GET',
    path: BINANCE_PATHS[product].exchangeInfo,
    security: 'NONE',
    cost: { weight: product === 'usdm' ? 1 : 20 },
    retry: 'safe',
  })
  const o = asObject(body, 'exchangeInfo', client.venue)
  readInteger(o, 'serverTime', client.venue)
  readArray(o, 'rateLimits', client.venue)
  readArray(o, 'symbols', client.venue)
  return o as unknown as ExchangeInfoWire
}
