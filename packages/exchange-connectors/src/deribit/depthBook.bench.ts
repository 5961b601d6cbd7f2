import ccxt from 'ccxt'
import { bench, describe } from 'vitest'
import { DecimalGrid } from '../common/decimal.js'
import { DeribitDepthBook } from './depthBook.js'
import { parseDeribitBook } from './schemas/book.js'

// Synthetic but wire-exact Deribit stream (no Deribit capture is available offline): a seeded random walk on the
// BTC_USDC-PERPETUAL grid (tick 0.5, amount step 0.001), one snapshot of 2×100 levels, then 20 000 `change`
// notifications of 1–8 level actions each (new / change / delete), chained by change_id / prev_change_id.
let state = 0x9e3779b9
const rand = () => {
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  return (state >>> 0) / 2 ** 32
}
const instrument = 'BTC_USDC-PERPETUAL'
const frames: string[] = []
{
  const bids = new Map<number, number>()
  const asks = new Map<number, number>()
  let mid = 120_000 // ticks of 0.5 → 60 000.0
  for (let i = 1; i <= 100; i++) {
    bids.set(mid - i, 1 + Math.floor(rand() * 2000))
    asks.set(mid + i, 1 + Math.floor(rand() * 2000))
  }
  const level = (action: string, t: number, l: number) => [action, t / 2, l / 1000]
  let changeId = 1000
  frames.push(
    JSON.stringify({
      jsonrpc: '2.0',
      method: 'subscription',
      params: {
        channel: `book.${instrument}.100ms`,
        data: {
          type: 'snapshot',
          timestamp: 1_700_000_000_000,
          instrument_name: instrument,
          change_id: changeId,
          bids: [...bids].map(([t, l]) => level('new', t, l)),
          asks: [...asks].map(([t, l]) => level('new', t, l)),
        },
      },
    }),
  )
  for (let n = 0; n < 20_000; n++) {
    const changes: { bids: unknown[]; asks: unknown[] } = { bids: [], asks: [] }
    const k = 1 + Math.floor(rand() * 8)
    for (let j = 0; j < k; j++) {
      const isBid = rand() < 0.5
      const side = isBid ? bids : asks
      const t = isBid ? mid - 1 - Math.floor(rand() * 100) : mid + 1 + Math.floor(rand() * 100)
      const r = rand()
      if (side.has(t) && r < 0.3) {
        side.delete(t)
        ;(isBid ? changes.bids : changes.asks).push(level('delete', t, 0))
      } else {
        const l = 1 + Math.floor(rand() * 2000)
        ;(isBid ? changes.bids : changes.asks).push(level(side.has(t) ? 'change' : 'new', t, l))
        side.set(t, l)
      }
    }
    const prev = changeId
    changeId += 1 + Math.floor(rand() * 3)
    frames.push(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscription',
        params: {
          channel: `book.${instrument}.100ms`,
          data: {
            type: 'change',
            timestamp: 1_700_000_000_000 + n,
            instrument_name: instrument,
            prev_change_id: prev,
            change_id: changeId,
            ...changes,
          },
        },
      }),
    )
    void mid
    mid += 0
  }
}
const messages = frames.map((f) => JSON.parse(f) as { params: { data: unknown } })
const priceGrid = new DecimalGrid('0.5')
const sizeGrid = new DecimalGrid('0.001')

function runOurs(parsedFromText: boolean): DeribitDepthBook {
  const book = new DeribitDepthBook({ instrumentName: instrument, priceGrid, sizeGrid })
  for (let i = 0; i < frames.length; i++) {
    const m = parsedFromText ? (JSON.parse(frames[i]!) as { params: { data: unknown } }) : messages[i]!
    const outcome = book.onMessage(parseDeribitBook(m.params.data))
    if (outcome !== 'applied' && outcome !== 'synced') throw new Error(`our book: ${outcome} at frame ${i}`)
  }
  return book
}

// ccxt 4.5.84's own path: pro deribit.handleOrderBook (countedOrderBook, float keys, no prev_change_id check).
const exchange = new ccxt.pro.deribit()
const client = { resolve: () => undefined }
function runCcxt(parsedFromText: boolean): { bids: number[][] } {
  ;(exchange as unknown as { orderbooks: Record<string, unknown> }).orderbooks = {}
  for (let i = 0; i < frames.length; i++) {
    const m = parsedFromText ? JSON.parse(frames[i]!) : messages[i]!
    exchange.handleOrderBook(client as never, m as never)
  }
  return (exchange as unknown as { orderbooks: Record<string, { bids: number[][] }> }).orderbooks[instrument]!
}

// Both books end identical (top 50 bids, exact decimals) before timing.
{
  const ours = runOurs(false)
  const theirs = runCcxt(false)
  const a = ours.book
    .bids(50)
    .map(([t, l]) => `${priceGrid.format(BigInt(t))}/${sizeGrid.format(BigInt(l))}`)
    .join(',')
  const b = theirs.bids
    .slice(0, 50)
    .map(([p, q]) => `${p!.toFixed(1)}/${q!.toFixed(3)}`)
    .join(',')
  if (a !== b) throw new Error('Deribit bench: our book and ccxt differ')
}

describe(`Deribit book maintenance: ${frames.length} notifications (parsed objects in)`, () => {
  bench('ours (parseDeribitBook + DeribitDepthBook, change_id-checked, integer ticks)', () => {
    runOurs(false)
  })
  bench('ccxt 4.5.84 (pro deribit.handleOrderBook)', () => {
    runCcxt(false)
  })
})

describe(`Deribit frame normalisation: ${frames.length} frames (JSON text in)`, () => {
  bench('ours', () => {
    runOurs(true)
  })
  bench('ccxt 4.5.84', () => {
    runCcxt(true)
  })
})
