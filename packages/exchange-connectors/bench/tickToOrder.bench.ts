import ccxt from 'ccxt'
import { afterAll, bench, describe } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { buildQueryString, signRestRequest } from '../src/binance/credentials.js'
import { buildNewOrderParams } from '../src/binance/http/orders.js'
import { parseBookTicker } from '../src/binance/parse/parseBookTicker.js'
import { DecimalGrid } from '../src/common/decimal.js'
import type { Bbo } from '../src/common/types/marketData.js'
import { configFor, MAKER } from '../test/src/emulator.js'
import { startEmulatorProcess } from './src/emulatorProcess.js'

/*
 * Tick-to-order latency, in process, against the @alp/venue-sim Binance emulator on loopback (the emulator runs in a
 * child process so its matching engine and market driver do not share our event loop):
 * t0 = the bookTicker WebSocket frame arrives at our socket (clock.monotonicNs() in the 'message' handler, carried as
 * Bbo.tsLocalNs); t1 = the signed POST's bytes have been written to the (keep-alive, no-Nagle) socket, reported
 * through the connector's `onRequestWritten` hook ("order frame out").
 * In between: JSON parse, validation, normalisation to Bbo, the quote decision (one tick behind the touch, rounded on
 * the grid), signing and URL building. Network and venue time are NOT included (they are not ours to optimise).
 * p50/p99 are printed; the bench rows compare the same CPU path with ccxt's (parseWsTicker + binanceusdm.sign).
 */
const emu = await startEmulatorProcess()
const samplesNs: bigint[] = []
let pendingT0: bigint | undefined
const connector: BinanceConnector = await createBinanceConnector(
  {
    ...configFor(emu),
    onRequestWritten(endpoint) {
      if (pendingT0 !== undefined && endpoint === 'POST /fapi/v1/order') {
        samplesNs.push(process.hrtime.bigint() - pendingT0)
        pendingT0 = undefined
      }
    },
  },
  ['ETHUSDT'],
)
const grid = connector.instruments.get('ETHUSDT').priceGrid

// The same CPU path on one captured frame, ours vs ccxt's.
const frame = JSON.stringify({
  stream: 'ethusdt@bookTicker',
  data: {
    e: 'bookTicker',
    u: 5123107838717,
    s: 'ETHUSDT',
    b: '2681.62',
    B: '1.165',
    a: '2681.63',
    A: '73.077',
    T: 1723161256310,
    E: 1723161256311,
  },
})
const ccxtExchange = new ccxt.pro.binanceusdm({ apiKey: MAKER.apiKey, secret: MAKER.apiSecret })
const tick = new DecimalGrid('0.01')
let id = 0

function oursCpuPath(): string {
  const m = JSON.parse(frame) as { data: unknown }
  const bbo = parseBookTicker(m.data, 'binance-usdm')
  const price = tick.format(tick.toTicks(bbo.bidPrice) - 1n)
  const params = buildNewOrderParams('usdm', {
    symbol: 'ETHUSDT',
    side: 'buy',
    price,
    sizeBase: '0.010',
    timeInForce: 'postOnly',
    clientOrderId: `b-${id++}`,
  })
  params.push(['recvWindow', '5000'], ['timestamp', '1723161256311'])
  const query = buildQueryString(params)
  return `${query}&signature=${signRestRequest(MAKER.apiSecret, query)}`
}

// Warm-up: a live bot runs this path for hours, so measure it JIT-compiled (same functions as the live path).
for (let i = 0; i < 20_000; i++) oursCpuPath()

let inFlight = false
let n = 0
// ≥ 1000 samples for a stable p99; the first WARM_UP are dropped (JIT, first use of the pooled socket)
const WARM_UP = 20
const target = WARM_UP + Number(process.env.TICK_TO_ORDER_SAMPLES ?? 1000)
// order + cancel = 2 ORDERS per sample (300 per 10 s published): a tick is skipped while the limiter would delay either
const orderAndCancel = { weight: 1, orders: 2 }
const done = new Promise<void>((resolve) => {
  connector.marketData.on('bbo', (bbo: Bbo) => {
    if (inFlight || n >= target || connector.http.rateLimiter.delayMs(orderAndCancel) > 0) return
    inFlight = true
    pendingT0 = bbo.tsLocalNs
    const clientOrderId = `lat-${n++}`
    const price = grid.format(grid.toTicks(bbo.bidPrice) - 50n) // 50 ticks behind the touch: rests, never fills
    connector.execution
      .placeOrder({ symbol: 'ETHUSDT', side: 'buy', price, sizeBase: '0.010', timeInForce: 'postOnly', clientOrderId })
      .then(() => connector.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId }))
      .then(() => {
        inFlight = false
        if (n >= target) resolve()
      })
  })
})
await connector.marketData.subscribeBbo('ETHUSDT')
await done
const sorted = samplesNs.slice(WARM_UP).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
const pct = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!) / 1000
console.log(
  `tick-to-order (bookTicker frame in → signed order POST out), ${sorted.length} samples: p50 ${pct(0.5).toFixed(1)} µs, p99 ${pct(0.99).toFixed(1)} µs, max ${pct(1).toFixed(1)} µs`,
)

afterAll(async () => {
  await connector.close()
  await emu.close()
})

describe('frame → signed order request (CPU path)', () => {
  bench('ours: parse + normalise + round on grid + sign', () => {
    oursCpuPath()
  })
  bench('ccxt 4.5.84: parseWsTicker + decimalToPrecision + binanceusdm.sign', () => {
    const m = JSON.parse(frame) as { data: Record<string, unknown> }
    const ticker = ccxtExchange.parseWsTicker(m.data as never, 'future') as { bid: number }
    const price = ccxtExchange.decimalToPrecision(ticker.bid - 0.01, ccxt.TRUNCATE, 0.01, ccxt.TICK_SIZE)
    return ccxtExchange.sign('order', 'fapiPrivate', 'POST', {
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTX',
      quantity: '0.010',
      price,
      newClientOrderId: `c-${id++}`,
      newOrderRespType: 'RESULT',
    })
  })
})
