/**
 * One process of the tick-to-order bench (bench/tickToOrder.bench.ts), bundled by esbuild and spawned with an IPC
 * channel. ALP_T2O_PART says which roles run here:
 * - `all`: quote-server, trading-engine, position-server, lp-manager and trader on one in-process bus;
 * - `venue`: trading-engine + position-server on the ZeroMQ bus (ALP_ENDPOINTS), over the recording venue;
 * - `quote-server`: quote-server + lp-manager (one inventory update) on the ZeroMQ bus;
 * - `trader`: the trader on the ZeroMQ bus, journaling to ALP_T2O_DIR.
 * The parent sends `{ type: 'tick', i, midTicks }` to the process with the quote-server, which stamps t0
 * (`process.hrtime.bigint()`, CLOCK_MONOTONIC: comparable across processes on one host) right before the best
 * bid/offer reaches the quote-server's listener; the process with the trading engine stamps t1 when the recording venue
 * is called; the trader's process stamps the delivery of each best bid/offer (`received`) and its step (`stepped`).
 * Stamps are kept in memory and sent only when the bench asks (`{ type: 'report' }`, after the tick has had time to
 * finish): an IPC message sent during the tick would wake the bench's process while the roles work, which only the
 * ZeroMQ side (whose hops span processes) would feel.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Bbo } from '@alp/exchange-connectors'
import { parseHedgerConfig, systemRunnerClock } from '@alp/hedger'
import { InventoryEventStream } from '@alp/uniswap-lp'
import { Journal } from '../../src/journal/Journal.js'
import { startLpManagerRole } from '../../src/roles/startLpManagerRole.js'
import { startPositionServer } from '../../src/roles/startPositionServer.js'
import { startQuoteServer } from '../../src/roles/startQuoteServer.js'
import { startTrader, type TraderHandle } from '../../src/roles/startTrader.js'
import { startTradingEngine } from '../../src/roles/startTradingEngine.js'
import type { RoleHandle, VenueLink } from '../../src/roles/VenueLink.js'
import type { MessageBus } from '../../src/transport/bus.js'
import { createInProcessBus } from '../../src/transport/createInProcessBus.js'
import { createZmqBus } from '../../src/transport/createZmqBus.js'
import type { Endpoints } from '../../src/transport/portMap.js'
import { resolveEndpoints } from '../../src/transport/resolveEndpoints.js'
import { createRecordingVenue, type VenueCall } from './recordingVenue.js'
import { T2O_HEDGER_CONFIG, T2O_SYMBOL, T2O_VENUE, tickBbo } from './tickToOrderConfig.js'

type Part = 'all' | 'venue' | 'quote-server' | 'trader'
const part = (process.env.ALP_T2O_PART ?? 'all') as Part
const send = (message: unknown): void => {
  process.send?.(message)
}
const fail = (error: unknown): void => {
  send({ type: 'error', part, message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
}
process.on('uncaughtException', fail)
process.on('unhandledRejection', fail)
// The bench went away (finished, failed or killed): so do its roles.
process.on('disconnect', () => process.exit(0))

const endpoints: Endpoints =
  part === 'all' ? resolveEndpoints() : (JSON.parse(process.env.ALP_ENDPOINTS ?? '{}') as Endpoints)
const bus: MessageBus = part === 'all' ? createInProcessBus() : createZmqBus({ endpoints })
const clock = { nowNs: systemRunnerClock.nowNs, nowMs: () => Date.now() }
// A failure a role reports (a refused command, say) is counted by the bench and shown in its summary, not fatal.
const onError = (error: unknown, context: { role: string }): void =>
  send({ type: 'roleError', part, message: `${context.role}: ${String(error)}` })
const resolved = parseHedgerConfig(T2O_HEDGER_CONFIG)
const venueConfig = resolved.venues[0]
if (venueConfig === undefined) throw new Error('no venue in the bench config')

// Stamps, sent when the bench asks for them (never during a tick).
const stamps: unknown[] = []
const onCall = (call: VenueCall): void => {
  stamps.push({ type: 'call', method: call.method, atNs: String(call.atNs) })
}
const venue = createRecordingVenue({ venue: T2O_VENUE, symbol: T2O_SYMBOL, onCall })
const link: VenueLink = { venue: T2O_VENUE, symbol: T2O_SYMBOL, config: venueConfig, binding: venue.binding, endpoints }
const roles: RoleHandle[] = []
let journal: Journal | null = null
const has = (p: Part) => part === 'all' || part === p

if (has('venue')) {
  roles.push(await startTradingEngine({ bus, link, clock, onError }))
  roles.push(await startPositionServer({ bus, link, clock, onError, pollIntervalMs: 0 }))
}
if (has('quote-server')) {
  roles.push(await startQuoteServer({ bus, link, clock, onError }))
  // The LP side: one inventory update (10 WETH + 26 800 USDC at 2680), the trader's net exposure to hedge.
  const stream = new InventoryEventStream({
    source: 'uniswap-v3:31337:0xbench',
    decimals0: 18,
    decimals1: 6,
    baseToken: 'token0',
    targetBaseShare: 0.5,
  })
  roles.push(await startLpManagerRole({ bus, manager: stream, endpoints, onError }))
  stream.publish({
    tsMs: Date.now(),
    amount0Raw: 10n * 10n ** 18n,
    amount1Raw: 26_800n * 10n ** 6n,
    sqrtPriceX96: 4_101_566_175_183_946_571_816_489n,
    prices: { token0: '2680', token1: '1' },
  })
}
let trader: TraderHandle | null = null
const lastCommands: string[] = []
/**
 * The trader's bus, with a first listener on its marketData subscriber: stamps each best bid/offer as it is delivered
 * (decoded and sequence-checked, before the trader's own listener), reported after the fact like the other stamps.
 * The trader gets the very promise the bus returned (no extra await: a state topic's snapshot may land in between on
 * the in-process bus), and the stamping listener is attached first, by a reaction registered before the trader's.
 */
