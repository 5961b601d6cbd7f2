import { join } from 'node:path'
import { systemRunnerClock } from '@alp/hedger'
import type { Logger } from 'pino'
import { buildDashboardSample, type PoolDecimals } from '../dashboard/buildDashboardSample.js'
import { createDashboard, type Dashboard } from '../dashboard/createDashboard.js'
import { createJournalReader, type JournalReader } from '../dashboard/createJournalReader.js'
import type { CreateDeploymentOptions, Deployment } from '../deployment/createDeployment.js'
import { createTraderObserver, type TraderObserver } from '../observability/createTraderObserver.js'
import type { RuntimeMetrics } from '../observability/metrics.js'
import { observeFeedLag } from '../observability/observeFeedLag.js'
import type { LpManagerRoleHandle } from '../roles/startLpManagerRole.js'
import type { MessageBus } from '../transport/bus.js'
import { controlPathsOf, newControlToken, writeControlFiles } from './controlFiles.js'
import { createRecentErrors, type RecentErrors } from './createRecentErrors.js'
import { buildDeploymentStatus, type DeploymentStatus } from './deploymentStatus.js'
import { type ControlResult, type RunningControlServer, startControlServer } from './startControlServer.js'

export type CreateDeploymentControlParameters = {
  /** The main role's `PROCESS_NAME` and `DATA_DIR`: the control, token and pid files are named after it. */
  readonly processName: string
  readonly dataDir: string
  /** Control server interface and port (`CONTROL_HOST` / `CONTROL_PORT`). Default 127.0.0.1 and a free port. */
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly metrics?: RuntimeMetrics | undefined
  /** Written into the control file for the CLI and the dashboard. */
  readonly metricsUrl?: string | null | undefined
  readonly logger?: Logger | undefined
  /**
   * The config has an lp-manager role that another process runs (roles split over ZeroMQ): kill and resume reach it
   * as `lpControl` commands over the deployment's bus (acknowledged, or reported as not reached).
   */
  readonly lpManagerElsewhere?: boolean | undefined
  /** How long `kill` waits for the venues to confirm no order of ours is open, when the request does not say. */
  readonly killTimeoutMs?: number | undefined
  /**
   * The operator's dashboard on the control server (`GET /`, `GET /events`; docs/dashboard.md): on by default, `false`
   * turns it off; `intervalMs` is how often the page gets an update (default 1000).
   */
  readonly dashboard?: boolean | { readonly intervalMs?: number | undefined } | undefined
  /** The journal the dashboard shows the last fills and rebalances of (default `<dataDir>/journal.sqlite`). */
  readonly journalPath?: string | undefined
  readonly nowMs?: (() => number) | undefined
}

/** What the control uses of a deployment (a started `createDeployment`, or roles assembled by hand). */
export type ControlledDeployment = Pick<Deployment, 'roles' | 'trader' | 'venues'> & {
  /** The bus of the process: the lp-manager of another process is reached over it (`lpManagerElsewhere`). */
  readonly bus?: MessageBus | undefined
}

/** What kill / resume did to an lp-manager: `killed` null when it was not reached (then `error` says why). */
export type LpActionResult = { readonly instance: string; readonly killed: boolean | null; readonly error?: string }

export type DeploymentControl = {
  /** Pass to createDeployment: the trader's steps and the roles' errors feed the status. */
  readonly deploymentOptions: Pick<CreateDeploymentOptions, 'onTraderStep' | 'onError'>
  readonly observer: TraderObserver
  readonly errors: RecentErrors
  /** Resolves with `control` when `POST /stop` arrived (race it with the signals). */
  readonly stopRequested: Promise<string>
  /** Serves the control endpoints of the started deployment and writes the control and token files. */
  start(deployment: ControlledDeployment): Promise<RunningControlServer>
  /** The status now (also before `start`: then without roles). */
  status(): DeploymentStatus
  /** Closes the server, removes the control and token files, detaches the feed-lag watch. Idempotent. */
  close(): Promise<void>
}

/**
 * The control of a running deployment: status snapshots, the kill switch and its release, a stop request, over the
 * control server ({@link startControlServer}); and the status-derived metrics, refreshed when `/metrics` is scraped.
 * Kill = the trader's kill switch (an operator kill: latched, cancel-all on every venue, repeated until each confirms
 * none of our orders is open) and every local lp-manager role stops stepping; resume = the operator resume (refused by
 * the core while a limit is breached) and the LP managers step again.
 */
