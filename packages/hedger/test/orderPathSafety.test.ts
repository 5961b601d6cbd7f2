import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import { createDeribitConnector, systemClock } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterEach, describe, expect, it } from 'vitest'
import { bindVenueConnector } from '../src/adapters/bindVenueConnector.js'
import { createLiveRunner, type LiveRunner, systemRunnerClock } from '../src/adapters/createLiveRunner.js'
import type { HedgerConfigInput } from '../src/config/hedgerConfigSchema.js'
import type { HedgerError } from '../src/errors/base.js'
import type { HedgerCommand } from '../src/messages/commands.js'
import { connect, HEDGER_KEYS, startEmulator, TAKER_KEYS } from './src/binance.js'
import { waitFor } from './src/waitFor.js'

// Issue #11 end to end: the hedger's order path against the emulators with their fault knobs. The LP side is a
// hand-fed inventory (long 0.5 ETH); a taker provides the book. Each test has its own emulator and runner.

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const config = (overrides: Partial<HedgerConfigInput['venues'][number]> = {}): HedgerConfigInput => ({
  venues: [
    {
      venue: 'binance-usdm',
      tickSize: '0.01',
      stepSize: '0.001',
      minNotionalQuote: 20,
      maxPositionBase: 2,
      deadManTimeoutMs: 5_000,
      deadManRearmMs: 1_000,
      staleAfterMs: 600_000,
      ...overrides,
    },
  ],
  calibration: {
    volatility: { halfLifeMs: 5_000, warmUpMs: 0, minIncrements: 1 },
    intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
  },
  risk: { minCorrelation: -1, resumeCorrelation: -1, maxBasisBps: 10_000, resumeBasisBps: 5_000 },
})

/** A Binance emulator with a taker's resting book around 2680 and the hedger's connector. */
async function binanceVenue(): Promise<{
  emu: RunningBinanceEmulator
  hedger: BinanceConnector
  taker: BinanceConnector
}> {
  const emu = await startEmulator()
  const hedger = await connect(emu, HEDGER_KEYS)
  const taker = await connect(emu, TAKER_KEYS)
  cleanup.push(async () => {
    await hedger.close()
    await taker.close()
    await emu.close()
  })
  for (const [side, price, id] of [
    ['buy', '2675.00', 'tk-bid'],
    ['sell', '2685.00', 'tk-ask'],
  ] as const)
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side,
      price,
      sizeBase: '5.000',
      timeInForce: 'gtc',
      clientOrderId: id,
    })
  return { emu, hedger, taker }
}

async function startRunner(
  hedger: BinanceConnector,
  hedgerConfig: HedgerConfigInput,
): Promise<{ runner: LiveRunner; commands: HedgerCommand[]; errors: HedgerError[] }> {
  const commands: HedgerCommand[] = []
  const errors: HedgerError[] = []
  const runner = createLiveRunner({
    config: hedgerConfig,
    venues: [
      bindVenueConnector({ kind: 'binance', venue: 'binance-usdm', symbol: 'ETHUSDT', connector: hedger }, (error) =>
        errors.push(error as HedgerError),
      ),
    ],
    timerIntervalMs: 50,
    onCommand: (command) => commands.push(command),
    onError: (error) => errors.push(error),
  })
  await runner.start()
  return { runner, commands, errors }
}

const lp = (runner: LiveRunner, held: string) =>
  runner.dispatch({
    type: 'lpInventory',
    tsNs: systemRunnerClock.nowNs(),
    baseHeldBase: held,
    baseTargetBase: '0',
    poolPrice: '2680',
  })

/** Our open orders as the venue lists them, at most one query per 100 ms (a tight loop would meet the rate limits). */
const ours = async (hedger: BinanceConnector): Promise<Order[]> => {
  await new Promise((resolve) => setTimeout(resolve, 100))
  return (await hedger.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
}

/** Moves the book so the connector sees depth and BBO events (a far taker bid placed and cancelled). */
async function poke(taker: BinanceConnector, n: number): Promise<void> {
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'buy',
    price: '2500.00',
    sizeBase: '0.010',
    timeInForce: 'gtc',
    clientOrderId: `poke-${n}`,
  })
  await taker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId: `poke-${n}` })
}

