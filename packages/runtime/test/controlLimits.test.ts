import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type HedgerConfigInput, systemRunnerClock } from '@alp/hedger'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import {
  type ControlledDeployment,
  createDeploymentControl,
  type DeploymentControl,
} from '../src/control/createDeploymentControl.js'
import { Journal } from '../src/journal/Journal.js'
import { createMetrics } from '../src/observability/metrics.js'
import { type LpManagerRoleHandle, startLpManagerRole } from '../src/roles/startLpManagerRole.js'
import { startTrader, type TraderHandle } from '../src/roles/startTrader.js'
import type { MessageBus, TopicPublisher } from '../src/transport/bus.js'
import { createInProcessBus } from '../src/transport/createInProcessBus.js'
import { resolveEndpoints } from '../src/transport/resolveEndpoints.js'
import type { PositionMessage } from '../src/transport/topics.js'
import { DEPLOYMENT_ENV, writeDeploymentIni } from './deploymentConfig.js'
import { waitFor } from './deploymentVenue.js'

// A halt the core latches by itself (a position beyond MAX_POSITION_BASE) as `alp status` shows it, and `alp resume`
// refused while the limit is breached (exit 8, the core's reason), accepted once it is not. The trader runs on an
// in-process bus with its peers played by the test (a trading engine that confirms cancel-alls, a position server);
// the control is served from this process, found by the CLI through the same files as an `alp start`. The lp-manager
// role runs on the same bus but outside the controlled roles, as in another process: kill and resume reach it over
// lpControl.
const VENUE = 'binance-usdm'
const config: HedgerConfigInput = {
  venues: [
    {
      venue: VENUE,
      tickSize: '0.01',
      stepSize: '0.001',
      minNotionalQuote: 20,
      maxPositionBase: 2,
      maxOrderSizeBase: 1,
      staleAfterMs: 600_000,
      deadManTimeoutMs: 5_000,
      deadManRearmMs: 500,
    },
  ],
  calibration: {
    volatility: { halfLifeMs: 5_000, warmUpMs: 0, minIncrements: 1 },
    intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
  },
  hedge: { orderSizeBase: 0.1 },
  risk: { basisSampleMs: 50, maxBasisBps: 100, resumeBasisBps: 50, minCorrelation: -1 },
}
const dir = mkdtempSync(join(tmpdir(), 'alp-control-limits-'))
const file = writeDeploymentIni(dir, { restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' })
const clock = { nowNs: systemRunnerClock.nowNs, nowMs: () => Date.now() }
let bus: MessageBus
let journal: Journal
let trader: TraderHandle
let control: DeploymentControl
let positions: TopicPublisher<PositionMessage>
let lpRole: LpManagerRoleHandle
const lpSteps: string[] = []
const metrics = createMetrics()

async function alp(...args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', ...args, '--config', file], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: DEPLOYMENT_ENV,
  })
  return { code, stdout, stderr }
}

beforeAll(async () => {
  bus = createInProcessBus()
  mkdirSync(join(dir, 'data'), { recursive: true })
  journal = new Journal(join(dir, 'data', 'journal.sqlite'))
  const endpoints = resolveEndpoints()
  const orderEvents = await bus.publisher('orderEvents')
  await bus.commandServer('venueCommands', (command) => {
    if (command.type === 'cancelAll' || command.type === 'requestOpenOrders')
      orderEvents.publish({
        type: 'openOrders',
        tsNs: clock.nowNs(),
        venue: VENUE,
        requestedNs: command.tsNs,
        orders: [],
      })
    return { ok: true }
  })
  positions = await bus.publisher('positions')
  positions.publish({ type: 'venueHealth', tsNs: clock.nowNs(), venue: VENUE, status: 'connected' })
  positions.publish({ type: 'position', tsNs: clock.nowNs(), venue: VENUE, sizeLots: 0 })
  control = createDeploymentControl({
    processName: 'trader',
    dataDir: join(dir, 'data'),
    metrics,
    lpManagerElsewhere: true,
  })
  lpRole = await startLpManagerRole({
    bus,
    endpoints,
    onError: () => {},
    manager: {
      on: () => undefined,
      off: () => undefined,
      run: () => lpSteps.push('run'),
      stop: () => {
        lpSteps.push('stop')
      },
    },
  })
  trader = await startTrader({
    bus,
    config,
    venues: [{ venue: VENUE, endpoints }],
    endpoints,
    journal,
    processName: 'trader',
    clock,
    onError: control.deploymentOptions.onError ?? (() => {}),
    onStep: control.deploymentOptions.onTraderStep,
    metrics,
    timerIntervalMs: 50,
  })
  const deployment: ControlledDeployment = { roles: [trader], trader, venues: new Map(), bus }
  // As alp start leaves them: its pid file (this process) and the control and token files.
  writeFileSync(join(dir, 'data', 'trader.pid'), `${process.pid}\n`)
  await control.start(deployment)
}, 60_000)