export function createDeploymentControl(parameters: CreateDeploymentControlParameters): DeploymentControl {
  const nowMs = parameters.nowMs ?? Date.now
  const metrics = parameters.metrics
  const observer = createTraderObserver({ metrics, nowMs })
  const errors = createRecentErrors({ nowMs })
  const startedMs = nowMs()
  let deployment: ControlledDeployment | null = null
  let server: RunningControlServer | null = null
  let removeFiles: (() => void) | null = null
  let detachFeedLag: (() => void) | null = null
  let removeScrape: (() => void) | null = null
  let dashboard: Dashboard | null = null
  let journalReader: JournalReader | null = null
  let requestStop: (reason: string) => void = () => {}
  const stopRequested = new Promise<string>((resolve) => {
    requestStop = resolve
  })
  const status = (): DeploymentStatus =>
    buildDeploymentStatus({
      deployment: deployment ?? { roles: [], trader: null, venues: new Map() },
      observer,
      errors,
      processName: parameters.processName,
      startedMs,
      nowMs: nowMs(),
      nowNs: systemRunnerClock.nowNs(),
    })
  const lpRoles = (): LpManagerRoleHandle[] =>
    (deployment?.roles ?? []).filter(
      (role): role is LpManagerRoleHandle => role.role === 'lp-manager' && 'kill' in role && 'resume' in role,
    )

  /** The lp-managers of the process, then (split roles) the one of another process over lpControl. */
  const lpAction = async (action: 'kill' | 'resume', reason: string): Promise<LpActionResult[]> => {
    const results: LpActionResult[] = []
    for (const lp of lpRoles()) {
      if (action === 'kill') await lp.kill()
      else lp.resume()
      results.push({ instance: lp.instance, killed: lp.killed })
    }
    const bus = deployment?.bus
    if (parameters.lpManagerElsewhere === true && bus !== undefined) {
      const client = await bus.commandClient('lpControl', { ackTimeoutMs: 500, maxAttempts: 6 })
      try {
        const ack = await client.send({ type: 'operator', tsNs: systemRunnerClock.nowNs(), action, reason })
        results.push({ instance: 'lp-manager (lpControl)', killed: ack.ok ? action === 'kill' : null })
      } catch (error) {
        errors.push(error, { role: 'control' })
        results.push({
          instance: 'lp-manager (lpControl)',
          killed: null,
          error: `not reached: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        })
      } finally {
        await client.close()
      }
    }
    return results
  }

  const kill = async (reason: string, timeoutMs: number): Promise<ControlResult> => {
    const trader = deployment?.trader ?? null
    parameters.logger?.warn({ reason }, 'control: kill')
    trader?.dispatch({ type: 'operator', tsNs: systemRunnerClock.nowNs(), action: 'kill', reason })
    const lp = await lpAction('kill', reason)
    const flat = (): boolean =>
      trader === null || trader.state.venues.every((venue) => venue.sweep === null && venue.orders.size === 0)
    const deadline = Date.now() + timeoutMs
    while (!flat() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    const venues =
      trader?.state.venues.map((venue) => ({
        venue: venue.config.venue,
        confirmed: venue.sweep === null && venue.orders.size === 0,
        openOrders: venue.orders.size,
      })) ?? []
    return { ok: venues.every((venue) => venue.confirmed), killed: trader?.state.killed ?? null, venues, lp, timeoutMs }
  }

  const resume = async (reason: string): Promise<ControlResult> => {
    const trader = deployment?.trader ?? null
    parameters.logger?.warn({ reason }, 'control: resume')
    let refusal: string | null = null
    if (trader !== null) {
      trader.dispatch({ type: 'operator', tsNs: systemRunnerClock.nowNs(), action: 'resume', reason })
      if (trader.state.killed !== null) refusal = observer.lastRefusal ?? `still killed: ${trader.state.killed}`
    }
    const lp = refusal === null ? await lpAction('resume', reason) : []
    return {
      ok: refusal === null,
      killed: trader?.state.killed ?? null,
      ...(refusal === null ? {} : { refused: refusal }),
      lp,
    }
  }

  const refreshMetrics = (): void => {
    if (metrics === undefined || deployment === null) return
    const now = status()
    const parts: [string, number | null][] = [
      ['lp_fees', now.pnl.lpFeesUsd],
      ['impermanent_loss', now.pnl.impermanentLossUsd],
      ['gas', now.pnl.gasUsd],
      ['hedge', now.pnl.hedgeUsd],
      ['fees_paid', now.pnl.feesPaidUsd],
      ['total', now.pnl.totalUsd],
    ]
    for (const [part, value] of parts)
      if (value === null) metrics.pnlUsd.remove({ part })
      else metrics.pnlUsd.set({ part }, value)
    for (const venue of now.venues) {
      const labels = { venue: venue.venue }
      if (venue.model === null) {
        metrics.reservationPrice.remove(labels)
        metrics.optimalSpreadBps.remove(labels)
      } else {
        metrics.reservationPrice.set(labels, venue.model.reservationPrice)
        metrics.optimalSpreadBps.set(labels, venue.model.optimalSpreadBps)
      }
    }
    const holdings = now.lp?.holdings ?? null
    if (holdings !== null) {
      metrics.lpHoldingsTokens.set({ token: 'base' }, Number(holdings.base))
      metrics.lpHoldingsTokens.set({ token: 'quote' }, Number(holdings.quote))
      metrics.lpValueUsd.set(Number(holdings.valueUsd))
    }
    const fees = now.lp?.uncollectedFees ?? null
    if (fees !== null) {
      metrics.lpUncollectedFeesTokens.set({ token: 'base' }, Number(fees.base))
      metrics.lpUncollectedFeesTokens.set({ token: 'quote' }, Number(fees.quote))
    }
  }

  return {
    deploymentOptions: {
      onTraderStep: observer.onStep,
      onError: (error, context) => {
        errors.push(error, context)
        metrics?.errorsTotal.inc({ role: context.role })
      },
    },
    observer,
    errors,
    stopRequested,
    status,
    async start(started) {
      deployment = started
      if (metrics !== undefined) {
        detachFeedLag = observeFeedLag(started.venues.values(), metrics, nowMs)
        removeScrape = metrics.onScrape(refreshMetrics)
      }
      const token = newControlToken()
      if (parameters.dashboard !== false) {
        const options = typeof parameters.dashboard === 'object' ? parameters.dashboard : {}
        const reader = createJournalReader(
          parameters.journalPath ?? join(parameters.dataDir, 'journal.sqlite'),
          (venue) => started.trader?.state.venues.find((v) => v.config.venue === venue)?.config,
        )
        journalReader = reader
        dashboard = createDashboard({
          status,
          sample: (now) => buildDashboardSample(now, poolDecimalsOf(lpRoles())),
          journal: () => reader.recent(10),
          intervalMs: options.intervalMs,
          nowMs,
        })
      }
      server = await startControlServer({
        dashboard: dashboard ?? undefined,
        token,
        host: parameters.host,
        port: parameters.port,
        handlers: {
          status,
          kill: (request) =>
            kill(request.reason ?? 'operator kill (control)', request.timeoutMs ?? parameters.killTimeoutMs ?? 30_000),
          resume: (request) => resume(request.reason ?? 'operator resume (control)'),
          stop: async (request) => {
            parameters.logger?.warn({ reason: request.reason }, 'control: stop requested')
            requestStop('control')
            return { ok: true, stopping: true }
          },
        },
      })
      removeFiles = writeControlFiles(
        controlPathsOf(parameters.dataDir, parameters.processName),
        {
          version: 1,
          url: server.url,
          pid: process.pid,
          processName: parameters.processName,
          startedMs,
          metricsUrl: parameters.metricsUrl ?? null,
        },
        token,
      )
      parameters.logger?.info({ url: server.url }, 'control')
      return server
    },
    async close() {
      removeFiles?.()
      removeFiles = null
      detachFeedLag?.()
      detachFeedLag = null
      removeScrape?.()
      removeScrape = null
      dashboard?.close()
      dashboard = null
      await server?.close()
      server = null
      journalReader?.close()
      journalReader = null
      deployment = null
    },
  }
}

/** The pool's token decimals from a local lp-manager's last inventory (range ticks → prices), null without one. */
function poolDecimalsOf(roles: readonly LpManagerRoleHandle[]): PoolDecimals | null {
  for (const role of roles) {
    const status = role.status()
    const inventory = status.inventory ?? status.manager?.lastInventory ?? null
    if (inventory !== null) return { decimals0: inventory.token0.decimals, decimals1: inventory.token1.decimals }
  }
  return null
}
