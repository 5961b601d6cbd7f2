import {
  type BboEvent,
  type BookEvent,
  decodeHedgerMessage,
  encodeHedgerMessage,
  type PlaceOrderCommand,
} from '@alp/hedger'
import { afterAll, bench, describe } from 'vitest'
import * as zmq from 'zeromq'
import {
  createInProcessBus,
  createZmqBus,
  freeLoopbackEndpoints,
  type MarketDataMessage,
  type TopicSubscriber,
} from '../src/index.js'

/**
 * Transport benchmarks, one run (vitest prints "N x faster than" per group; the summary at the end prints messages per
 * second, p50/p99 and the ratios):
 * 1. Throughput: BATCH market-data messages (bbo, and 20-level books) published and received, through the ZeroMQ bus (envelope, codec,
 *    sequence checks) against raw ZeroMQ on the same kind of PUB/SUB sockets (no envelope): the encoded payload alone,
 *    and the payload encoded and decoded with the same codec.
 * 2. Round trip of one command and its ack: ZeroMQ bus against in-process bus.
 * High-water marks are unlimited here so nothing is dropped (drops are tested, not benchmarked).
 */
const BATCH = 2000
const bbo = (i: number): BboEvent => ({
  type: 'bbo',
  tsNs: 1_704_412_800_000_000_000n + BigInt(i),
  venue: 'binance',
  bidPriceTicks: 226_500 + (i % 7),
  bidSizeLots: 3 + (i % 5),
  askPriceTicks: 226_501 + (i % 7),
  askSizeLots: 9,
})
/** A 20-level book each side, as the quote-server publishes with COLLECT_ORDERBOOK (the larger market-data payload). */
const book = (i: number): BookEvent => ({
  type: 'book',
  tsNs: 1_704_412_800_000_000_000n + BigInt(i),
  venue: 'binance',
  bids: Array.from({ length: 20 }, (_, l) => [226_500 + (i % 7) - l, 1 + ((i + l) % 900)] as const),
  asks: Array.from({ length: 20 }, (_, l) => [226_501 + (i % 7) + l, 1 + ((i * 3 + l) % 900)] as const),
})
const KINDS = {
  bbo: Array.from({ length: BATCH }, (_, i) => bbo(i)),
  'book (20 levels)': Array.from({ length: BATCH }, (_, i) => book(i)),
} satisfies Record<string, MarketDataMessage[]>
type Kind = keyof typeof KINDS
const PAYLOADS = Object.fromEntries(
  Object.entries(KINDS).map(([kind, list]) => [kind, list.map((m) => encodeHedgerMessage(m))]),
) as Record<Kind, string[]>
const payloadBytes = (kind: Kind) =>
  Math.round(PAYLOADS[kind].reduce((sum, p) => sum + Buffer.byteLength(p), 0) / PAYLOADS[kind].length)
const payloads = PAYLOADS.bbo

// vitest bench runs no beforeAll hooks before the tasks: set up at module level.
const endpoints = await freeLoopbackEndpoints()
const zmqA = createZmqBus({ endpoints })
const zmqB = createZmqBus({ endpoints })
const busPub = await zmqA.publisher('marketData', { heartbeatMs: 0, highWaterMark: 0 })
const busSub: TopicSubscriber<unknown> = await zmqB.subscriber('marketData', { highWaterMark: 0, silenceMs: 0 })
let busReceived = 0
busSub.on('message', () => {
  busReceived += 1
})

const rawEndpoint = (await freeLoopbackEndpoints()).marketData.bind
// The bus's PUB options (sendTimeout 0: every send queued synchronously).
const rawPub = new zmq.Publisher({ linger: 0, sendHighWaterMark: 0, sendTimeout: 0 })
await rawPub.bind(rawEndpoint)
const rawSub = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 })
rawSub.connect(rawEndpoint)
rawSub.subscribe('marketData')
let rawReceived = 0
let rawDecode = false
void (async () => {
  for await (const [, payload] of rawSub) {
    if (rawDecode) decodeHedgerMessage(payload?.toString() ?? '')
    rawReceived += 1
  }
})()