describe('Binance emulator', () => {
  it('1. a kill whose first cancel-alls are answered 503 still ends with no open order of ours, and nothing new', async () => {
    const { emu, hedger, taker } = await binanceVenue()
    const { runner, commands } = await startRunner(hedger, config())
    await poke(taker, 1)
    lp(runner, '0.5')
    await waitFor(async () => (await ours(hedger)).length === 2, 'both sides quoted')
    const killAt = commands.length
    // The next 6 REST requests (the cancel-all, the open-orders and position reads after it, the retried cancel-all…)
    // answer 503, not executed. Nothing else asks the venue meanwhile (no polling here for 2 s).
    emu.emulator.setFaults({ rest: { http5xxNext: 6, http5xxStatus: 503, http5xxMode: 'before' } })
    runner.dispatch({ type: 'operator', tsNs: systemRunnerClock.nowNs(), action: 'kill', reason: 'e2e' })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    await waitFor(async () => (await ours(hedger)).length === 0, 'no open order of ours on the venue', 10_000)
    await waitFor(() => runner.state.venues[0]?.sweep === null, 'the venue confirmed the sweep', 10_000)
    const after = commands.slice(killAt)
    expect(after.filter((c) => c.type === 'cancelAll').length).toBeGreaterThanOrEqual(2) // repeated after the 503
    expect(after.filter((c) => c.type === 'placeOrder' || c.type === 'amendOrder')).toEqual([])
    expect(after.filter((c) => c.type === 'armDeadManSwitch')).toEqual([])
    await runner.stop()
  })

  it('7. a create that never reached the venue (no answer) is looked up, never duplicated, and its side quotes again', async () => {
    const { emu, hedger, taker } = await binanceVenue()
    // No dead-man refresh in the window: the first REST request after the inventory is the first place.
    const { runner, commands } = await startRunner(
      hedger,
      config({ deadManTimeoutMs: 120_000, deadManRearmMs: 60_000 }),
    )
    await poke(taker, 1)
    await waitFor(() => runner.state.venues[0]?.bbo !== null, 'a book')
    emu.emulator.setFaults({ rest: { timeoutNext: 1, timeoutMode: 'before' } })
    lp(runner, '0.5')
    const first = commands.find((c) => c.type === 'placeOrder')
    if (first?.type !== 'placeOrder') throw new Error('no place')
    // While the first create is unanswered or unknown, the venue never holds two of our orders on its side.
    let maxSameSide = 0
    const watch = setInterval(async () => {
      const open = await ours(hedger).catch(() => [])
      maxSameSide = Math.max(maxSameSide, open.filter((o) => o.side === first.side).length)
    }, 100)
    cleanup.push(async () => clearInterval(watch))
    await waitFor(
      async () => (await ours(hedger)).some((o) => o.side === first.side),
      `a ${first.side} order resting again after the lost create`,
      30_000,
    )
    clearInterval(watch)
    const open = await ours(hedger)
    expect(open.map((o) => o.clientOrderId)).not.toContain(first.clientOrderId) // it never reached the venue
    expect(maxSameSide).toBeLessThanOrEqual(1)
    expect(open.filter((o) => o.side === first.side)).toHaveLength(1)
    await runner.stop()
  })

  it('15. stop() cancels everything and waits for the venue; a restarted runner never reuses a client order id', async () => {
    const { emu, hedger, taker } = await binanceVenue()
    const first = await startRunner(hedger, config())
    await poke(taker, 1)
    lp(first.runner, '0.5')
    await waitFor(async () => (await ours(hedger)).length === 2, 'both sides quoted')
    const firstIds = (await ours(hedger)).map((o) => o.clientOrderId)
    const report = await first.runner.stop()
    expect(report.venues).toEqual([{ venue: 'binance-usdm', confirmed: true, openOrders: 0 }])
    expect(await ours(hedger)).toEqual([])
    // A restart: a new process would build new connectors too.
    const restarted = await connect(emu, HEDGER_KEYS)
    cleanup.push(() => restarted.close())
    const second = await startRunner(restarted, config())
    await poke(taker, 2)
    lp(second.runner, '0.5')
    await waitFor(async () => (await ours(hedger)).length === 2, 'the restarted runner quoting')
    const secondIds = (await ours(hedger)).map((o) => o.clientOrderId)
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([])
    expect(new Set(secondIds.map((id) => id.slice(0, 11))).size).toBe(1)
    expect(secondIds[0]?.slice(0, 11)).not.toBe(firstIds[0]?.slice(0, 11))
    await second.runner.stop()
  })

  it('15. a hedger killed with SIGKILL leaves no order behind: the venue’s countdownCancelAll (armed with the hedger’s timeout) fires', async () => {
    const { emu, hedger, taker } = await binanceVenue()
    await poke(taker, 1)
    const child: ChildProcess = spawn(
      process.execPath,
      [join(import.meta.dirname, 'fixtures', 'hedgerProcess.mjs'), emu.restUrl, emu.wsUrl, '3000'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    cleanup.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    // The child's book needs a diff event after it subscribed: poke until it quotes.
    let pokes = 1
    await waitFor(
      async () => {
        if (output.includes('QUOTING')) return true
        await poke(taker, ++pokes)
        await new Promise((resolve) => setTimeout(resolve, 500))
        return false
      },
      'the child process quoting',
      20_000,
    )
    await waitFor(async () => (await ours(hedger)).length > 0, 'its orders on the venue')
    child.kill('SIGKILL')
    const killedAt = Date.now()
    // Still there just after the kill (the venue, not a goodbye from the process, removes them)…
    expect((await ours(hedger)).length).toBeGreaterThan(0)
    // …and gone once the 3 s countdown the hedger armed runs out.
    await waitFor(async () => (await ours(hedger)).length === 0, 'the countdown cancelled everything', 10_000)
    expect(Date.now() - killedAt).toBeLessThan(10_000)
  }, 60_000)
})

describe('Deribit emulator', () => {
  it('13. the trading connection dropping halts the venue (nothing is sent into it) and the venue quotes again after the reconnect', async () => {
    const symbol = 'ETH_USDC-PERPETUAL'
    const emu = await startDeribitEmulator({
      instruments: [{ instrumentName: symbol, tickSize: '0.05', stepSize: '0.001' }],
      accounts: [
        { clientId: 'hedger', clientSecret: 'hedger-secret', balances: { USDC: '100000' } },
        { clientId: 'taker', clientSecret: 'taker-secret', balances: { USDC: '100000' } },
      ],
      market: { kind: 'none' },
    })
    let nonce = 0
    const make = (clientId: string) =>
      createDeribitConnector({
        wsUrl: emu.wsUrl,
        credentials: { clientId, clientSecret: `${clientId}-secret` },
        clock: systemClock,
        random: () => 0.5,
        nonce: () => `n${++nonce}`,
      })
    const hedger = await make('hedger')
    const taker = await make('taker')
    cleanup.push(async () => {
      await hedger.close()
      await taker.close()
      await emu.close()
    })
    const takerExec = taker.execution
    if (!takerExec) throw new Error('no taker execution')
    for (const [side, price, id] of [
      ['buy', '2675.00', 'tk-bid'],
      ['sell', '2685.00', 'tk-ask'],
    ] as const)
      await takerExec.placeOrder({ symbol, side, price, sizeBase: '5.000', timeInForce: 'gtc', clientOrderId: id })
    const commands: HedgerCommand[] = []
    const runner = createLiveRunner({
      config: {
        ...config(),
        venues: [{ venue: 'deribit', tickSize: '0.05', stepSize: '0.001', maxPositionBase: 2, staleAfterMs: 600_000 }],
      },
      venues: [
        bindVenueConnector(
          { kind: 'deribit', venue: 'deribit', symbol, currency: 'USDC', connector: hedger },
          () => {},
        ),
      ],
      timerIntervalMs: 50,
      onCommand: (command) => commands.push(command),
      onError: () => {},
    })
    await runner.start()
    // Two mid changes for the volatility estimator: a taker bid inside the spread, then gone.
    await takerExec.placeOrder({
      symbol,
      side: 'buy',
      price: '2676.00',
      sizeBase: '0.100',
      timeInForce: 'gtc',
      clientOrderId: 'tk-in',
    })
    await takerExec.cancelOrder({ symbol, clientOrderId: 'tk-in' })
    lp(runner, '0.5')
    const venue = () => runner.state.venues[0] as (typeof runner.state.venues)[number]
    await waitFor(
      () => venue().orders.size === 2 && [...venue().orders.values()].every((o) => o.pending === null),
      'quoting',
    ).catch((e) => {
      throw new Error(
        `${e}: ${venue().status} ${JSON.stringify([...venue().orders.values()].map((o) => [o.side, o.pending, o.unknown]))} bbo ${JSON.stringify(venue().bbo)}`,
      )
    })
    const droppedAt = commands.length
    expect(emu.emulator.disconnectClient('hedger')).toBeGreaterThan(0)
    await waitFor(() => !venue().connected, 'the venue marked disconnected')
    const downAt = commands.length
    // Market data keeps flowing on the public connection while the trading one is down: no amend or place goes out.
    await takerExec.placeOrder({
      symbol,
      side: 'buy',
      price: '2678.00',
      sizeBase: '1.000',
      timeInForce: 'gtc',
      clientOrderId: 'tk-move',
    })
    await waitFor(() => venue().connected, 'the trading connection back', 20_000)
    // From the moment the runner knows (commands just before may race the drop; they fail fast) to the resume.
    const during = commands.slice(
      downAt,
      commands.findIndex((c, i) => i >= downAt && c.type === 'resume'),
    )
    expect(during.filter((c) => c.type === 'placeOrder' || c.type === 'amendOrder')).toEqual([])
    expect(commands.slice(droppedAt).some((c) => c.type === 'halt' && c.reason === 'disconnected')).toBe(true)
    // Cancel-on-disconnect removed our orders on the venue; the hedger quotes again.
    await waitFor(
      async () =>
        (await hedger.execution?.getOpenOrders(symbol))?.filter((o) => o.clientOrderId.startsWith('alp')).length === 2,
      'quoting again after the reconnect',
      20_000,
    )
    await runner.stop()
  })
})
