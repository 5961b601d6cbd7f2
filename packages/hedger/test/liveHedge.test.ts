import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindVenueConnector } from '../src/adapters/bindVenueConnector.js'
import { createLiveRunner, type LiveRunner } from '../src/adapters/createLiveRunner.js'
import { computeNetExposure } from '../src/core/computeNetExposure.js'
import { HedgerError } from '../src/errors/base.js'
import type { HedgerCommand } from '../src/messages/commands.js'
import { connect, HEDGER_KEYS, startEmulator, TAKER_KEYS } from './src/binance.js'
import { type LpPool, startLpPool } from './src/lpPool.js'
import { waitFor } from './src/waitFor.js'

// End to end: a local anvil chain with the real Uniswap v3 contracts (LP inventory) + the @alp/venue-sim Binance
// USDⓈ-M emulator (hedge venue) + the @alp/exchange-connectors Binance connector, wired by createLiveRunner.
const VENUE = 'binance-usdm'
let lp: LpPool
let emu: RunningBinanceEmulator
let hedger: BinanceConnector
let taker: BinanceConnector
let runner: LiveRunner
const commands: HedgerCommand[] = []
const errors: HedgerError[] = []
let pokes = 0

const ourOpenOrders = async (): Promise<Order[]> =>
  (await hedger.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const netBase = () => computeNetExposure(runner.state).netBase
const venueState = () => runner.state.venues[0] as (typeof runner.state.venues)[number]
const since = (index: number) => commands.slice(index)
/** Moves the emulator book (a far taker bid placed and cancelled): depth and BBO events for the connector. */
async function poke(): Promise<void> {
  const clientOrderId = `poke-${++pokes}`
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'buy',
    price: '2500.00',
    sizeBase: '0.010',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await taker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
}
/** Waits until the runner has emitted `count` more timer metrics (i.e. the core has had time to act). */
async function timerTicks(count: number): Promise<void> {
  const seen = commands.filter((command) => command.type === 'metric' && command.name === 'netExposureBase').length
  await waitFor(
    () =>
      commands.filter((command) => command.type === 'metric' && command.name === 'netExposureBase').length >=
      seen + count,
    `${count} timer ticks`,
  )
}

beforeAll(async () => {
  lp = await startLpPool()
  emu = await startEmulator()
  hedger = await connect(emu, HEDGER_KEYS)
  taker = await connect(emu, TAKER_KEYS)
  // Background liquidity around the pool price: 2675.00 / 2685.00, 5 ETH each.
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'buy',
    price: '2675.00',
    sizeBase: '5.000',
    timeInForce: 'gtc',
    clientOrderId: 'tk-bid',
  })
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'sell',
    price: '2685.00',
    sizeBase: '5.000',
    timeInForce: 'gtc',
    clientOrderId: 'tk-ask',
  })
  runner = createLiveRunner({
    config: {
      venues: [
        {
          venue: VENUE,
          tickSize: '0.01',
          stepSize: '0.001',
          makerFeeBps: 2,
          minNotionalQuote: 20,
          maxPositionBase: 2,
          maxOrderSizeBase: 1,
          staleAfterMs: 600_000,
          deadManTimeoutMs: 5_000,
          deadManRearmMs: 500,
          rateLimitCapacity: 20,
          rateLimitRefillPerSec: 20,
        },
      ],
      calibration: {
        volatility: { halfLifeMs: 5_000, warmUpMs: 0, minIncrements: 1 },
        intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
      },
      hedge: { orderSizeBase: 0.1 },
      risk: { basisSampleMs: 50, maxBasisBps: 100, resumeBasisBps: 50, minCorrelation: -1 },
    },
    // Binance USDⓈ-M: countdownCancelAll armed and refreshed by the core with deadManTimeoutMs.
    venues: [
      bindVenueConnector({ kind: 'binance', venue: VENUE, symbol: 'ETHUSDT', connector: hedger }, (error) =>
        errors.push(new HedgerError('stream error', { code: 'TEST_STREAM', cause: error })),
      ),
    ],
    inventory: lp.inventory,
    timerIntervalMs: 50,
    onCommand: (command) => commands.push(command),
    onError: (error) => errors.push(error),
  })
  await runner.start()
  await poke()
  await poke()
  await lp.publish()
  await waitFor(() => venueState().status === 'quoting', 'the hedger quoting').catch((error: unknown) => {
    throw new Error(
      `${String(error)}; status: ${venueState().status}; errors: ${errors.map((e) => e.message).join(' | ')}`,
    )
  })
}, 120_000)

