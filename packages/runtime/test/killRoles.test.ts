import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BinanceConnector, type Order, OrderNotPlacedError, VenueUnavailableError } from '@alp/exchange-connectors'
import { type RunningBinanceEmulator, startBinanceEmulator } from '@alp/venue-sim/binance'
import { findFreePort } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../src/journal/Journal.js'
import { HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { connectBinance, placeBackgroundLiquidity, waitFor } from './deploymentVenue.js'
import {
  appendFreeEndpoints,
  bundleRoleProcess,
  type RoleProcess,
  started,
  startRoleProcess,
  stopRole,
} from './splitHarness.js'

// SIGKILL of each role at seeded random points, the roles split over ZeroMQ in five processes against the Binance
// emulator, a taker filling our orders now and then (also while a role is down). After every restart: no client order
// id twice on the venue, every venue fill in the journal exactly once, the trader's position equal to the venue's, and
// every run of the journal replays to the commands it journaled.
// ALP_KILL_SEED=<n> replays another schedule (a failure names its seed).
const SEED = Number(process.env.ALP_KILL_SEED ?? 0x15_4b1d)
const ROLES = ['trader', 'binance.trading-engine', 'binance.position-server', 'binance.quote-server', 'lp-manager']
const KILLS_PER_ROLE = 4
const dir = mkdtempSync(join(tmpdir(), 'alp-kill-'))
const bundle = bundleRoleProcess()
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
let metricsPort: number
const running = new Map<string, RoleProcess>()
const everyProcess: RoleProcess[] = []

/** mulberry32: the kills' order and timing from one seed (a failure names the seed and the kill). */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const signed = async <T>(path: string): Promise<T> =>
  (
    await observer.http.request<T>({
      method: 'GET',
      path,
      params: [['symbol', 'ETHUSDT']],
      security: 'SIGNED',
      cost: { weight: 5 },
      retry: 'safe',
    })
  ).body
const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
/**
 * The taker's own requests without a definite answer (the emulator reset a keep-alive connection under load: seen
 * `read ECONNRESET` on a poke, here and in CI; the connector then reconciles the create: OrderNotPlacedError) are not
 * what this test is about: the poke is dropped, its order cancelled if it landed.
 */
const noDefiniteAnswer = (error: unknown): boolean => error instanceof VenueUnavailableError
const poke = async (): Promise<void> => {
  const clientOrderId = `poke-${Date.now()}`
  try {
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2500.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId,
    })
  } catch (error) {
    // Reconciled by the connector after the reset: not placed, nothing to cancel.
    if (error instanceof OrderNotPlacedError) return
    if (!noDefiniteAnswer(error)) throw error
  }
  // Until the venue answers: a poke left resting would change the book the trader quotes on.
  for (let attempt = 1; ; attempt++) {
    try {
      await taker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
      return
    } catch (error) {
      if (noDefiniteAnswer(error) && attempt < 5) {
        await pause(100)
        continue
      }
      // Refused (e.g. unknown order: a place without an answer that never landed): fine once it is not open.
      if ((await taker.execution.getOpenOrders('ETHUSDT')).some((o) => o.clientOrderId === clientOrderId)) throw error
      return
    }
  }
}
/** The taker takes part of one of our resting orders (IOC at its price). */
const takeOne = async (pick: number): Promise<boolean> => {
  const orders = await ourOpenOrders()
  const order = orders[Math.floor(pick * orders.length)]
  if (order === undefined) return false
  try {
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: order.side === 'buy' ? 'sell' : 'buy',
      price: order.price,
      sizeBase: '0.050',
      timeInForce: 'ioc',
      clientOrderId: `take-${Date.now()}`,
    })
  } catch (error) {
    // An IOC without a definite answer took or did not: the checks below compare with the venue's own trades.
    if (!noDefiniteAnswer(error) && !(error instanceof OrderNotPlacedError)) throw error
    return false
  }
  return true
}
const traderPositionBase = async (): Promise<number | undefined> => {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
    const match = /alp_position_base\{venue="binance-usdm"\} (-?[0-9.e-]+)/.exec(text)
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined // the trader is restarting
  }
}
const start = async (roles: string): Promise<RoleProcess> => {
  const role = startRoleProcess(bundle.script, file, roles)
  everyProcess.push(role)
  running.set(roles, role)
  await started(role)
  return role
}

beforeAll(async () => {
  // The deployment tests' venue, with a larger request-weight budget: the emulator limits per IP, and here five role
  // processes, the taker and the test's own checks share 127.0.0.1 for two minutes (Binance's 2400 a minute is for one
  // host of a real deployment; restarts re-read open orders, positions and history each time).
  emu = await startBinanceEmulator({
    port: 0,
    symbols: ['ETHUSDT'],
    accounts: [
      { ...HEDGER_KEYS, balances: { USDT: '100000' } },
      { ...TAKER_KEYS, balances: { USDT: '100000' } },
    ],
    market: { kind: 'none' },
    seed: 47,
    pingIntervalMs: 0,
    rateLimits: { requestWeightPerMinute: 60_000 },
    onInternalError: (error) => {
      throw error
    },
  })
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  metricsPort = await findFreePort()
  file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: 'http://127.0.0.1:1', pool: `0x${'11'.repeat(20)}`, positionManager: `0x${'22'.repeat(20)}` },
    metricsPort,
  })
  await appendFreeEndpoints(file)
}, 60_000)

