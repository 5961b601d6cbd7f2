import { join } from 'node:path'
import { StopNotConfirmedError } from '@alp/hedger'
import type { Logger } from 'pino'
import { createWebhookAlerter, type WebhookAlerter } from '../alerts/createWebhookAlerter.js'
import { type DeploymentAlertWatch, watchDeploymentAlerts } from '../alerts/watchDeploymentAlerts.js'
import { checkConfigFiles, type RoleConfig } from '../config/loadConfig.js'
import { createDeploymentControl, type DeploymentControl } from '../control/createDeploymentControl.js'
import { type CreateDeploymentOptions, createDeployment, type Deployment } from '../deployment/createDeployment.js'
import { RuntimeError } from '../errors/base.js'
import { ConfigInvalidError, formatConfigIssue } from '../errors/config.js'
import { AlreadyRunningError } from '../errors/process.js'
import { createLogger } from '../observability/createLogger.js'
import { createMetrics } from '../observability/metrics.js'
import { type RunningMetricsServer, startMetricsServer } from '../observability/startMetricsServer.js'
import { acquirePidFile, type PidFile } from '../process/acquirePidFile.js'
import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'
import { mainRoleOf } from './runStop.js'

export type RunStartOptions = {
  readonly files: readonly string[]
  /** `--roles a,b`: role instances or kinds. Default: every role of the files. */
  readonly roles?: readonly string[] | undefined
  /** `--stop-timeout-ms`: how long the stop waits for the venues to confirm our orders cancelled. */
  readonly stopTimeoutMs?: number | undefined
  /** `--reconcile-timeout-ms`: how long each start-up read of a venue may take before the start fails (exit 4). */
  readonly reconcileTimeoutMs?: number | undefined
  /**
   * `--skip-reconciliation`: the trader quotes without reading the venues' open orders, position and fills since the
   * last one journaled first. Risky: a fill made while it was down is counted only once a position report covers it,
   * and the first quotes may be sized on a stale inventory.
   */
  readonly skipReconciliation?: boolean | undefined
  /** What config files cannot give (from code, e.g. an app's assembly): the LP manager, other connectors, timers. */
  readonly deployment?:
    | Pick<
        CreateDeploymentOptions,
        'lpManager' | 'connector' | 'timerIntervalMs' | 'positionPollMs' | 'transport' | 'clock'
      >
    | undefined
}

/**
 * `alp start`: loads and checks the config, takes the pid file (`<DATA_DIR>/<PROCESS_NAME>.pid` of the trader, or of
 * the first role run), logs with pino (secrets scrubbed), serves `/metrics` (`METRICS_PORT`, 0 = off), runs the roles
 * on one in-process bus until SIGINT or SIGTERM (`io.waitForStop`), then stops them: the trader cancels everything and
 * waits for the venues to confirm (exit 1 with the venues named when one does not).
 */
