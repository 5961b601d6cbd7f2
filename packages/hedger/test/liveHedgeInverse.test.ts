import {
  createDeribitConnector,
  type DeribitConnector,
  type DeribitOrder,
  inverseAmountUsdToSizeBase,
  sizeBaseToInverseAmountUsd,
  systemClock,
} from '@alp/exchange-connectors'
import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindVenueConnector } from '../src/adapters/bindVenueConnector.js'
import { orderToEvent } from '../src/adapters/convertVenueMessages.js'
import {
  createInverseOrderSizeTranslator,
  type InverseOrderSizeTranslator,
} from '../src/adapters/createInverseOrderSizeTranslator.js'
import { createLiveRunner, type LiveRunner, systemRunnerClock } from '../src/adapters/createLiveRunner.js'
import type { ResolvedVenueConfig } from '../src/config/parseHedgerConfig.js'
import { computeNetExposure } from '../src/core/computeNetExposure.js'
import { createHedger } from '../src/core/createHedger.js'
import { step } from '../src/core/step.js'
import type { HedgerState } from '../src/core/types.js'
import type { HedgerError } from '../src/errors/base.js'
import type { HedgerCommand } from '../src/messages/commands.js'
import type { HedgerEvent } from '../src/messages/events.js'
import { waitFor } from './src/waitFor.js'

// The hedger on Deribit's inverse ETH-PERPETUAL (amounts in USD contracts of 1 USD, coin-margined in ETH) through the
// same createLiveRunner + bindVenueConnector as liveHedgeVenues.test.ts, against the @alp/venue-sim Deribit emulator.
// The hedger sends base sizes on its 0.001 ETH grid; the connector sends floor(sizeBase · price) USD and reports sizes
// back as USD / price (12 decimals), which the adapter rounds to the nearest lot. Every expected number below is
// computed by hand from the USD amount and the price, with plain bigint arithmetic (prices in ticks of 0.05).
const SYMBOL = 'ETH-PERPETUAL'
const TICK = '0.05'
const STEP = '0.001'
/** Ticks of 0.05 per price unit. */
const TICKS_PER_USD = 20n

/** USD of `lots` thousandths of an ETH at `priceTicks` ticks of 0.05, rounded down to whole contracts of 1 USD. */
function usdOf(lots: bigint, priceTicks: bigint): bigint {
  // lots/1000 ETH · priceTicks/20 USD = lots · priceTicks / 20 000
  return (lots * priceTicks) / (1000n * TICKS_PER_USD)
}

/** Lots of 0.001 ETH nearest to `usd` / price (a tie away from zero), price in ticks of 0.05. */
function lotsOf(usd: bigint, priceTicks: bigint): number {
  // usd / (priceTicks/20) ETH = usd · 20 / priceTicks ETH = usd · 20 000 / priceTicks lots
  const numerator = (usd < 0n ? -usd : usd) * 1000n * TICKS_PER_USD
  const lots = (2n * numerator + priceTicks) / (2n * priceTicks)
  return Number(usd < 0n ? -lots : lots)
}

function ticksOf(price: string): bigint {
  const [whole = '0', fraction = ''] = price.split('.')
  // price · 20 (ticks of 0.05), exact for prices on the 0.05 grid
  const hundredths = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2))
  return (hundredths * TICKS_PER_USD) / 100n
}

let nonce = 0

