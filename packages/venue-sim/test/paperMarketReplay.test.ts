import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../src/clock/index.js'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'
import { startGrvtEmulator } from '../src/grvt/index.js'

// The Binance ETHUSDT L2 + trades capture replayed into Deribit's ETH-PERPETUAL (inverse, 1 USD contracts, tick 0.05)
// on a replay-time clock: the capture's receive timestamps are the emulator's time. Expected values come from this
// file's own reading of the capture (Binance's local-book procedure: REST snapshot, then diffs with u ≥ lastUpdateId)
// and the documented relabelling: bids go down and asks up onto the 0.05 tick (levels in one tick summed), coin sizes
// become round(size × tick price) USD contracts, prints go to the nearest tick.
const CAPTURE = fileURLToPath(
  new URL('../../../data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz', import.meta.url),
)
const NAME = 'ETH-PERPETUAL'
const TICK_E8 = 5_000_000n

function e8(text: string): bigint {
  const [int, frac = ''] = text.split('.') as [string, string?]
  return BigInt(int) * 100_000_000n + BigInt(frac.padEnd(8, '0'))
}
const halfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d)

type Line = { ms: number; json: Record<string, unknown> }
const lines: Line[] = gunzipSync(readFileSync(CAPTURE))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => ({
    ms: Number(BigInt(l.slice(0, l.indexOf(' '))) / 1_000_000n),
    json: JSON.parse(l.slice(l.indexOf(' ') + 1)),
  }))
const snapIndex = lines.findIndex((l) => typeof l.json.lastUpdateId === 'number')
const snapshot = (lines[snapIndex] as Line).json as { lastUpdateId: number; bids: string[][]; asks: string[][] }
const START_MS = (lines[snapIndex] as Line).ms

type Depth = { U: number; u: number; b: string[][]; a: string[][] }
type Trade = { ms: number; p: string; q: string; m: boolean }

/**
 * The capture's book and trades as of a time: `to(atMs)` applies every line after the snapshot received at or before
 * `atMs` (times never decrease).
 */
function captureWalker() {
  const bids = new Map<string, string>()
  const asks = new Map<string, string>()
  const trades: Trade[] = []
  const apply = (d: Depth) => {
    for (const [p, q] of d.b) Number(q) === 0 ? bids.delete(p as string) : bids.set(p as string, q as string)
    for (const [p, q] of d.a) Number(q) === 0 ? asks.delete(p as string) : asks.set(p as string, q as string)
  }
  for (const [p, q] of snapshot.bids) bids.set(p as string, q as string)
  for (const [p, q] of snapshot.asks) asks.set(p as string, q as string)
  const isDepth = (l: Line) => String(l.json.stream ?? '').includes('@depth')
  for (const l of lines.slice(0, snapIndex))
    if (isDepth(l) && (l.json.data as Depth).u >= snapshot.lastUpdateId) apply(l.json.data as Depth)
  let index = snapIndex + 1
  return {
    to(atMs: number) {
      for (; index < lines.length && (lines[index] as Line).ms <= atMs; index++) {
        const l = lines[index] as Line
        if (isDepth(l) && (l.json.data as Depth).u >= snapshot.lastUpdateId) apply(l.json.data as Depth)
        if (String(l.json.stream ?? '').endsWith('@trade')) {
          const t = l.json.data as { p: string; q: string; m: boolean }
          trades.push({ ms: l.ms, p: t.p, q: t.q, m: t.m })
        }
      }
      return { bids, asks, trades }
    },
  }
}

/** Deribit's best level of one side: [price, USD amount] after bucketing the capture's levels onto the 0.05 tick. */
function deribitTop(levels: Map<string, string>, side: 'bid' | 'ask'): [number, number] {
  const buckets = new Map<bigint, bigint>()
  for (const [p, q] of levels) {
    const pE8 = e8(p)
    const tick = side === 'bid' ? pE8 / TICK_E8 : (pE8 + TICK_E8 - 1n) / TICK_E8
    buckets.set(tick, (buckets.get(tick) ?? 0n) + e8(q))
  }
  const ordered = [...buckets.entries()].sort(([a], [b]) => (side === 'bid' ? Number(b - a) : Number(a - b)))
  for (const [tick, qtyE8] of ordered) {
    const contracts = halfUp(qtyE8 * tick * TICK_E8, 10n ** 16n)
    if (contracts > 0n) return [Number(tick * TICK_E8) / 1e8, Number(contracts)]
  }
  throw new Error(`no ${side}`)
}

const clock = createManualClock(START_MS - 5_000)
const capture = captureWalker()
let emu: RunningDeribitEmulator
const deribit = () => {
  const ex = new ccxt.deribit()
  ex.urls.api = { rest: emu.restUrl } as typeof ex.urls.api
  return ex
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    clock,
    instruments: [{ instrumentName: NAME, tickSize: '0.05' }],
    accounts: [{ clientId: 'paper', clientSecret: 'paper-secret', balances: { ETH: '10' } }],
    market: { kind: 'replay', file: CAPTURE },
  })
})