afterAll(async () => {
  await runner?.stop()
  await hedger?.close()
  await taker?.close()
  await emu?.close()
  await lp?.stop()
})

describe('live hedge: Uniswap v3 pool on anvil → hedger → Binance emulator', () => {
  it('a swap leaves the LP long WETH; the hedger sells it passively on the emulator; the fill brings net exposure to target', async () => {
    expect(Math.abs(netBase())).toBeLessThan(0.001) // target share taken at the start
    const poolBefore = await lp.price()
    await lp.sellWeth(5n * 10n ** 17n) // 0.5 WETH into the pool: the LP (only liquidity) takes it
    await lp.publish()
    expect(await lp.price()).toBeLessThan(poolBefore)
    await waitFor(() => netBase() > 0.1, 'the LP long after the swap')
    const exposure = netBase()
    // The reducing side (sell) carries the whole exposure, the buy side is shrunk by e^(−η q); both post-only.
    const resting = await waitFor(async () => {
      const open = await ourOpenOrders()
      const ask = open.find((order) => order.side === 'sell' && Number(order.sizeBase) >= exposure - 0.001 - 1e-9)
      const bid = open.find((order) => order.side === 'buy')
      return ask && bid ? { ask, bid } : undefined
    }, 'a hedge ask sized to the exposure')
    if (!resting) throw new Error('unreachable: waitFor returns a truthy value')
    expect(resting.ask.timeInForce).toBe('postOnly')
    expect(Number(resting.ask.sizeBase)).toBeGreaterThan(Number(resting.bid.sizeBase))
    expect(Number(resting.ask.price)).toBeLessThan(2685) // inside the background ask: the best offer
    expect(Number(resting.bid.price)).toBeLessThan(Number(resting.ask.price))
    // A taker lifts it.
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: resting.ask.price,
      sizeBase: resting.ask.sizeBase,
      timeInForce: 'ioc',
      clientOrderId: 'tk-lift-1',
    })
    await waitFor(() => Math.abs(netBase()) < 0.0015, 'net exposure back to target')
    expect(venueState().positionLots).toBe(-Number(resting.ask.sizeBase) * 1000)
    expect(errors).toEqual([])
  })

  it('a feed gap halts quoting and cancels every order until the book resyncs, then quoting resumes', async () => {
    const start = commands.length
    emu.emulator.setFaults({ depth: { dropNext: 1 } })
    await waitFor(async () => {
      await poke()
      return since(start).some((command) => command.type === 'halt' && command.reason === 'feedGap')
    }, 'feed-gap halt')
    const halted = since(start)
    expect(halted.some((command) => command.type === 'cancelAll' && command.reason === 'feedGap')).toBe(true)
    await waitFor(
      () => since(start).some((command) => command.type === 'resume' && command.scope === VENUE),
      'resume after the resync',
    )
    const resumedAt = since(start).findIndex((command) => command.type === 'resume')
    const haltAt = since(start).findIndex((command) => command.type === 'halt')
    // No order was placed between the halt and the resume.
    expect(
      since(start)
        .slice(haltAt, resumedAt)
        .filter((command) => command.type === 'placeOrder'),
    ).toEqual([])
    await waitFor(async () => (await ourOpenOrders()).length > 0, 'orders again after the resync')
  })

  it('a basis blow-out between the pool and the CEX halts quoting and cancels every order; it resumes when the basis closes', async () => {
    const start = commands.length
    await lp.sellWeth(6n * 10n ** 18n) // the pool price falls by several percent; the CEX does not follow
    await lp.publish()
    const basisBps = ((2680 - (await lp.price())) / (await lp.price())) * 10_000
    expect(basisBps).toBeGreaterThan(100)
    await waitFor(
      () => since(start).some((command) => command.type === 'halt' && command.reason === 'basisBound'),
      'basis halt',
    )
    await waitFor(async () => (await ourOpenOrders()).length === 0, 'every hedger order cancelled')
    const haltAt = commands.findIndex((command, index) => index >= start && command.type === 'halt')
    await timerTicks(5)
    expect(commands.slice(haltAt).filter((command) => command.type === 'placeOrder')).toEqual([])
    expect(venueState().basisHalted).toBe(true)
    // Arbitrage back: buy WETH from the pool until it is within 30 bps of the CEX mid.
    await waitFor(
      async () => {
        if ((await lp.price()) > 2680 * 0.997) return true
        await lp.sellUsdc(2_000n * 10n ** 6n)
        return false
      },
      'the pool price back near the CEX mid',
      60_000,
    )
    await lp.publish()
    await waitFor(() => since(start).some((command) => command.type === 'resume' && command.scope === VENUE), 'resume')
    await waitFor(async () => (await ourOpenOrders()).length > 0, 'orders again after the basis closed')
  })

  it('a dropped connection halts the venue (cancel-all over REST); after the reconnect it resumes and quotes again', async () => {
    await waitFor(async () => (await ourOpenOrders()).length > 0, 'the hedger quoting')
    const start = commands.length
    emu.emulator.hub.disconnect()
    await waitFor(
      () => since(start).some((command) => command.type === 'halt' && command.reason === 'disconnected'),
      'disconnect halt',
    )
    await waitFor(
      () => since(start).some((command) => command.type === 'resume' && command.scope === VENUE),
      'resume after the reconnect',
    )
    const events = since(start)
    const haltAt = events.findIndex((command) => command.type === 'halt' && command.reason === 'disconnected')
    const resumeAt = events.findIndex((command) => command.type === 'resume')
    expect(events.slice(0, haltAt + 1).some((c) => c.type === 'cancelAll' && c.reason === 'disconnected')).toBe(true)
    // No order command while the venue is down (the dead-man switch is re-armed on the reconnect, just before the resume).
    expect(
      events
        .slice(haltAt, resumeAt)
        .filter((c) => c.type === 'placeOrder' || c.type === 'amendOrder' || c.type === 'cancelOrder'),
    ).toEqual([])
    await waitFor(async () => (await ourOpenOrders()).length > 0, 'orders again after the reconnect')
    // Whatever rests on the venue is known to the core (reconciled from the private stream snapshot).
    await waitFor(
      async () => (await ourOpenOrders()).every((order) => venueState().orders.has(order.clientOrderId)),
      'every order on the venue known to the core',
    )
  })

  it('a position beyond the venue limit (a fat-finger fill) trips the kill switch: every order is cancelled and none is placed', async () => {
    await waitFor(async () => (await ourOpenOrders()).length > 0, 'the hedger quoting')
    const start = commands.length
    const errorsBefore = errors.length
    // An operator's manual IOC sell of 2.1 ETH from the hedger's account: the position goes beyond maxPositionBase 2.
    await hedger.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2600.00',
      sizeBase: '2.100',
      timeInForce: 'ioc',
      clientOrderId: 'manual-fat-finger',
    })
    await waitFor(() => runner.state.killed === 'positionLimit', 'kill switch on the position limit')
    expect(since(start).some((command) => command.type === 'cancelAll' && command.reason === 'positionLimit')).toBe(
      true,
    )
    await waitFor(async () => (await ourOpenOrders()).length === 0, 'every hedger order cancelled on the venue')
    await waitFor(() => venueState().orders.size === 0, 'no working order left in the core')
    const killAt = commands.findIndex(
      (command, index) => index >= start && command.type === 'halt' && command.scope === 'all',
    )
    await timerTicks(5)
    expect(
      commands.slice(killAt).filter((command) => command.type === 'placeOrder' || command.type === 'amendOrder'),
    ).toEqual([])
    // While killed the dead-man switch is no longer refreshed (deadManRearmMs 500): the venue's countdown runs out as a
    // last line if our cancels were lost.
    expect(commands.slice(killAt).filter((command) => command.type === 'armDeadManSwitch')).toEqual([])
    // The venue confirmed that nothing of ours is open.
    expect(venueState().sweep).toBeNull()
    // No command failed. (Connector-internal stream errors are reported as VENUE_CONNECTION and checked by the
    // connector's own tests: after the reconnect above its order tracker can report `expired → new` for a post-only
    // order the venue expired while the REST answer was in flight.)
    expect(errors.slice(errorsBefore).filter((error) => error.code !== 'VENUE_CONNECTION')).toEqual([])
  })
})
