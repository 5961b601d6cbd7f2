import {
  createDeribitConnector,
  createGrvtClientOrderId,
  createGrvtConnector,
  type ExecutionClient,
  type Order,
  type ReconciliationSnapshot,
  systemClock,
} from '@alp/exchange-connectors'
import { startDeribitEmulator } from '@alp/venue-sim/deribit'
import { startGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindVenueConnector, type VenueConnectorSpec } from '../src/adapters/bindVenueConnector.js'
import { createLiveRunner, type LiveRunner, systemRunnerClock } from '../src/adapters/createLiveRunner.js'
import { computeNetExposure } from '../src/core/computeNetExposure.js'
import type { HedgerError } from '../src/errors/base.js'
import type { HedgerCommand } from '../src/messages/commands.js'
import { waitFor } from './src/waitFor.js'

// The same createLiveRunner + bindVenueConnector code against the Deribit and the GRVT emulators: only the venue
// entry (kind, instrument, grid, connector) differs. The LP side is a hand-fed `lpInventory` event (the chain is
// covered by liveHedge.test.ts).

type VenueUnderTest = {
  readonly name: string
  readonly symbol: string
  readonly tickSize: string
  readonly stepSize: string
  /** Starts the emulator, the hedger's connector (as a spec) and a taker's execution client. */
  start(): Promise<{
    spec: VenueConnectorSpec
    taker: ExecutionClient
    takerId: (label: string) => string
    ourOpenOrders: () => Promise<Order[]>
    /** Sides of the hedger's open orders read in-process from the emulator's engine (no request: no fault consumed). */
    openSides: () => ('BUY' | 'SELL')[]
    close: () => Promise<void>
  }>
}

let nonce = 0
const random = () => 0.5

const DERIBIT: VenueUnderTest = {
  name: 'deribit',
  symbol: 'ETH_USDC-PERPETUAL',
  tickSize: '0.05',
  stepSize: '0.001',
  async start() {
    const emu = await startDeribitEmulator({
      instruments: [{ instrumentName: this.symbol, tickSize: this.tickSize, stepSize: this.stepSize }],
      accounts: [
        { clientId: 'hedger', clientSecret: 'hedger-secret', balances: { USDC: '100000' } },
        { clientId: 'taker', clientSecret: 'taker-secret', balances: { USDC: '100000' } },
      ],
      market: { kind: 'none' },
    })
    const connect = (clientId: string) =>
      createDeribitConnector({
        wsUrl: emu.wsUrl,
        credentials: { clientId, clientSecret: `${clientId}-secret` },
        clock: systemClock,
        random,
        nonce: () => `n${++nonce}`,
      })
    const hedger = await connect('hedger')
    const taker = await connect('taker')
    if (!taker.execution || !hedger.execution) throw new Error('connectors built without credentials')
    const hedgerExec = hedger.execution
    return {
      spec: { kind: 'deribit', venue: 'deribit', symbol: this.symbol, currency: 'USDC', connector: hedger },
      taker: taker.execution,
      takerId: (label) => label,
      ourOpenOrders: async () =>
        (await hedgerExec.getOpenOrders(this.symbol)).filter((o) => o.clientOrderId.startsWith('alp')),
      openSides: () => emu.emulator.engine.listOpenOrders('deribit-0', this.symbol).map((order) => order.side),
      close: async () => {
        await hedger.close()
        await taker.close()
        await emu.close()
      },
    }
  },
}

const HEDGER_KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // GRVT pysdk test key
const TAKER_KEY = '0xc0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0'