afterAll(async () => {
  await emu?.close()
})

describe('paper market: the Binance L2 capture replayed into Deribit ETH-PERPETUAL on a replay clock', () => {
  it('has no book before the capture starts', async () => {
    const book = await deribit().fetchOrderBook('ETH/USD:ETH')
    expect([book.bids.length, book.asks.length]).toEqual([0, 0])
  })

  it('shows the capture’s book top (on Deribit’s tick, in USD contracts) at the capture’s timestamps', async () => {
    for (const offsetMs of [0, 1_000, 7_500, 30_000, 61_000, 120_000, 200_000, 300_000, 340_000]) {
      const atMs = START_MS + offsetMs
      clock.advanceTo(atMs)
      emu.tick()
      const expected = [
        offsetMs,
        atMs,
        deribitTop(capture.to(atMs).bids, 'bid'),
        deribitTop(capture.to(atMs).asks, 'ask'),
      ]
      const book = await deribit().fetchOrderBook('ETH/USD:ETH', 5)
      expect([offsetMs, book.timestamp, book.bids[0], book.asks[0]]).toEqual(expected)
    }
  })

  it('history answers from the replay: the last trades at the capture’s times and prices, and the ticker', async () => {
    const atMs = clock.nowMs()
    const { bids, asks, trades: captured } = capture.to(atMs)
    const recent = captured.filter((t) => t.ms >= atMs - 3_000)
    expect(recent.length).toBeGreaterThan(0)
    const ex = deribit()
    const trades = await ex.fetchTrades('ETH/USD:ETH', atMs - 3_000, 1000)
    const expected = recent.map((t) => {
      const tick = halfUp(e8(t.p), TICK_E8)
      return [
        t.ms,
        Number(tick * TICK_E8) / 1e8,
        Number(halfUp(e8(t.q) * tick * TICK_E8, 10n ** 16n)),
        t.m ? 'sell' : 'buy',
      ]
    })
    expect(trades.map((t) => [t.timestamp, t.price, t.amount, t.side])).toEqual(expected)
    const ticker = await ex.fetchTicker('ETH/USD:ETH')
    expect([ticker.bid, ticker.ask, ticker.last]).toEqual([
      deribitTop(bids, 'bid')[0],
      deribitTop(asks, 'ask')[0],
      expected[expected.length - 1]?.[1],
    ])
  })
})

describe('paper market: the capture replayed onto another day with `startMs` (GRVT ETH_USDT_Perp, lot 0.01)', () => {
  it('plays the capture’s first line at startMs: the book top at startMs + t is the capture’s at its start + t', async () => {
    const runStart = Date.UTC(2024, 0, 5, 12) // a paper day on the klines' date
    const clock = createManualClock(runStart - 1_000)
    const walker = captureWalker()
    const grvt = await startGrvtEmulator({
      clock,
      instruments: [{ instrument: 'ETH_USDT_Perp', instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' }],
      accounts: [{ signerPrivateKeys: [], subAccountId: '1', balances: { USDT: '10000' } }],
      market: { kind: 'replay', file: CAPTURE, startMs: runStart },
    })
    try {
      const client = () => {
        const ex = new ccxt.grvt({ enableRateLimit: false })
        ex.setSandboxMode(true)
        ex.urls.api = {
          privateEdge: `${grvt.restUrl}/`,
          privateTrading: `${grvt.restUrl}/`,
          publicMarket: `${grvt.restUrl}/`,
          ws: { publicMarket: grvt.wsUrl, privateTrading: grvt.wsUrl },
        } as unknown as typeof ex.urls.api
        return ex
      }
      // same tick as the capture; sizes rounded half up to 0.01 ETH (a best level under 0.005 ETH drops out)
      const top = (levels: Map<string, string>, side: 'bid' | 'ask'): [number, number] => {
        const ordered = [...levels.entries()].sort(([a], [b]) =>
          side === 'bid' ? Number(b) - Number(a) : Number(a) - Number(b),
        )
        for (const [p, q] of ordered) {
          const lots = halfUp(e8(q), 1_000_000n)
          if (lots > 0n) return [Number(p), Number(lots) / 100]
        }
        throw new Error(`no ${side}`)
      }
      for (const offsetMs of [0, 45_000, 150_000]) {
        clock.advanceTo(runStart + offsetMs)
        grvt.tick()
        const at = walker.to(START_MS + offsetMs)
        const expected = [offsetMs, top(at.bids, 'bid'), top(at.asks, 'ask')]
        // a fresh client: the tick and the reading above can outlast the server's 5 s keep-alive on a loaded machine
        const book = await client().fetchOrderBook('ETH/USDT:USDT', 10)
        expect([offsetMs, book.bids[0], book.asks[0]]).toEqual(expected)
      }
      const trades = await client().fetchTrades('ETH/USDT:USDT', runStart)
      expect(
        trades.every((t) => (t.timestamp as number) >= runStart && (t.timestamp as number) <= runStart + 150_000),
      ).toBe(true)
      expect(trades.length).toBeGreaterThan(0)
    } finally {
      await grvt.close()
    }
  })
})
