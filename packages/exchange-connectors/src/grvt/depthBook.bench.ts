import ccxt from 'ccxt'
import { bench, describe } from 'vitest'
import { DecimalGrid } from '../common/decimal.js'
import { GrvtDepthBook } from './depthBook.js'
import { parseGrvtBook } from './schemas/book.js'

// Synthetic but wire-exact GRVT `v1.book.d` stream (no GRVT capture is available offline): a seeded random walk on
// the BTC_USDT_Perp grid (tick 0.1, size step 0.001), one snapshot (sequence 0) of 2×100 levels, then 20 000 deltas
// of 1–8 changed levels each (size "0" removes), sequence numbers +1.
let state = 0x2545f491
const rand = () => {
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  return (state >>> 0) / 2 ** 32
}
const instrument = 'BTC_USDT_Perp'
const priceGrid = new DecimalGrid('0.1')
const sizeGrid = new DecimalGrid('0.001')
const frames: string[] = []
{
  const bids = new Map<number, number>()
  const asks = new Map<number, number>()
  const mid = 650_000
  for (let i = 1; i <= 100; i++) {
    bids.set(mid - i, 1 + Math.floor(rand() * 2000))
    asks.set(mid + i, 1 + Math.floor(rand() * 2000))
  }
  const level = (t: number, l: number) => ({
    price: priceGrid.format(BigInt(t)),
    size: sizeGrid.format(BigInt(l)),
    num_orders: l === 0 ? 0 : 1,
  })
  const frame = (seq: number, b: unknown[], a: unknown[]) =>
    JSON.stringify({
      stream: 'v1.book.d',
      selector: `${instrument}@100`,
      sequence_number: String(seq),
      ...(seq > 0 ? { prev_sequence_number: String(seq - 1) } : {}),
      feed: { event_time: String(1_700_000_000_000_000_000n + BigInt(seq)), instrument, bids: b, asks: a },
    })
  frames.push(
    frame(
      0,
      [...bids].map(([t, l]) => level(t, l)),
      [...asks].map(([t, l]) => level(t, l)),
    ),
  )
  for (let n = 1; n <= 20_000; n++) {
    const b: unknown[] = []
    const a: unknown[] = []
    const k = 1 + Math.floor(rand() * 8)
    for (let j = 0; j < k; j++) {
      const isBid = rand() < 0.5
      const side = isBid ? bids : asks
      const t = isBid ? mid - 1 - Math.floor(rand() * 100) : mid + 1 + Math.floor(rand() * 100)
      const l = side.has(t) && rand() < 0.3 ? 0 : 1 + Math.floor(rand() * 2000)
      if (l === 0) side.delete(t)
      else side.set(t, l)
      ;(isBid ? b : a).push(level(t, l))
    }
    frames.push(frame(n, b, a))
  }
}
const messages = frames.map((f) => JSON.parse(f) as unknown)

function runOurs(fromText: boolean): GrvtDepthBook {
  const book = new GrvtDepthBook({ instrument, priceGrid, sizeGrid })
  for (let i = 0; i < frames.length; i++) {
    const outcome = book.onMessage(parseGrvtBook(fromText ? JSON.parse(frames[i]!) : messages[i]))
    if (outcome !== 'applied' && outcome !== 'synced') throw new Error(`our book: ${outcome} at frame ${i}`)
  }
  return book
}

// ccxt 4.5.84's own path: pro grvt.handleOrderBook (reset on sequence 0, handleDeltasWithKeys, float keys).
const exchange = new ccxt.pro.grvt()
const client = { resolve: () => undefined }
function runCcxt(fromText: boolean): { bids: number[][] } {
  ;(exchange as unknown as { orderbooks: Record<string, unknown> }).orderbooks = {}
  for (let i = 0; i < frames.length; i++)
    exchange.handleOrderBook(client as never, (fromText ? JSON.parse(frames[i]!) : messages[i]) as never)
  const books = (exchange as unknown as { orderbooks: Record<string, { bids: number[][] }> }).orderbooks
  return Object.values(books)[0]!
}

{
  const a = runOurs(false)
    .book.bids(50)
    .map(([t, l]) => `${priceGrid.format(BigInt(t))}/${sizeGrid.format(BigInt(l))}`)
    .join(',')
  const b = runCcxt(false)
    .bids.slice(0, 50)
    .map(([p, q]) => `${p!.toFixed(1)}/${q!.toFixed(3)}`)
    .join(',')
  if (a !== b) throw new Error('GRVT bench: our book and ccxt differ')
}

describe(`GRVT book maintenance: ${frames.length} book.d messages (parsed objects in)`, () => {
  bench('ours (parseGrvtBook + GrvtDepthBook, sequence-checked, integer ticks)', () => {
    runOurs(false)
  })
  bench('ccxt 4.5.84 (pro grvt.handleOrderBook)', () => {
    runCcxt(false)
  })
})

describe(`GRVT frame normalisation: ${frames.length} frames (JSON text in)`, () => {
  bench('ours', () => {
    runOurs(true)
  })
  bench('ccxt 4.5.84', () => {
    runCcxt(true)
  })
})