const GRVT: VenueUnderTest = {
  name: 'grvt',
  symbol: 'ETH_USDT_Perp',
  tickSize: '0.01',
  stepSize: '0.001',
  async start() {
    const emu = await startGrvtEmulator({
      instruments: [
        { instrument: this.symbol, instrumentHash: '0x030401', tickSize: this.tickSize, minSize: this.stepSize },
      ],
      accounts: [
        { apiKey: 'hedger', signerPrivateKeys: [HEDGER_KEY], subAccountId: '2222', balances: { USDT: '100000' } },
        { apiKey: 'taker', signerPrivateKeys: [TAKER_KEY], subAccountId: '1111', balances: { USDT: '100000' } },
      ],
      market: { kind: 'none' },
    })
    const connect = (apiKey: string, key: string, subAccountId: string) =>
      createGrvtConnector({
        urls: {
          edgeUrl: emu.restUrl,
          tradesUrl: emu.restUrl,
          marketDataUrl: emu.restUrl,
          marketDataWsUrl: emu.wsUrl,
          tradesWsUrl: emu.wsUrl,
        },
        apiKey,
        signerPrivateKey: key,
        subAccountId,
        chainId: 326,
        clock: systemClock,
        random,
        nextNonce: () => ++nonce,
      })
    const hedger = await connect('hedger', HEDGER_KEY, '2222')
    const taker = await connect('taker', TAKER_KEY, '1111')
    let sequence = 0n
    const labels = new Map<string, string>()
    return {
      spec: { kind: 'grvt', venue: 'grvt', symbol: this.symbol, connector: hedger },
      taker: taker.execution,
      takerId: (label) => {
        const known = labels.get(label) ?? createGrvtClientOrderId(++sequence)
        labels.set(label, known)
        return known
      },
      // The hedger's orders carry GRVT ids on the venue: every open order of its sub-account is the hedger's.
      ourOpenOrders: async () => (await hedger.execution.getOpenOrders()).filter((o) => o.symbol === this.symbol),
      openSides: () => emu.emulator.engine.listOpenOrders('grvt-0', this.symbol).map((order) => order.side),
      close: async () => {
        await hedger.close()
        await taker.close()
        await emu.close()
      },
    }
  },
}