/** Waits (polling the event loop) until `count()` reaches `target`. */
async function until(count: () => number, target: number): Promise<void> {
  const deadline = Date.now() + 10_000
  while (count() < target) {
    if (Date.now() > deadline) throw new Error(`stuck at ${count()} of ${target}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

// Let the subscriptions reach the publishers (slow joiner) before measuring.
for (let warm = 0; busReceived === 0 || rawReceived === 0; warm++) {
  if (warm > 500) throw new Error('subscriptions never came up')
  busPub.publish(bbo(warm))
  await rawPub.send(['marketData', payloads[0] as string])
  await new Promise((resolve) => setTimeout(resolve, 10))
}
busReceived = 0
rawReceived = 0

// Messages per second of every batch (the summary reports the median: the machine may be shared).
const rates = new Map<string, number[]>()
function measured(name: string, run: () => Promise<void>): () => Promise<void> {
  return async () => {
    const start = performance.now()
    await run()
    const list = rates.get(name) ?? []
    list.push((BATCH / (performance.now() - start)) * 1000)
    rates.set(name, list)
  }
}

const BUS = 'zeromq bus (envelope, codec, sequence checks)'
const RAW = 'raw zeromq (same payload, no envelope)'
const RAW_CODEC = 'raw zeromq + hedger codec (encode/decode, no envelope)'
const key = (kind: Kind, name: string) => `${kind}: ${name}`

const THROUGHPUT = { time: 2000 }
for (const kind of Object.keys(KINDS) as Kind[]) {
  const messages = KINDS[kind]
  const encoded = PAYLOADS[kind]
  describe(`throughput: ${BATCH} market-data messages, ${kind} (~${payloadBytes(kind)} B payload)`, () => {
    bench(
      key(kind, BUS),
      measured(key(kind, BUS), async () => {
        const target = busReceived + BATCH
        for (const m of messages) busPub.publish(m)
        await until(() => busReceived, target)
      }),
      THROUGHPUT,
    )
    bench(
      key(kind, RAW),
      measured(key(kind, RAW), async () => {
        rawDecode = false
        const target = rawReceived + BATCH
        for (const p of encoded) void rawPub.send(['marketData', p])
        await until(() => rawReceived, target)
      }),
      THROUGHPUT,
    )
    bench(
      key(kind, RAW_CODEC),
      measured(key(kind, RAW_CODEC), async () => {
        rawDecode = true
        const target = rawReceived + BATCH
        for (const m of messages) void rawPub.send(['marketData', encodeHedgerMessage(m)])
        await until(() => rawReceived, target)
      }),
      THROUGHPUT,
    )
  })
}

// Commands: one placeOrder and its ack per iteration, a new client order id each time (each executes).
const command = (i: number): PlaceOrderCommand => ({
  type: 'placeOrder',
  tsNs: BigInt(i),
  venue: 'binance',
  clientOrderId: `bench-${i}`,
  side: 'buy',
  priceTicks: 226_500,
  sizeLots: 1,
  price: '2265.00',
  sizeBase: '0.001',
  postOnly: true,
})
await zmqA.commandServer('venueCommands', () => ({ ok: true }))
const zmqClient = await zmqB.commandClient('venueCommands', { ackTimeoutMs: 5000 })
const inproc = createInProcessBus()
await inproc.commandServer('venueCommands', () => ({ ok: true }))
const inprocClient = await inproc.commandClient('venueCommands', { ackTimeoutMs: 5000 })
await zmqClient.send(command(-1)) // connect before measuring
const latencies = new Map<string, number[]>()
let next = 0
function roundTrip(name: string, client: typeof zmqClient): () => Promise<void> {
  return async () => {
    const start = performance.now()
    await client.send(command(next++))
    const list = latencies.get(name) ?? []
    list.push(performance.now() - start)
    latencies.set(name, list)
  }
}
const ZMQ_CMD = 'zeromq bus: command + ack'
const INPROC_CMD = 'in-process bus: command + ack'
describe('round trip: one command and its ack', () => {
  bench(ZMQ_CMD, roundTrip(ZMQ_CMD, zmqClient))
  bench(INPROC_CMD, roundTrip(INPROC_CMD, inprocClient))
})

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

afterAll(async () => {
  const rate = (name: string) => {
    const sorted = [...(rates.get(name) ?? [])].sort((x, y) => x - y)
    return quantile(sorted, 0.5)
  }
  const lines = ['', 'transport bench summary']
  for (const kind of Object.keys(KINDS) as Kind[]) {
    lines.push(`  ${kind}, ~${payloadBytes(kind)} B payload:`)
    for (const name of [BUS, RAW, RAW_CODEC])
      lines.push(
        `    ${name}: median ${Math.round(rate(key(kind, name))).toLocaleString('en-US')} msg/s (${rates.get(key(kind, name))?.length ?? 0} batches)`,
      )
    lines.push(
      `    bus / raw: ${(rate(key(kind, BUS)) / rate(key(kind, RAW))).toFixed(2)}×, bus / raw+codec: ${(rate(key(kind, BUS)) / rate(key(kind, RAW_CODEC))).toFixed(2)}×`,
    )
  }
  // The sequence checks ran on every message: with unlimited high-water marks none may be missing.
  const stats = busSub.stats
  lines.push(
    `  bus subscriber sequence checks: ${stats.messages.toLocaleString('en-US')} messages, ${stats.gaps} gaps, ${stats.missed} missed${stats.gaps > 0 ? ' (UNEXPECTED: nothing should drop here)' : ''}`,
  )
  const p = (name: string) => {
    const sorted = [...(latencies.get(name) ?? [])].sort((x, y) => x - y)
    return { p50: quantile(sorted, 0.5) * 1000, p99: quantile(sorted, 0.99) * 1000, n: sorted.length }
  }
  const z = p(ZMQ_CMD)
  const i = p(INPROC_CMD)
  lines.push(`  ${ZMQ_CMD}: p50 ${z.p50.toFixed(1)} µs, p99 ${z.p99.toFixed(1)} µs (${z.n} samples)`)
  lines.push(`  ${INPROC_CMD}: p50 ${i.p50.toFixed(1)} µs, p99 ${i.p99.toFixed(1)} µs (${i.n} samples)`)
  lines.push(`  zeromq / in-process: p50 ${(z.p50 / i.p50).toFixed(1)}×, p99 ${(z.p99 / i.p99).toFixed(1)}×`)
  console.log(lines.join('\n'))
  await zmqA.close()
  await zmqB.close()
  await inproc.close()
  rawPub.close()
  rawSub.close()
})
