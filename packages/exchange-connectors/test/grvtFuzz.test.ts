import type { AddressInfo } from 'node:net'
import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { systemClock } from '../src/common/clock.js'
import type { Fill, Position } from '../src/common/types/account.js'
import type { Trade } from '../src/common/types/marketData.js'
import type { Order } from '../src/common/types/order.js'
import { MalformedFrameError } from '../src/errors/transport.js'
import { GrvtExecutionClient } from '../src/grvt/execution.js'
import { GrvtHttpClient } from '../src/grvt/http/client.js'
import { GrvtMarketDataClient } from '../src/grvt/marketData.js'
import { parseGrvtFill } from '../src/grvt/parse/parseFill.js'
import { parseGrvtOrder } from '../src/grvt/parse/parseOrder.js'
import { parseGrvtPosition } from '../src/grvt/parse/parsePosition.js'
import { parseGrvtTrade } from '../src/grvt/parse/parseTrade.js'
import { parseGrvtBook } from '../src/grvt/schemas/book.js'
import { GrvtPrivateStream } from '../src/grvt/ws/privateStream.js'
import { waitFor } from './src/waitFor.js'

// Hostile GRVT frames (non-finite numbers, wrong types, missing fields, bad enums, non-integer times, huge and deeply
// nested frames) through the parsers and through real sockets: nothing escapes as an uncaught exception, and every
// frame is either emitted or counted (malformed, or ignored when it is not a feed at all).
const KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d'
const SUB = '8289849667772468'
const INSTRUMENT = 'BTC_USDT_Perp'
const DECIMAL = /^-?\d+(\.\d+)?$/

const validOrder = () => ({
  order_id: '0x1a',
  sub_account_id: SUB,
  is_market: false,
  time_in_force: 'GOOD_TILL_TIME',
  post_only: true,
  reduce_only: false,
  legs: [{ instrument: INSTRUMENT, size: '0.010', limit_price: '65000.0', is_buying_asset: true }],
  metadata: { client_order_id: '9223372036854775809', create_time: '1700000000000000000' },
  state: {
    status: 'OPEN',
    traded_size: ['0.000'],
    avg_fill_price: ['0'],
    book_size: ['0.010'],
    update_time: '1700000000000000000',
  },
})
const validFill = () => ({
  event_time: '1700000000000000000',
  instrument: INSTRUMENT,
  is_buyer: true,
  is_taker: false,
  size: '0.003',
  price: '65000.0',
  fee: '-0.0195',
  trade_id: '42',
  order_id: '0x1a',
  client_order_id: '9223372036854775809',
})
const validPosition = () => ({
  event_time: '1700000000000000000',
  instrument: INSTRUMENT,
  size: '-0.003',
  entry_price: '65000.0',
  unrealized_pnl: '1.5',
})
const validTrade = () => ({
  event_time: '1700000000000000000',
  instrument: INSTRUMENT,
  is_taker_buyer: true,
  size: '0.003',
  price: '65000.0',
  trade_id: '7',
})

/** Values that must never pass as a decimal, a time, an enum or a boolean. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e5',
    '0x10',
    '',
    ' 1',
    '1.',
    '.5',
    '1.5',
    '-1',
    '1700000000000000000.5',
    'abc',
    '99999999999999999999999999',
    'BOGUS',
    'true',
    null,
    true,
    false,
    0,
    -1,
    1.5,
    Number.NaN,
    [],
    {},
  ),
  fc.anything(),
)

/** A valid object with one field (possibly nested) replaced by a hostile value or deleted. */
function mutated<T extends Record<string, unknown>>(make: () => T) {
  const paths = leafPaths(make())
  return fc.tuple(fc.constantFrom(...paths), hostileValue, fc.boolean()).map(([path, value, remove]) => {
    const copy = structuredClone(make()) as Record<string, unknown>
    let target = copy as Record<string, unknown>
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>
    const last = path[path.length - 1] as string
    if (remove) delete target[last]
    else target[last] = value
    return copy
  })
}

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix]
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    [...prefix, k],
    ...(v !== null && typeof v === 'object' ? leafPaths(v, [...prefix, k]) : []),
  ])
}

function deeplyNested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}

/** The payload of a feed for a stream: valid, mutated, or anything at all. */
function feedFor(make: () => Record<string, unknown>) {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(make()) },
    { weight: 6, arbitrary: mutated(make) },
    {
      weight: 1,
      arbitrary: fc.anything(),
    },
  )
}

