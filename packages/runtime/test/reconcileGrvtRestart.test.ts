import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GrvtConnector } from '@alp/exchange-connectors'
import type { RunningGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { Journal } from '../src/journal/Journal.js'
import { readGrvtFills } from '../src/roles/readGrvtFills.js'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import type { LinkName } from '../src/transport/portMap.js'
import { waitFor } from './deploymentVenue.js'
import {
  connectGrvt,
  GRVT_ENV as ENV,
  grvtHedgeIni,
  grvtOpenOrders,
  GRVT_HEDGER as HEDGER,
  nextGrvtClientOrderId,
  placeGrvtBackgroundLiquidity,
  pokeGrvt,
  GRVT_SYMBOL as SYMBOL,
  startGrvtVenue,
  GRVT_TAKER as TAKER,
} from './helpers/grvtVenue.js'
import { bundleRoleProcess, type RoleProcess, started, startRoleProcess, stopRole } from './splitHarness.js'

// Restart reconciliation on GRVT (as test/reconcileRestart.test.ts on Binance): the trader (its own process, over
// ZeroMQ) is SIGKILLed while its ask rests on the GRVT emulator, a taker lifts the ask, the trader starts again: the
// fill, which only GRVT's fill history still has for it, is journaled once, in the second run, with the ask's client
// order id.
const dir = mkdtempSync(join(tmpdir(), 'alp-reconcile-grvt-'))
const bundle = bundleRoleProcess()
let emu: RunningGrvtEmulator
let taker: GrvtConnector
let observer: GrvtConnector
let file: string
const processes: RoleProcess[] = []

const ourOpenOrders = () => grvtOpenOrders(observer)
/** Moves the top of the book (GRVT's connector emits a best bid/offer only when the top moves). */
const poke = () => pokeGrvt(taker)
const start = async (roles: string): Promise<RoleProcess> => {
  const role = startRoleProcess(bundle.script, file, roles, ENV)
  processes.push(role)
  await started(role)
  return role
}
const dump = (): string => processes.map((p) => `--- ${p.roles}\n${p.output().slice(-2500)}`).join('\n')

/** The owner of each link in this deployment (test/splitHarness.ts has Binance's). */
const OWNER: Record<LinkName, string> = {
  marketData: 'grvt.quote-server',
  orderEvents: 'grvt.trading-engine',
  commands: 'grvt.trading-engine',
  positions: 'grvt.position-server',
  positionsSnapshot: 'grvt.position-server',
  orderUpdates: 'trader',
  control: 'trader',
  inventory: 'lp-manager',
  lpControl: 'lp-manager',
}

beforeAll(async () => {
  emu = await startGrvtVenue()
  taker = await connectGrvt(emu, TAKER)
  await placeGrvtBackgroundLiquidity(taker)
  observer = await connectGrvt(emu, HEDGER)
  file = join(dir, 'alp.ini')
  writeFileSync(
    file,
    `${grvtHedgeIni(emu, join(dir, 'data'), true)}
[lp-manager]
PROCESS_NAME = lp_manager
METRICS_PORT = 0
[lp-manager.LP]
RPC_URL = http://127.0.0.1:1
CHAIN_ID = 31337
POOL_ADDRESS = 0x${'11'.repeat(20)}
POSITION_MANAGER_ADDRESS = 0x${'22'.repeat(20)}
WALLET_KEY = env:LP_KEY
`,
  )
  const endpoints = await freeLoopbackEndpoints()
  const byRole = new Map<string, string[]>()
  for (const [link, owner] of Object.entries(OWNER)) {
    const key = link.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
    byRole.set(owner, [...(byRole.get(owner) ?? []), `${key} = ${endpoints[link as LinkName].bind}`])
  }
  appendFileSync(file, [...byRole].map(([role, lines]) => `\n[${role}.PUBLISHERS]\n${lines.join('\n')}\n`).join(''))
}, 60_000)

afterAll(async () => {
  for (const role of processes) if (role.child.exitCode === null) role.child.kill('SIGKILL')
  await taker?.close()
  await observer?.close()
  await emu?.close()
  bundle.remove()
})

describe('restart reconciliation on GRVT', () => {
  it('a fill made while the trader was down (SIGKILL) is read from GRVT’s fill history and journaled once, in the next run', async () => {
    const venue = await start('grvt.trading-engine,grvt.position-server,grvt.quote-server,lp-manager')
    let trader = await start('trader')
    const resting = await waitFor(
      async () => {
        await poke()
        return (await ourOpenOrders()).find((order) => order.side === 'sell')
      },
      'our ask on the venue',
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${dump()}`)
    })
    if (resting === undefined) throw new Error('unreachable')
    // No more pokes: wait until the ask stays put (GRVT replaces rather than amends), then kill.
    let last = ''
    await waitFor(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      const id = (await ourOpenOrders()).find((order) => order.side === 'sell')?.clientOrderId ?? ''
      const stable = id !== '' && id === last
      last = id
      return stable
    }, 'our ask resting')
    // The trader dies at once (no stop, no cancel); its ask rests until the dead-man switch (5 s) fires. (GRVT has no
    // amend: the trader may have replaced the ask since, so it is read again once the trader is gone.)
    trader.child.kill('SIGKILL')
    await trader.exited
    const ask = (await ourOpenOrders()).find((order) => order.side === 'sell')
    if (ask === undefined) throw new Error('our ask is gone')
    const since = Date.now() - 60_000
    await taker.execution.placeOrder({
      symbol: SYMBOL,
      side: 'buy',
      price: ask.price,
      sizeBase: ask.sizeBase,
      timeInForce: 'ioc',
      clientOrderId: nextGrvtClientOrderId(),
    })
    const venueFills = (await readGrvtFills({ http: observer.http, subAccountId: HEDGER.sub }, SYMBOL, since)).filter(
      (fill) => fill.clientOrderId === ask.clientOrderId,
    )
    expect(venueFills.length).toBeGreaterThan(0)
    const tradeIds = venueFills.map((fill) => fill.tradeId)
    const journal = new Journal(join(dir, 'data', 'journal.sqlite'))
    try {
      const firstRun = journal.runs().at(-1)?.runId as string
      expect(journal.fills({ venue: 'grvt' }).filter((fill) => tradeIds.includes(fill.tradeId))).toEqual([])
      trader = await start('trader')
      const secondRun = (await waitFor(() => {
        const run = journal.runs().at(-1)?.runId
        return run !== firstRun ? run : undefined
      }, 'the second run in the journal')) as string
      await waitFor(
        () =>
          journal.fills({ venue: 'grvt' }).filter((fill) => tradeIds.includes(fill.tradeId)).length === tradeIds.length,
        'the missed fill journaled',
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${dump()}`)
      })
      const recovered = journal.fills({ venue: 'grvt' }).filter((fill) => tradeIds.includes(fill.tradeId))
      expect(recovered.map((fill) => [fill.tradeId, fill.runId, fill.clientOrderId, fill.side])).toEqual(
        tradeIds.map((id) => [id, secondRun, ask.clientOrderId, 'sell']),
      )
      expect(dump()).not.toContain('NO_FILL_HISTORY')
    } finally {
      journal.close()
    }
    expect(await stopRole(trader)).toBe(EXIT.OK)
    expect(await stopRole(venue)).toBe(EXIT.OK)
  }, 120_000)
})
