import { InventoryEventStream, type InventoryUpdate } from '@alp/uniswap-lp'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type LpManagerRoleHandle, startLpManagerRole } from '../src/roles/startLpManagerRole.js'
import { createZmqBus } from '../src/transport/createZmqBus.js'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import type { OrderUpdateMessage } from '../src/transport/topics.js'
import { RolesModel, useModelTimers, VENUE } from './rolesModelHarness.js'

// The faults issue #15 names, on the order path's roles (trading engine, position server, trader) against the model
// venue of test/modelVenue.ts, fake timers (a clock step runs every timer and the venue's dead-man switch).

const sides = (model: RolesModel) => {
  const live = [...model.venue.live.values()]
  return { bids: live.filter((o) => o.side === 'buy').length, asks: live.filter((o) => o.side === 'sell').length }
}

/** The market ticks every 250 ms for `ms` while the venue answers every call (a dead venue refuses them). */
async function run(model: RolesModel, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 250) {
    model.venue.drain()
    await model.settle()
    await model.advance(250)
    await model.tick()
    await model.settle()
    model.check()
  }
  model.venue.drain()
  await model.settle()
}

let model: RolesModel | undefined
afterEach(async () => {
  await model?.close()
  model = undefined
  vi.useRealTimers()
})

describe('faults: the venue goes away and comes back', () => {
  it('a venue disconnect halts the venue (halt on orderUpdates), sends nothing new, the dead-man switch pulls the quotes; on reconnect it resumes and quotes again', async () => {
    useModelTimers()
    model = new RolesModel('in-process')
    await model.start()
    const updates: OrderUpdateMessage[] = []
    const orderUpdates = await model.venueBus.subscriber('orderUpdates')
    orderUpdates.on('message', (message) => updates.push(message))
    await run(model, 2_000)
    expect(sides(model)).toEqual({ bids: 1, asks: 1 })

    model.venue.disconnect()
    await model.settle()
    expect(updates.filter((u) => u.type === 'halt')).toMatchObject([{ scope: VENUE, reason: 'disconnected' }])
    const placesBefore = [...model.venue.placeCalls.values()].reduce((a, b) => a + b, 0)
    const issuedBefore = model.issued.size
    // The cancels cannot reach the venue; its dead-man switch (armed for 10 s, no longer refreshed) cancels them.
    await run(model, 12_000)
    expect(model.issued.size).toBe(issuedBefore)
    expect([...model.venue.placeCalls.values()].reduce((a, b) => a + b, 0)).toBe(placesBefore)
    expect(model.venue.deadManCancels).toBe(1)
    expect(sides(model)).toEqual({ bids: 0, asks: 0 })

    model.venue.reconnect()
    await run(model, 3_000)
    expect(updates.filter((u) => u.type === 'resume')).toMatchObject([{ scope: VENUE }])
    expect(sides(model)).toEqual({ bids: 1, asks: 1 })
    expect(model.ordersOfTrader()).toEqual(model.ordersOfVenue())
    expect(model.violations).toEqual([])
  })
})

