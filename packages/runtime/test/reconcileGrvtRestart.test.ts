import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createGrvtClientOrderId,
  createGrvtConnector,
  type GrvtConnector,
  type Order,
  systemClock,
} from '@alp/exchange-connectors'
import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { Journal } from '../src/journal/Journal.js'
import { readGrvtFills } from '../src/roles/readGrvtFills.js'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import type { LinkName } from '../src/transport/portMap.js'
import { waitFor } from './deploymentVenue.js'
import { bundleRoleProcess, type RoleProcess, started, startRoleProcess, stopRole } from './splitHarness.js'

// Restart reconciliation on GRVT (as test/reconcileRestart.test.ts on Binance): the trader (its own process, over
// ZeroMQ) is SIGKILLed while its ask rests on the GRVT emulator, a taker lifts the ask, the trader starts again: the
// fill, which only GRVT's fill history still has for it, is journaled once, in the second run, with the ask's client
// order id.
const SYMBOL = 'ETH_USDT_Perp'
// Public anvil test keys #5 and #6 (known to everyone; they sign emulator orders only).
const HEDGER = {
  apiKey: 'grvthedgerkey',
  signer: '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  sub: '1001',
}
const TAKER = {
  apiKey: 'grvttakerkey',
  signer: '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  sub: '1002',
}
const ENV = { GRVT_KEY: HEDGER.apiKey, GRVT_SIGNER: HEDGER.signer }
const dir = mkdtempSync(join(tmpdir(), 'alp-reconcile-grvt-'))
const bundle = bundleRoleProcess()
let emu: RunningGrvtEmulator
let taker: GrvtConnector
let observer: GrvtConnector
let file: string
const processes: RoleProcess[] = []
let nonce = 1
let ids = 0n

const connect = (account: typeof HEDGER) =>
  createGrvtConnector({
    urls: {
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      marketDataWsUrl: emu.wsUrl,
      tradesWsUrl: emu.wsUrl,
    },
    apiKey: account.apiKey,
    signerPrivateKey: account.signer,
    subAccountId: account.sub,
    chainId: 326,
    clock: systemClock,
    random: Math.random,
    nextNonce: () => nonce++,
  })
const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders()).filter((order) => order.symbol === SYMBOL)
/** Moves the top of the book (GRVT's connector emits a best bid/offer only when the top moves). */
async function poke(): Promise<void> {
  const clientOrderId = createGrvtClientOrderId(++ids)
  await taker.execution.placeOrder({
    symbol: SYMBOL,
    side: 'buy',
    price: '2676.00',
    sizeBase: '0.01',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await taker.execution.cancelOrder({ symbol: SYMBOL, clientOrderId })
}
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
  emu = await startGrvtEmulator({
    instruments: [{ instrument: SYMBOL, instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' }],
    accounts: [HEDGER, TAKER].map((a) => ({
      apiKey: a.apiKey,
      signerPrivateKeys: [a.signer],
      subAccountId: a.sub,
      balances: { USDT: '100000' },
    })),
    market: { kind: 'none' },
  })
  taker = await connect(TAKER)
  for (const [side, price] of [
    ['buy', '2675.00'],
    ['sell', '2685.00'],
  ] as const)
    await taker.execution.placeOrder({
      symbol: SYMBOL,
      side,
      price,
      sizeBase: '5.00',
      timeInForce: 'gtc',
      clientOrderId: createGrvtClientOrderId(++ids),
    })
  observer = await connect(HEDGER)
  const venueRole = (role: string) => `[grvt.${role}]
PROCESS_NAME = grvt_${role.replace('-', '_')}
ASSET_TYPE = PERPETUAL
METRICS_PORT = 0
API_KEY = env:GRVT_KEY
API_SECRET = env:GRVT_SIGNER
[grvt.${role}.HTTP_API]
HTTP_BASE_URL = ${emu.restUrl}
[grvt.${role}.WEBSOCKET]
WS_PUBLIC_URL = ${emu.wsUrl}
[grvt.${role}.MARKET_DATA]
SYMBOLS = ${SYMBOL}
[grvt.${role}.GRVT]
SUB_ACCOUNT_ID = ${HEDGER.sub}
CHAIN_ID = 326
`
  file = join(dir, 'alp.ini')
  writeFileSync(
    file,
    `${venueRole('quote-server')}
${venueRole('trading-engine')}
${venueRole('position-server')}
[trader]
PROCESS_NAME = trader
DATA_DIR = ${join(dir, 'data')}
METRICS_PORT = 0
[trader.HEDGER.HEDGE]
ORDER_SIZE_BASE = 0.1
[trader.HEDGER.CALIBRATION.VOLATILITY]
HALF_LIFE_MS = 5000
WARM_UP_MS = 0
MIN_INCREMENTS = 1
[trader.HEDGER.CALIBRATION.INTENSITY]
MODE = fixed
A_PER_SEC = 1
K_PER_PRICE = 2
[trader.HEDGER.RISK]
BASIS_SAMPLE_MS = 50
MAX_BASIS_BPS = 100
RESUME_BASIS_BPS = 50
MIN_CORRELATION = -1
[trader.HEDGER.VENUE.grvt]
TICK_SIZE = 0.01
STEP_SIZE = 0.01
MIN_NOTIONAL_QUOTE = 20
MAX_POSITION_BASE = 2
MAX_ORDER_SIZE_BASE = 1
STALE_AFTER_MS = 600000
SUPPORTS_AMEND = false
DEAD_MAN_TIMEOUT_MS = 5000
DEAD_MAN_REARM_MS = 500
RATE_LIMIT_CAPACITY = 20
RATE_LIMIT_REFILL_PER_SEC = 20

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
      clientOrderId: createGrvtClientOrderId(++ids),
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
