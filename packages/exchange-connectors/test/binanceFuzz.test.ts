import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { parseAccountUpdate } from '../src/binance/parse/parseAccountUpdate.js'
import { parseBookTicker } from '../src/binance/parse/parseBookTicker.js'
import { parseDepthUpdate } from '../src/binance/parse/parseDepthUpdate.js'
import { parseOrderUpdate } from '../src/binance/parse/parseOrderUpdate.js'
import { parseTrade } from '../src/binance/parse/parseTrade.js'
import type { BinanceSpotUserDataStream } from '../src/binance/ws/spotUserData.js'
import type { BinanceUserDataStream } from '../src/binance/ws/userData.js'
import { MalformedFrameError } from '../src/errors/transport.js'
import { configFor, startEmulator } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

/*
 * Hostile frames for the Binance market-data (depth, bookTicker, trade, aggTrade) and user-data (ORDER_TRADE_UPDATE,
 * ACCOUNT_UPDATE, spot executionReport) parsers, first straight into the parsers, then over a real local WebSocket into
 * the real clients. Frames are captured venue payloads (src/binance/test-data) with fields replaced by non-finite
 * numbers, wrong types, bad enums, or removed, plus huge and deeply nested frames. Must hold: no uncaught exception,
 * and every frame is counted: delivered, or reported as a typed MalformedFrameError.
 */
const testData = resolve(dirname(fileURLToPath(import.meta.url)), '../src/binance/test-data')
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(resolve(testData, name), 'utf8'))
const data = (name: string) => fixture(name).data as Record<string, unknown>

const DEPTH = data('ws_depth_update.json')
const BOOK_TICKER = data('ws_book_ticker.json')
const AGG_TRADE = fixture('ws_agg_trade.json')
const TRADE = data('ws_trade.json')
const ORDER_TRADE_UPDATE = fixture('ws_order_trade_update.json')
const ACCOUNT_UPDATE = fixture('ws_account_update.json')
const EXECUTION_REPORT = {
  e: 'executionReport',
  E: 1499405658658,
  s: 'ETHUSDT',
  c: 'mUvoqJxFIILMdfAW5iGSOW',
  S: 'BUY',
  o: 'LIMIT',
  f: 'GTC',
  q: '1.00000000',
  p: '0.10264410',
  C: '',
  x: 'TRADE',
  X: 'PARTIALLY_FILLED',
  r: 'NONE',
  i: 4293153,
  l: '0.50000000',
  z: '0.50000000',
  L: '0.10264410',
  n: '0.0001',
  N: 'ETH',
  T: 1499405658657,
  t: 12,
  m: true,
}

/** Marker strings replaced on the wire by number tokens JSON.parse turns into ±Infinity. */
const POS_INF = '\u0000+inf'
const NEG_INF = '\u0000-inf'

/** Frame text: non-finite numbers become `1e400` / `-1e400` (JSON.parse reads them as ±Infinity). */
function toWire(frame: unknown): string {
  const text = JSON.stringify(frame, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? (v < 0 ? NEG_INF : POS_INF) : v,
  )
  return (text ?? 'undefined')
    .replaceAll(JSON.stringify(POS_INF), '1e400')
    .replaceAll(JSON.stringify(NEG_INF), '-1e400')
}

function nest(depth: number, leaf: unknown): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value]
  return value
}

/** Values a broken or hostile venue could put in any field. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    1e21,
    2 ** 53,
    -(2 ** 53) - 2,
    0.5,
    -1,
    '',
    ' ',
    '1e5',
    '-0',
    'NaN',
    'Infinity',
    '1,5',
    '０.１',
    '0x10',
    '.5',
    '5.',
    'BUY ',
    'HOLD',
    'FILLEDX',
    'depthUpdateX',
    null,
    true,
    false,
    [],
    {},
    [['1', '2', '3']],
    [[1, 2]],
    [['2681.62']],
  ),
  fc.double(),
  fc.integer(),
  fc.bigInt().map(String),
  fc.string({ maxLength: 30 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.nat({ max: 200 }).map((depth) => nest(depth, 1)),
)

/** Paths of every field in `value` (objects and arrays), e.g. `['o', 'X']`, `['b', '0', '1']`. */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return []
  const out: string[][] = []
  for (const [k, v] of Object.entries(value)) {
    out.push([...prefix, k])
    // long level arrays: the first two levels are enough to reach every shape
    if (Array.isArray(value) && Number(k) > 1) continue
    out.push(...fieldPaths(v, [...prefix, k]))
  }
  return out
}

