import {
  type BinanceConnector,
  type BinanceConnectorConfig,
  binanceUrlsFromBases,
  createBinanceConnector,
  systemClock,
} from '@alp/exchange-connectors'
import { type RunningBinanceEmulator, startBinanceEmulator } from '@alp/venue-sim/binance'

/** Emulator-only test keys (not real credentials). */
export const HEDGER_KEYS = { apiKey: 'hedgerKey01', apiSecret: 'hedger-secret' }
export const TAKER_KEYS = { apiKey: 'takerKey002', apiSecret: 'taker-secret' }

/** The Binance USDⓈ-M emulator on 127.0.0.1:0 with ETHUSDT (tick 0.01, step 0.001) and two funded accounts. */
export function startEmulator(): Promise<RunningBinanceEmulator> {
  return startBinanceEmulator({
    port: 0,
    symbols: ['ETHUSDT'],
    accounts: [
      { ...HEDGER_KEYS, balances: { USDT: '100000' } },
      { ...TAKER_KEYS, balances: { USDT: '100000' } },
    ],
    market: { kind: 'none' },
    seed: 11,
    pingIntervalMs: 0,
    onInternalError: (error) => {
      throw error
    },
  })
}

export function connect(emu: RunningBinanceEmulator, credentials: typeof HEDGER_KEYS): Promise<BinanceConnector> {
  let seed = 4242
  const config: BinanceConnectorConfig = {
    product: 'usdm',
    urls: binanceUrlsFromBases('usdm', emu.restUrl, emu.wsUrl),
    credentials,
    clock: systemClock,
    random: () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    },
    backoff: { baseMs: 20, maxMs: 200 },
    httpTimeoutMs: 2_000,
  }
  return createBinanceConnector(config, ['ETHUSDT'])
}
