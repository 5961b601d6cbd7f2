import { describe, expect, it } from 'vitest'
import { bbo, confirmAll, createDriver, SEC_NS, testConfig, warmUp } from '../../test/src/hedgerFixtures.js'
import { computeNetExposure } from './computeNetExposure.js'
import type { HedgerState } from './types.js'

const lp = (tsNs: bigint, held: string) =>
  ({ type: 'lpInventory', tsNs, baseHeldBase: held, baseTargetBase: '0', poolPrice: '3000' }) as const

/**
 * The most the venues may still fill on the reducing (sell) side, base units: every sell order's remaining size at
 * the largest size the venue may hold (an unconfirmed amend may still rest at its previous size).
 */
function worstSellBase(state: HedgerState): number {
  let total = 0
  for (const venue of state.venues)
    for (const order of venue.orders.values())
      if (order.side === 'sell')
        total += (Math.max(order.sizeLots, order.previousSizeLots ?? 0) - order.filledLots) * venue.config.stepSizeBase
  return total
}

describe('routing the hedge to another venue', () => {
  it('raises the new venue only once the old one confirmed its cut: the venues never hold the hedge twice', () => {
    const driver = createDriver()
    let t = warmUp(driver)
    // +0.4 ETH: Deribit (no maker fee) gets the whole hedge, Binance quotes one shaped order on the sell side
    t += SEC_NS
    const placed = driver.send(lp(t, '0.4'))
    confirmAll(driver, placed, t)
    const net = computeNetExposure(driver.state).netBase
    const bound = net + 0.1 + 1e-9 // the hedge plus one order size on the other venue
    expect(worstSellBase(driver.state)).toBeLessThanOrEqual(bound)
    const deribit = driver.state.venueByName.get('deribit')
    expect([...(deribit?.orders.values() ?? [])].find((o) => o.side === 'sell')?.sizeLots).toBe(400)
    // Deribit's book drops 2 USD: Binance now sells higher and the hedge is routed there. Nothing is confirmed yet.
    for (let i = 0; i < 4; i++) {
      t += SEC_NS / 10n
      driver.send(bbo('deribit', t, 59_959 - i, 59_961 - i))
      driver.send(bbo('binance', t, 299_999, 300_001))
      expect(worstSellBase(driver.state)).toBeLessThanOrEqual(bound)
    }
    // The venues answer every command (Deribit's cut first, as the core sends nothing else before it): the hedge ends
    // on Binance, Deribit keeps one shaped order, and at no answer did the venues hold more than that
    const sells = (name: string) =>
      [...(driver.state.venueByName.get(name)?.orders.values() ?? [])].filter((o) => o.side === 'sell')
    for (let round = 0; round < 10 && (sells('binance')[0]?.sizeLots ?? 0) < 400; round++) {
      t += SEC_NS / 10n
      for (const venue of driver.state.venues)
        for (const order of [...venue.orders.values()]) {
          if (order.pending !== 'amend' && order.pending !== 'new') continue
          const more = driver.send({
            type: 'orderUpdate',
            tsNs: t,
            venue: venue.config.venue,
            clientOrderId: order.clientOrderId,
            side: order.side,
            priceTicks: order.priceTicks,
            sizeLots: order.sizeLots,
            filledLots: 0,
            status: 'new',
          })
          void more
          expect(worstSellBase(driver.state)).toBeLessThanOrEqual(bound)
        }
      driver.send(bbo('deribit', t, 59_955, 59_957))
      expect(worstSellBase(driver.state)).toBeLessThanOrEqual(bound)
    }
    expect(sells('binance').map((o) => o.sizeLots)).toEqual([400])
    expect(sells('deribit').map((o) => o.sizeLots)).toEqual([100])
  })
})

describe('a venue halts while its hedge is still offered', () => {
  it('the other venue takes the hedge only once the halted venue confirmed its cancel-all', () => {
    // Binance amends on any size change (no size tolerance), so every quote it wants shows in its order.
    const config = testConfig()
    config.venues = config.venues.map((v) => (v.venue === 'binance' ? { ...v, refreshToleranceSizeFraction: 0 } : v))
    const driver = createDriver(config)
    let t = warmUp(driver)
    // +0.3 ETH: Deribit (no maker fee) sells the whole hedge (300 lots), Binance quotes one shaped order (100 lots)
    t += SEC_NS
    confirmAll(driver, driver.send(lp(t, '0.3')), t)
    const sells = (name: string) =>
      [...(driver.state.venueByName.get(name)?.orders.values() ?? [])].filter((o) => o.side === 'sell')
    expect(sells('deribit').map((o) => o.sizeLots)).toEqual([300])
    expect(sells('binance').map((o) => o.sizeLots)).toEqual([100])
    // Deribit's book stops (Binance's goes on) until it is older than staleAfterMs (5 s): Deribit halts and cancels
    // all, and the venue has not answered yet, so its 300-lot sell may still fill.
    const deribitLast = driver.state.venueByName.get('deribit')?.lastMarketNs as bigint
    let halt: ReturnType<typeof driver.send> = []
    while (halt.length === 0) {
      t += SEC_NS / 2n
      const commands = driver.send(bbo('binance', t, 299_999, 300_001))
      halt = commands.filter((c) => c.type === 'halt' && c.scope === 'deribit')
    }
    expect(t - deribitLast).toBeGreaterThan(5n * SEC_NS)
    expect(halt).toMatchObject([{ reason: 'staleMarketData' }])
    expect(sells('deribit')).toMatchObject([{ sizeLots: 300, pending: 'cancel' }])
    // Binance is now the only venue that may quote, but Deribit's 300 lots may still fill: Binance keeps its shaped 100.
    expect(sells('binance').map((o) => o.sizeLots)).toEqual([100])
    // The LP sells: the hedge shrinks to 0.101 ETH, and only Binance may quote. Raising Binance to 101 lots now would
    // offer 401 lots against a 101-lot hedge; it keeps its shaped 100 until Deribit's cancel is confirmed.
    t += SEC_NS / 10n
    confirmAll(
      driver,
      driver.send(lp(t, '0.101')).filter((c) => c.type !== 'cancelAll'),
      t,
    )
    expect(computeNetExposure(driver.state).netBase).toBeCloseTo(0.101, 9)
    expect(sells('binance').map((o) => o.sizeLots)).toEqual([100])
    expect(worstSellBase(driver.state)).toBeCloseTo(0.4, 9)
    // Deribit confirms its cancel: now Binance takes the whole hedge.
    t += SEC_NS / 10n
    const binanceCommands: ReturnType<typeof driver.send> = []
    for (const order of sells('deribit'))
      binanceCommands.push(
        ...driver.send({
          type: 'orderUpdate',
          tsNs: t,
          venue: 'deribit',
          clientOrderId: order.clientOrderId,
          side: 'sell',
          priceTicks: order.priceTicks,
          sizeLots: order.sizeLots,
          filledLots: 0,
          status: 'canceled',
        }),
      )
    t += SEC_NS / 10n
    binanceCommands.push(...driver.send(bbo('binance', t, 299_999, 300_001)))
    confirmAll(driver, binanceCommands, t)
    expect(sells('deribit')).toEqual([])
    expect(sells('binance').map((o) => o.sizeLots)).toEqual([101])
  })
})
