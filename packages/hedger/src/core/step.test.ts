import { describe, expect, it } from 'vitest'
import { bbo, confirmAll, createDriver, placesOf, SEC_NS, testConfig, warmUp } from '../../test/src/hedgerFixtures.js'
import type { HedgerCommand } from '../messages/commands.js'
import { computeNetExposure } from './computeNetExposure.js'

const lp = (tsNs: bigint, held: string, poolPrice = '3000') =>
  ({ type: 'lpInventory', tsNs, baseHeldBase: held, baseTargetBase: '0', poolPrice }) as const

const ofType = <T extends HedgerCommand['type']>(commands: readonly HedgerCommand[], type: T) =>
  commands.filter((command): command is Extract<HedgerCommand, { type: T }> => command.type === type)

describe('hedger core step', () => {
  it('does not quote before the volatility estimator is warmed up, and says why', () => {
    const driver = createDriver()
    driver.send({ type: 'venueHealth', tsNs: SEC_NS, venue: 'binance', status: 'connected' })
    driver.send(bbo('binance', 2n * SEC_NS, 299_999, 300_001))
    const commands = driver.send(lp(3n * SEC_NS, '1'))
    expect(placesOf(driver.log)).toEqual([])
    expect(driver.state.venueByName.get('binance')?.status).toMatch(/^warmingUp: volatility/)
    expect(
      ofType(driver.log, 'log').some((line) => line.code === 'QUOTE_STATUS' && /warmingUp/.test(line.message)),
    ).toBe(true)
    expect(commands.every((command) => command.type !== 'placeOrder')).toBe(true)
  })

  it('hedges a long LP inventory: sells routed over both venues, the buy side shrunk by e^(−ηq) and farther away', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    const commands = driver.send(lp(t + SEC_NS, '1'))
    const places = placesOf(commands)
    // Net exposure +1 ETH, order size 0.1 → q = 10. Buy size 0.1·e^(−0.05·10) = 0.0606531 ETH → 60 lots of 0.001 (down).
    // Sells: the hedge (1 ETH) is routed over both venues, 0.5 ETH (max order size) each = 500 lots.
    const sizes = places.map((place) => `${place.venue}:${place.side}:${place.sizeLots}`).sort()
    expect(sizes).toEqual(['binance:buy:60', 'binance:sell:500', 'deribit:buy:60', 'deribit:sell:500'])
    for (const venue of ['binance', 'deribit']) {
      const bid = places.find((place) => place.venue === venue && place.side === 'buy')
      const ask = places.find((place) => place.venue === venue && place.side === 'sell')
      const state = driver.state.venueByName.get(venue)?.bbo
      if (!bid || !ask || !state) throw new Error(`missing quotes on ${venue}`)
      const mid2 = state.bidPriceTicks + state.askPriceTicks
      expect(2 * ask.priceTicks - mid2).toBeLessThanOrEqual(mid2 - 2 * bid.priceTicks) // sell side at least as close
      expect(ask.priceTicks).toBeGreaterThan(state.bidPriceTicks) // post-only
      expect(bid.priceTicks).toBeLessThan(state.askPriceTicks)
      expect(ask.postOnly).toBe(true)
    }
    // Binance's maker fee (2 bps of 3000 = 0.60 USD = 60 ticks) keeps the bid (it adds exposure) at least 60 ticks
    // below the mid 300000; the reducing ask may go inside the fee floor, down to the touch (post-only: > best bid).
    const binanceBid = places.find((place) => place.venue === 'binance' && place.side === 'buy')
    expect(binanceBid?.priceTicks).toBeLessThanOrEqual(299_940)
    const binanceAsk = places.find((place) => place.venue === 'binance' && place.side === 'sell')
    expect(binanceAsk?.priceTicks).toBeLessThan(300_060)
    expect(binanceAsk?.priceTicks).toBeGreaterThan(299_999)
    // The exact decimal of the ticks, with the tick size's two decimals.
    expect(binanceAsk?.price).toMatch(/^\d+\.\d\d$/)
    expect(Math.round(Number(binanceAsk?.price) * 100)).toBe(binanceAsk?.priceTicks)
    expect(binanceAsk?.sizeBase).toBe('0.500')
  })

  it('fills move the exposure toward target, and the hedge is re-routed', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    const placed = driver.send(lp(t + SEC_NS, '1'))
    confirmAll(driver, placed, t + SEC_NS)
    const deribitAsk = placesOf(placed).find((place) => place.venue === 'deribit' && place.side === 'sell')
    if (!deribitAsk) throw new Error('no deribit ask')
    const after = driver.send({
      type: 'fill',
      tsNs: t + 2n * SEC_NS,
      venue: 'deribit',
      clientOrderId: deribitAsk.clientOrderId,
      tradeId: 'T1',
      side: 'sell',
      priceTicks: deribitAsk.priceTicks,
      sizeLots: 500,
      feeQuote: '0',
    })
    expect(computeNetExposure(driver.state).netBase).toBeCloseTo(0.5, 12) // 1 − 0.5
    expect(driver.state.venueByName.get('deribit')?.positionLots).toBe(-500)
    // q = 5: buy size 0.1·e^(−0.25) = 0.0778801 → 77 lots; both venues' bids are resized (60 → 77 is > 20 %).
    const amends = ofType(after, 'amendOrder').filter((amend) => amend.side === 'buy')
    expect(amends.map((amend) => amend.sizeLots)).toEqual([77, 77])
    // The same trade id again is ignored (no double count).
    driver.send({
      type: 'fill',
      tsNs: t + 3n * SEC_NS,
      venue: 'deribit',
      clientOrderId: deribitAsk.clientOrderId,
      tradeId: 'T1',
      side: 'sell',
      priceTicks: deribitAsk.priceTicks,
      sizeLots: 500,
      feeQuote: '0',
    })
    expect(driver.state.venueByName.get('deribit')?.positionLots).toBe(-500)
  })

  it('reconciles from the venue: a cancel we did not send removes the order, an unknown fill moves the position', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    const placed = driver.send(lp(t + SEC_NS, '1'))
    confirmAll(driver, placed, t + SEC_NS)
    const binance = driver.state.venueByName.get('binance')
    const bid = [...(binance?.orders.values() ?? [])].find((order) => order.side === 'buy')
    if (!binance || !bid) throw new Error('no binance bid')
    driver.send({
      type: 'orderUpdate',
      tsNs: t + 2n * SEC_NS,
      venue: 'binance',
      clientOrderId: bid.clientOrderId,
      side: 'buy',
      priceTicks: bid.priceTicks,
      sizeLots: bid.sizeLots,
      filledLots: 0,
      status: 'canceled',
    })
    expect(binance.orders.has(bid.clientOrderId)).toBe(false)
    driver.send({
      type: 'fill',
      tsNs: t + 3n * SEC_NS,
      venue: 'binance',
      clientOrderId: 'manual-1',
      tradeId: 'X9',
      side: 'sell',
      priceTicks: 300_000,
      sizeLots: 250,
      feeQuote: '0.15',
    })
    expect(binance.positionLots).toBe(-250)
    expect(ofType(driver.log, 'log').some((line) => line.code === 'UNKNOWN_FILL')).toBe(true)
  })

  it('operator kill: cancel all everywhere, no new orders, zero working orders once the venues confirm; resume quotes again', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
    const kill = driver.send({ type: 'operator', tsNs: t + 2n * SEC_NS, action: 'kill', reason: 'test' })
    expect(ofType(kill, 'cancelAll').map((command) => command.venue)).toEqual(['binance', 'deribit'])
    expect(ofType(kill, 'halt')).toEqual([
      { type: 'halt', tsNs: t + 2n * SEC_NS, scope: 'all', reason: 'operatorKill' },
    ])
    confirmAll(driver, kill, t + 2n * SEC_NS)
    expect(driver.state.venues.map((venue) => venue.orders.size)).toEqual([0, 0])
    const later = [
      ...driver.send(bbo('binance', t + 3n * SEC_NS, 299_990, 299_992)),
      ...driver.send(lp(t + 3n * SEC_NS, '2')),
      ...driver.send({ type: 'timer', tsNs: t + 4n * SEC_NS }),
    ]
    expect(placesOf(later)).toEqual([])
    // While killed the dead-man switches are left to run out (re-arming them would keep orders alive if our cancels
    // were lost).
    expect(ofType(later, 'armDeadManSwitch')).toEqual([])
    const resume = driver.send({ type: 'operator', tsNs: t + 4n * SEC_NS, action: 'resume', reason: 'checked' })
    expect(ofType(resume, 'resume')).toHaveLength(1)
    expect(ofType(resume, 'armDeadManSwitch').map((command) => command.venue)).toEqual(['binance', 'deribit'])
    expect(placesOf(resume).length).toBeGreaterThan(0)
  })

  it('a position beyond the venue limit trips the kill switch and resume is refused while it lasts', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
    // maxPositionBase default 10 ETH = 10000 lots; 10001 lots breaches it.
    const breach = driver.send({ type: 'position', tsNs: t + 2n * SEC_NS, venue: 'binance', sizeLots: 10_001 })
    expect(ofType(breach, 'halt')[0]?.reason).toBe('positionLimit')
    expect(ofType(breach, 'cancelAll')).toHaveLength(2)
    expect(placesOf(breach)).toEqual([])
    const refused = driver.send({ type: 'operator', tsNs: t + 3n * SEC_NS, action: 'resume', reason: 'try' })
    expect(ofType(refused, 'resume')).toEqual([])
    expect(driver.state.killed).toBe('positionLimit')
  })

  it('a feed gap halts that venue until the book resyncs', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
    const gap = driver.send({ type: 'venueHealth', tsNs: t + 2n * SEC_NS, venue: 'binance', status: 'feedGap' })
    expect(ofType(gap, 'cancelAll').map((command) => command.venue)).toEqual(['binance'])
    expect(ofType(gap, 'halt')[0]).toMatchObject({ scope: 'binance', reason: 'feedGap' })
    confirmAll(driver, gap, t + 2n * SEC_NS)
    expect(driver.state.venueByName.get('binance')?.orders.size).toBe(0)
    expect(driver.state.venueByName.get('deribit')?.orders.size).toBe(2)
    const during = driver.send(bbo('binance', t + 3n * SEC_NS, 299_999, 300_001))
    expect(placesOf(during).filter((place) => place.venue === 'binance')).toEqual([])
    const resync = driver.send({ type: 'venueHealth', tsNs: t + 4n * SEC_NS, venue: 'binance', status: 'resynced' })
    expect(ofType(resync, 'resume')).toEqual([{ type: 'resume', tsNs: t + 4n * SEC_NS, scope: 'binance' }])
    expect(placesOf(resync).filter((place) => place.venue === 'binance')).toHaveLength(2)
  })

  it('stale market data halts a venue; fresh data resumes it', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    driver.send(lp(t + SEC_NS, '1'))
    // staleAfterMs default 5000: a timer 6 s after the last BBO halts both venues.
    const timer = driver.send({ type: 'timer', tsNs: t + 6n * SEC_NS })
    expect(ofType(timer, 'halt').map((halt) => `${halt.scope}:${halt.reason}`)).toEqual([
      'binance:staleMarketData',
      'deribit:staleMarketData',
    ])
    const fresh = driver.send(bbo('binance', t + 7n * SEC_NS, 299_999, 300_001))
    expect(ofType(fresh, 'resume')).toEqual([{ type: 'resume', tsNs: t + 7n * SEC_NS, scope: 'binance' }])
  })

  it('LP inventory older than hedge.lpInventoryStaleAfterMs (default 60 s) halts quoting everywhere; a fresh update resumes it', () => {
    const driver = createDriver()
    let t = warmUp(driver)
    const lpNs = t + SEC_NS
    confirmAll(driver, driver.send(lp(lpNs, '1')), lpNs)
    expect(driver.state.venues.map((venue) => venue.orders.size)).toEqual([2, 2])
    // The books stay fresh (a BBO per venue and a timer every second); no LP update for 60 s is not yet stale.
    const quiet: HedgerCommand[] = []
    t = lpNs
    while (t < lpNs + 60n * SEC_NS) {
      t += SEC_NS
      quiet.push(...driver.send(bbo('binance', t, 299_999, 300_001)), ...driver.send(bbo('deribit', t, 59_999, 60_001)))
      quiet.push(...driver.send({ type: 'timer', tsNs: t }))
    }
    expect(ofType(quiet, 'halt')).toEqual([])
    expect(ofType(quiet, 'cancelAll')).toEqual([])
    // One event past the bound (a BBO, not only the timer): halt everywhere, cancel all, say why.
    t += SEC_NS / 2n
    const stale = driver.send(bbo('binance', t, 299_999, 300_001))
    expect(ofType(stale, 'halt')).toEqual([{ type: 'halt', tsNs: t, scope: 'all', reason: 'lpInventoryStale' }])
    expect(ofType(stale, 'cancelAll').map((command) => `${command.venue}:${command.reason}`)).toEqual([
      'binance:lpInventoryStale',
      'deribit:lpInventoryStale',
    ])
    expect(driver.state.venues.map((venue) => venue.status)).toEqual([
      'halted: lpInventoryStale',
      'halted: lpInventoryStale',
    ])
    confirmAll(driver, stale, t)
    expect(driver.state.venues.map((venue) => venue.orders.size)).toEqual([0, 0])
    // While stale: no order, and the dead-man switches are left to run out (as in every halt).
    const during: HedgerCommand[] = []
    for (let i = 0; i < 5; i++) {
      t += SEC_NS
      during.push(
        ...driver.send(bbo('binance', t, 299_990, 299_992)),
        ...driver.send(bbo('deribit', t, 59_998, 60_000)),
      )
      during.push(...driver.send({ type: 'timer', tsNs: t }))
    }
    expect(placesOf(during)).toEqual([])
    expect(ofType(during, 'amendOrder')).toEqual([])
    expect(ofType(during, 'armDeadManSwitch')).toEqual([])
    expect(ofType(during, 'halt')).toEqual([]) // announced once
    // A fresh update: resume everywhere, re-arm the dead-man switches, quote again.
    t += SEC_NS
    const fresh = driver.send(lp(t, '1'))
    expect(ofType(fresh, 'resume')).toEqual([{ type: 'resume', tsNs: t, scope: 'all' }])
    expect(ofType(fresh, 'armDeadManSwitch').map((command) => command.venue)).toEqual(['binance', 'deribit'])
    expect(
      placesOf(fresh)
        .map((place) => `${place.venue}:${place.side}`)
        .sort(),
    ).toEqual(['binance:buy', 'binance:sell', 'deribit:buy', 'deribit:sell'])
  })

  it('the LP staleness bound is configurable, and a kill stays latched across it', () => {
    const driver = createDriver(testConfig({ hedge: { orderSizeBase: 0.1, lpInventoryStaleAfterMs: 2_000 } }))
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
    expect(ofType(driver.send({ type: 'timer', tsNs: t + 3n * SEC_NS }), 'halt')).toEqual([])
    const stale = driver.send({ type: 'timer', tsNs: t + 3n * SEC_NS + 1n })
    expect(ofType(stale, 'halt')).toMatchObject([{ scope: 'all', reason: 'lpInventoryStale' }])
    confirmAll(driver, stale, t + 3n * SEC_NS + 1n)
    // A kill while stale; a fresh LP update ends the staleness but not the kill: no resume, no order.
    driver.send({ type: 'operator', tsNs: t + 4n * SEC_NS, action: 'kill', reason: 'test' })
    driver.send(bbo('binance', t + 4n * SEC_NS, 299_999, 300_001))
    driver.send(bbo('deribit', t + 4n * SEC_NS, 59_999, 60_001))
    const freshWhileKilled = driver.send(lp(t + 4n * SEC_NS, '1'))
    expect(ofType(freshWhileKilled, 'resume')).toEqual([])
    expect(placesOf(freshWhileKilled)).toEqual([])
    // The operator resumes the kill after the LP went stale again: quoting stays halted, and the halt is announced
    // again after the resume, so the runner does not take the resume for the end of the LP halt.
    driver.send(bbo('binance', t + 7n * SEC_NS, 299_999, 300_001))
    driver.send(bbo('deribit', t + 7n * SEC_NS, 59_999, 60_001))
    const resume = driver.send({ type: 'operator', tsNs: t + 7n * SEC_NS, action: 'resume', reason: 'checked' })
    expect(resume.filter((c) => c.type === 'resume' || c.type === 'halt').map((c) => c.type)).toEqual([
      'resume',
      'halt',
    ])
    expect(ofType(resume, 'halt')).toMatchObject([{ scope: 'all', reason: 'lpInventoryStale' }])
    expect(placesOf(resume)).toEqual([])
    expect(ofType(resume, 'armDeadManSwitch')).toEqual([])
    const fresh = driver.send(lp(t + 7n * SEC_NS, '1'))
    expect(ofType(fresh, 'resume')).toEqual([{ type: 'resume', tsNs: t + 7n * SEC_NS, scope: 'all' }])
    expect(placesOf(fresh).length).toBeGreaterThan(0)
  })

  it('a basis blow-out between the pool and the CEX halts quoting; it resumes when the basis is back within half the bound', () => {
    const driver = createDriver({ ...testConfig(), risk: { basisSampleMs: 1_000 } })
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1', '3000')), t + SEC_NS)
    driver.send(lp(t + 2n * SEC_NS, '1', '3100')) // basis (3000 − 3100)/3100 = −322.6 bps > 100 bps
    const timer = driver.send({ type: 'timer', tsNs: t + 2n * SEC_NS })
    expect(ofType(timer, 'halt').map((halt) => `${halt.scope}:${halt.reason}`)).toEqual([
      'binance:basisBound',
      'deribit:basisBound',
    ])
    expect(placesOf(timer)).toEqual([])
    driver.send(lp(t + 3n * SEC_NS, '1', '3012')) // −39.8 bps: inside 100 but above... no: within resume bound 50 bps
    const back = driver.send({ type: 'timer', tsNs: t + 4n * SEC_NS })
    expect(ofType(back, 'resume').map((resume) => resume.scope)).toEqual(['binance', 'deribit'])
  })

  it('refresh tolerance: a 1-tick move sends nothing, a large move amends in place (no cancel/replace)', () => {
    // Tolerance 3 ticks: a 1-tick BBO move shifts the fee-bounded ask by ≤ 2 ticks (ceil of 60.0002 ticks of edge).
    const config = testConfig()
    const driver = createDriver({
      ...config,
      venues: config.venues.map((venue) => ({ ...venue, refreshToleranceTicks: 3 })),
    })
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '0')), t + SEC_NS)
    const small = driver.send(bbo('binance', t + 2n * SEC_NS, 300_000, 300_002))
    expect(small.filter((c) => c.type === 'placeOrder' || c.type === 'amendOrder' || c.type === 'cancelOrder')).toEqual(
      [],
    )
    const large = driver.send(bbo('binance', t + 3n * SEC_NS, 300_499, 300_501))
    const isAction = (c: HedgerCommand) =>
      c.type === 'placeOrder' || c.type === 'amendOrder' || c.type === 'cancelOrder'
    // The quotes jump 500 ticks up: the new bid would sit above our resting ask, so the ask moves first and the bid
    // waits until the venue confirms the ask's amend (never a bid that meets our own ask).
    const first = large.filter(isAction)
    expect(first.map((action) => `${action.type}:${action.venue}:${'side' in action ? action.side : ''}`)).toEqual([
      'amendOrder:binance:sell',
    ])
    const after: HedgerCommand[] = []
    const originalSend = driver.send
    driver.send = (event) => {
      const commands = originalSend(event)
      after.push(...commands)
      return commands
    }
    confirmAll(driver, first, t + 3n * SEC_NS)
    expect(
      after.filter(isAction).map((action) => `${action.type}:${action.venue}:${'side' in action ? action.side : ''}`),
    ).toEqual(['amendOrder:binance:buy'])
  })

  it('respects the rate-limit budget', () => {
    const config = testConfig()
    const venues = config.venues.map((venue) => ({ ...venue, rateLimitCapacity: 1, rateLimitRefillPerSec: 0.001 }))
    const driver = createDriver({ ...config, venues })
    const t = warmUp(driver)
    const commands = driver.send(lp(t + SEC_NS, '1'))
    expect(placesOf(commands).map((place) => place.venue)).toEqual(['binance', 'deribit'])
  })

  it('suggests a wider LP range in higher volatility', () => {
    const run = (moveTicks: number): number => {
      const driver = createDriver({ ...testConfig(), lp: { minHalfWidthBps: 1, maxHalfWidthBps: 1_000_000 } })
      let t = SEC_NS
      driver.send({ type: 'venueHealth', tsNs: t, venue: 'binance', status: 'connected' })
      for (let i = 0; i < 10; i++) {
        t += SEC_NS
        const mid = 300_000 + (i % 2 === 0 ? moveTicks : -moveTicks)
        driver.send(bbo('binance', t, mid - 1, mid + 1))
      }
      const suggestion = ofType(driver.send({ type: 'timer', tsNs: t }), 'suggestRange')[0]
      if (!suggestion) throw new Error('no suggestion')
      expect(suggestion.rebalanceThreshold).toBe(0.1)
      return suggestion.halfWidthBps
    }
    expect(run(400)).toBeGreaterThan(run(40))
  })

  it('AS mode quotes too, with the same post-only and favouring rules', () => {
    const driver = createDriver({
      ...testConfig(),
      model: { type: 'AS', gammaPerPrice: 0.1, eta: 0.05, asHorizonSec: 60 },
    })
    const t = warmUp(driver)
    const places = placesOf(driver.send(lp(t + SEC_NS, '-1')))
    // Short 1 ETH: buys are the reducing side (500 lots each, routed), sells shrink to 60 lots.
    expect(places.map((place) => `${place.venue}:${place.side}:${place.sizeLots}`).sort()).toEqual([
      'binance:buy:500',
      'binance:sell:60',
      'deribit:buy:500',
      'deribit:sell:60',
    ])
  })

  it('online intensity calibration: no quotes until the λ(δ) fit is ready, then quotes', () => {
    const driver = createDriver({
      ...testConfig(),
      venues: [{ venue: 'binance', tickSize: '0.01', stepSize: '0.001', makerFeeBps: 2, maxOrderSizeBase: 0.5 }],
      calibration: {
        volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
        intensity: {
          mode: 'online',
          windowMs: 10_000,
          depthGridTicks: [0, 1, 2, 4],
          minCountPerPoint: 1,
          refreshMs: 100,
        },
      },
    })
    let t = SEC_NS
    driver.send({ type: 'venueHealth', tsNs: t, venue: 'binance', status: 'connected' })
    driver.send(lp(t, '0.5'))
    const placesBefore: number[] = []
    for (let i = 0; i < 30; i++) {
      t += 500_000_000n
      const mid = 300_000 + (i % 3) * 4
      driver.send(bbo('binance', t, mid - 1, mid + 1))
      // Trades at 1–4 ticks from the mid, both sides: arrivals for the fit.
      driver.send({
        type: 'trade',
        tsNs: t + 1n,
        venue: 'binance',
        priceTicks: mid + 1 + (i % 4),
        sizeLots: 10,
        aggressorSide: 'buy',
      })
      driver.send({
        type: 'trade',
        tsNs: t + 2n,
        venue: 'binance',
        priceTicks: mid - 1 - (i % 3),
        sizeLots: 10,
        aggressorSide: 'sell',
      })
      if (i === 5) placesBefore.push(placesOf(driver.log).length)
    }
    expect(placesBefore).toEqual([0]) // 3 s of history < the 10 s window: still warming up
    expect(driver.state.venueByName.get('binance')?.intensityStatus).toBe('ready')
    expect(placesOf(driver.log).length).toBeGreaterThan(0)
  })

  it('does not chase its own quotes: a BBO that is only our order keeps the last external touch', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    const placed = driver.send(lp(t + SEC_NS, '0'))
    confirmAll(driver, placed, t + SEC_NS)
    const bid = placesOf(placed).find((place) => place.venue === 'binance' && place.side === 'buy')
    const ask = placesOf(placed).find((place) => place.venue === 'binance' && place.side === 'sell')
    if (!bid || !ask) throw new Error('no binance quotes')
    // The venue's BBO is now our own bid and ask (same sizes): the external touch is unchanged, nothing to do.
    const echo = driver.send({
      type: 'bbo',
      tsNs: t + 2n * SEC_NS,
      venue: 'binance',
      bidPriceTicks: bid.priceTicks,
      bidSizeLots: bid.sizeLots,
      askPriceTicks: ask.priceTicks,
      askSizeLots: ask.sizeLots,
    })
    expect(echo.filter((c) => c.type === 'placeOrder' || c.type === 'amendOrder' || c.type === 'cancelOrder')).toEqual(
      [],
    )
    expect(driver.state.venueByName.get('binance')?.bbo).toMatchObject({
      bidPriceTicks: 299_999,
      askPriceTicks: 300_001,
    })
  })

  it('does not quote a side below the venue minimum notional', () => {
    const config = testConfig()
    const driver = createDriver({
      ...config,
      venues: config.venues.map((venue) => ({ ...venue, minNotionalQuote: 200 })),
    })
    const t = warmUp(driver)
    const places = placesOf(driver.send(lp(t + SEC_NS, '1')))
    // Buys are shrunk to 60 lots = 0.060 ETH ≈ 180 USD < 200 USD: not quoted. Sells (0.5 ETH ≈ 1500 USD) are.
    expect(places.map((place) => `${place.venue}:${place.side}:${place.sizeLots}`).sort()).toEqual([
      'binance:sell:500',
      'deribit:sell:500',
    ])
  })

  it('shares the total position headroom across venues, in routing order', () => {
    const driver = createDriver({ ...testConfig(), risk: { maxTotalPositionBase: 0.6 } })
    const t = warmUp(driver)
    const places = placesOf(driver.send(lp(t + SEC_NS, '1')))
    // Sells: deribit (best after fees) takes 0.5 ETH, binance what is left of 0.6: 0.1 ETH. Buys: 60 lots each.
    expect(places.map((place) => `${place.venue}:${place.side}:${place.sizeLots}`).sort()).toEqual([
      'binance:buy:60',
      'binance:sell:100',
      'deribit:buy:60',
      'deribit:sell:500',
    ])
  })

  it('halts a venue when pool and CEX returns decorrelate (feeds diverge)', () => {
    const driver = createDriver({
      ...testConfig(),
      risk: {
        minCorrelation: 0,
        correlationWindow: 10,
        correlationMinSamples: 5,
        basisSampleMs: 1_000,
        maxBasisBps: 1_000,
        resumeBasisBps: 500,
      },
    })
    let t = warmUp(driver)
    driver.send(lp(t, '0', '3000'))
    // Every second the CEX mid and the pool price move in opposite directions (correlation −1), basis within bounds.
    const halts: Extract<HedgerCommand, { type: 'halt' }>[] = []
    for (let i = 1; i <= 8; i++) {
      t += SEC_NS
      const up = i % 2 === 0
      driver.send(bbo('binance', t, up ? 300_099 : 299_899, up ? 300_101 : 299_901))
      driver.send(bbo('deribit', t, up ? 60_019 : 59_979, up ? 60_021 : 59_981))
      driver.send(lp(t, '0', up ? '2997' : '3003'))
      halts.push(...ofType(driver.send({ type: 'timer', tsNs: t }), 'halt'))
    }
    expect(halts.map((halt) => `${halt.scope}:${halt.reason}`)).toEqual([
      'binance:feedDivergence',
      'deribit:feedDivergence',
    ])
    expect(driver.state.venueByName.get('binance')?.basis.correlation).toBeCloseTo(-1, 9)
  })

  it('a disconnected venue gets only cancel-all retries until the venue confirms, nothing else; it quotes again after reconnecting', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
    const down = driver.send({ type: 'venueHealth', tsNs: t + 2n * SEC_NS, venue: 'deribit', status: 'disconnected' })
    expect(ofType(down, 'cancelAll').map((command) => command.venue)).toEqual(['deribit'])
    const during = [
      ...driver.send(bbo('deribit', t + 3n * SEC_NS, 59_990, 59_992)),
      ...driver.send(lp(t + 3n * SEC_NS, '2')),
      ...driver.send({ type: 'timer', tsNs: t + 4n * SEC_NS }),
    ]
    // Unconfirmed: the cancel-all is repeated (REST may work while the stream is down); no place, amend or cancel.
    expect(
      during.filter((command) => 'venue' in command && command.venue === 'deribit').map((command) => command.type),
    ).toEqual(['cancelAll'])
    // The venue lists none of our orders (read after the last cancel-all was sent): cancelled or filled? Each is looked
    // up by client id; the answers (cancelled) confirm the sweep, and nothing more is sent while the venue is down.
    const snapshot = driver.send({
      type: 'openOrders',
      tsNs: t + 4n * SEC_NS + 1n,
      venue: 'deribit',
      requestedNs: t + 4n * SEC_NS + 1n,
      orders: [],
    })
    const deribit = driver.state.venueByName.get('deribit')
    const lookups = ofType(snapshot, 'lookupOrder')
    expect(lookups.length).toBeGreaterThan(0)
    expect(lookups.length).toBe(deribit?.orders.size)
    for (const lookup of lookups) {
      const order = deribit?.orders.get(lookup.clientOrderId)
      if (order === undefined) throw new Error('looked-up order missing')
      driver.send({
        type: 'orderUpdate',
        tsNs: t + 4n * SEC_NS + 2n,
        venue: 'deribit',
        clientOrderId: order.clientOrderId,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: order.sizeLots,
        filledLots: 0,
        status: 'canceled',
        snapshot: true,
      })
    }
    driver.send({
      type: 'openOrders',
      tsNs: t + 4n * SEC_NS + 3n,
      venue: 'deribit',
      requestedNs: t + 4n * SEC_NS + 3n,
      orders: [],
    })
    expect(deribit?.sweep).toBeNull()
    const quiet = driver.send({ type: 'timer', tsNs: t + 4n * SEC_NS + 500_000_000n })
    expect(quiet.filter((command) => 'venue' in command && command.venue === 'deribit')).toEqual([])
    const up = driver.send({ type: 'venueHealth', tsNs: t + 5n * SEC_NS, venue: 'deribit', status: 'connected' })
    expect(ofType(up, 'armDeadManSwitch').map((command) => command.venue)).toEqual(['deribit'])
    expect(ofType(up, 'resume')).toEqual([{ type: 'resume', tsNs: t + 5n * SEC_NS, scope: 'deribit' }])
  })

  it('adopts a live order it did not know (the venue says so) and cancels it when unwanted', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '1')), t + SEC_NS)
    const foreign = driver.send({
      type: 'orderUpdate',
      tsNs: t + 2n * SEC_NS,
      venue: 'binance',
      clientOrderId: 'manual-7',
      side: 'buy',
      priceTicks: 290_000,
      sizeLots: 5,
      filledLots: 0,
      status: 'new',
    })
    expect(driver.state.venueByName.get('binance')?.orders.has('manual-7')).toBe(true)
    expect(ofType(foreign, 'cancelOrder')).toEqual([
      { type: 'cancelOrder', tsNs: t + 2n * SEC_NS, venue: 'binance', clientOrderId: 'manual-7' },
    ])
  })

  it('sizes orders to at most maxBookShare of the visible depth of their side (book levels, own orders excluded)', () => {
    const driver = createDriver()
    const t = warmUp(driver)
    // A thin external book on binance: 3 ask levels of 100, 80, 60 lots (240 visible); bids deep.
    driver.send({
      type: 'book',
      tsNs: t + SEC_NS,
      venue: 'binance',
      bids: [
        [299_999, 10_000],
        [299_998, 10_000],
      ],
      asks: [
        [300_001, 100],
        [300_002, 80],
        [300_003, 60],
      ],
    })
    const places = placesOf(driver.send(lp(t + 2n * SEC_NS, '1')))
    // Long 1 ETH: the binance sell would take 0.5 ETH (500 lots) but 0.5 × 240 = 120 lots is the cap.
    expect(places.find((place) => place.venue === 'binance' && place.side === 'sell')?.sizeLots).toBe(120)
  })

  it('a stream update from before an amend does not settle it; a snapshot of open orders does', () => {
    const config = testConfig()
    const driver = createDriver({
      ...config,
      venues: config.venues.map((venue) => ({ ...venue, refreshToleranceTicks: 1 })),
    })
    const t = warmUp(driver)
    confirmAll(driver, driver.send(lp(t + SEC_NS, '0')), t + SEC_NS)
    const amends = ofType(driver.send(bbo('binance', t + 2n * SEC_NS, 299_979, 299_981)), 'amendOrder')
    const amend = amends.find((command) => command.side === 'buy')
    if (!amend) throw new Error('no bid amend')
    const order = driver.state.venueByName.get('binance')?.orders.get(amend.clientOrderId)
    const before = order?.previousPriceTicks
    expect(order?.pending).toBe('amend')
    const stale = {
      type: 'orderUpdate',
      tsNs: t + 3n * SEC_NS,
      venue: 'binance',
      clientOrderId: amend.clientOrderId,
      side: 'buy',
      priceTicks: before ?? 0,
      sizeLots: amend.sizeLots,
      filledLots: 0,
      status: 'new',
    } as const
    driver.send(stale)
    expect(order?.pending).toBe('amend') // still in flight: both prices stay blocked
    expect(order?.priceTicks).toBe(amend.priceTicks)
    // The snapshot says the venue still holds the old price: that settles the amend, and the order manager re-sends it
    // from the venue's price (the old price is what may rest until then).
    const settled = driver.send({ ...stale, tsNs: t + 4n * SEC_NS, snapshot: true })
    expect(ofType(settled, 'amendOrder').map((command) => command.clientOrderId)).toEqual([amend.clientOrderId])
    expect(order?.previousPriceTicks).toBe(before)
  })

  it('a model that rejects its inputs (AS overflow at an extreme q) stops quoting on that venue and says why', () => {
    const driver = createDriver({ ...testConfig(), model: { type: 'AS', gammaPerPrice: 1e300, eta: 0 } })
    const t = warmUp(driver)
    // q = 1e8 / 0.1 = 1e9 order sizes: q·γ·σ²·T overflows to infinity in the AS reservation price.
    const commands = driver.send(lp(t + SEC_NS, '100000000'))
    expect(placesOf(commands)).toEqual([])
    expect(driver.state.venueByName.get('binance')?.status).toMatch(/^modelError: /)
  })
})
