import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import type { Bbo } from '../src/common/types/marketData.js'
import { configFor, startEmulator } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// End to end against the @alp/venue-sim Binance emulator (independent implementation of the wire protocol) on
// 127.0.0.1:0. The emulator is ticked by the test (no timer), so every comparison is against a known engine state.
let emu: RunningBinanceEmulator
let connector: BinanceConnector

beforeAll(async () => {
  emu = await startEmulator({
    market: { kind: 'simulated', midPrice: '2681.62', seed: 3, stepMs: 1, levels: 40, tradeProbability: 0 },
    clock: { nowMs: () => Date.now() },
    tickIntervalMs: null,
  })
  connector = await createBinanceConnector(configFor(emu, { credentials: undefined, depthSpeed: '@100ms' }), [
    'ETHUSDT',
  ])
  await connector.marketData.subscribeBook('ETHUSDT')
})

afterAll(async () => {
  await connector?.close()
  await emu?.close()
})

/** True when our book equals the emulator's whole book at the same update id. */
function identical(): boolean {
  const book = connector.marketData.getDepthBook('ETHUSDT')!
  const snap = emu.engine.snapshot('ETHUSDT', 100_000)
  if (!book.isSynced || book.updateId !== snap.lastUpdateId) return false
  const bids = book.book.bids().map(([p, q]) => [BigInt(p), BigInt(q)])
  const asks = book.book.asks().map(([p, q]) => [BigInt(p), BigInt(q)])
  return (
    JSON.stringify(bids, big) === JSON.stringify(snap.bids, big) &&
    JSON.stringify(asks, big) === JSON.stringify(snap.asks, big)
  )
}
const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)

async function tickAndMatch(ticks: number, deadlineMs = 1_000): Promise<void> {
  for (let i = 0; i < ticks; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2)) // let the emulator's wall clock move ≥ stepMs
    emu.tick()
    await waitFor(identical, `book identical after tick ${i}`, deadlineMs)
  }
}

/** A tick whose event we expect to lose (dropped, malformed, sent while disconnected): no comparison after it. */
async function lostTick(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2))
  emu.tick()
}

describe('Binance USDⓈ-M market data vs the emulator', () => {
  it('keeps the book identical to the emulator book, level by level, tick after tick', async () => {
    expect(identical()).toBe(true)
    await tickAndMatch(40)
    expect(connector.marketData.metrics().resyncCount.ETHUSDT).toBe(0)
    expect(connector.marketData.getDepthBook('ETHUSDT')!.book.audit()).toBeUndefined()
  })

  it('detects a dropped depth event (pu gap), resyncs within 1 s and is identical again', async () => {
    const before = connector.marketData.metrics().resyncCount.ETHUSDT!
    emu.emulator.setFaults({ depth: { dropNext: 1 } })
    await lostTick()
    await tickAndMatch(5)
    expect(connector.marketData.metrics().resyncCount.ETHUSDT).toBe(before + 1)
  })

  it('survives duplicated and reordered events', async () => {
    emu.emulator.setFaults({ depth: { duplicateNext: 2 } })
    await tickAndMatch(6)
    emu.emulator.setFaults({ depth: { reorderNext: 1 } })
    await lostTick() // held back until the next event
    await tickAndMatch(6)
    expect(connector.marketData.getDepthBook('ETHUSDT')!.book.audit()).toBeUndefined()
  })

  it('reconnects after the venue drops every socket and is identical again (resync if events were lost)', async () => {
    const socketsBefore = connector.marketData.metrics().framesReceived
    let opens = 0
    connector.marketData.on('health', (e) => {
      if (e.kind === 'open') opens++
    })
    emu.emulator.hub.disconnect()
    await lostTick() // events published while we are disconnected are lost
    await waitFor(() => opens > 0, 'reconnected')
    await tickAndMatch(8)
    expect(connector.marketData.metrics().framesReceived).toBeGreaterThan(socketsBefore)
  })

  it('malformed frames are counted, never crash, and the book recovers', async () => {
    const malformedBefore = connector.marketData.metrics().malformedFrames
    emu.emulator.setFaults({ ws: { malformedNext: 2, malformedKind: 'truncated' } })
    await lostTick()
    await lostTick()
    await tickAndMatch(6)
    expect(connector.marketData.metrics().malformedFrames).toBeGreaterThanOrEqual(malformedBefore + 1)
  })

  it('async iterators deliver books and BBOs; returning from the loop removes the listener', async () => {
    const books = connector.marketData.books('ETHUSDT')
    const bbos = connector.marketData.bbos('ETHUSDT')
    await connector.marketData.subscribeBbo('ETHUSDT')
    await lostTick()
    const book = await books.next()
    const bbo = await bbos.next()
    expect(book.done).toBe(false)
    expect(book.value!.symbol).toBe('ETHUSDT')
    expect(book.value!.bids.length).toBeGreaterThan(0)
    expect(bbo.value!.symbol).toBe('ETHUSDT')
    const listenersBefore = connector.marketData.listenerCount('book')
    await books.return!()
    await bbos.return!()
    expect(connector.marketData.listenerCount('book')).toBe(listenersBefore - 1)
  })

  it('bookTicker BBO events equal the emulator best bid/ask', async () => {
    const seen: Bbo[] = []
    connector.marketData.on('bbo', (b) => seen.push(b))
    await connector.marketData.subscribeBbo('ETHUSDT')
    emu.tick()
    await waitFor(() => {
      const top = emu.engine.bestBidAsk('ETHUSDT')
      const last = seen[seen.length - 1]
      return (
        last &&
        last.updateId === top.updateId &&
        last.bidPrice === connector.instruments.get('ETHUSDT').priceGrid.format(top.bid![0]) &&
        last.askPrice === connector.instruments.get('ETHUSDT').priceGrid.format(top.ask![0])
      )
    }, 'bbo equal to emulator top of book')
  })
})
