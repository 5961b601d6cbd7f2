import {
  binanceUrlsFromBases,
  createBinanceConnector,
  createDeribitConnector,
  createGrvtConnector,
  systemClock,
} from '@alp/exchange-connectors'
import { startBinanceEmulator } from '@alp/venue-sim/binance'
import { startDeribitEmulator } from '@alp/venue-sim/deribit'
import { startGrvtEmulator } from '@alp/venue-sim/grvt'
import { describe, expect, it } from 'vitest'
import { bindVenueConnector, type VenueConnectorSpec } from '../src/adapters/bindVenueConnector.js'
import { createLiveRunner, systemRunnerClock } from '../src/adapters/createLiveRunner.js'
import type { HedgerConfigInput } from '../src/config/hedgerConfigSchema.js'
import { computeNetExposure } from '../src/core/computeNetExposure.js'
import type { HedgerError } from '../src/errors/base.js'
import type { HedgerCommand } from '../src/messages/commands.js'

// Issue #11, item 16: with the documented default config (only the instrument grid and what the venue requires are
// given), the hedger hedges on each emulator's simulated market: the warm-up is reported (elapsed/needed), the
// decorrelation halt is on, fills happen and the net exposure falls. The LP side is a hand-fed inventory (long 1 ETH)
// whose pool price follows the venue's mid (an arbitraged pool). Real time: the default warm-up is 120 s of trades.
// Measured (seeds 7/8/9): first quote at 120–121 s on all three; net exposure 1.000 → 0.000 ETH within seconds after
// (the reducing ask at the touch is taken by the simulated market's trades), no halt, no error.

const LONG_BASE = 1
/** Net exposure must fall at least this far (from 1 ETH) within the run. */
const MAX_NET_AFTER = 0.2
const RUN_MS = 200_000

type Started = { spec: VenueConnectorSpec; venue: HedgerConfigInput['venues'][number]; close(): Promise<void> }
let nonce = 0
let seed = 1
const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}

async function binance(): Promise<Started> {
  const emu = await startBinanceEmulator({
    port: 0,
    symbols: ['ETHUSDT'],
    accounts: [{ apiKey: 'hedgerKey01', apiSecret: 'hedger-secret', balances: { USDT: '100000' } }],
    market: { kind: 'simulated', midPrice: '2681.62', seed: 7 },
    seed: 7,
    pingIntervalMs: 0,
  })
  const connector = await createBinanceConnector(
    {
      product: 'usdm',
      urls: binanceUrlsFromBases('usdm', emu.restUrl, emu.wsUrl),
      credentials: { apiKey: 'hedgerKey01', apiSecret: 'hedger-secret' },
      clock: systemClock,
      random,
    },
    ['ETHUSDT'],
  )
  return {
    spec: { kind: 'binance', venue: 'binance-usdm', symbol: 'ETHUSDT', connector },
    // Binance USDⓈ-M ETHUSDT: minimum order notional 20 USDT.
    venue: { venue: 'binance-usdm', tickSize: '0.01', stepSize: '0.001', minNotionalQuote: 20 },
    close: async () => {
      await connector.close()
      await emu.close()
    },
  }
}

async function deribit(): Promise<Started> {
  const symbol = 'ETH_USDC-PERPETUAL'
  const emu = await startDeribitEmulator({
    instruments: [{ instrumentName: symbol, tickSize: '0.05', stepSize: '0.001' }],
    accounts: [{ clientId: 'hedger', clientSecret: 'hedger-secret', balances: { USDC: '100000' } }],
    market: { kind: 'simulated', midPrice: '2681.60', seed: 8 },
  })
  const connector = await createDeribitConnector({
    wsUrl: emu.wsUrl,
    credentials: { clientId: 'hedger', clientSecret: 'hedger-secret' },
    clock: systemClock,
    random,
    nonce: () => `n${++nonce}`,
  })
  return {
    spec: { kind: 'deribit', venue: 'deribit', symbol, currency: 'USDC', connector },
    venue: { venue: 'deribit', tickSize: '0.05', stepSize: '0.001' },
    close: async () => {
      await connector.close()
      await emu.close()
    },
  }
}

const GRVT_KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // GRVT pysdk test key