afterAll(async () => {
  await control?.close()
  await lpRole?.stop()
  await trader?.stop()
  await bus?.close()
  journal?.close()
})

describe('a limit halt through the control', () => {
  it('status shows the core’s own halt and why; resume is refused (exit 8) while breached, accepted after', async () => {
    // 2.5 ETH reported by the venue: beyond MAX_POSITION_BASE = 2.
    positions.publish({ type: 'position', tsNs: clock.nowNs(), venue: VENUE, sizeLots: 2_500 })
    await waitFor(() => trader.state.killed !== null, 'the kill switch')
    const status = JSON.parse((await alp('status', '--json')).stdout)
    expect(status.killed).toMatchObject({ reason: 'positionLimit' })
    expect(status.killed.detail).toContain('kill switch: positionLimit')
    expect(status.halts).toEqual([expect.objectContaining({ scope: 'all', reason: 'positionLimit' })])
    expect(status.venues[0]).toMatchObject({ venue: VENUE, positionBase: 2.5, quoting: 'halted: positionLimit' })

    const refused = await alp('resume', '--reason', 'too early')
    expect(refused.code).toBe(EXIT.REFUSED)
    expect(refused.stderr).toContain('operator resume refused: positionLimit still breached')
    expect(trader.state.killed).toBe('positionLimit')
    const refusedJson = JSON.parse((await alp('resume', '--json')).stdout)
    expect(refusedJson).toMatchObject({ status: 409, ok: false, killed: 'positionLimit' })

    // Back within the limit: the resume is accepted and the halt gone.
    positions.publish({ type: 'position', tsNs: clock.nowNs(), venue: VENUE, sizeLots: 500 })
    await waitFor(() => trader.state.venues[0]?.positionLots === 500, 'the new position')
    const resumed = await alp('resume')
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
    expect(JSON.parse((await alp('status', '--json')).stdout)).toMatchObject({ killed: null, halts: [] })
    const halts = (await metrics.registry.getSingleMetric('alp_halts_total')?.get())?.values
    expect(halts).toContainEqual(
      expect.objectContaining({ labels: { scope: 'all', reason: 'positionLimit' }, value: 1 }),
    )
  })

  it('alp kill with a reason: the venue confirms, the lp-manager of the other process stops stepping; resume restarts it', async () => {
    expect(lpSteps).toEqual(['run'])
    const kill = await alp('kill', '--reason', 'maintenance window')
    expect({ code: kill.code, stderr: kill.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
    expect(kill.stdout).toBe(
      'killed (operatorKill): binance-usdm confirmed no open order, lp-manager (lpControl) stopped stepping\n',
    )
    expect(lpRole.killed).toBe(true)
    expect(lpSteps).toEqual(['run', 'stop'])
    const status = JSON.parse((await alp('status', '--json')).stdout)
    expect(status.killed.detail).toContain('operator kill: maintenance window')
    const resume = JSON.parse((await alp('resume', '--json')).stdout)
    expect(resume).toMatchObject({ ok: true, lp: [{ instance: 'lp-manager (lpControl)', killed: false }] })
    expect(lpRole.killed).toBe(false)
    expect(lpSteps).toEqual(['run', 'stop', 'run'])
  })
})