afterAll(async () => {
  for (const role of everyProcess) if (role.child.exitCode === null) role.child.kill('SIGKILL')
  await taker?.close()
  await observer?.close()
  await emu?.close()
  bundle.remove()
})

describe('SIGKILL each role', () => {
  it(`${KILLS_PER_ROLE * ROLES.length} kills at seeded random points (seed ${SEED}): no duplicate order, no lost fill, positions equal the venue's, the journal replays`, async () => {
    const rand = random(SEED)
    for (const role of ROLES) await start(role)
    await waitFor(
      async () => {
        await poke()
        await pause(100)
        return (await ourOpenOrders()).length > 0
      },
      'our first quotes',
      60_000,
    )
    // Every role KILLS_PER_ROLE times, in a seeded shuffled order.
    const plan = ROLES.flatMap((role) => Array.from({ length: KILLS_PER_ROLE }, () => role))
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[plan[i], plan[j]] = [plan[j] as string, plan[i] as string]
    }
    const journal = new Journal(join(dir, 'data', 'journal.sqlite'))
    let takes = 0
    try {
      for (const [k, role] of plan.entries()) {
        const where = `kill ${k + 1}/${plan.length} (${role}, seed ${SEED})`
        // Activity for a random while, then the kill at that point.
        const until = Date.now() + 100 + Math.floor(rand() * 700)
        while (Date.now() < until) {
          await poke()
          await pause(50)
          if (rand() < 0.3 && (await takeOne(rand()))) takes += 1
        }
        const victim = running.get(role) as RoleProcess
        victim.child.kill('SIGKILL')
        await victim.exited
        if (rand() < 0.5 && (await takeOne(rand()))) takes += 1 // a fill while the role is down
        await start(role)

        // No duplicate order: every client order id of ours is on the venue once.
        const ids = (await signed<{ clientOrderId: string }[]>('/fapi/v1/allOrders'))
          .map((order) => order.clientOrderId)
          .filter((id) => id.startsWith('alp'))
        expect(ids.length - new Set(ids).size, `${where}: client order ids placed twice`).toBe(0)
        // No lost fill: every venue fill in the journal, exactly once (and nothing the venue does not have).
        const venueTrades = (await signed<{ id: number }[]>('/fapi/v1/userTrades')).map((trade) => String(trade.id))
        await waitFor(async () => {
          await pause(50)
          const journaled = journal.fills({ venue: 'binance-usdm' }).map((fill) => fill.tradeId)
          return venueTrades.every((id) => journaled.filter((j) => j === id).length === 1)
        }, `${where}: every venue fill journaled`).catch((error: unknown) => {
          const journaled = new Set(journal.fills({ venue: 'binance-usdm' }).map((fill) => fill.tradeId))
          throw new Error(
            `${String(error)}: missing ${venueTrades.filter((id) => !journaled.has(id)).join(', ')}\n${(running.get('trader') as RoleProcess).output().slice(-3000)}`,
          )
        })
        const allTrades = new Set((await signed<{ id: number }[]>('/fapi/v1/userTrades')).map((t) => String(t.id)))
        const journaled = journal.fills({ venue: 'binance-usdm' }).map((fill) => fill.tradeId)
        expect(journaled.length, `${where}: a fill journaled twice`).toBe(new Set(journaled).size)
        expect(
          journaled.filter((id) => !allTrades.has(id)),
          `${where}: journaled fills the venue does not have`,
        ).toEqual([])
        // Positions: the trader's equals the venue's.
        let venuePosition = 0
        let traderPosition: number | undefined
        await waitFor(async () => {
          await pause(50)
          const [position] = await observer.execution.getPositions('ETHUSDT')
          venuePosition = Number(position?.sizeBase ?? 0)
          traderPosition = await traderPositionBase()
          return traderPosition !== undefined && Math.abs(traderPosition - venuePosition) < 1e-9
        }, `${where}: the trader's position equal to the venue's`).catch((error: unknown) => {
          // For the diagnosis: the last run's position and fill events as the core got them, with their venue times.
          const lastRun = journal.runs().at(-1)
          const trail =
            lastRun === undefined
              ? []
              : journal
                  .steps(lastRun.runId)
                  .map((step) => step.event as { type: string; venueTimeMs?: number; sizeLots?: number; side?: string })
                  .filter((event) => event.type === 'position' || event.type === 'fill')
                  .slice(-30)
                  .map((e) => `${e.type} ${e.side ?? ''} ${e.sizeLots} @${e.venueTimeMs ?? '-'}`)
          throw new Error(
            `${String(error)}: trader ${traderPosition}, venue ${venuePosition}\nlast run's position/fill events:\n${trail.join('\n')}`,
          )
        })
        // The journal is consistent: each run's journaled events replay to the commands journaled with them.
        for (const run of journal.runs())
          expect(journal.replay(run.runId).mismatches, `${where}: run ${run.runId} replays`).toEqual([])
      }
    } finally {
      journal.close()
    }
    expect(takes).toBeGreaterThan(5) // the kills fell among fills
    for (const role of ['trader', ...ROLES.filter((r) => r !== 'trader')])
      await stopRole(running.get(role) as RoleProcess)
    expect(await ourOpenOrders()).toEqual([])
  }, 240_000)
})