describe('faults: a late-joining role', () => {
  it('the position server joins after the trader: nothing is quoted until it does; then the trader takes the venue’s position and orders from the snapshots', async () => {
    useModelTimers()
    model = new RolesModel('in-process')
    await model.start()
    await run(model, 2_000)
    // A fill gives the venue a position; then the position server and the trader go, and the trader comes back first.
    model.venue.fill(0, false)
    await run(model, 1_000)
    await model.positions.stop()
    await model.trader.stop()
    model.venue.drain()
    const issuedBefore = model.issued.size
    await model.startTrader()
    await run(model, 3_000)
    // No venue health, no position: the trader does not quote (it may cancel what it found).
    expect(model.issued.size).toBe(issuedBefore)
    expect(model.trader.state.venueByName.get(VENUE)?.connected).toBe(false)

    await model.startPositions()
    await run(model, 3_000)
    expect(model.trader.state.venueByName.get(VENUE)?.connected).toBe(true)
    expect(model.trader.state.venueByName.get(VENUE)?.positionLots).toBe(model.venue.positionLots)
    expect(model.venue.positionLots).not.toBe(0)
    expect(model.issued.size).toBeGreaterThan(issuedBefore)
    expect(model.ordersOfTrader()).toEqual(model.ordersOfVenue())
    expect(model.violations).toEqual([])
  })

  it('the trader joins after a venue’s orders and position exist (an earlier run’s): it adopts them from the snapshots before quoting', async () => {
    useModelTimers()
    model = new RolesModel('in-process')
    await model.start()
    await run(model, 2_000)
    model.venue.fill(0, true)
    await run(model, 500)
    const before = model.ordersOfVenue()
    expect(before.length).toBeGreaterThan(0)
    await model.trader.stop()
    await run(model, 1_000)
    await model.startTrader()
    await model.settle()
    // Adopted before any tick: the venue's orders and position are the trader's.
    expect(model.ordersOfTrader()).toEqual(before)
    expect(model.trader.state.venueByName.get(VENUE)?.positionLots).toBe(model.venue.positionLots)
    await run(model, 3_000)
    expect(model.ordersOfTrader()).toEqual(model.ordersOfVenue())
    expect(sides(model)).toEqual({ bids: 1, asks: 1 })
    expect(model.violations).toEqual([])
  })
})

describe('faults: a ZeroMQ subscriber that falls behind', () => {
  it('a burst of position reports overruns the high-water marks: the subscribers see a gap, recover by snapshot, and the trader ends with the venue’s position', async () => {
    useModelTimers()
    model = new RolesModel('zeromq')
    await model.start()
    await run(model, 1_000)
    // An observer beside the trader, on the trader's bus, as slow as the trader (same process, same event loop).
    const observer = await model.traderBus.subscriber('positions')
    await model.settle()
    model.venue.burstPositions(20_000, 123)
    for (let round = 0; round < 40 && observer.lastSeq < 20_000; round++) await model.advance(250)
    await run(model, 2_000)
    expect(observer.stats.gaps).toBeGreaterThan(0)
    expect(observer.stats.snapshots).toBeGreaterThanOrEqual(2)
    expect(observer.state.get(`position/${VENUE}`)).toMatchObject({ sizeLots: 123 })
    expect(model.trader.state.venueByName.get(VENUE)?.positionLots).toBe(123)
    await observer.close()
  }, 60_000)
})

describe('faults: two subscribers of one topic in one process (ZeroMQ)', () => {
  it('both get their snapshots (the trader and an observer on one bus): a second subscriber does not take the first one’s snapshot answers', async () => {
    const endpoints = await freeLoopbackEndpoints()
    const a = createZmqBus({ endpoints })
    const b = createZmqBus({ endpoints })
    try {
      const publisher = await a.publisher('positions', { heartbeatMs: 50 })
      publisher.publish({ type: 'position', tsNs: 1n, venue: 'v', sizeLots: 7 })
      const first = await b.subscriber('positions', { snapshotTimeoutMs: 100 })
      const second = await b.subscriber('positions', { snapshotTimeoutMs: 100 })
      for (const subscriber of [first, second])
        await subscriber.until((s) => s.phase === 'live' && s.state.has('position/v'), 3_000)
      // A gap later: each recovers by its own snapshot.
      await second.close()
      publisher.publish({ type: 'position', tsNs: 2n, venue: 'v', sizeLots: 8 })
      await first.until((s) => s.state.get('position/v')?.type === 'position' && s.lastSeq === 2, 3_000)
      expect(first.state.get('position/v')).toMatchObject({ sizeLots: 8 })
    } finally {
      await b.close()
      await a.close()
    }
  })
})

/**
 * The LP manager as the lp-manager role sees it (`LpManagerLike`), stepping like `LpManager.run` of @alp/uniswap-lp:
 * every step reads the chain (here: `rpcUp` and the holdings) and publishes an inventory update, or fails and is
 * reported as 'error' and retried at the next interval.
 */
