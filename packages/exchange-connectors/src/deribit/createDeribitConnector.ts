import type { Clock } from '../common/clock.js'
import type { DeribitCredentials } from './credentials.js'
import { DeribitCreditLimiter } from './creditLimiter.js'
import { DeribitExecutionClient } from './execution.js'
import { DeribitInstrumentProvider } from './instruments.js'
import { DeribitMarketDataClient } from './marketData.js'
import { DeribitRpcClient } from './ws/client.js'
import { DeribitUserDataStream } from './ws/userData.js'

/** Everything needed to connect to Deribit (or the venue-sim emulator: only `wsUrl` differs). */
export type DeribitConnectorConfig = {
  /** `wss://www.deribit.com/ws/api/v2`, `wss://test.deribit.com/ws/api/v2`, or an emulator's `wsUrl`. */
  wsUrl: string
  credentials?: DeribitCredentials | undefined
  clock: Clock
  random: () => number
  nonce: () => string
  /** Cancel-on-disconnect on the trading connection (default true: quoting must not outlive the socket). */
  cancelOnDisconnect?: boolean | undefined
  requestTimeoutMs?: number | undefined
}

/** The parts of one Deribit connector, each usable on its own (this only wires them). */
export type DeribitConnector = {
  /** Public connection (books, tickers, trades). */
  readonly marketRpc: DeribitRpcClient
  /** Authenticated connection (orders, user streams); undefined without credentials. */
  readonly tradingRpc: DeribitRpcClient | undefined
  readonly marketData: DeribitMarketDataClient
  /** Instruments (contract size, tick size, minimum amount) loaded once each over the public connection. */
  readonly instruments: DeribitInstrumentProvider
  readonly execution: DeribitExecutionClient | undefined
  readonly userData: DeribitUserDataStream | undefined
  close(): Promise<void>
}

/**
 * Wires a Deribit connector: one public and (with credentials) one authenticated JSON-RPC connection sharing one credit
 * limiter, so market data never competes with order entry for a socket and both stay under the sub-account's credits.
 */
export async function createDeribitConnector(config: DeribitConnectorConfig): Promise<DeribitConnector> {
  const creditLimiter = new DeribitCreditLimiter({ clock: config.clock })
  const common = {
    url: config.wsUrl,
    clock: config.clock,
    random: config.random,
    nonce: config.nonce,
    creditLimiter,
    requestTimeoutMs: config.requestTimeoutMs,
  }
  const marketRpc = new DeribitRpcClient({ ...common, name: 'deribit/market' })
  await marketRpc.start()
  let tradingRpc: DeribitRpcClient | undefined
  if (config.credentials) {
    tradingRpc = new DeribitRpcClient({
      ...common,
      name: 'deribit/trading',
      credentials: config.credentials,
      cancelOnDisconnect: config.cancelOnDisconnect ?? true,
    })
    await tradingRpc.start()
  }
  const marketData = new DeribitMarketDataClient(marketRpc)
  const instruments = new DeribitInstrumentProvider(marketRpc)
  return {
    marketRpc,
    tradingRpc,
    marketData,
    instruments,
    execution: tradingRpc ? new DeribitExecutionClient(tradingRpc, { instruments }) : undefined,
    userData: tradingRpc ? new DeribitUserDataStream(tradingRpc) : undefined,
    close: async () => {
      marketRpc.close()
      tradingRpc?.close()
    },
  }
}
