import { describe, expect, it } from 'vitest'
import {
  bbo,
  confirmAll,
  createDriver,
  type Driver,
  placesOf,
  SEC_NS,
  testConfig,
  warmUp,
} from '../../test/src/hedgerFixtures.js'
import type { HedgerCommand } from '../messages/commands.js'
import type { HedgerEvent } from '../messages/events.js'
import { createHedger } from './createHedger.js'
import { positionBounds } from './positionBounds.js'
import { POSITION_STAMP_SKEW_MS } from './step.js'
import type { WorkingOrder } from './types.js'

// One hand-written scenario per known failure of issue #11 (each failed on the code before the fix). The model-based
// test (step.model.test.ts) checks the same invariants over random interleavings.

const MS = 1_000_000n
const lp = (tsNs: bigint, held: string): HedgerEvent => ({
  type: 'lpInventory',
  tsNs,
  baseHeldBase: held,
  baseTargetBase: '0',
  poolPrice: '3000',
})
const ofType = <T extends HedgerCommand['type']>(commands: readonly HedgerCommand[], type: T) =>
  commands.filter((command): command is Extract<HedgerCommand, { type: T }> => command.type === type)
const orderOf = (driver: Driver, venue: string, side: 'buy' | 'sell'): WorkingOrder => {
  const order = [...(driver.state.venueByName.get(venue)?.orders.values() ?? [])].find((o) => o.side === side)
  if (order === undefined) throw new Error(`no ${side} order on ${venue}`)
  return order
}
const update = (
  t: bigint,
  venue: string,
  order: Pick<WorkingOrder, 'clientOrderId' | 'side' | 'priceTicks' | 'sizeLots'>,
  filledLots: number,
  status: 'new' | 'partiallyFilled' | 'filled' | 'canceled',
  venueTimeMs?: number,
): HedgerEvent => ({
  type: 'orderUpdate',
  tsNs: t,
  venue,
  clientOrderId: order.clientOrderId,
  side: order.side,
  priceTicks: order.priceTicks,
  sizeLots: order.sizeLots,
  filledLots,
  status,
  ...(venueTimeMs === undefined ? {} : { venueTimeMs }),
})

/** A driver quoting both venues with every order confirmed, long 1 ETH of LP inventory. */
function quoting(config = testConfig()): { driver: Driver; t: bigint } {
  const driver = createDriver(config)
  const t = warmUp(driver)
  confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
  return { driver, t: t + SEC_NS }
}