export async function runStart(io: CliIo, options: RunStartOptions): Promise<ExitCode> {
  const checked = checkConfigFiles([...options.files], { env: io.env })
  if (checked.config === null) {
    io.stderr(`${checked.issues.map(formatConfigIssue).join('\n')}\n`)
    return EXIT.CONFIG_INVALID
  }
  const config = checked.config
  const names = options.roles
  const unknown = (names ?? []).filter(
    (name) => !config.roles.some((role) => role.instance === name || role.role === name),
  )
  if (unknown.length > 0) {
    io.stderr(
      `unknown role${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}: the config has ${config.roles.map((role) => role.instance).join(', ')}\n`,
    )
    return EXIT.USAGE
  }
  const main = mainRoleOf(config.roles, names)
  if (main === undefined) {
    io.stderr(`no role to run: the config has ${config.roles.map((role) => role.instance).join(', ')}\n`)
    return EXIT.USAGE
  }
  // One pid file per role run (the main role's first: `alp stop` reads it), so no role runs in two processes at once
  // whatever the role sets of the processes; each process logs under its main role's PROCESS_NAME, and only the
  // trader's process opens the journal.
  const selected = config.roles.filter(
    (role) => names === undefined || names.length === 0 || names.includes(role.instance) || names.includes(role.role),
  )
  const pidPaths = [...new Set([main, ...selected].map((role) => join(role.dataDir, `${role.processName}.pid`)))]
  const pids: PidFile[] = []
  try {
    for (const path of pidPaths) pids.push(acquirePidFile(path))
  } catch (error) {
    for (const held of pids) held.release()
    if (error instanceof AlreadyRunningError) {
      io.stderr(`alp: ${error.shortMessage}\n`)
      return EXIT.ALREADY_RUNNING
    }
    throw error
  }
  const pid = {
    release: () => {
      for (const held of pids) held.release()
    },
  }
  const logger = createLogger({
    name: main.processName,
    level: main.logLevel,
    secrets: config.secrets,
    file: join(main.dataDir, `${main.processName}.log`),
  })
  const metrics = createMetrics()
  let server: RunningMetricsServer | null = null
  let deployment: Deployment | null = null
  let keepAlive: NodeJS.Timeout | undefined
  let control: DeploymentControl | null = null
  let alerter: WebhookAlerter | null = null
  let alertWatch: DeploymentAlertWatch | null = null
  try {
    // Webhook alerts (ALERT_* of [GLOBAL]): created first, so that a failed start-up reconciliation alerts too.
    alerter = createAlerterOf(main, logger)
    if (main.metrics.port > 0) {
      server = await startMetricsServer({
        registry: metrics.registry,
        host: main.metrics.host,
        port: main.metrics.port,
      }).catch((error: unknown) => {
        throw listenFailed(error, `${main.metrics.host}:${main.metrics.port}`, 'METRICS_PORT', main.instance, main.file)
      })
      logger.info({ url: server.url }, 'metrics')
    }
    // CONTROL_HOST / CONTROL_PORT of [GLOBAL] (default 127.0.0.1, a free port): alp status, kill, resume reach it.
    control = createDeploymentControl({
      processName: main.processName,
      dataDir: main.dataDir,
      host: main.control.host,
      port: main.control.port,
      metrics,
      metricsUrl: server?.url ?? null,
      logger,
      lpManagerElsewhere:
        config.roles.some((role) => role.role === 'lp-manager') && !selected.some((role) => role.role === 'lp-manager'),
    })
    deployment = createDeployment(config, {
      ...options.deployment,
      ...control.deploymentOptions,
      roles: names,
      transport: main.transport === 'auto' ? undefined : main.transport,
      logger,
      metrics,
      reconcileTimeoutMs: options.reconcileTimeoutMs,
      skipReconciliation: options.skipReconciliation,
    })
    // The connectors' timers (backoff, rate-limit waits, reconnects) never keep a process alive, and neither do signal
    // handlers: without this a start-up that waits only on such a timer would end the process (exit 13) mid-start.
    keepAlive = setInterval(() => {}, 60_000)
    const stopSignal = Promise.race([(io.waitForStop ?? waitForSignal)(), control.stopRequested])
    await deployment.start()
    await control.start(deployment).catch((error: unknown) => {
      throw listenFailed(error, `${main.control.host}:${main.control.port}`, 'CONTROL_PORT', main.instance, main.file)
    })
    io.stdout(
      `started ${deployment.roles.map((role) => role.instance).join(', ')} (pid ${process.pid}, bus ${deployment.transport})\n`,
    )
    if (alerter !== null) {
      const watched = control
      alertWatch = watchDeploymentAlerts({
        status: () => watched.status(),
        alerter,
        downAfterMs: main.alerts.downAfterMs,
        lossUsd: main.alerts.lossUsd,
      })
    }
    // The trader's start-up reconciliation (it waits for peers that may start later, in other processes): a failure
    // stops the process with exit 4, nothing quoted.
    const signal = await Promise.race([stopSignal, (deployment.reconciled ?? Promise.resolve()).then(() => stopSignal)])
    logger.info({ signal }, 'stopping: cancelling every order')
    const report = await deployment.stop({ timeoutMs: options.stopTimeoutMs })
    deployment = null
    io.stdout(
      `stopped${report === null ? '' : `: ${report.venues.map((v) => `${v.venue} ${v.confirmed ? 'confirmed no open order' : `${v.openOrders} open`}`).join(', ')}`}\n`,
    )
    return EXIT.OK
  } catch (error) {
    if (deployment !== null) await deployment.stop({ timeoutMs: options.stopTimeoutMs }).catch(() => undefined)
    if (error instanceof RuntimeError && error.code === 'RECONCILIATION_FAILED') {
      const cause = error.cause instanceof Error ? ` (${error.cause.message.split('\n')[0]})` : ''
      io.stderr(`alp: ${error.shortMessage}${cause}\n`)
      alerter?.alert({
        kind: 'reconciliation-failed',
        severity: 'critical',
        title: `start refused: ${error.shortMessage}${cause}`,
        key: 'reconciliation-failed',
      })
      return EXIT.RECONCILIATION_FAILED
    }
    if (error instanceof StopNotConfirmedError) {
      io.stderr(`alp: ${error.shortMessage}\n`)
      return EXIT.FAILURE
    }
    if (error instanceof RuntimeError && error.code === 'LISTEN_FAILED') {
      io.stderr(`alp: ${error.shortMessage}\n`)
      return EXIT.FAILURE
    }
    if (error instanceof ConfigInvalidError) {
      // A key only a role's start can check (the chain id against the RPC, BASE_TOKEN against the pool, …): exit 3 as
      // alp config check would, one line per problem; the roles started before it were stopped above.
      io.stderr(`${error.issues.map(formatConfigIssue).join('\n')}\n`)
      return EXIT.CONFIG_INVALID
    }
    throw error
  } finally {
    clearInterval(keepAlive)
    alertWatch?.stop()
    // What is queued goes out (retries included), for at most 10 s: the process exits after.
    if (alerter !== null)
      await Promise.race([alerter.close(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())])
    await control?.close()
    await server?.close()
    pid.release()
  }
}