describe.each([DERIBIT, GRVT])('live hedge by configuration: $name emulator', (venue) => {
  let started: Awaited<ReturnType<VenueUnderTest['start']>>
  let runner: LiveRunner
  const commands: HedgerCommand[] = []
  const errors: HedgerError[] = []
  const streamErrors: unknown[] = []
  const snapshots: ReconciliationSnapshot[] = []
  let pokes = 0
  const netBase = () => computeNetExposure(runner.state).netBase
  const venueState = () => runner.state.venues[0] as (typeof runner.state.venues)[number]
  const lpInventory = (baseHeldBase: string) =>
    runner.dispatch({
      type: 'lpInventory',
      tsNs: systemRunnerClock.nowNs(),
      baseHeldBase,
      baseTargetBase: '1.000',
      poolPrice: '2680.000000000000',
    })
  /** Moves the emulator book (a far taker bid placed and cancelled): book and BBO events for the connector. */
  async function poke(): Promise<void> {
    const clientOrderId = started.takerId(`poke${++pokes}`)
    const { symbol } = venue
    await started.taker.placeOrder({
      symbol,
      side: 'buy',
      price: '2500.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId,
    })
    await started.taker.cancelOrder({ symbol, clientOrderId })
  }

  beforeAll(async () => {
    started = await venue.start()
    const { symbol } = venue
    // Background liquidity around the pool price: 2675.00 / 2685.00, 5 ETH each.
    for (const [side, price, label] of [
      ['buy', '2675.00', 'tkbid'],
      ['sell', '2685.00', 'tkask'],
    ] as const)
      await started.taker.placeOrder({
        symbol,
        side,
        price,
        sizeBase: '5.000',
        timeInForce: 'gtc',
        clientOrderId: started.takerId(label),
      })
    const binding = bindVenueConnector(started.spec, (error) => streamErrors.push(error))
    if (!binding.privateStream) throw new Error(`${venue.name}: the binding has no private stream`)
    binding.privateStream.on('reconciled', (snapshot) => snapshots.push(snapshot))
    runner = createLiveRunner({
      config: {
        venues: [
          {
            venue: started.spec.venue,
            tickSize: venue.tickSize,
            stepSize: venue.stepSize,
            makerFeeBps: 0,
            minNotionalQuote: 20,
            maxPositionBase: 2,
            maxOrderSizeBase: 1,
            staleAfterMs: 600_000,
            supportsAmend: venue.name === 'deribit',
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
      venues: [binding],
      timerIntervalMs: 50,
      onCommand: (command) => commands.push(command),
      onError: (error) => errors.push(error),
    })
    await runner.start()
    lpInventory('1.000')
    await poke()
    await poke()
    await waitFor(() => venueState().status === 'quoting', `the hedger quoting on ${venue.name}`).catch(
      (error: unknown) => {
        throw new Error(
          `${String(error)}; status: ${venueState().status}; errors: ${errors.map((e) => e.message).join(' | ')}`,
        )
      },
    )
  }, 60_000)

  afterAll(async () => {
    await runner?.stop()
    await started?.close()
  })

  it('9. the book moving under our quotes (GRVT: cancel + re-place) never leaves two of our orders on one side at the venue', async () => {
    // Taker bids stepping up inside the spread move the touch; the hedger reprices (Deribit amends, GRVT cancels and
    // places once the cancel is confirmed). The venue's open orders are watched throughout.
    let maxPerSide = 0
    let watching = true
    const watch = (async () => {
      while (watching) {
        const sides = started.openSides()
        for (const side of ['BUY', 'SELL'] as const)
          maxPerSide = Math.max(maxPerSide, sides.filter((s) => s === side).length)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    const startCommands = commands.length
    for (let step = 0; step < 6; step++) {
      const clientOrderId = started.takerId(`mv${step}`)
      await started.taker.placeOrder({
        symbol: venue.symbol,
        side: 'buy',
        price: (2676 + step / 2).toFixed(2), // below our quotes: moves the touch, never fills us
        sizeBase: '2.000',
        timeInForce: 'gtc',
        clientOrderId,
      })
      await new Promise((resolve) => setTimeout(resolve, 400))
      await started.taker.cancelOrder({ symbol: venue.symbol, clientOrderId })
    }
    watching = false
    await watch
    const repriced = commands
      .slice(startCommands)
      .filter((command) => command.type === (venue.name === 'deribit' ? 'amendOrder' : 'cancelOrder'))
    expect(repriced.length).toBeGreaterThan(0) // the quotes did move
    expect(maxPerSide).toBe(1)
    // Both sides quote again once the book settles.
    await waitFor(() => {
      const sides = started.openSides()
      return sides.includes('BUY') && sides.includes('SELL')
    }, 'both sides quoting')
  })

  it("the venue's reconciliation snapshot reaches the runner through the binding (forwarded, not dropped)", () => {
    // the private stream reconciles when it starts: open orders, positions and balances as the venue has them
    expect(snapshots.length).toBeGreaterThanOrEqual(1)
  })

  it('the LP long 0.3 ETH is offered passively (post-only ask sized to it); a taker lifts it; net exposure returns to target', async () => {
    expect(Math.abs(netBase())).toBeLessThan(0.001)
    lpInventory('1.300') // hand-fed LP inventory: 0.3 ETH above its target
    expect(netBase()).toBeCloseTo(0.3, 9)
    const resting = await waitFor(async () => {
      const open = await started.ourOpenOrders()
      const ask = open.find((order) => order.side === 'sell' && Number(order.sizeBase) >= 0.3 - 0.001 - 1e-9)
      const bid = open.find((order) => order.side === 'buy')
      return ask && bid ? { ask, bid } : undefined
    }, 'a hedge ask sized to the exposure')
    if (!resting) throw new Error('unreachable: waitFor returns a truthy value')
    expect(resting.ask.timeInForce).toBe('postOnly')
    expect(resting.bid.timeInForce).toBe('postOnly')
    // The reducing side (sell) is the larger and the best offer (inside the background ask); bid < ask: no crossing.
    expect(Number(resting.ask.sizeBase)).toBeGreaterThan(Number(resting.bid.sizeBase))
    expect(Number(resting.ask.price)).toBeLessThan(2685)
    expect(Number(resting.bid.price)).toBeLessThan(Number(resting.ask.price))
    // A taker lifts our ask directly on the emulator (IOC at its price). The quotes may still move while the
    // calibration settles, so an IOC that met no order (ask amended in between) is repeated at the current ask.
    let lifts = 0
    let lifted = resting.ask
    await waitFor(async () => {
      if (Math.abs(netBase()) < 0.0015) return true
      if (venueState().positionLots !== 0) return false // a fill arrived; the net exposure follows
      const ask = (await started.ourOpenOrders()).find((order) => order.side === 'sell')
      if (!ask || (lifts > 0 && ask.price === lifted.price && ask.sizeBase === lifted.sizeBase)) return false
      lifted = ask
      await started.taker.placeOrder({
        symbol: venue.symbol,
        side: 'buy',
        price: ask.price,
        sizeBase: ask.sizeBase,
        timeInForce: 'ioc',
        clientOrderId: started.takerId(`lift${++lifts}`),
      })
      return false
    }, 'net exposure back to target').catch(async (error: unknown) => {
      const open = await started.ourOpenOrders()
      throw new Error(
        `${String(error)}; net ${netBase()}; position ${venueState().positionLots} lots; last lifted ${JSON.stringify(lifted)}; open ${JSON.stringify(open)}; errors: ${errors.map((e) => `${e.message} ${String(e.cause)}`).join(' | ')}`,
      )
    })
    expect(Number(lifted.sizeBase)).toBeGreaterThanOrEqual(0.3 - 0.001 - 1e-9)
    // Position in lots of 0.001 ETH: short exactly the lifted size.
    expect(venueState().positionLots).toBe(-Math.round(Number(lifted.sizeBase) * 1000))
    expect(errors).toEqual([])
    expect(streamErrors).toEqual([])
  })
})