describe('live hedge on an inverse instrument: Deribit ETH-PERPETUAL on the emulator', () => {
  let emu: RunningDeribitEmulator
  let hedger: DeribitConnector
  let taker: DeribitConnector
  let runner: LiveRunner
  const errors: HedgerError[] = []
  const streamErrors: unknown[] = []
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
  const takerExecution = () => {
    if (!taker.execution) throw new Error('taker without credentials')
    return taker.execution
  }
  const ourOpenOrders = async (): Promise<DeribitOrder[]> => {
    if (!hedger.execution) throw new Error('hedger without credentials')
    return (await hedger.execution.getOpenOrders(SYMBOL)).filter((o) => o.clientOrderId.startsWith('alp'))
  }
  /** Moves the emulator book (a far taker bid placed and cancelled): book and BBO events for the connector. */
  async function poke(): Promise<void> {
    const clientOrderId = `poke${++pokes}`
    await takerExecution().placeOrder({
      symbol: SYMBOL,
      side: 'buy',
      price: '2500.00',
      sizeBase: '0.010', // 25 USD
      timeInForce: 'gtc',
      clientOrderId,
    })
    await takerExecution().cancelOrder({ symbol: SYMBOL, clientOrderId })
  }

  beforeAll(async () => {
    emu = await startDeribitEmulator({
      instruments: [{ instrumentName: SYMBOL, tickSize: TICK, contractSize: '1' }],
      accounts: [
        { clientId: 'hedger', clientSecret: 'hedger-secret', balances: { ETH: '100' } },
        { clientId: 'taker', clientSecret: 'taker-secret', balances: { ETH: '100' } },
      ],
      market: { kind: 'none' },
    })
    const connect = (clientId: string) =>
      createDeribitConnector({
        wsUrl: emu.wsUrl,
        credentials: { clientId, clientSecret: `${clientId}-secret` },
        clock: systemClock,
        random: () => 0.5,
        nonce: () => `n${++nonce}`,
      })
    hedger = await connect('hedger')
    taker = await connect('taker')
    // Background liquidity: 5 ETH each side = 13 375 USD at 2675.00 and 13 425 USD at 2685.00.
    for (const [side, price, label] of [
      ['buy', '2675.00', 'tkbid'],
      ['sell', '2685.00', 'tkask'],
    ] as const)
      await takerExecution().placeOrder({
        symbol: SYMBOL,
        side,
        price,
        sizeBase: '5.000',
        timeInForce: 'gtc',
        clientOrderId: label,
      })
    const binding = bindVenueConnector(
      { kind: 'deribit', venue: 'deribit', symbol: SYMBOL, currency: 'ETH', connector: hedger, contractSizeQuote: '1' },
      (error) => streamErrors.push(error),
    )
    runner = createLiveRunner({
      config: {
        venues: [
          {
            venue: 'deribit',
            tickSize: TICK,
            stepSize: STEP,
            contract: { type: 'inverse', contractSizeQuote: '1' },
            makerFeeBps: 0,
            minNotionalQuote: 20,
            maxPositionBase: 2,
            maxOrderSizeBase: 1,
            staleAfterMs: 600_000,
            supportsAmend: true,
            rateLimitCapacity: 20,
            rateLimitRefillPerSec: 20,
            // open orders and the position re-read every 300 ms while we quote (the position report path)
            reconcileIntervalMs: 300,
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
      onError: (error) => errors.push(error),
    })
    await runner.start()
    lpInventory('1.000')
    await poke()
    await poke()
    await waitFor(() => venueState().status === 'quoting', 'the hedger quoting on ETH-PERPETUAL').catch(
      (error: unknown) => {
        throw new Error(
          `${String(error)}; status: ${venueState().status}; errors: ${errors.map((e) => `${e.message} ${String(e.cause)}`).join(' | ')}`,
        )
      },
    )
  }, 60_000)

  afterAll(async () => {
    await runner?.stop()
    await hedger?.close()
    await taker?.close()
    await emu?.close()
  })

  it('book levels in USD contracts reach the core as base lots at their price (13 375 USD at 2675 = 5 ETH)', () => {
    expect(venueState().bids?.find(([ticks]) => ticks === 53_500)).toEqual([53_500, 5000])
    expect(venueState().asks?.find(([ticks]) => ticks === 53_700)).toEqual([53_700, 5000])
  })

  it('LP long 0.3 ETH → post-only ask of floor(0.3 · price) USD; a taker lifts it; position and net exposure fall by USD / price', async () => {
    expect(Math.abs(netBase())).toBeLessThan(0.001)
    lpInventory('1.300') // hand-fed LP inventory: 0.3 ETH above its target
    expect(netBase()).toBeCloseTo(0.3, 9)
    // The core's ask: sized to the exposure on its own grid (300 lots), and the venue holds it in whole USD contracts.
    const resting = await waitFor(async () => {
      const core = [...venueState().orders.values()].find((o) => o.side === 'sell' && o.pending === null)
      if (!core || core.sizeLots < 299) return undefined
      const venue = (await ourOpenOrders()).find((o) => o.clientOrderId === core.clientOrderId)
      return venue && ticksOf(venue.price) === BigInt(core.priceTicks) ? { core, venue } : undefined
    }, 'a hedge ask sized to the exposure')
    if (!resting) throw new Error('unreachable: waitFor returns a truthy value')
    expect(resting.venue.timeInForce).toBe('postOnly')
    const askTicks = BigInt(resting.core.priceTicks)
    // e.g. 300 lots at 2684.95 (53 699 ticks): 0.3 · 2684.95 = 805.485 USD → 805 contracts
    expect(resting.venue.sizeQuote).toBe(usdOf(BigInt(resting.core.sizeLots), askTicks).toString())
    // The adapter reports the order at the size the core sent, not the venue's 805 / 2684.95 = 0.29981… ETH.
    expect(resting.core.sizeLots).toBeGreaterThanOrEqual(299)

    // A taker lifts our ask: IOC at its price for its USD amount (the ask may move while the calibration settles, so
    // an IOC that met nothing is repeated at the current ask). The taker's answer says what traded.
    let lifts = 0
    let lifted: DeribitOrder = resting.venue
    let traded: DeribitOrder | undefined
    await waitFor(async () => {
      if (traded) return true
      const ask = (await ourOpenOrders()).find((order) => order.side === 'sell')
      if (!ask || (lifts > 0 && ask.price === lifted.price && ask.sizeQuote === lifted.sizeQuote)) return false
      lifted = ask
      const ioc = await takerExecution().placeOrder({
        symbol: SYMBOL,
        side: 'buy',
        price: ask.price,
        sizeBase: ask.sizeBase,
        sizeQuote: ask.sizeQuote,
        timeInForce: 'ioc',
        clientOrderId: `lift${++lifts}`,
      })
      if (ioc.filledSizeQuote !== undefined && ioc.filledSizeQuote !== '0') traded = ioc
      return false
    }, 'the hedge ask lifted').catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}; net ${netBase()}; position ${venueState().positionLots} lots; last lifted ${JSON.stringify(lifted)}; open ${JSON.stringify(await ourOpenOrders())}; errors: ${errors.map((e) => `${e.message} ${String(e.cause)}`).join(' | ')}`,
      )
    })
    if (!traded) throw new Error('unreachable: waitFor returned')
    const usd = BigInt(traded.filledSizeQuote ?? 'NaN')
    const fillTicks = ticksOf(traded.avgFillPrice)
    // A hedge ask's worth traded: between floor(0.299 · price) and floor(0.3 · price) USD (the ask may have been amended
    // to another price, hence another USD amount, between the taker's read and its IOC).
    expect(usd).toBeGreaterThanOrEqual(usdOf(299n, fillTicks))
    expect(usd).toBeLessThanOrEqual(usdOf(300n, fillTicks))
    // Sold `usd` USD at the ask: short usd / price ETH, e.g. 805 / 2684.95 = 0.299819… ETH → 300 lots.
    const expectedLots = lotsOf(-usd, fillTicks)
    expect(expectedLots).toBeLessThanOrEqual(-299)
    await waitFor(() => venueState().positionLots === expectedLots, `the core's position at ${expectedLots} lots`)
    // Net exposure: +0.3 ETH of LP minus the short, in lots of 0.001: (300 + expectedLots) / 1000 ETH.
    expect(netBase()).toBeCloseTo((300 + expectedLots) / 1000, 9)
    expect(Math.abs(netBase())).toBeLessThanOrEqual(0.001 + 1e-12)

    // The venue's own position, in base: size_currency = −usd / mark (8 decimals). With the mark at the fill price it
    // is the same short as the fill; the core's position reports carry it (no VenueDataError on 8-decimal sizes).
    emu.engine.setMarkPrice(SYMBOL, fillTicks * 5_000_000n) // ticks of 0.05 → 10^-8 USD
    const position = (await hedger.userData?.getPositions('ETH'))?.find((p) => p.symbol === SYMBOL)
    expect(position?.sizeQuote).toBe((-usd).toString())
    // −usd / price truncated at 8 decimals: −usd · 20 · 10^8 / priceTicks
    const sizeE8 = (-usd * TICKS_PER_USD * 10n ** 8n) / fillTicks
    expect(Number(position?.sizeBase)).toBeCloseTo(Number(sizeE8) / 1e8, 12)

    // An inverse short is worth more coin when the price falls: at a mark of 2600.00 the venue reports −usd / 2600 ETH
    // (805 / 2600 = 0.3096… → 310 lots) and the core's position follows the venue's report, not the fill.
    emu.engine.setMarkPrice(SYMBOL, 260_000_000_000n)
    const markedLots = lotsOf(-usd, 52_000n)
    expect(markedLots).toBeLessThan(expectedLots)
    await waitFor(() => venueState().positionLots === markedLots, `the core's position at ${markedLots} lots`)
    expect(netBase()).toBeCloseTo((300 + markedLots) / 1000, 9)
    expect(errors).toEqual([])
    expect(streamErrors).toEqual([])
  })
})

// The core, a BTC-PERPETUAL venue (contracts of 10 USD, lots of 0.0001 BTC: one contract ≈ 1.7 lots at 60 000) and
// venue answers built with the connector's own conversions (sizeBase → floor USD, USD → base truncated), with and
// without the binding's size translator. No emulator: this isolates what the core compares on an amend answer.
describe('an amend answer on BTC-PERPETUAL: the core sees the size it sent', () => {
  const SEC = 1_000_000_000n
  type Run = { state: HedgerState; commands: HedgerCommand[] }
  const send = (run: Run, event: HedgerEvent): HedgerCommand[] => {
    const result = step(run.state, event)
    run.state = result.state
    run.commands.push(...result.commands)
    return result.commands
  }
  /** The venue's answer to a place or an amend, as the Deribit connector reports it. */
  const answer = (command: { clientOrderId: string; side: 'buy' | 'sell'; price: string; sizeBase: string }) => {
    const { amountUsd } = sizeBaseToInverseAmountUsd({
      instrumentName: 'BTC-PERPETUAL',
      sizeBase: command.sizeBase,
      price: command.price,
      contractSizeUsd: '10',
      minTradeAmountUsd: '10',
    })
    return {
      venue: 'deribit',
      symbol: 'BTC-PERPETUAL',
      orderId: `BTC-${command.clientOrderId}`,
      clientOrderId: command.clientOrderId,
      side: command.side,
      price: String(Number(command.price)), // as Deribit prints it: "60020", not the core's "60020.0"
      sizeBase: inverseAmountUsdToSizeBase(amountUsd, command.price),
      filledSizeBase: '0',
      avgFillPrice: '0',
      timeInForce: 'postOnly',
      reduceOnly: false,
      state: 'new',
      tsExchangeMs: 0,
      raw: null,
      sizeQuote: amountUsd,
      filledSizeQuote: '0',
    } satisfies DeribitOrder
  }

  function runAmend(translator: InverseOrderSizeTranslator | null) {
    const run: Run = {
      state: createHedger({
        venues: [
          {
            venue: 'deribit',
            tickSize: '0.5',
            stepSize: '0.0001',
            contract: { type: 'inverse', contractSizeQuote: '10' },
            makerFeeBps: 0,
            minSizeLots: 2,
            maxOrderSizeBase: 0.5,
            rateLimitCapacity: 20,
            refreshToleranceTicks: 1,
            staleAfterMs: 600_000,
          },
        ],
        calibration: {
          volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
          intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
        },
        hedge: { orderSizeBase: 0.01 },
        risk: { minCorrelation: -1 },
      }),
      commands: [],
    }
    const venue = run.state.venues[0]?.config as ResolvedVenueConfig
    const bbo = (tsNs: bigint, bid: number, ask: number): HedgerEvent => ({
      type: 'bbo',
      tsNs,
      venue: 'deribit',
      bidPriceTicks: bid,
      bidSizeLots: 100_000,
      askPriceTicks: ask,
      askSizeLots: 100_000,
    })
    /** What the binding does with a command and the venue's answer. */
    const reply = (command: HedgerCommand, tsNs: bigint) => {
      if (command.type !== 'placeOrder' && command.type !== 'amendOrder') return
      translator?.sent(command.clientOrderId, command.sizeBase, command.price)
      const order = answer(command)
      const event = orderToEvent(venue, translator ? translator.order(order) : order, tsNs)
      if (event) send(run, event)
    }
    let t = SEC
    send(run, { type: 'venueHealth', tsNs: t, venue: 'deribit', status: 'connected' })
    for (const mid of [120_000, 120_040, 119_980, 120_000]) {
      t += SEC
      send(run, bbo(t, mid - 1, mid + 1))
    }
    // LP long 0.0123 BTC at 60 000 (the pool price matches the venue mid: no basis halt)
    t += SEC
    const placed = send(run, {
      type: 'lpInventory',
      tsNs: t,
      baseHeldBase: '1.0123',
      baseTargetBase: '1',
      poolPrice: '60000',
    })
    for (const command of placed) reply(command, t)
    const ask = placed.find((command) => command.type === 'placeOrder' && command.side === 'sell')
    if (ask?.type !== 'placeOrder') throw new Error('no hedge ask')
    // The book moves up 40 ticks (20 USD): the ask is amended (price), at the core's size on its grid.
    t += SEC
    const amend = send(run, bbo(t, 120_039, 120_041)).find(
      (command) => command.type === 'amendOrder' && command.clientOrderId === ask.clientOrderId,
    )
    if (amend?.type !== 'amendOrder') throw new Error('no amend of the ask')
    reply(amend, t)
    const order = run.state.venues[0]?.orders.get(ask.clientOrderId)
    return { amend, order, venueLots: orderToEvent(venue, answer(amend), t)?.sizeLots }
  }

  it('with the translator the amend answer settles the amend (its size is the one sent)', () => {
    const { amend, order, venueLots } = runAmend(createInverseOrderSizeTranslator({ contractSizeQuote: '10' }))
    // 123 lots = 0.0123 BTC at 60 020: 738.246 USD → 730 USD → 730 / 60 020 = 0.0121626… BTC = 121.6 lots → 122
    expect(amend).toMatchObject({ sizeLots: 123, priceTicks: 120_040 })
    expect(venueLots).toBe(122)
    expect(venueLots).not.toBe(amend.sizeLots)
    expect(order?.pending).toBeNull()
    expect(order?.sizeLots).toBe(amend.sizeLots)
    expect(order?.priceTicks).toBe(amend.priceTicks)
  })

  it('without it the same answer reads as an update from before the amend: the amend stays pending', () => {
    const { amend, order, venueLots } = runAmend(null)
    expect(venueLots).not.toBe(amend.sizeLots)
    expect(order?.pending).toBe('amend')
  })
})