describe('issue #11: hand-written failures of the order path', () => {
  it('1. a kill stays a kill: cancel-alls answered 503 are repeated with backoff until the venue confirms, the dead-man switch is left to run out, nothing is placed', () => {
    const { driver, t } = quoting()
    const kill = driver.send({ type: 'operator', tsNs: t, action: 'kill', reason: 'test' })
    expect(ofType(kill, 'cancelAll')).toHaveLength(2)
    const sent: HedgerCommand[] = []
    // Three 503s on binance's cancel-all; the runner reports each, the core asks for the open orders (still listed).
    let now = t
    for (let i = 0; i < 3; i++) {
      now += 100n * MS
      sent.push(
        ...driver.send({
          type: 'commandFailed',
          tsNs: now,
          venue: 'binance',
          command: 'cancelAll',
          clientOrderId: '',
          outcome: 'unknown',
        }),
      )
      const open = [...(driver.state.venueByName.get('binance')?.orders.values() ?? [])]
      sent.push(
        ...driver.send({
          type: 'openOrders',
          tsNs: now + 1n,
          venue: 'binance',
          requestedNs: now + 1n,
          orders: open.map((o) => ({ ...o, filledLots: 0 })),
        }),
      )
      for (let k = 0; k < 20; k++) {
        now += 250n * MS
        sent.push(...driver.send({ type: 'timer', tsNs: now }))
        sent.push(...driver.send(bbo('binance', now, 300_000, 300_002)))
        sent.push(...driver.send(bbo('deribit', now, 59_999, 60_001)))
      }
    }
    const binance = ofType(sent, 'cancelAll').filter((command) => command.venue === 'binance')
    expect(binance.length).toBeGreaterThanOrEqual(3) // repeated after each failure
    expect(ofType(sent, 'armDeadManSwitch')).toEqual([]) // never refreshed while killed
    expect(sent.filter((c) => c.type === 'placeOrder' || c.type === 'amendOrder')).toEqual([])
    // The venue finally cancels and confirms.
    const open = [...(driver.state.venueByName.get('binance')?.orders.values() ?? [])]
    for (const order of open) driver.send(update(now, 'binance', order, 0, 'canceled'))
    driver.send({ type: 'openOrders', tsNs: now + 1n, venue: 'binance', requestedNs: now + 1n, orders: [] })
    expect(driver.state.venueByName.get('binance')?.sweep).toBeNull()
    expect(driver.state.venueByName.get('binance')?.orders.size).toBe(0)
  })

  it('2. a cancel that fails with a 5xx leaves no orphan: the order stays ours and is cancelled again; no second order on its side', () => {
    const config = testConfig()
    const { driver, t } = quoting({ ...config, venues: config.venues.map((v) => ({ ...v, supportsAmend: false })) })
    const ask = orderOf(driver, 'binance', 'sell')
    // A big move: the ask is cancelled to be replaced (no amend on this venue).
    const moved = driver.send(bbo('binance', t + SEC_NS, 300_400, 300_402))
    expect(ofType(moved, 'cancelOrder').map((c) => c.clientOrderId)).toContain(ask.clientOrderId)
    // 503 on the cancel; the venue still lists the order.
    const failed = driver.send({
      type: 'commandFailed',
      tsNs: t + SEC_NS + MS,
      venue: 'binance',
      command: 'cancelOrder',
      clientOrderId: ask.clientOrderId,
      outcome: 'unknown',
    })
    const after = [
      ...failed,
      ...driver.send({
        type: 'openOrders',
        tsNs: t + SEC_NS + 2n * MS,
        venue: 'binance',
        requestedNs: t + SEC_NS + 2n * MS,
        orders: [{ ...ask, filledLots: 0 }],
      }),
      ...driver.send(bbo('binance', t + SEC_NS + 3n * MS, 300_400, 300_402)),
    ]
    expect(placesOf(after).filter((p) => p.venue === 'binance' && p.side === 'sell')).toEqual([])
    expect(ofType(after, 'cancelOrder').map((c) => c.clientOrderId)).toContain(ask.clientOrderId)
    const asks = [...(driver.state.venueByName.get('binance')?.orders.values() ?? [])].filter((o) => o.side === 'sell')
    expect(asks.map((o) => o.clientOrderId)).toEqual([ask.clientOrderId])
  })

  it('4. a position report that already holds a fill, then that fill: counted once', () => {
    const { driver, t } = quoting()
    const ask = orderOf(driver, 'binance', 'sell')
    driver.send({ type: 'position', tsNs: t + MS, venue: 'binance', sizeLots: -100, venueTimeMs: 5_000 })
    driver.send({
      type: 'fill',
      tsNs: t + 2n * MS,
      venue: 'binance',
      clientOrderId: ask.clientOrderId,
      tradeId: 'T1',
      side: 'sell',
      priceTicks: ask.priceTicks,
      sizeLots: 100,
      feeQuote: '0',
      venueTimeMs: 5_000,
    })
    expect(driver.state.venueByName.get('binance')?.positionLots).toBe(-100)
    // A fill stamped just after the report (within POSITION_STAMP_SKEW_MS: the venue may have stamped the report's
    // change and the fill from two clock reads) may be in it: the estimate takes it as held, the limits' range allows
    // for it not being held.
    driver.send({
      type: 'fill',
      tsNs: t + 3n * MS,
      venue: 'binance',
      clientOrderId: ask.clientOrderId,
      tradeId: 'T2',
      side: 'sell',
      priceTicks: ask.priceTicks,
      sizeLots: 10,
      feeQuote: '0',
      venueTimeMs: 5_000 + POSITION_STAMP_SKEW_MS,
    })
    const binance = driver.state.venueByName.get('binance')!
    expect(binance.positionLots).toBe(-100)
    expect(positionBounds(binance)).toMatchObject({ lowLots: -110, highLots: -100 })
    // A later fill counts on top.
    driver.send({
      type: 'fill',
      tsNs: t + 4n * MS,
      venue: 'binance',
      clientOrderId: ask.clientOrderId,
      tradeId: 'T3',
      side: 'sell',
      priceTicks: ask.priceTicks,
      sizeLots: 5,
      feeQuote: '0',
      venueTimeMs: 5_000 + POSITION_STAMP_SKEW_MS + 1,
    })
    expect(binance.positionLots).toBe(-105)
    // The next report settles the ambiguous one: stamped after it, it holds it (here: it was not in the first report).
    driver.send({ type: 'position', tsNs: t + 5n * MS, venue: 'binance', sizeLots: -115, venueTimeMs: 5_002 })
    expect(binance.positionLots).toBe(-115)
    expect(positionBounds(binance)).toMatchObject({ lowLots: -115, highLots: -115 })
  })

  it('6. an order update that arrives before its fill: the fill counts once and the amend is not over-sized', () => {
    const { driver, t } = quoting()
    const ask = orderOf(driver, 'binance', 'sell')
    const size = ask.sizeLots
    driver.send(update(t + MS, 'binance', ask, 100, 'partiallyFilled', 7_000))
    driver.send({
      type: 'fill',
      tsNs: t + 2n * MS,
      venue: 'binance',
      clientOrderId: ask.clientOrderId,
      tradeId: 'F1',
      side: 'sell',
      priceTicks: ask.priceTicks,
      sizeLots: 100,
      feeQuote: '0',
      venueTimeMs: 7_000,
    })
    expect(orderOf(driver, 'binance', 'sell').filledLots).toBe(100)
    expect(driver.state.venueByName.get('binance')?.positionLots).toBe(-100)
    // A large move: the amend rests what the quote wants, filled part included once.
    const moved = driver.send(bbo('binance', t + SEC_NS, 300_400, 300_402))
    const amend = ofType(moved, 'amendOrder').find((a) => a.clientOrderId === ask.clientOrderId)
    expect(amend).toBeDefined()
    expect((amend?.sizeLots ?? 0) - 100).toBeLessThanOrEqual(size)
    expect(amend?.sizeLots).toBeLessThan(100 + size + 1)
  })

  it('7. a place whose outcome is unknown and that never reached the venue: looked up, found absent, and the side quotes again', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    const places = placesOf(driver.send(lp(t + SEC_NS, '1')))
    const ask = places.find((p) => p.venue === 'binance' && p.side === 'sell')
    if (ask === undefined) throw new Error('no ask')
    const unknown = driver.send({
      type: 'commandFailed',
      tsNs: t + SEC_NS + MS,
      venue: 'binance',
      command: 'placeOrder',
      clientOrderId: ask.clientOrderId,
      outcome: 'unknown',
    })
    expect(ofType(unknown, 'lookupOrder').map((c) => c.clientOrderId)).toEqual([ask.clientOrderId])
    // Never replaced while unknown.
    const meanwhile = driver.send(bbo('binance', t + 2n * SEC_NS, 300_010, 300_012))
    expect(placesOf(meanwhile).filter((p) => p.venue === 'binance' && p.side === 'sell')).toEqual([])
    const absent = driver.send({
      type: 'orderAbsent',
      tsNs: t + 2n * SEC_NS + MS,
      venue: 'binance',
      clientOrderId: ask.clientOrderId,
      requestedNs: t + 2n * SEC_NS,
    })
    expect(placesOf(absent).filter((p) => p.venue === 'binance' && p.side === 'sell')).toHaveLength(1)
  })

  it('8. public trades do not keep a dead book fresh: a quiet book halts quoting while trades flow', () => {
    const config = testConfig()
    const { driver, t } = quoting({
      ...config,
      venues: config.venues.map((v) => ({ ...v, staleAfterMs: 5_000 })),
      // trades feed the online intensity fit (a fixed fit ignores them)
      calibration: { ...config.calibration, intensity: { mode: 'online' } },
    })
    const out: HedgerCommand[] = []
    for (let s = 1n; s <= 8n; s++) {
      out.push(
        ...driver.send({
          type: 'trade',
          tsNs: t + s * SEC_NS,
          venue: 'binance',
          priceTicks: 300_001,
          sizeLots: 5,
          aggressorSide: 'buy',
        }),
      )
      out.push(...driver.send(bbo('deribit', t + s * SEC_NS, 59_999, 60_001)))
      out.push(...driver.send({ type: 'timer', tsNs: t + s * SEC_NS }))
    }
    expect(ofType(out, 'halt').map((h) => `${h.scope}:${h.reason}`)).toContain('binance:staleMarketData')
    expect(driver.state.venueByName.get('binance')?.stale).toBe(true)
  })

  it('9. without amend, the replacement waits for the cancel: never two orders on one side, position + working within the limit', () => {
    const config = testConfig()
    const { driver, t } = quoting({ ...config, venues: config.venues.map((v) => ({ ...v, supportsAmend: false })) })
    const ask = orderOf(driver, 'binance', 'sell')
    const moved = driver.send(bbo('binance', t + SEC_NS, 300_400, 300_402))
    expect(ofType(moved, 'cancelOrder').map((c) => c.clientOrderId)).toContain(ask.clientOrderId)
    expect(placesOf(moved).filter((p) => p.venue === 'binance' && p.side === 'sell')).toEqual([])
    // More market data before the venue answers: still no replacement.
    const more = driver.send(bbo('binance', t + SEC_NS + 10n * MS, 300_401, 300_403))
    expect(placesOf(more).filter((p) => p.venue === 'binance' && p.side === 'sell')).toEqual([])
    // The venue confirms the cancel: now the replacement goes out.
    const done = driver.send(update(t + SEC_NS + 20n * MS, 'binance', ask, 0, 'canceled'))
    expect(placesOf(done).filter((p) => p.venue === 'binance' && p.side === 'sell')).toHaveLength(1)
  })

  it('15. client order ids carry the run tag, so two runs never reuse an id', () => {
    const first = createHedger(testConfig(), { runTag: 'mj2k9x1a' })
    const second = createHedger(testConfig(), { runTag: 'mj2k9x1b' })
    const driverOf = (state: typeof first): Driver => {
      const driver = createDriver()
      driver.state = state
      return driver
    }
    const a = driverOf(first)
    const b = driverOf(second)
    const ta = warmUp(a)
    const tb = warmUp(b)
    const idsA = placesOf(a.send(lp(ta + SEC_NS, '1'))).map((p) => p.clientOrderId)
    const idsB = placesOf(b.send(lp(tb + SEC_NS, '1'))).map((p) => p.clientOrderId)
    expect(idsA.length).toBeGreaterThan(0)
    expect(idsA.every((id) => id.startsWith('alpmj2k9x1a'))).toBe(true)
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([])
    expect(() => createHedger(testConfig(), { runTag: 'Bad-Tag' })).toThrow(/runTag/)
  })

  it('16. the decorrelation halt has hysteresis: a correlation hovering around the threshold halts once, not on every sample', () => {
    const driver = createDriver({
      ...testConfig(),
      risk: {
        minCorrelation: 0,
        resumeCorrelation: 0.5,
        correlationWindow: 6,
        correlationMinSamples: 4,
        basisSampleMs: 1_000,
        maxBasisBps: 1_000,
        resumeBasisBps: 500,
      },
    })
    let t = warmUp(driver)
    driver.send(lp(t, '0'))
    const halts: string[] = []
    // Pool and CEX prices whose rolling correlation (6 samples) crosses 0 three times without reaching 0.5 again: a
    // halt without hysteresis goes on and off three times.
    const pool = [3000, 3000, 3000, 3003, 3003, 3000, 2997, 3000, 3003, 3000, 3003, 3003, 3003, 3003, 3003, 3006]
    const cex = [3000, 2997, 3000, 2997, 2997, 2994, 2994, 2994, 2991, 2991, 2991, 2991, 2994, 2991, 2991, 2994]
    for (let i = 0; i < pool.length; i++) {
      t += SEC_NS
      const mid = Math.round((cex[i] as number) * 100)
      driver.send(bbo('binance', t, mid - 1, mid + 1))
      driver.send(bbo('deribit', t, mid / 5 - 1, mid / 5 + 1))
      driver.send({ type: 'lpInventory', tsNs: t, baseHeldBase: '0', baseTargetBase: '0', poolPrice: String(pool[i]) })
      for (const command of driver.send({ type: 'timer', tsNs: t }))
        if ((command.type === 'halt' || command.type === 'resume') && command.scope === 'binance')
          halts.push(command.type)
    }
    const correlations = driver.state.venueByName.get('binance')?.basis.correlation
    expect(correlations).not.toBeNull()
    // One halt and no resume: the correlation never came back to resumeCorrelation.
    expect(halts).toEqual(['halt'])
  })

  it('16. warm-up is reported with elapsed and needed time', () => {
    const driver = createDriver({
      ...testConfig(),
      calibration: {
        volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
        intensity: { mode: 'online', windowMs: 120_000 },
      },
    })
    const t = warmUp(driver)
    driver.send(lp(t + SEC_NS, '1'))
    driver.send({ type: 'timer', tsNs: t + 30n * SEC_NS })
    driver.send(bbo('binance', t + 30n * SEC_NS, 300_000, 300_002))
    expect(driver.state.venueByName.get('binance')?.status).toMatch(/warmingUp: intensity \d+\/120 s/)
  })
})
