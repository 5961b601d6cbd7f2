import {
  type BinanceConnector,
  binanceUrlsFromBases,
  createBinanceConnector,
  systemClock,
} from '@alp/exchange-connectors'
import { type RunningBinanceEmulator, startBinanceEmulator } from '@alp/venue-sim/binance'
import { HEDGER_KEYS, TAKER_KEYS } from './deploymentConfig.js'

/** Polls `condition` every 10 ms until it returns something truthy; throws naming `what` after `deadlineMs`. */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs
  for (;;) {
    const value = await condition()
    if (value) return value
    if (Date.now() > end) throw new Error(`Timed out after ${deadlineMs} ms waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A Binance USDⓈ-M connector for ETHUSDT on the emulator with the given (emulator-only) keys. */
export function connectBinance(
  emu: RunningBinanceEmulator,
  credentials: { apiKey: string; apiSecret: string },
): Promise<BinanceConnector> {
  return createBinanceConnector(
    {
      product: 'usdm',
      urls: binanceUrlsFromBases('usdm', emu.restUrl, emu.wsUrl),
      credentials,
      clock: systemClock,
      random: Math.random,
      httpTimeoutMs: 2_000,
    },
    ['ETHUSDT'],
  )
}

/** The deployment tests' venue: a Binance USDⓈ-M emulator with no market of its own, the hedger's and a taker's account. */
export async function startBinanceVenue(seed: number): Promise<RunningBinanceEmulator> {
  return startBinanceEmulator({
    port: 0,
    symbols: ['ETHUSDT'],
    accounts: [
      { ...HEDGER_KEYS, balances: { USDT: '100000' } },
      { ...TAKER_KEYS, balances: { USDT: '100000' } },
    ],
    market: { kind: 'none' },
    seed,
    pingIntervalMs: 0,
    onInternalError: (error) => {
      throw error
    },
  })
}

/** Background liquidity around the pool price, placed by the taker: 5 ETH bid at 2675.00 and 5 ETH offered at 2685.00. */
export async function placeBackgroundLiquidity(taker: BinanceConnector): Promise<void> {
  for (const [side, price] of [
    ['buy', '2675.00'],
    ['sell', '2685.00'],
  ] as const)
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side,
      price,
      sizeBase: '5.000',
      timeInForce: 'gtc',
      clientOrderId: `tk-${side}`,
    })
}
