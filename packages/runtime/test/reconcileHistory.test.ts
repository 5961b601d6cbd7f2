import {
  type BinanceConnector,
  createDeribitConnector,
  type DeribitConnector,
  type Fill,
  systemClock,
} from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, describe, expect, it } from 'vitest'
import { readBinanceFills } from '../src/roles/readBinanceFills.js'
import { readDeribitFills } from '../src/roles/readDeribitFills.js'
import { HEDGER_KEYS, TAKER_KEYS } from './deploymentConfig.js'
import { connectBinance, startBinanceVenue, waitFor } from './deploymentVenue.js'

// The fill-history readers of restart reconciliation against the emulators: a fill read from the venue's history is
// the fill the private stream delivered (same trade id, client order id, side, price, size, venue time), and a read
// from after it finds nothing.
const closers: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

const same = (fill: Fill) => ({
  tradeId: fill.tradeId,
  clientOrderId: fill.clientOrderId,
  side: fill.side,
  price: Number(fill.price),
  sizeBase: Number(fill.sizeBase),
  tsExchangeMs: fill.tsExchangeMs,
})

describe('fill history readers', () => {
  it('Binance USDⓈ-M: readBinanceFills (userTrades + allOrders) returns the stream’s fill', async () => {
    const emu: RunningBinanceEmulator = await startBinanceVenue(5)
    closers.push(() => emu.close())
    const maker: BinanceConnector = await connectBinance(emu, HEDGER_KEYS)
    closers.push(() => maker.close())
    const taker: BinanceConnector = await connectBinance(emu, TAKER_KEYS)
    closers.push(() => taker.close())
    const streamed: Fill[] = []
    maker.userData?.on('fill', (fill: Fill) => streamed.push(fill))
    await maker.userData?.start()
    const t0 = Date.now()
    expect(await readBinanceFills(maker, 'ETHUSDT', t0 - 60_000)).toEqual([])
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2680.00',
      sizeBase: '0.050',
      timeInForce: 'postOnly',
      clientOrderId: 'alphistory1',
    })
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2680.00',
      sizeBase: '0.050',
      timeInForce: 'ioc',
      clientOrderId: 'lift1',
    })
    await waitFor(() => streamed.length > 0, 'the stream’s fill')
    const read = await readBinanceFills(maker, 'ETHUSDT', t0 - 1_000)
    expect(read.map(same)).toEqual(streamed.map(same))
    expect(read[0]?.clientOrderId).toBe('alphistory1')
    expect(await readBinanceFills(maker, 'ETHUSDT', (streamed[0] as Fill).tsExchangeMs + 1)).toEqual([])
  }, 60_000)

  it('Deribit: readDeribitFills (get_user_trades_by_instrument_and_time) returns the stream’s fill', async () => {
    const SYMBOL = 'ETH_USDC-PERPETUAL'
    const emu: RunningDeribitEmulator = await startDeribitEmulator({
      instruments: [{ instrumentName: SYMBOL, tickSize: '0.05', stepSize: '0.001' }],
      accounts: [
        { clientId: 'hedger', clientSecret: 'hedger-secret', balances: { USDC: '100000' } },
        { clientId: 'taker', clientSecret: 'taker-secret', balances: { USDC: '100000' } },
      ],
      market: { kind: 'none' },
    })
    closers.push(() => emu.close())
    let nonce = 0
    const connect = async (clientId: string): Promise<DeribitConnector> => {
      const connector = await createDeribitConnector({
        wsUrl: emu.wsUrl,
        credentials: { clientId, clientSecret: `${clientId}-secret` },
        clock: systemClock,
        random: Math.random,
        nonce: () => `h${++nonce}`,
      })
      closers.push(() => connector.close())
      return connector
    }
    const maker = await connect('hedger')
    const taker = await connect('taker')
    const streamed: Fill[] = []
    maker.userData?.on('fill', (fill: Fill) => streamed.push(fill))
    await maker.userData?.subscribe([SYMBOL], ['USDC'])
    const t0 = Date.now()
    expect(await readDeribitFills(maker, SYMBOL, t0 - 60_000)).toEqual([])
    await maker.execution?.placeOrder({
      symbol: SYMBOL,
      side: 'sell',
      price: '2680.00',
      sizeBase: '0.050',
      timeInForce: 'postOnly',
      clientOrderId: 'alphistory2',
    })
    await taker.execution?.placeOrder({
      symbol: SYMBOL,
      side: 'buy',
      price: '2680.00',
      sizeBase: '0.050',
      timeInForce: 'ioc',
      clientOrderId: 'lift2',
    })
    await waitFor(() => streamed.length > 0, 'the stream’s fill')
    const read = await readDeribitFills(maker, SYMBOL, t0 - 1_000)
    expect(read.map(same)).toEqual(streamed.map(same))
    expect(read[0]?.clientOrderId).toBe('alphistory2')
    expect(await readDeribitFills(maker, SYMBOL, (streamed[0] as Fill).tsExchangeMs + 1)).toEqual([])
  }, 60_000)
})
