import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import { DeribitMarketDataClient } from '../src/deribit/marketData.js'
import { DeribitRpcClient } from '../src/deribit/ws/client.js'
import { DeribitUserDataStream } from '../src/deribit/ws/userData.js'
import { MalformedFrameError } from '../src/errors/transport.js'

// Fuzz of the Deribit market-data and user-data parsers, fed as raw text frames through the connection's message path
// (JSON parse → dispatch → validation): hostile values (1e999, wrong types, bad enums, missing fields, huge and deeply
// nested values) never throw, and every frame is accounted for: its items are emitted or it is counted as malformed.
const LINEAR = 'BTC_USDC-PERPETUAL'
const INVERSE = 'BTC-PERPETUAL'

function harness() {
  // a client that is never started: frames are pushed through its socket's message event, as the socket would
  const rpc = new DeribitRpcClient({
    url: 'ws://127.0.0.1:9/ws/api/v2',
    clock: systemClock,
    random: () => 0.5,
    nonce: () => 'n',
  })
  const md = new DeribitMarketDataClient(rpc)
  const user = new DeribitUserDataStream(rpc)
  const out = { md: 0, user: 0, mdMalformed: 0, userMalformed: 0, sides: [] as Array<[string, unknown]> }
  const decimals: string[] = []
  md.on('bbo', (b) => {
    out.md++
    decimals.push(b.bidPrice, b.askPrice, b.bidSizeBase, b.askSizeBase)
  })
  md.on('trade', (t) => {
    out.md++
    out.sides.push([t.side, (t.raw as { direction?: unknown }).direction])
    decimals.push(t.price, t.sizeBase)
  })
  md.on('malformed', (e) => {
    expect(e).toBeInstanceOf(MalformedFrameError)
    out.mdMalformed++
  })
  user.on('order', (o) => {
    out.user++
    out.sides.push([o.side, (o.raw as { direction?: unknown }).direction])
    decimals.push(o.price, o.sizeBase, o.filledSizeBase, o.avgFillPrice)
  })
  user.on('fill', (f) => {
    out.user++
    out.sides.push([f.side, (f.raw as { direction?: unknown }).direction])
    decimals.push(f.price, f.sizeBase, f.fee)
  })
  user.on('balance', (b) => {
    out.user++
    decimals.push(b.wallet, b.available)
  })
  user.on('malformed', (e) => {
    expect(e).toBeInstanceOf(MalformedFrameError)
    out.userMalformed++
  })
  // the health errors of the market-data client (malformed frames) and of the heartbeat answer are expected here
  md.on('health', () => undefined)
  user.on('health', () => undefined)
  const push = (text: string) => rpc.socket.emit('message', text, 0, 0n)
  return { rpc, md, user, out, decimals, push }
}

/** JSON text of a hostile or plausible value. */
const rawValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e999',
    '-1e999',
    '1e-999',
    '-0',
    '0',
    '1e308',
    '5e-324',
    '-1',
    'null',
    'true',
    '"buy"',
    '"sell"',
    '"BUY"',
    '"Sell"',
    '""',
    '"M"',
    '"T"',
    '"open"',
    '"filled"',
    '"limit"',
    '"market_price"',
    '"good_til_cancelled"',
    '[]',
    '{}',
    `"${LINEAR}"`,
    `"${INVERSE}"`,
    '"BTC-32DEC24"',
  ),
  fc.double().map((d) => JSON.stringify(d)),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
)