function withField(base: unknown, path: readonly string[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(base)
  let target = copy as Record<string, unknown>
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>
  const last = path[path.length - 1]!
  if (remove) delete target[last]
  else target[last] = value
  return copy
}

/** A captured frame with 1–4 fields replaced or removed, the frame replaced whole, or left intact. */
function hostileFrame(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths = fieldPaths(base)
  const edit = fc.record({ path: fc.constantFrom(...paths), value: hostileValue, remove: fc.boolean() })
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.array(edit, { minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: hostileValue.map((value) => ({ whole: value })) },
      { weight: 1, arbitrary: fc.constant({ intact: true }) },
    )
    .map((plan) => {
      if (Array.isArray(plan)) {
        let frame: unknown = base
        for (const e of plan) {
          try {
            frame = withField(frame, e.path, e.value, e.remove)
          } catch {
            // the path no longer exists (an earlier edit replaced its parent): keep the frame as it is
          }
        }
        return frame
      }
      return 'whole' in plan ? plan.whole : structuredClone(base)
    })
}

/** Frames no generator produces by chance: huge and deeply nested ones. */
function extremeFrames(base: Record<string, unknown>): unknown[] {
  const level = ['2681.62', '1.000']
  return [
    { ...base, b: Array.from({ length: 20_000 }, () => level), a: Array.from({ length: 20_000 }, () => level) },
    { ...base, s: 'X'.repeat(1_000_000) },
    nest(20_000, base),
    { ...base, extra: nest(20_000, 'deep') },
    Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])),
  ]
}

/** `extremeFrames` as wire texts (deep nesting written directly: JSON.stringify itself recurses). */
function extremeTexts(base: Record<string, unknown>, wrap: (inner: string) => string): string[] {
  const depth = 20_000
  const deep = (leaf: string) => `${'{"a":['.repeat(depth / 2)}${leaf}${']}'.repeat(depth / 2)}`
  const baseText = toWire(base)
  return [
    ...extremeFrames(base)
      .filter((_, i) => i !== 2 && i !== 3)
      .map((frame) => wrap(toWire(frame))),
    wrap(deep(baseText)),
    wrap(`${baseText.slice(0, -1)},"extra":${deep('"deep"')}}`),
  ]
}

const PARSERS: [string, Record<string, unknown>, (frame: unknown) => unknown][] = [
  ['depthUpdate', DEPTH, (f) => parseDepthUpdate(f, 'binance-usdm')],
  ['bookTicker', BOOK_TICKER, (f) => parseBookTicker(f, 'binance-usdm')],
  ['aggTrade', AGG_TRADE, (f) => parseTrade(f, 'binance-usdm')],
  ['trade', TRADE, (f) => parseTrade(f, 'binance-usdm')],
  ['ORDER_TRADE_UPDATE', ORDER_TRADE_UPDATE, (f) => parseOrderUpdate(f, 'binance-usdm')],
  ['ACCOUNT_UPDATE', ACCOUNT_UPDATE, (f) => parseAccountUpdate(f, 'binance-usdm')],
  ['executionReport', EXECUTION_REPORT, (f) => parseOrderUpdate(f, 'binance-spot')],
]

describe('Binance parsers on hostile frames', () => {
  for (const [name, base, parse] of PARSERS) {
    it(`${name}: returns a value or throws MalformedFrameError, nothing else`, () => {
      const check = (frame: unknown) => {
        try {
          parse(frame)
        } catch (error) {
          if (!(error instanceof MalformedFrameError)) throw error
        }
      }
      fc.assert(fc.property(hostileFrame(base), check), { numRuns: 400, seed: 20261207 })
      // the same frames after a trip over the wire (non-finite numbers arrive as ±Infinity)
      fc.assert(
        fc.property(hostileFrame(base), (frame) => check(JSON.parse(toWire(frame)))),
        { numRuns: 200, seed: 7 },
      )
      for (const frame of extremeFrames(base)) check(frame)
      // the intact capture still parses
      expect(() => parse(structuredClone(base))).not.toThrow()
    })
  }
})