class SteppingLpManager {
  rpcUp = true
  baseHeld = '0.3'
  steps = 0
  readonly errors: unknown[] = []
  readonly #stream = new InventoryEventStream({
    source: 'uniswap-v3:31337:0xpool',
    decimals0: 18,
    decimals1: 6,
    baseToken: 'token0',
    targetBaseShare: 0.5,
  })
  #stopped = true
  on(event: 'inventory', listener: (update: InventoryUpdate) => void): void {
    this.#stream.on(event, listener)
  }
  off(event: 'inventory', listener: (update: InventoryUpdate) => void): void {
    this.#stream.off(event, listener)
  }
  step(): void {
    this.steps += 1
    if (!this.rpcUp) throw new Error('RPC unreachable: connect ECONNREFUSED 127.0.0.1:8545')
    // Holdings: baseHeld WETH and no USDC, so half of the WETH is the LP's excess (target base share 0.5).
    const weth = BigInt(Math.round(Number(this.baseHeld) * 1e6)) * 10n ** 12n
    this.#stream.publish({
      tsMs: Date.now(),
      amount0Raw: weth,
      amount1Raw: 0n,
      sqrtPriceX96: 4_339_505_179_874_779_489_431_521n, // 3000 USDC per WETH, 18/6 decimals
      prices: { token0: '3000', token1: '1' },
    })
  }
  async run({ intervalMs }: { intervalMs: number }): Promise<void> {
    this.#stopped = false
    while (!this.#stopped) {
      try {
        this.step()
      } catch (error) {
        this.errors.push(error)
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  }
  stop(): void {
    this.#stopped = true
  }
}

describe('faults: an RPC outage under the lp-manager role', () => {
  it('the inventory stops while the RPC is down: the trader keeps hedging the last inventory (the hedger has no staleness rule for it), the inventory topic stays live; the first step after the outage moves the target', async () => {
    useModelTimers()
    const manager = new SteppingLpManager()
    let role: LpManagerRoleHandle | undefined
    model = new RolesModel('in-process', {
      startLp: async (m) => {
        role = await startLpManagerRole({
          bus: m.venueBus,
          manager,
          endpoints: m.endpoints,
          onError: m.onError,
          stepIntervalMs: 1_000,
        })
      },
    })
    await model.start()
    await run(model, 2_000)
    const venueState = () => model?.trader.state.venueByName.get(VENUE)
    expect(model.trader.state.lpDeviationBase).toBeCloseTo(0.15, 9) // 0.3 WETH held, half of it the target
    expect(sides(model)).toEqual({ bids: 1, asks: 1 })
    const inventory = await model.traderBus.subscriber('inventory')
    await model.settle()

    manager.rpcUp = false
    const stepsBefore = manager.steps
    const inventorySeq = inventory.lastSeq
    await run(model, 10_000)
    expect(manager.steps - stepsBefore).toBeGreaterThanOrEqual(9)
    expect(manager.errors.length).toBeGreaterThanOrEqual(9)
    expect(inventory.lastSeq).toBe(inventorySeq) // nothing new…
    expect(inventory.silent).toBe(false) // …but the role's heartbeats keep the topic alive
    expect(model.trader.state.lpDeviationBase).toBeCloseTo(0.15, 9)
    expect(model.trader.state.killed).toBeNull()
    expect(venueState()?.haltAnnounced).toBeNull()
    expect(sides(model)).toEqual({ bids: 1, asks: 1 })

    manager.baseHeld = '0.1'
    manager.rpcUp = true
    await run(model, 2_000)
    expect(inventory.lastSeq).toBeGreaterThan(inventorySeq)
    expect(model.trader.state.lpDeviationBase).toBeCloseTo(0.05, 9)
    expect(model.ordersOfTrader()).toEqual(model.ordersOfVenue())
    expect(model.violations).toEqual([])
    await inventory.close()
    await role?.stop()
  })
})