const objectText = (entries: ReadonlyArray<readonly [string, string]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`

/** A plausible payload (field → JSON text) with some fields replaced by hostile values and some removed. */
function mutated(template: Record<string, string>): fc.Arbitrary<string> {
  const keys = Object.keys(template)
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), rawValue, { maxKeys: 4 }),
      remove: fc.subarray(keys, { maxLength: 2 }),
    })
    .map(({ replace, remove }) =>
      objectText(
        keys
          .filter((k) => !remove.includes(k))
          .map((k) => [k, Object.hasOwn(replace, k) ? (replace[k] as string) : (template[k] as string)] as const),
      ),
    )
}

const instrument = fc.constantFrom(`"${LINEAR}"`, `"${INVERSE}"`)
const ticker = instrument.chain((name) =>
  mutated({
    instrument_name: name,
    timestamp: '1700000000000',
    best_bid_price: '60000',
    best_bid_amount: '10',
    best_ask_price: '60000.5',
    best_ask_amount: '20',
  }),
)
const trade = instrument.chain((name) =>
  mutated({
    trade_id: '"1"',
    instrument_name: name,
    timestamp: '1700000000000',
    price: '60000',
    amount: '10',
    direction: '"buy"',
  }),
)
const userTrade = instrument.chain((name) =>
  mutated({
    trade_id: '"1"',
    order_id: '"1"',
    label: '"q"',
    instrument_name: name,
    direction: '"sell"',
    price: '60000',
    amount: '10',
    fee: '0',
    fee_currency: '"BTC"',
    liquidity: '"M"',
    timestamp: '1700000000000',
  }),
)
const userOrder = instrument.chain((name) =>
  mutated({
    order_id: '"1"',
    label: '"q"',
    instrument_name: name,
    direction: '"buy"',
    order_state: '"open"',
    order_type: '"limit"',
    time_in_force: '"good_til_cancelled"',
    post_only: 'true',
    price: '60000',
    amount: '10',
    filled_amount: '0',
    average_price: '0',
    last_update_timestamp: '1700000000000',
  }),
)
const portfolio = mutated({ currency: '"BTC"', balance: '1', available_funds: '0.5' })
const level = fc.oneof(
  fc.constant('["new",60000,10]'),
  fc.tuple(rawValue, rawValue, rawValue).map(([a, p, q]) => `[${a},${p},${q}]`),
  rawValue,
)
const book = instrument.chain((name) =>
  fc
    .record({ bids: fc.array(level, { maxLength: 3 }), asks: fc.array(level, { maxLength: 3 }) })
    .chain(({ bids, asks }) =>
      mutated({
        type: '"change"',
        timestamp: '1700000000000',
        instrument_name: name,
        change_id: '2',
        prev_change_id: '1',
        bids: `[${bids.join(',')}]`,
        asks: `[${asks.join(',')}]`,
      }),
    ),
)
const arrayOf = (element: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.array(element, { minLength: 1, maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    element,
    rawValue,
  )

type Target = 'md' | 'user'
const frame: fc.Arbitrary<{ channel: string; data: string; target: Target }> = fc.oneof(
  fc.record({ channel: fc.constant(`ticker.${LINEAR}.100ms`), data: fc.oneof(ticker, rawValue) }).map((f) => ({
    ...f,
    target: 'md' as Target,
  })),
  // no book is subscribed in this harness: every book frame is malformed or for an unsubscribed book, both counted
  fc.record({ channel: fc.constant(`book.${INVERSE}.100ms`), data: fc.oneof(book, rawValue) }).map((f) => ({
    ...f,
    target: 'md' as Target,
  })),
  fc.record({ channel: fc.constant(`trades.${INVERSE}.100ms`), data: arrayOf(trade) }).map((f) => ({
    ...f,
    target: 'md' as Target,
  })),
  fc.record({ channel: fc.constant(`user.trades.${LINEAR}.raw`), data: arrayOf(userTrade) }).map((f) => ({
    ...f,
    target: 'user' as Target,
  })),
  fc.record({ channel: fc.constant(`user.orders.${INVERSE}.raw`), data: arrayOf(userOrder) }).map((f) => ({
    ...f,
    target: 'user' as Target,
  })),
  fc.record({ channel: fc.constant('user.portfolio.btc'), data: fc.oneof(portfolio, rawValue) }).map((f) => ({
    ...f,
    target: 'user' as Target,
  })),
)

const envelope = (channel: string, data: string) =>
  `{"jsonrpc":"2.0","method":"subscription","params":{"channel":${JSON.stringify(channel)},"data":${data}}}`

describe('Deribit parsers under hostile frames', () => {
  it('every book/ticker/trades/user.trades/user.orders/user.portfolio frame is emitted or counted as malformed; nothing throws', () => {
    const h = harness()
    fc.assert(
      fc.property(frame, ({ channel, data, target }) => {
        const before = { ...h.out }
        const ignoredBefore = h.md.metrics().ignoredFrames
        h.push(envelope(channel, data))
        // a ticker of a one-sided book (a null best price) is well formed and has no BBO: ignored, counted as such
        const ignored = h.md.metrics().ignoredFrames - ignoredBefore
        const emitted = target === 'md' ? h.out.md - before.md : h.out.user - before.user
        const dropped =
          target === 'md' ? h.out.mdMalformed - before.mdMalformed : h.out.userMalformed - before.userMalformed
        // an empty array carries nothing; anything else is accounted for
        if (data.trim() !== '[]') expect(emitted + dropped + ignored).toBeGreaterThanOrEqual(1)
      }),
      { numRuns: 1500, seed: 20261207 },
    )
    // a side is exactly the venue's direction ("BUY" is never read as a sell); every decimal is a plain finite decimal
    for (const [side, direction] of h.out.sides) expect(side).toBe(direction)
    for (const d of h.decimals) expect(d).toMatch(/^-?\d+(\.\d+)?$/)
    expect(h.md.metrics().malformedFrames).toBe(h.out.mdMalformed)
    expect(h.user.metrics().malformedFrames).toBe(h.out.userMalformed)
    // the generator did reach both outcomes
    expect(h.out.md + h.out.user).toBeGreaterThan(0)
    expect(h.out.mdMalformed + h.out.userMalformed).toBeGreaterThan(0)
  })

  it('frames the connection cannot read (not JSON, not an object, unknown method, late answers) are counted too', () => {
    const h = harness()
    const junk = fc.oneof(
      fc.string({ maxLength: 200 }),
      rawValue,
      fc.constantFrom(
        '{"jsonrpc":"2.0","id":987654,"result":[]}',
        '{"jsonrpc":"2.0","method":"subscription","params":{"channel":7,"data":{}}}',
        '{"jsonrpc":"2.0","method":"subscription"}',
        '{"jsonrpc":"2.0","method":"nonsense","params":{}}',
        '{"jsonrpc":"2.0","id":"x"}',
      ),
    )
    fc.assert(
      fc.property(junk, (text) => {
        const before = { ...h.out }
        h.push(text)
        expect(h.out.mdMalformed - before.mdMalformed).toBe(1)
        expect(h.out.userMalformed - before.userMalformed).toBe(1)
      }),
      { numRuns: 1000, seed: 7 },
    )
  })

  it('huge and deeply nested frames are dropped and counted without throwing', () => {
    const h = harness()
    const hugeTrades = `[${Array.from({ length: 20_000 }, (_, i) => `{"trade_id":"${i}","instrument_name":"${INVERSE}","timestamp":1,"price":1e999,"amount":10,"direction":"buy"}`).join(',')}]`
    h.push(envelope(`trades.${INVERSE}.100ms`, hugeTrades))
    expect(h.out.mdMalformed).toBe(20_000)
    expect(h.out.md).toBe(0)
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`
    h.push(envelope(`user.orders.${INVERSE}.raw`, deep))
    h.push(deep)
    const longName = 'X'.repeat(1_000_000)
    h.push(envelope(`user.trades.${LINEAR}.raw`, `[{"instrument_name":"${longName}"}]`))
    expect(h.out.userMalformed).toBe(3)
    expect(h.out.user).toBe(0)
  })
})