/** Whole frames: feeds on the given streams, plus garbage text, bare JSON values, huge and deeply nested frames. */
function frames(streams: Array<[string, () => Record<string, unknown>]>, selector: string) {
  // book deltas are mutated as whole frames (their sequence numbers too); other streams as the feed of a frame
  const feedFrames = streams.map(([stream, make]) =>
    stream === 'v1.book.d'
      ? feedFor(make).map((frame) => JSON.stringify(frame))
      : feedFor(make).map((feed) => JSON.stringify({ stream, selector, sequence_number: '1', feed })),
  )
  return fc.oneof(
    { weight: 12, arbitrary: fc.oneof(...feedFrames) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'null',
        '5',
        '"text"',
        '[]',
        '{"params":null}',
        '{"params":{"stream":"v1.fill","feed":null}}',
        deeplyNested(20_000),
        `[${'['.repeat(50_000)}${']'.repeat(50_000)}]`,
        JSON.stringify({ stream: streams[0]?.[0], selector, feed: { instrument: 'x'.repeat(1_000_000) } }),
      ),
    },
  )
}

describe('GRVT parsers under hostile input', () => {
  const cases: Array<[string, (data: unknown) => unknown, () => Record<string, unknown>]> = [
    ['order', parseGrvtOrder, validOrder],
    ['fill', parseGrvtFill, validFill],
    ['position', parseGrvtPosition, validPosition],
    ['trade', (d) => parseGrvtTrade(d, 0n), validTrade],
    [
      'book',
      parseGrvtBook,
      () => ({
        stream: 'v1.book.d',
        selector: `${INSTRUMENT}@100`,
        sequence_number: '3',
        feed: { event_time: '1', instrument: INSTRUMENT, bids: [{ price: '1.0', size: '2', num_orders: 1 }], asks: [] },
      }),
    ],
  ]
  for (const [name, parse, make] of cases)
    it(`${name}: a valid result or MalformedFrameError, nothing else; decimals finite, times integral`, () => {
      expect(() => parse(make())).not.toThrow()
      fc.assert(
        fc.property(fc.oneof(mutated(make), fc.anything()), (data) => {
          let out: unknown
          try {
            out = parse(data)
          } catch (error) {
            expect(error).toBeInstanceOf(MalformedFrameError)
            return
          }
          const o = out as Record<string, unknown>
          for (const key of ['price', 'sizeBase', 'fee', 'entryPrice', 'unrealizedPnlQuote', 'filledSizeBase'])
            if (key in o) expect(String(o[key])).toMatch(DECIMAL)
          if ('tsExchangeMs' in o) expect(Number.isSafeInteger(o.tsExchangeMs)).toBe(true)
          if ('side' in o) expect(['buy', 'sell']).toContain(o.side)
        }),
        { numRuns: 400, seed: 11 },
      )
    })

  it('a fill without is_buyer, or a price "NaN", is malformed (never a sell, never emitted)', () => {
    const { is_buyer: _, ...noSide } = validFill()
    expect(() => parseGrvtFill(noSide)).toThrow(MalformedFrameError)
    expect(() => parseGrvtFill({ ...validFill(), price: 'NaN' })).toThrow(MalformedFrameError)
    expect(() => parseGrvtTrade({ ...validTrade(), price: 'NaN' }, 0n)).toThrow(MalformedFrameError)
    expect(() => parseGrvtTrade({ ...validTrade(), event_time: '1.5' }, 0n)).toThrow(MalformedFrameError)
    expect(() => parseGrvtOrder({ ...validOrder(), time_in_force: 'BOGUS' })).toThrow(MalformedFrameError)
  })
})

const bookSnapshot = () =>
  JSON.stringify({
    stream: 'v1.book.d',
    selector: `${INSTRUMENT}@100`,
    sequence_number: '0',
    feed: {
      event_time: '1700000000000000000',
      instrument: INSTRUMENT,
      bids: [{ price: '64999.9', size: '1.000', num_orders: 1 }],
      asks: [{ price: '65000.1', size: '1.000', num_orders: 1 }],
    },
  })

/** A book delta on top of `bookSnapshot` (sequence 1, then whatever the mutation makes of it). */
const validBookDelta = () => ({
  stream: 'v1.book.d',
  selector: `${INSTRUMENT}@100`,
  sequence_number: '1',
  prev_sequence_number: '0',
  feed: {
    event_time: '1700000000100000000',
    instrument: INSTRUMENT,
    bids: [{ price: '64999.8', size: '0.500', num_orders: 1 }],
    asks: [],
  },
})

/**
 * A local GRVT-like WebSocket server: acks subscriptions (when asked), answers a `v1.book.d` subscribe with a snapshot,
 * pushes the frames the test gives it, and counts every frame it sends.
 */