describe('Binance parsers refuse values no venue sends', () => {
  const malformed = (parse: () => unknown) => expect(parse).toThrow(MalformedFrameError)
  it('a negative price or size is malformed, never passed on (a signed position size stays allowed)', () => {
    for (const field of ['b', 'B', 'a', 'A'])
      malformed(() => parseBookTicker({ ...BOOK_TICKER, [field]: '-1.00' }, 'binance-usdm'))
    for (const field of ['p', 'q']) malformed(() => parseTrade({ ...AGG_TRADE, [field]: '-0.001' }, 'binance-usdm'))
    const o = ORDER_TRADE_UPDATE.o as Record<string, unknown>
    for (const field of ['p', 'q', 'z', 'ap', 'l', 'L'])
      malformed(() =>
        parseOrderUpdate({ ...ORDER_TRADE_UPDATE, o: { ...o, x: 'TRADE', [field]: '-1' } }, 'binance-usdm'),
      )
    for (const field of ['p', 'q', 'z', 'l', 'L'])
      malformed(() => parseOrderUpdate({ ...EXECUTION_REPORT, [field]: '-1' }, 'binance-spot'))
    const short = {
      ...ACCOUNT_UPDATE,
      a: { ...(ACCOUNT_UPDATE.a as object), P: [{ s: 'ETHUSDT', pa: '-0.5', ep: '2600', up: '-1.2', ps: 'BOTH' }] },
    }
    expect(parseAccountUpdate(short, 'binance-usdm').positions[0]?.sizeBase).toBe('-0.5')
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Over a real WebSocket into the real clients: a local server plays the venue's stream endpoints; REST (time,
// exchangeInfo, listenKey, reconciliation) is the emulator.

let emu: RunningBinanceEmulator
let server: WebSocketServer
let serverUrl: string
const sockets: ServerSocket[] = []
const opened: BinanceConnector[] = []

beforeAll(async () => {
  emu = await startEmulator()
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  serverUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  server.on('connection', (socket) => {
    sockets.push(socket)
    // spot user data: answer userDataStream.subscribe.signature like the WS-API does
    socket.on('message', (raw) => {
      const request = JSON.parse(raw.toString()) as { id?: unknown; method?: unknown }
      if (request.method === 'userDataStream.subscribe.signature')
        socket.send(JSON.stringify({ id: request.id, status: 200, result: { subscriptionId: 0 } }))
    })
  })
})
afterAll(async () => {
  for (const c of opened) await c.close()
  for (const s of sockets) s.terminate()
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await emu?.close()
})

/** Sends every frame on the latest server-side connection, in order. */
async function sendAll(texts: readonly string[]): Promise<void> {
  const socket = sockets.at(-1)!
  for (const text of texts)
    await new Promise<void>((resolve, reject) => socket.send(text, (e) => (e ? reject(e) : resolve())))
}

/** `count` generated hostile frames and the extreme ones, as wire texts inside `wrap`. */
function sample(
  base: Record<string, unknown>,
  count: number,
  seed: number,
  wrap: (inner: string) => string = (inner) => inner,
): string[] {
  return [
    ...fc.sample(hostileFrame(base), { numRuns: count, seed }).map((frame) => wrap(toWire(frame))),
    ...extremeTexts(base, wrap),
  ]
}

const streamEnvelope = (stream: string) => (inner: string) => `{"stream":${JSON.stringify(stream)},"data":${inner}}`

describe('market data client on hostile frames over a WebSocket', () => {
  it('bookTicker, aggTrade, trade, depth: every frame delivered or reported as MalformedFrameError', async () => {
    const config = configFor(emu)
    const c = await createBinanceConnector(
      { ...config, urls: { ...config.urls, wsPublicUrl: serverUrl, wsMarketUrl: serverUrl } },
      ['ETHUSDT'],
    )
    opened.push(c)
    const errors: unknown[] = []
    let delivered = 0
    c.marketData.on('health', (event) => {
      if (event.kind === 'error') errors.push(event.error)
    })
    c.marketData.on('bbo', () => delivered++)
    c.marketData.on('trade', () => delivered++)
    // one socket per path (/public, /market); both end up on this server
    await c.marketData.subscribeBbo('ETHUSDT')
    const bboSocket = sockets.at(-1)!
    await c.marketData.subscribeTrades('ETHUSDT')
    const tradeSocket = sockets.at(-1)!
    expect(bboSocket).not.toBe(tradeSocket)

    const send = async (socket: ServerSocket, texts: string[]) => {
      for (const text of texts)
        await new Promise<void>((resolve, reject) => socket.send(text, (e) => (e ? reject(e) : resolve())))
    }
    const bboTexts = sample({ ...BOOK_TICKER, s: 'ETHUSDT' }, 300, 1, streamEnvelope('ethusdt@bookTicker'))
    const aggTexts = sample({ ...AGG_TRADE, s: 'ETHUSDT' }, 300, 2, streamEnvelope('ethusdt@aggTrade'))
    const tradeTexts = sample({ ...TRADE, s: 'ETHUSDT' }, 200, 3, streamEnvelope('ethusdt@trade'))
    // frames that are not even a combined-stream envelope
    const rawTexts = ['not json', '{', 'null', '42', '[]', '{"stream":1,"data":{}}', '{"stream":"ethusdt@bookTicker"}']
    await send(bboSocket, [...bboTexts, ...rawTexts])
    await send(tradeSocket, [...aggTexts, ...tradeTexts])
    const total = bboTexts.length + aggTexts.length + tradeTexts.length
    await waitFor(
      () => delivered + errors.length === total + rawTexts.length,
      `every one of ${total + rawTexts.length} frames delivered or reported`,
      30_000,
    )
    for (const error of errors) expect(error).toBeInstanceOf(MalformedFrameError)
    expect(c.marketData.metrics().malformedFrames).toBe(errors.length)
    expect(c.marketData.metrics().framesReceived).toBe(total)
    // hostile frames did not stop the stream: an intact frame still arrives
    const before = delivered
    await send(bboSocket, [streamEnvelope('ethusdt@bookTicker')(toWire({ ...BOOK_TICKER, s: 'ETHUSDT' }))])
    await waitFor(() => delivered === before + 1, 'an intact bookTicker after the hostile ones')
  })

  it('depth: every frame reaches the book or is reported as MalformedFrameError; the book never holds a bad level', async () => {
    const config = configFor(emu)
    const c = await createBinanceConnector({ ...config, urls: { ...config.urls, wsPublicUrl: serverUrl } }, ['ETHUSDT'])
    opened.push(c)
    const errors: unknown[] = []
    c.marketData.on('health', (event) => {
      if (event.kind === 'error') errors.push(event.error)
    })
    // the emulator serves the snapshot (empty market): once synced, hostile events hit a live book
    await c.marketData.subscribeBook('ETHUSDT')
    const texts = sample({ ...DEPTH, s: 'ETHUSDT' }, 300, 4, streamEnvelope('ethusdt@depth@100ms'))
    await sendAll(texts)
    await waitFor(
      () => c.marketData.metrics().framesReceived === texts.length,
      `all ${texts.length} depth frames received`,
      30_000,
    )
    for (const error of errors) expect(error).toBeInstanceOf(MalformedFrameError)
    expect(c.marketData.metrics().malformedFrames).toBe(errors.length)
    expect(errors.length).toBeGreaterThan(0)
    const book = c.marketData.getDepthBook('ETHUSDT')!
    for (const [ticks, lots] of [...book.book.bids(), ...book.book.asks()]) {
      expect(Number.isSafeInteger(ticks) && Number.isSafeInteger(lots)).toBe(true)
      expect(lots).toBeGreaterThan(0)
    }
  })
})

describe('user data streams on hostile frames over a WebSocket', () => {
  it('USDⓈ-M listenKey stream: ORDER_TRADE_UPDATE / ACCOUNT_UPDATE frames are all counted', async () => {
    const config = configFor(emu)
    const c = await createBinanceConnector({ ...config, urls: { ...config.urls, wsPrivateUrl: serverUrl } }, [
      'ETHUSDT',
    ])
    opened.push(c)
    const stream = c.userData as BinanceUserDataStream
    const errors: unknown[] = []
    stream.on('health', (event) => {
      if (event.kind === 'error') errors.push(event.error)
    })
    await stream.start()
    const texts = [
      ...sample(ORDER_TRADE_UPDATE, 300, 5),
      ...sample(ACCOUNT_UPDATE, 300, 6),
      '{"e":"TRADE_LITE","E":1}',
      '{"e":17}',
      'not json',
      '[]',
      'null',
    ]
    await sendAll(texts)
    await waitFor(() => stream.frameCounts.received === texts.length, `all ${texts.length} frames received`, 30_000)
    const { handled, ignored, malformed } = stream.frameCounts
    expect(handled + ignored + malformed).toBe(texts.length)
    expect(malformed).toBeGreaterThan(0)
    expect(handled).toBeGreaterThan(0)
    const malformedErrors = errors.filter((e) => e instanceof MalformedFrameError)
    expect(malformedErrors).toHaveLength(malformed)
  })

  it('spot WebSocket-API stream: executionReport frames are all counted', async () => {
    const config = configFor(emu, { product: 'spot' })
    const c = await createBinanceConnector({ ...config, urls: { ...config.urls, wsApiUrl: serverUrl } }, ['ETHUSDT'])
    opened.push(c)
    const stream = c.userData as BinanceSpotUserDataStream
    const errors: unknown[] = []
    stream.on('health', (event) => {
      if (event.kind === 'error') errors.push(event.error)
    })
    await stream.start()
    const before = stream.frameCounts.received
    const texts = sample(EXECUTION_REPORT, 400, 8, (inner) => `{"subscriptionId":0,"event":${inner}}`)
    texts.push('not json', '{"subscriptionId":0}', '{"subscriptionId":0,"event":[]}')
    await sendAll(texts)
    await waitFor(
      () => stream.frameCounts.received - before === texts.length,
      `all ${texts.length} frames received`,
      30_000,
    )
    const { received, handled, ignored, malformed } = stream.frameCounts
    expect(handled + ignored + malformed).toBe(received)
    expect(malformed).toBeGreaterThan(0)
    expect(errors.filter((e) => e instanceof MalformedFrameError)).toHaveLength(malformed)
  })
})
