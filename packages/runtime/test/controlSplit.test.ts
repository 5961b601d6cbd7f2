import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import type { DeploymentStatus } from '../src/control/deploymentStatus.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'
import {
  appendFreeEndpoints,
  bundleRoleProcess,
  lpInventory,
  type RoleProcess,
  started,
  startRoleProcess,
  stopRole,
} from './splitHarness.js'

// The control with the roles split over ZeroMQ in three processes (trader; lp-manager; the venue roles): the status is
// the trader's process's (`alp status --roles trader`: its book from the trader's view plus our orders, the LP
// inventory it got), `alp kill --roles trader` halts the trader and stops the lp-manager of the other process over
// lpControl, `alp resume` restarts both.
const dir = mkdtempSync(join(tmpdir(), 'alp-control-split-'))
const bundle = bundleRoleProcess()
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
const processes: RoleProcess[] = []

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))

async function alp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', ...args, '--config', file], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: DEPLOYMENT_ENV,
  })
  return { code, stdout, stderr }
}

async function status(roles: string): Promise<DeploymentStatus> {
  const run = await alp('status', '--roles', roles, '--json')
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
  return JSON.parse(run.stdout) as DeploymentStatus
}

async function pokeBook(): Promise<void> {
  const clientOrderId = `poke-${Date.now()}`
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

beforeAll(async () => {
  emu = await startBinanceVenue(27)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: 'http://127.0.0.1:1', pool: `0x${'11'.repeat(20)}`, positionManager: `0x${'22'.repeat(20)}` },
  })
  await appendFreeEndpoints(file)
}, 60_000)

afterAll(async () => {
  for (const role of processes) if (role.child.exitCode === null) role.child.kill('SIGKILL')
  await taker?.close()
  await observer?.close()
  await emu?.close()
  bundle.remove()
})

describe('control with split roles', () => {
  it('status from the trader’s process, kill stops the lp-manager of another process over lpControl, resume restarts it', async () => {
    for (const roles of [
      'trader',
      'lp-manager',
      'binance.trading-engine,binance.position-server,binance.quote-server',
    ]) {
      const role = startRoleProcess(bundle.script, file, roles)
      processes.push(role)
      await started(role)
    }
    const explain = (error: unknown): never => {
      throw new Error(
        `${String(error)}\n${processes.map((p) => `--- ${p.roles}\n${p.output().slice(-3000)}`).join('\n')}`,
      )
    }
    await waitFor(
      async () => {
        await pokeBook()
        // The LP holds 1 WETH too many: the ask is the hedge (the bid may have no size left).
        return (await ourOpenOrders()).some((o) => o.side === 'sell')
      },
      'our ask on the venue',
      60_000,
    ).catch(explain)

    const inventory = lpInventory()
    const seen = await waitFor(async () => {
      const now = await status('trader')
      const venue = now.venues[0]
      const open = await ourOpenOrders()
      const depth = (await (await fetch(`${emu.restUrl}/fapi/v1/depth?symbol=ETHUSDT&limit=5`)).json()) as {
        bids: [string, string][]
        asks: [string, string][]
      }
      const ours = (venue?.orders ?? []).map((o) => o.clientOrderId).sort()
      const matches =
        venue?.book != null &&
        Number(venue.book.bidPrice) === Number(depth.bids[0]?.[0]) &&
        Number(venue.book.askPrice) === Number(depth.asks[0]?.[0]) &&
        JSON.stringify(ours) === JSON.stringify(open.map((o) => o.clientOrderId).sort())
      return matches ? now : undefined
    }, 'the trader process’s status equal to the venue').catch(explain)
    if (!seen) throw new Error('unreachable')
    expect(seen.process.roles).toEqual([{ role: 'trader', instance: 'trader' }])
    expect(seen.venues[0]?.book?.source).toBe('trader') // no connector in the trader's process
    expect(seen.lp).toBeNull()
    expect(seen.exposure?.lpInventory?.baseHeldBase).toBe(inventory.token0.amount)

    const kill = await alp('kill', '--roles', 'trader', '--json')
    expect({ code: kill.code, stderr: kill.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
    expect(JSON.parse(kill.stdout)).toMatchObject({
      ok: true,
      killed: 'operatorKill',
      venues: [{ venue: 'binance-usdm', confirmed: true }],
      lp: [{ instance: 'lp-manager (lpControl)', killed: true }],
    })
    expect(await ourOpenOrders()).toEqual([])
    expect((await status('lp-manager')).lp).toMatchObject({ instance: 'lp-manager', killed: true })

    const resume = await alp('resume', '--roles', 'trader', '--json')
    expect(resume.code).toBe(EXIT.OK)
    expect(JSON.parse(resume.stdout)).toMatchObject({ ok: true, lp: [{ killed: false }] })
    expect((await status('lp-manager')).lp?.killed).toBe(false)
    await waitFor(async () => {
      await pokeBook()
      return (await ourOpenOrders()).length > 0
    }, 'quoting again').catch(explain)

    for (const role of processes)
      expect({ roles: role.roles, code: await stopRole(role) }).toEqual({
        roles: role.roles,
        code: EXIT.OK,
      })
    expect(await ourOpenOrders()).toEqual([])
  }, 180_000)
})