async function localServer(ackSubscriptions: boolean) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  let sent = 0
  const send = (socket: { send(text: string): void }, text: string) => {
    sent++
    socket.send(text)
  }
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const req = JSON.parse(String(data)) as { id: number; method: string; params: { stream: string } }
      if (ackSubscriptions)
        send(socket, JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { stream: req.params.stream, subs: [] } }))
      if (req.method === 'subscribe' && req.params.stream === 'v1.book.d') send(socket, bookSnapshot())
    })
  })
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/full`,
    sent: () => sent,
    push: (texts: string[]) => {
      for (const client of server.clients) for (const text of texts) send(client, text)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('GRVT streams under hostile frames (real sockets)', () => {
  let emu: RunningGrvtEmulator
  const uncaught: unknown[] = []
  const onUncaught = (error: unknown) => uncaught.push(error)

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught)
    emu = await startGrvtEmulator({
      port: 0,
      accounts: [{ apiKey: 'fuzz', signerPrivateKeys: [KEY], subAccountId: SUB, balances: { USDT: '1000' } }],
      market: { kind: 'none' },
    })
  })
  afterAll(async () => {
    process.off('uncaughtException', onUncaught)
    await emu.close()
  })

  const http = () =>
    new GrvtHttpClient({
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      apiKey: 'fuzz',
      clock: systemClock,
    })

  it('private stream: every order/fill/position frame is emitted or counted as malformed; no uncaught exception', async () => {
    const server = await localServer(true)
    const execution = new GrvtExecutionClient({
      http: http(),
      signerPrivateKey: KEY,
      subAccountId: SUB,
      chainId: 326,
      clock: systemClock,
      nextNonce: () => 1,
    })
    const stream = new GrvtPrivateStream({
      wsUrl: server.url,
      http: http(),
      subAccountId: SUB,
      execution,
      clock: systemClock,
      random: () => 0.5,
    })
    const emitted: Array<Order | Fill | Position> = []
    const malformed: MalformedFrameError[] = []
    stream.on('order', (o) => emitted.push(o))
    stream.on('fill', (f) => emitted.push(f))
    stream.on('position', (p) => emitted.push(p))
    stream.on('malformed', (e) => malformed.push(e))
    stream.on('error', () => {})
    try {
      await stream.start()
      const before = stream.metrics()
      const texts = fc.sample(
        frames(
          [
            ['v1.order', validOrder],
            ['v1.fill', validFill],
            ['v1.position', validPosition],
          ],
          SUB,
        ),
        { numRuns: 600, seed: 5 },
      )
      server.push(texts)
      await waitFor(
        () => stream.metrics().framesReceived - before.framesReceived === texts.length,
        'all frames in',
        30_000,
      )
      const m = stream.metrics()
      expect(uncaught).toEqual([])
      expect(m.malformedFrames - before.malformedFrames).toBe(malformed.length)
      expect(emitted.length + malformed.length + (m.ignoredFrames - before.ignoredFrames)).toBe(texts.length)
      expect(malformed.length).toBeGreaterThan(100)
      expect(emitted.length).toBeGreaterThan(10)
      for (const e of malformed) expect(e).toBeInstanceOf(MalformedFrameError)
    } finally {
      stream.stop()
      await server.close()
    }
  })

  it('market data: every trade and book frame is emitted or counted (malformed or ignored); no uncaught exception', async () => {
    const server = await localServer(false)
    const md = new GrvtMarketDataClient({ wsUrl: server.url, http: http(), clock: systemClock, random: () => 0.5 })
    const emitted = { trade: 0, book: 0, resync: 0 }
    const malformed: MalformedFrameError[] = []
    const trades: Trade[] = []
    md.on('trade', (t) => {
      emitted.trade++
      trades.push(t)
    })
    md.on('book', () => emitted.book++)
    md.on('resync', () => emitted.resync++)
    md.on('malformed', (e) => malformed.push(e))
    try {
      await md.subscribeBook(INSTRUMENT)
      await md.subscribeTrades(INSTRUMENT)
      const texts = fc.sample(
        frames(
          [
            ['v1.trade', validTrade],
            ['v1.book.d', validBookDelta],
          ],
          `${INSTRUMENT}@500`,
        ),
        { numRuns: 600, seed: 9 },
      )
      server.push(texts)
      await waitFor(() => md.metrics().framesReceived === server.sent(), 'all frames in', 30_000)
      // resyncs resubscribe and get a new snapshot: wait until the socket is quiet
      let last = -1
      await waitFor(
        () => {
          const now = server.sent()
          const done = now === last && md.metrics().framesReceived === now
          last = now
          return done
        },
        'no frame in flight',
        30_000,
      )
      const m = md.metrics()
      expect(uncaught).toEqual([])
      expect(m.malformedFrames).toBe(malformed.length)
      expect(emitted.trade + emitted.book + emitted.resync + m.malformedFrames + m.ignoredFrames).toBe(m.framesReceived)
      expect(malformed.length).toBeGreaterThan(100)
      expect(emitted.trade).toBeGreaterThan(10)
      expect(emitted.book).toBeGreaterThan(1)
      for (const t of trades) {
        expect(t.price).toMatch(DECIMAL)
        expect(Number.isSafeInteger(t.tsExchangeMs)).toBe(true)
      }
    } finally {
      await md.close()
      await server.close()
    }
  })
})