const stampedBus = (inner: MessageBus): MessageBus => ({
  ...inner,
  subscriber: ((topic: Parameters<MessageBus['subscriber']>[0], options) => {
    const subscribing = inner.subscriber(topic, options)
    if (topic === 'marketData')
      subscribing.then(
        (subscriber) =>
          subscriber.on('message', (message) => {
            if ((message as { type?: string }).type !== 'bbo') return
            const at = process.hrtime.bigint()
            stamps.push({ type: 'received', atNs: String(at) })
          }),
        () => {}, // the trader gets the same rejection
      )
    return subscribing
  }) as MessageBus['subscriber'],
})
if (has('trader')) {
  journal = new Journal(join(process.env.ALP_T2O_DIR ?? mkdtempSync(join(tmpdir(), 'alp-t2o-')), 'journal.sqlite'))
  trader = await startTrader({
    bus: stampedBus(bus),
    config: T2O_HEDGER_CONFIG,
    venues: [{ venue: T2O_VENUE, endpoints }],
    endpoints,
    journal,
    processName: 'trader',
    clock,
    onError,
    timerIntervalMs: 1000,
    // Where the tick's time goes: stamped after the core stepped the best bid/offer (journaled), before its commands
    // are sent. Reported after the fact like the other stamps.
    onStep: (event) => {
      if (event.type !== 'bbo') return
      const at = process.hrtime.bigint()
      stamps.push({ type: 'stepped', atNs: String(at) })
    },
    onCommand: (command) => {
      lastCommands.push(command.type === 'log' ? `log ${command.code}` : command.type)
      if (lastCommands.length > 8) lastCommands.shift()
    },
  })
  roles.push(trader)
}

process.on('message', (message: { type: string; i?: number; midTicks?: number }) => {
  if (message.type === 'tick' && has('quote-server')) {
    const bbo: Bbo = tickBbo(message.midTicks ?? 0)
    const t0 = process.hrtime.bigint()
    venue.emitBbo(bbo)
    stamps.push({ type: 't0', i: message.i, atNs: String(t0) })
  } else if (message.type === 'report') {
    send({ type: 'stamps', stamps: stamps.splice(0) })
  } else if (message.type === 'state' && trader !== null) {
    // What the trader made of a tick that brought no venue call (the bench prints it).
    const v = trader.state.venues[0]
    send({
      type: 'state',
      i: message.i,
      midTicks: message.midTicks,
      status: v?.status,
      orders: [...(v?.orders.values() ?? [])].map(
        (o) => `${o.side} ${o.sizeLots} lots @ ${o.priceTicks}${o.pending === null ? '' : ' (pending)'}`,
      ),
      lastCommands: [...lastCommands],
    })
  } else if (message.type === 'stop') {
    void (async () => {
      for (const role of roles.reverse()) await role.stop()
      await bus.close()
      journal?.close()
      process.send?.({ type: 'stopped' }, () => process.exit(0))
    })().catch(fail)
  }
})
send({ type: 'ready', part })
