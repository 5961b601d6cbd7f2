import {
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from '@alp/venue-sim/binance'
import type { BinanceConnectorConfig } from '../../src/binance/config.js'
import { binanceUrlsFromBases } from '../../src/binance/urls.js'
import { type Clock, systemClock } from '../../src/common/clock.js'

/** Test accounts (emulator-only keys; not real credentials). */
export const MAKER = { apiKey: 'makerKey0001', apiSecret: 'maker-secret' }
export const TAKER = { apiKey: 'takerKey0002', apiSecret: 'taker-secret' }

/** Starts the Binance emulator on 127.0.0.1:0 with two accounts and ETHUSDT (tick 0.01, step 0.001). */
export function startEmulator(options: Partial<StartBinanceEmulatorOptions> = {}): Promise<RunningBinanceEmulator> {
  return startBinanceEmulator({
    port: 0,
    symbols: ['ETHUSDT'],
    accounts: [
      { ...MAKER, balances: { USDT: '10000' }, spotBalances: { USDT: '10000', ETH: '2' } },
      { ...TAKER, balances: { USDT: '10000' }, spotBalances: { USDT: '10000', ETH: '2' } },
    ],
    market: { kind: 'none' },
    seed: 7,
    pingIntervalMs: 0,
    onInternalError: (error) => {
      throw error
    },
    ...options,
  })
}

/** A connector config pointing at an emulator. */
export function configFor(
  emu: Pick<RunningBinanceEmulator, 'restUrl' | 'wsUrl'>,
  overrides: Partial<BinanceConnectorConfig> = {},
  clock: Clock = systemClock,
): BinanceConnectorConfig {
  let seed = 12345
  const product = overrides.product ?? 'usdm'
  return {
    product,
    urls: binanceUrlsFromBases(product, emu.restUrl, emu.wsUrl),
    credentials: MAKER,
    clock,
    // deterministic LCG for backoff jitter
    random: () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    },
    backoff: { baseMs: 20, maxMs: 200 },
    httpTimeoutMs: 2_000,
    ...overrides,
  }
}
