import type { Clock } from '../common/clock.js'
import { GrvtExecutionClient } from './execution.js'
import { GrvtHttpClient } from './http/client.js'
import { GrvtMarketDataClient } from './marketData.js'
import { GrvtPrivateStream } from './ws/privateStream.js'

/** Everything needed to connect to GRVT (or the venue-sim emulator: only the URLs differ). */
export type GrvtConnectorConfig = {
  urls: { edgeUrl: string; tradesUrl: string; marketDataUrl: string; marketDataWsUrl: string; tradesWsUrl: string }
  apiKey: string
  signerPrivateKey: string
  subAccountId: string
  /** 325 prod, 326 testnet. */
  chainId: number
  clock: Clock
  random: () => number
  nextNonce: () => number
}

/** The parts of one GRVT connector (this only wires them). */
export type GrvtConnector = {
  readonly http: GrvtHttpClient
  readonly marketData: GrvtMarketDataClient
  readonly execution: GrvtExecutionClient
  readonly privateStream: GrvtPrivateStream
  /** One-shot `cancel_on_disconnect` arm/refresh (the hedger's dead-man-switch hook). */
  armDeadManSwitch(timeoutMs: number): Promise<void>
  close(): Promise<void>
}

/** Wires a GRVT connector; connects the market-data socket and logs in. */
export async function createGrvtConnector(config: GrvtConnectorConfig): Promise<GrvtConnector> {
  const http = new GrvtHttpClient({
    edgeUrl: config.urls.edgeUrl,
    tradesUrl: config.urls.tradesUrl,
    marketDataUrl: config.urls.marketDataUrl,
    apiKey: config.apiKey,
    clock: config.clock,
  })
  await http.getSession()
  const marketData = new GrvtMarketDataClient({
    wsUrl: config.urls.marketDataWsUrl,
    http,
    clock: config.clock,
    random: config.random,
  })
  await marketData.start()
  const execution = new GrvtExecutionClient({
    http,
    signerPrivateKey: config.signerPrivateKey,
    subAccountId: config.subAccountId,
    chainId: config.chainId,
    clock: config.clock,
    nextNonce: config.nextNonce,
  })
  const privateStream = new GrvtPrivateStream({
    wsUrl: config.urls.tradesWsUrl,
    http,
    subAccountId: config.subAccountId,
    execution,
    clock: config.clock,
    random: config.random,
  })
  return {
    http,
    marketData,
    execution,
    privateStream,
    armDeadManSwitch: async (timeoutMs) => {
      await http.trade('cancel_on_disconnect', { sub_account_id: config.subAccountId, countdown_time: timeoutMs })
    },
    close: async () => {
      privateStream.stop()
      await marketData.close()
    },
  }
}
