import { bench, describe } from 'vitest'
import { bbo, createDriver, type Driver, SEC_NS, warmUp } from '../../test/src/hedgerFixtures.js'
import type { HedgerEvent } from '../messages/events.js'
import { step } from './step.js'
import type { HedgerState, VenueState } from './types.js'

/** A warmed, quoting hedger (two venues, LP long 1 ETH) and an endless stream of BBO updates on both venues, 1 ms apart. */
function setup(): { driver: Driver; next: () => HedgerEvent } {
  const driver = createDriver()
  let t = warmUp(driver)
  t += SEC_NS
  driver.send({ type: 'lpInventory', tsNs: t, baseHeldBase: '1', baseTargetBase: '0', poolPrice: '3000' })
  let i = 0
  const next = (): HedgerEvent => {
    t += 1_000_000n
    i++
    const move = ((i * 7919) % 11) - 5 // deterministic ±5-tick wiggle
    return i % 2 === 0
      ? bbo('binance', t, 300_000 + move - 1, 300_000 + move + 1)
      : bbo('deribit', t, 60_000 + (move % 3) - 1, 60_000 + (move % 3) + 1)
  }
  return { driver, next }
}

/** The naive peer: an immutable reducer that copies the mutable parts of the state before every step. */
function copyState(state: HedgerState): HedgerState {
  const venues = state.venues.map(
    (venue): VenueState => ({
      ...venue,
      bbo: venue.bbo === null ? null : { ...venue.bbo },
      orders: new Map([...venue.orders].map(([id, order]) => [id, { ...order }])),
      seenTradeIds: new Set(venue.seenTradeIds),
      basis: { ...venue.basis, poolReturns: [...venue.basis.poolReturns], midReturns: [...venue.basis.midReturns] },
    }),
  )
  return { ...state, venues, venueByName: new Map(venues.map((venue) => [venue.config.venue, venue])) }
}

// Per-event latency distribution after a JIT warm-up, printed once (speed is reported, never asserted).
{
  const { driver, next } = setup()
  let state = driver.state
  for (let i = 0; i < 20_000; i++) state = step(state, next()).state
  const count = 50_000
  const events = Array.from({ length: count }, next)
  const latencies = new Float64Array(count)
  const start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    const before = process.hrtime.bigint()
    state = step(state, events[i] as HedgerEvent).state
    latencies[i] = Number(process.hrtime.bigint() - before) / 1000
  }
  const totalSec = Number(process.hrtime.bigint() - start) / 1e9
  latencies.sort()
  const at = (p: number) => (latencies[Math.min(count - 1, Math.floor(p * count))] as number).toFixed(2)
  console.log(
    `hedger core, one BBO event → commands: p50 ${at(0.5)} µs, p99 ${at(0.99)} µs, p99.9 ${at(0.999)} µs; ${Math.round(count / totalSec)} events/s (${count} events, timer overhead included)`,
  )
}

describe('hedger core: one BBO event through quote engine + order manager', () => {
  const threaded = setup()
  let threadedState = threaded.driver.state
  bench('step (threaded state, updated in place)', () => {
    threadedState = step(threadedState, threaded.next()).state
  })

  const naive = setup()
  let naiveState = naive.driver.state
  bench('naive peer (immutable reducer: fresh state copy per event)', () => {
    naiveState = step(copyState(naiveState), naive.next()).state
  })
})
