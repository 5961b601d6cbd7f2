import ccxt from 'ccxt'
import { bench, describe } from 'vitest'
import { readCapture } from '../../test/src/readCapture.js'
import { DecimalGrid } from '../common/decimal.js'
import { BinanceDepthBook } from './depthBook.js'
import { parseBookTicker } from './parse/parseBookTicker.js'
import { parseDepthSnapshot, parseDepthUpdate } from './parse/parseDepthUpdate.js'
import { parseTrade } from './parse/parseTrade.js'
import type { DepthSnapshotWire, DepthUpdateWire } from './schemas/depth.js'

// Real capture: Binance USDⓈ-M ETHUSDT 2024-08-08, REST snapshot + 6586 depth@0ms events + 53992 bookTicker + 14076 trades.
const lines = readCapture('usdm_ethusdt_20240808.gz')
const texts = lines.map((l) => l.json)
let snapshot: DepthSnapshotWire | undefined
const events: DepthUpdateWire[] = []
for (const text of texts) {
  const m = JSON.parse(text) as { stream?: string; data?: unknown; lastUpdateId?: number }
  if (m.lastUpdateId !== undefined) snapshot = parseDepthSnapshot(m, 'binance-usdm')
  else if (m.stream?.includes('@depth')) events.push(parseDepthUpdate(m.data, 'binance-usdm'))
}
const live = events.filter((e) => e.u >= snapshot!.lastUpdateId)
const priceGrid = new DecimalGrid('0.01')
const sizeGrid = new DecimalGrid('0.001')

// ccxt 4.5.84's own code path: exchange.orderBook() (ccxt pro/ws OrderBook + Asks/Bids sides, float keys) and
// binanceusdm.handleOrderBookMessage (safeFloat per level), with the same pu chain check ccxt applies.
const exchange = new ccxt.pro.binanceusdm()
type CcxtBook = { nonce: number; bids: number[][]; asks: number[][] }
function runCcxt(): CcxtBook {
  const parsed = exchange.parseOrderBook(snapshot as never, 'ETH/USDT:USDT') as never
  const book = exchange.orderBook(parsed) as unknown as CcxtBook
  book.nonce = snapshot!.lastUpdateId
  let first = true
  for (const e of live) {
    if (first ? !(e.U <= book.nonce && e.u >= book.nonce) && e.pu !== book.nonce : e.pu !== book.nonce)
      throw new Error(`ccxt peer desync at u=${e.u}`)
    first = false
    exchange.handleOrderBookMessage(undefined as never, e as never, book as never)
  }
  return book
}

function runOurs(): BinanceDepthBook {
  const book = new BinanceDepthBook({ venue: 'binance-usdm', symbol: 'ETHUSDT', rule: 'usdm', priceGrid, sizeGrid })
  book.onSnapshot(snapshot!)
  for (const e of live) if (book.onDepthUpdate(e) !== 'applied') throw new Error(`our book desync at u=${e.u}`)
  return book
}

// Zero-desync check before timing: both books end identical (top 50 levels, compared as exact decimals).
{
  const ours = runOurs()
  const theirs = runCcxt()
  const fmt = (p: number, q: number) => `${priceGrid.format(BigInt(p))}/${sizeGrid.format(BigInt(q))}`
  const oursTop = ours.book
    .bids(50)
    .map(([p, q]) => fmt(p, q))
    .join(',')
  const ccxtTop = theirs.bids
    .slice(0, 50)
    .map(([p, q]) => `${p!.toFixed(2)}/${q!.toFixed(3)}`)
    .join(',')
  if (oursTop !== ccxtTop || ours.resyncCount !== 0) throw new Error('books differ: desync between ours and ccxt')
}

describe(`order book: apply ${live.length} real depth events after the REST snapshot`, () => {
  bench('ours (BinanceDepthBook, integer ticks, pu-checked)', () => {
    runOurs()
  })
  bench('ccxt 4.5.84 (pro OrderBook + binanceusdm.handleOrderBookMessage)', () => {
    runCcxt()
  })
})

describe(`frames parsed and normalised: all ${texts.length} frames of the capture (JSON text in)`, () => {
  bench('ours (validate + normalise: book, Bbo, Trade)', () => {
    const book = new BinanceDepthBook({ venue: 'binance-usdm', symbol: 'ETHUSDT', rule: 'usdm', priceGrid, sizeGrid })
    for (const text of texts) {
      const m = JSON.parse(text) as { stream?: string; data?: unknown; lastUpdateId?: number }
      if (m.lastUpdateId !== undefined) book.onSnapshot(parseDepthSnapshot(m, 'binance-usdm'))
      else if (m.stream!.endsWith('@bookTicker')) parseBookTicker(m.data, 'binance-usdm')
      else if (m.stream!.endsWith('@trade')) parseTrade(m.data, 'binance-usdm')
      else book.onDepthUpdate(parseDepthUpdate(m.data, 'binance-usdm'))
    }
  })
  bench('ccxt 4.5.84 (parseWsTicker, parseWsTrade, handleOrderBookMessage)', () => {
    let book: CcxtBook | undefined
    for (const text of texts) {
      const m = JSON.parse(text) as { stream?: string; data?: Record<string, unknown>; lastUpdateId?: number }
      if (m.lastUpdateId !== undefined) {
        book = exchange.orderBook(exchange.parseOrderBook(m as never, 'ETH/USDT:USDT') as never) as unknown as CcxtBook
      } else if (m.stream!.endsWith('@bookTicker')) exchange.parseWsTicker(m.data as never, 'future')
      else if (m.stream!.endsWith('@trade')) exchange.parseWsTrade(m.data as never)
      else if (book) exchange.handleOrderBookMessage(undefined as never, m.data as never, book as never)
    }
  })
})
