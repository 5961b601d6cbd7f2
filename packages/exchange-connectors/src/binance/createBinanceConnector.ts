import { RateLimiter } from '../common/rateLimiter.js'
import { ServerTimeOffset } from '../common/serverTimeOffset.js'
import { ConnectorError } from '../errors/base.js'
import type { BinanceConnectorConfig } from './config.js'
import { BinanceExecutionClient } from './execution.js'
import { BinanceHttpClient } from './http/client.js'
import { BinanceInstrumentProvider } from './instruments.js'
import { BinanceMarketDataClient } from './marketData.js'
import { BINANCE_PATHS } from './urls.js'
import { BinanceSpotUserDataStream } from './ws/spotUserData.js'
import { BinanceUserDataStream } from './ws/userData.js'
import { BinanceWsApiClient } from './ws/wsApiClient.js'

/** The parts of one Binance connector, each usable on its own (no god object: this only wires them). */
export type BinanceConnector = {
  readonly http: BinanceHttpClient
  readonly instruments: BinanceInstrumentProvider
  readonly marketData: BinanceMarketDataClient
  readonly execution: BinanceExecutionClient
  /** The order-entry WebSocket-API connection when `orderEntry: 'wsApi'` (open on return), else undefined. */
  readonly wsApi: BinanceWsApiClient | undefined
  /** USDⓈ-M: listenKey stream; spot: WebSocket-API subscription. Undefined without credentials. */
  readonly userData: BinanceUserDataStream | BinanceSpotUserDataStream | undefined
  close(): Promise<void>
}

/**
 * Wires a Binance connector: syncs the server-time offset, loads instruments (installing the published rate limits),
 * and builds market data, execution and (with credentials) the private stream for `symbols`. Nothing connects until
 * you subscribe or call `userData.start()`.
 */
export async function createBinanceConnector(
  config: BinanceConnectorConfig,
  symbols: readonly string[],
): Promise<BinanceConnector> {
  const venue = config.product === 'usdm' ? 'binance-usdm' : 'binance-spot'
  const rateLimiter = new RateLimiter({
    // conservative until exchangeInfo replaces them with the published numbers
    rules: [{ kind: 'weight', intervalMs: 60_000, limit: config.product === 'usdm' ? 2400 : 6000 }],
    clock: config.clock,
  })
  const http = new BinanceHttpClient({
    venue,
    baseUrl: config.urls.restUrl,
    credentials: config.credentials,
    clock: config.clock,
    random: config.random,
    rateLimiter,
    serverTime: new ServerTimeOffset(config.clock),
    timePath: BINANCE_PATHS[config.product].time,
    recvWindowMs: config.recvWindowMs,
    timeoutMs: config.httpTimeoutMs,
    onRequestWritten: config.onRequestWritten,
  })
  await http.syncServerTime()
  const instruments = new BinanceInstrumentProvider(http, config.product)
  await instruments.load()
  const marketData = new BinanceMarketDataClient({ config, http, instruments })
  let wsApi: BinanceWsApiClient | undefined
  if (config.orderEntry === 'wsApi') {
    if (!config.credentials)
      throw new ConnectorError('orderEntry "wsApi" needs API credentials.', {
        code: 'MISSING_CREDENTIALS',
        venue,
        retryable: false,
        metaMessages: ['Next: pass credentials { apiKey, apiSecret }, or use orderEntry "rest".'],
      })
    wsApi = new BinanceWsApiClient({
      venue,
      url: config.urls.wsApiUrl,
      credentials: config.credentials,
      clock: config.clock,
      random: config.random,
      rateLimiter,
      serverTime: http.serverTime,
      recvWindowMs: config.recvWindowMs,
      timeoutMs: config.wsApiTimeoutMs,
      backoff: config.backoff,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      staleAfterMs: config.staleAfterMs,
      maxConnectionAgeMs: config.maxConnectionAgeMs,
      onRequestWritten: config.onWsApiRequestWritten,
    })
    await wsApi.start()
  }
  const execution = new BinanceExecutionClient(config, http, instruments, wsApi)
  const userData = config.credentials
    ? config.product === 'usdm'
      ? new BinanceUserDataStream(config, http, execution, symbols)
      : new BinanceSpotUserDataStream(config, http, execution, symbols)
    : undefined
  const connector = {
    http,
    instruments,
    marketData,
    execution,
    wsApi,
    userData,
    async close() {
      wsApi?.close()
      await Promise.all([marketData.close(), userData?.close()])
      http.close()
    },
    /** What `JSON.stringify` prints: each part's own summary (never credentials). */
    toJSON() {
      return { venue, http, marketData, execution, wsApi, userData }
    },
  }
  return connector
}
