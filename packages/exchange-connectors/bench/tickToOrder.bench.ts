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
import { measureMachineFloor } from './src/machineFloor.js'

/*
 * Tick-to-order latency, in process, against the @alp/venue-sim Binance emulator on loopback (the emulator runs in a
 * child process so its matching engine and market driver do not share our event loop):
 * t0 = the bookTicker WebSocket frame arrives at our socket (clock.monotonicNs() in the 'message' handler, carried as
 * Bbo.tsLocalNs); t1 = the order request has been written to its socket and the write call returned ("order frame
 * out"), reported by the connector's hooks: `onRequestWritten` for REST (`POST /fapi/v1/order` on a keep-alive, no-Nagle
 * socket), `onWsApiRequestWritten` for the WebSocket API (`order.place` frame on the persistent `/ws-fapi/v1` socket).
 * Both transports are measured in the same run, one after the other, each on its own connector.
 * In between: JSON parse, validation, normalisation to Bbo, the quote decision (one tick behind the touch, rounded on
 * the grid), signing and request building. Network and venue time are NOT included (they are not ours to optimise).
 * p50/p99 are printed; the bench rows compare the same CPU path with ccxt's (parseWsTicker + binanceusdm.sign).
 */
const emu = await startEmulatorProcess()

type Transport = 'rest' | 'wsApi'
const WARM_UP = 20
const SAMPLES = Number(process.env.TICK_TO_ORDER_SAMPLES ?? 1000)

/**
 * One measurement run on its own connector: on each bookTicker (while no order of ours is in flight and the limiter
 * would not delay an order + cancel), place a post-only buy 50 ticks behind the touch (rests, never fills), then cancel
 * it. t0 = the frame's arrival stamp (Bbo.tsLocalNs), t1 = the order-entry hook after the request was written.
 */
async function measure(transport: Transport): Promise<{ connector: BinanceConnector; samplesNs: bigint[] }> {
  const samplesNs: bigint[] = []
  const rejected: string[] = []
  let pendingT0: bigint | undefined
  const stamp = () => {
    if (pendingT0 !== undefined) {
      samplesNs.push(process.hrtime.bigint() - pendingT0)
      pendingT0 = undefined
    }
  }
  const connector = await createBinanceConnector(
    {
      ...configFor(emu),
      orderEntry: transport,
      onRequestWritten(endpoint) {
        if (endpoint === 'POST /fapi/v1/order') stamp()
      },
      onWsApiRequestWritten(method) {
        if (method === 'order.place') stamp()
      },
    },
    ['ETHUSDT'],
  )
  const grid = connector.instruments.get('ETHUSDT').priceGrid
  let inFlight = false
  let n = 0
  const target = WARM_UP + SAMPLES
  // order + cancel = 2 ORDERS per sample (300 per 10 s published): a tick is skipped while the limiter would delay either
  const orderAndCancel = { weight: 1, orders: 2 }
  await new Promise<void>((resolve) => {
    connector.marketData.on('bbo', (bbo: Bbo) => {
      if (inFlight || n >= target || connector.http.rateLimiter.delayMs(orderAndCancel) > 0) return
      inFlight = true
      pendingT0 = bbo.tsLocalNs
      const clientOrderId = `lat-${transport}-${n++}`
      const price = grid.format(grid.toTicks(bbo.bidPrice) - 50n)
      connector.execution
        .placeOrder({
          symbol: 'ETHUSDT',
          side: 'buy',
          price,
          sizeBase: '0.010',
          timeInForce: 'postOnly',
          clientOrderId,
        })
        .then(() => connector.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId }))
        .catch((error: unknown) => {
          // a venue rejection (e.g. -1015 when the previous run filled the account's order window) is counted; its
          // sample stands (the order frame did go out) and the limiter, now told by the venue, delays the next ticks
          rejected.push(error instanceof Error ? error.name : String(error))
        })
        .then(() => {
          inFlight = false
          if (n >= target) resolve()
        })
    })
    void connector.marketData.subscribeBbo('ETHUSDT')
  })
  await connector.marketData.close()
  if (rejected.length > 0)
    console.log(`${transport}: ${rejected.length} orders rejected (${[...new Set(rejected)].join(', ')})`)
  return { connector, samplesNs: samplesNs.slice(WARM_UP) }
}

function report(label: string, samplesNs: readonly bigint[]): void {
  const sorted = [...samplesNs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const pct = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!) / 1000
  console.log(
    `tick-to-order ${label}, ${sorted.length} samples: p50 ${pct(0.5).toFixed(1)} µs, p90 ${pct(0.9).toFixed(1)} µs, p99 ${pct(0.99).toFixed(1)} µs, max ${pct(1).toFixed(1)} µs`,
  )
}

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

const rest = await measure('rest')
report('REST (bookTicker frame in → signed POST /fapi/v1/order written)', rest.samplesNs)
const wsApi = await measure('wsApi')
report('WebSocket API (bookTicker frame in → signed order.place frame written)', wsApi.samplesNs)
const floor = await measureMachineFloor()
const f = (s: { p50Us: number; p99Us: number }) => `p50 ${s.p50Us.toFixed(1)} µs, p99 ${s.p99Us.toFixed(1)} µs`
console.log(
  `machine floor, one step every 5 ms (as on the order path) vs back-to-back: HMAC-SHA256 of the order ${f(floor.hmacColdUs)} (hot ${f(floor.hmacHotUs)}); 300-byte loopback TCP write ${f(floor.writeColdUs)} (hot ${f(floor.writeHotUs)})`,
)

afterAll(async () => {
  await rest.connector.close()
  await wsApi.connector.close()
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