async function grvt(): Promise<Started> {
  const symbol = 'ETH_USDT_Perp'
  const emu = await startGrvtEmulator({
    instruments: [{ instrument: symbol, instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.001' }],
    accounts: [{ apiKey: 'hedger', signerPrivateKeys: [GRVT_KEY], subAccountId: '2222', balances: { USDT: '100000' } }],
    market: { kind: 'simulated', midPrice: '2681.62', seed: 9 },
  })
  const connector = await createGrvtConnector({
    urls: {
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      marketDataWsUrl: emu.wsUrl,
      tradesWsUrl: emu.wsUrl,
    },
    apiKey: 'hedger',
    signerPrivateKey: GRVT_KEY,
    subAccountId: '2222',
    chainId: 326,
    clock: systemClock,
    random,
    nextNonce: () => ++nonce,
  })
  return {
    spec: { kind: 'grvt', venue: 'grvt', symbol, connector },
    // GRVT amends by cancel + re-send (documented venue setting, not a tuning).
    venue: { venue: 'grvt', tickSize: '0.01', stepSize: '0.001', supportsAmend: false },
    close: async () => {
      await connector.close()
      await emu.close()
    },
  }
}

type Outcome = {
  venue: string
  sawWarmUp: boolean
  firstQuoteSec: number | null
  netAtStart: number
  netAtEnd: number
  positionLots: number
  fills: number
  halts: string[]
  lpInventoryStaleAfterMs: number
  errors: string[]
}

async function hedgeWithDefaults(start: () => Promise<Started>): Promise<Outcome> {
  const started = await start()
  const errors: HedgerError[] = []
  const commands: HedgerCommand[] = []
  const runner = createLiveRunner({
    config: { venues: [started.venue] },
    venues: [bindVenueConnector(started.spec, (error) => errors.push(error as HedgerError))],
    onCommand: (command) => commands.push(command),
    onError: (error) => errors.push(error),
  })
  await runner.start()
  const t0 = Date.now()
  const venue = () => runner.state.venues[0] as (typeof runner.state.venues)[number]
  let sawWarmUp = false
  let firstQuoteSec: number | null = null
  let netAtStart = Number.NaN
  const tick = setInterval(() => {
    const v = venue()
    if (/warmingUp: intensity \d+\/120 s/.test(v.status)) sawWarmUp = true
    if (firstQuoteSec === null && v.orders.size > 0) firstQuoteSec = Math.round((Date.now() - t0) / 1000)
    if (v.bbo === null) return
    const mid = ((v.bbo.bidPriceTicks + v.bbo.askPriceTicks) / 2) * v.config.tickSizePrice
    runner.dispatch({
      type: 'lpInventory',
      tsNs: systemRunnerClock.nowNs(),
      baseHeldBase: String(LONG_BASE),
      baseTargetBase: '0',
      poolPrice: mid.toFixed(4),
    })
    if (Number.isNaN(netAtStart)) netAtStart = computeNetExposure(runner.state).netBase
  }, 1_000)
  while (
    Date.now() - t0 < RUN_MS &&
    !(firstQuoteSec !== null && Math.abs(computeNetExposure(runner.state).netBase) <= MAX_NET_AFTER / 2)
  )
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  clearInterval(tick)
  const outcome: Outcome = {
    venue: venue().config.venue,
    sawWarmUp,
    firstQuoteSec,
    netAtStart,
    netAtEnd: computeNetExposure(runner.state).netBase,
    positionLots: venue().positionLots,
    fills: venue().seenTradeIds.size,
    halts: commands.filter((c) => c.type === 'halt').map((c) => (c.type === 'halt' ? c.reason : '')),
    lpInventoryStaleAfterMs: runner.state.config.hedge.lpInventoryStaleAfterMs,
    errors: errors.map((e) => `${e.code}: ${e.message}`),
  }
  await runner.stop()
  await started.close()
  return outcome
}

describe('with the documented defaults the hedger hedges on every emulator', () => {
  it('Binance USDⓈ-M, Deribit and GRVT simulated markets: warm-up reported, fills, net exposure falls (halts on)', async () => {
    const outcomes = await Promise.all([
      hedgeWithDefaults(binance),
      hedgeWithDefaults(deribit),
      hedgeWithDefaults(grvt),
    ])
    console.log(JSON.stringify(outcomes, null, 1))
    for (const outcome of outcomes) {
      expect(outcome.sawWarmUp, `${outcome.venue}: warm-up reported as elapsed/needed`).toBe(true)
      expect(outcome.netAtStart, outcome.venue).toBeCloseTo(LONG_BASE, 6)
      expect(outcome.fills, `${outcome.venue}: fills`).toBeGreaterThan(0)
      expect(outcome.positionLots, `${outcome.venue}: short on the venue`).toBeLessThan(0)
      expect(Math.abs(outcome.netAtEnd), `${outcome.venue}: net exposure after the hedge`).toBeLessThanOrEqual(
        MAX_NET_AFTER,
      )
      // The decorrelation halt is on (default minCorrelation 0) and did not fire on an arbitraged pool.
      expect(outcome.halts.filter((reason) => reason === 'feedDivergence')).toEqual([])
      // The LP-inventory staleness halt is on (default 60 s) and did not fire on an inventory fed every second.
      expect(outcome.lpInventoryStaleAfterMs, outcome.venue).toBe(60_000)
      expect(outcome.halts.filter((reason) => reason === 'lpInventoryStale')).toEqual([])
      expect(outcome.errors, outcome.venue).toEqual([])
    }
  }, 300_000)
})
