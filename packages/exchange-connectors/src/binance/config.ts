import type { BackoffPolicy } from '../common/backoff.js'
import type { Clock } from '../common/clock.js'
import { type BinanceCredentials, protectCredentials } from './credentials.js'
import type { BinanceProduct, BinanceUrls } from './urls.js'

/** Everything a Binance connector needs; no hidden defaults for what matters (urls, product, clock, random). */
export type BinanceConnectorConfig = {
  product: BinanceProduct
  urls: BinanceUrls
  credentials?: BinanceCredentials | undefined
  clock: Clock
  /** Uniform [0, 1) for backoff jitter. */
  random: () => number
  /** recvWindow for signed requests (ms). Default 5000. */
  recvWindowMs?: number
  /** REST timeout (ms). Default 5000. */
  httpTimeoutMs?: number
  backoff?: BackoffPolicy
  /** Proactive WebSocket reconnect age (ms). Default 23.5 h (Binance drops at 24 h). */
  maxConnectionAgeMs?: number
  heartbeatIntervalMs?: number
  staleAfterMs?: number
  /** Diff-depth stream speed suffix: `@depth@100ms` by default (`''` = 250 ms, `'@500ms'`). */
  depthSpeed?: '' | '@100ms' | '@500ms' | '@0ms'
  /** REST snapshot depth (USDⓈ-M 1000 = weight 20). Default 1000. */
  snapshotLimit?: number
  /** listenKey keep-alive period (ms). Default 30 min (the key lives 60 min). */
  listenKeyKeepAliveMs?: number
  /**
   * Orders in a final state (filled, cancelled, expired, rejected) the user-data stream keeps, newest first, to drop a
   * late update of a finished order. Open orders are always kept. Default 1024 (a long-running hedger finishes orders
   * all day: without a bound the stream grew by every order it ever saw).
   */
  maxFinishedOrdersTracked?: number
  /** Dead-man switch: countdownCancelAll `countdownTime` (ms) and refresh period. Default 120 000 / 30 000. */
  deadMan?: { countdownMs: number; refreshMs: number }
  /**
   * Order entry transport. `rest` (default): `POST/PUT/DELETE …/order`. `wsApi`: `order.place`, `order.cancel`,
   * `order.modify` (USDⓈ-M) on one persistent WebSocket-API connection (`urls.wsApiUrl`), opened by
   * `createBinanceConnector`; reads, batch orders and reconciliation stay on REST. Needs credentials.
   */
  orderEntry?: 'rest' | 'wsApi'
  /** WebSocket-API request timeout (ms); a create without an answer by then is reconciled. Default 5000. */
  wsApiTimeoutMs?: number
  /**
   * Latency hook: called when an order-entry WebSocket-API frame has been handed to the socket, with the method name
   * (`order.place`). Runs on the order path: keep it to a timestamp.
   */
  onWsApiRequestWritten?: (method: string) => void
  /**
   * Latency hook: called when a REST request's bytes have been handed to the socket, with `METHOD /path` (never the
   * query or signature). Runs on the order path: keep it to a timestamp.
   */
  onRequestWritten?: (endpoint: string) => void
}

/** A shallow copy of `config` whose credentials never print (see `protectCredentials`); clients store this copy. */
export function protectConfig(config: BinanceConnectorConfig): BinanceConnectorConfig {
  if (config.credentials === undefined || config.credentials === protectCredentials(config.credentials)) return config
  return { ...config, credentials: protectCredentials(config.credentials) }
}