/** Resolves with the first SIGINT or SIGTERM. */
function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}

/** A server of the process could not listen: names the address, the key and where it is set. */
function listenFailed(error: unknown, address: string, key: string, instance: string, file: string): unknown {
  if ((error as NodeJS.ErrnoException | null)?.syscall !== 'listen') return error
  const code = (error as NodeJS.ErrnoException).code
  return new RuntimeError(
    `${address} ${code === 'EADDRINUSE' ? 'is already in use' : 'cannot be listened on'} (${key} of [${instance}] in ${file}).`,
    {
      code: 'LISTEN_FAILED',
      cause: error,
      metaMessages: [
        code === 'EADDRINUSE'
          ? `Next: stop the other process on that port, or set another ${key} (0 = off for METRICS_PORT, a free port for CONTROL_PORT).`
          : `Next: check ${key} and the host's interfaces.`,
      ],
    },
  )
}

/** The webhook alerter of the main role's `ALERT_*` keys, or null without `ALERT_WEBHOOK_URL`. */
function createAlerterOf(main: RoleConfig, logger: Logger): WebhookAlerter | null {
  const a = main.alerts
  if (a.webhookUrl === null) return null
  if (a.format === 'telegram' && a.telegramChatId === null)
    throw new ConfigInvalidError({
      issues: [
        {
          file: main.file,
          section: main.instance,
          key: 'ALERT_TELEGRAM_CHAT_ID',
          line: null,
          message: 'required with ALERT_FORMAT = telegram (the chat the bot posts to)',
        },
      ],
    })
  return createWebhookAlerter({
    url: a.webhookUrl,
    format: a.format,
    telegramChatId: a.telegramChatId ?? undefined,
    source: main.processName,
    dedupWindowMs: a.dedupMs,
    maxPerWindow: a.maxPerMinute,
    rateWindowMs: 60_000,
    onDeliveryError: (error) => logger.warn({ err: error }, 'alert not delivered'),
  })
}
