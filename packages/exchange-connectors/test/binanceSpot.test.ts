import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { binanceUrlsFromBases } from '../src/binance/urls.js'
import { parseDecimal, toScaled } from '../src/common/decimal.js'
import { PostOnlyRejectedError } from '../src/errors/order.js'
import { configFor, startEmulator } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// Spot market data (spot diff-depth rule: U = previous u + 1) and LIMIT_MAKER order entry against the emulator.
// The emulator serves spot streams under a `/spot` prefix (spot is another host on Binance).
let emu: RunningBinanceEmulator
let spot: BinanceConnector
const e8 = (x: string) => toScaled(parseDecimal(x), 8)

beforeAll(async () => {
  emu = await startEmulator({
    market: { kind: 'none' },
    spotMarket: { kind: 'simulated', midPrice: '2681.62', seed: 5, stepMs: 1, levels: 30, tradeProbability: 0 },
    clock: { nowMs: () => Date.now() },
    tickIntervalMs: null,
  })
  const urls = binanceUrlsFromBases('spot', emu.restUrl, emu.wsUrl)
  spot = await createBinanceConnector(
    configFor(emu, {
      product: 'spot',
      urls: { ...urls, wsPublicUrl: `${emu.wsUrl}/spot`, wsMarketUrl: `${emu.wsUrl}/spot` },
    }),
    ['ETHUSDT'],
  )
  await spot.marketData.subscribeBook('ETHUSDT')
})
afterAll(async () => {
  await spot?.close()
  await emu?.close()
})

function identical(): boolean {
  const book = spot.marketData.getDepthBook('ETHUSDT')!
  const snap = emu.engine.snapshot('spot:ETHUSDT', 100_000)
  if (!book.isSynced || book.updateId !== snap.lastUpdateId) return false
  const step = spot.instruments.get('ETHUSDT').sizeGrid
  const mine = (levels: readonly (readonly [number, number])[]) =>
    levels.map(([p, q]) => `${p}:${e8(book.sizeGrid.format(BigInt(q)))}`).join(',')
  const theirs = (levels: readonly (readonly [bigint, bigint])[]) =>
    levels.map(([p, q]) => `${p}:${e8(step.format(q))}`).join(',')
  return mine(book.book.bids()) === theirs(snap.bids) && mine(book.book.asks()) === theirs(snap.asks)
}

describe('Binance spot vs the emulator', () => {
  it('keeps the spot book identical to the emulator book, and resyncs after a dropped event', async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2))
      if (i === 10) emu.emulator.setFaults({ depth: { dropNext: 1 } })
      emu.tick()
      if (i !== 10) await waitFor(identical, `spot book identical after tick ${i}`, 1_000)
    }
    expect(spot.marketData.metrics().resyncCount.ETHUSDT).toBe(1)
  })

  it('LIMIT_MAKER that would take → PostOnlyRejectedError (-2010); a resting one is placed and cancelled', async () => {
    const top = emu.engine.bestBidAsk('spot:ETHUSDT')
    const grid = spot.instruments.get('ETHUSDT').priceGrid
    const error = await spot.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: grid.format(top.ask![0]),
        sizeBase: '0.0100',
        timeInForce: 'postOnly',
        clientOrderId: 'spot-take',
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PostOnlyRejectedError)
    expect((error as PostOnlyRejectedError).venueCode).toBe(-2010)
    const resting = await spot.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: grid.format(top.bid![0] - 100n),
      sizeBase: '0.0100',
      timeInForce: 'postOnly',
      clientOrderId: 'spot-rest',
    })
    expect([resting.state, resting.timeInForce]).toEqual(['new', 'postOnly'])
    expect((await spot.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId: 'spot-rest' })).state).toBe('canceled')
    const balances = await spot.execution.getBalances()
    expect(e8(balances.find((b) => b.asset === 'ETH')!.wallet)).toBe(e8('2'))
  })
})
