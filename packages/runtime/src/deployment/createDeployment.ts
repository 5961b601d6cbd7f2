import { type Fill, isInverseInstrumentName } from '@alp/exchange-connectors'
import type { VenueConnectorSpec } from '@alp/hedger'
import {
  bindVenueConnector,
  parseHedgerConfig,
  type ResolvedVenueConfig,
  type StopReport,
  systemRunnerClock,
} from '@alp/hedger'
import type { Logger } from 'pino'
import type { DeploymentConfig, RoleConfig } from '../config/loadConfig.js'
import { RuntimeError } from '../errors/base.js'
import { Journal } from '../journal/Journal.js'
import type { RuntimeMetrics } from '../observability/metrics.js'
import { readBinanceFills } from '../roles/readBinanceFills.js'
import { readDeribitFills } from '../roles/readDeribitFills.js'
import { readGrvtFills } from '../roles/readGrvtFills.js'
import type { LpManagerLike } from '../roles/startLpManagerRole.js'
import { startLpManagerRole } from '../roles/startLpManagerRole.js'
import { startPositionServer } from '../roles/startPositionServer.js'
import { startQuoteServer } from '../roles/startQuoteServer.js'
import { type StartTraderParameters, startTrader, type TraderHandle } from '../roles/startTrader.js'
import { startTradingEngine } from '../roles/startTradingEngine.js'
import type { RoleClock, RoleErrorSink, RoleHandle, VenueLink } from '../roles/VenueLink.js'
import type { MessageBus } from '../transport/bus.js'
import { createInProcessBus } from '../transport/createInProcessBus.js'
import { createZmqBus } from '../transport/createZmqBus.js'
import { type Endpoints, type LinkEndpoint, type LinkName, PORT_MAP } from '../transport/portMap.js'
import { resolveEndpoints } from '../transport/resolveEndpoints.js'
import { createBinanceConnectorFromConfig } from './createBinanceConnectorFromConfig.js'
import { createDeribitConnectorFromConfig } from './createDeribitConnectorFromConfig.js'
import { createGrvtConnectorFromConfig } from './createGrvtConnectorFromConfig.js'
import { createLpManagerFromConfig } from './createLpManagerFromConfig.js'
import { venueIdOf } from './venueIdOf.js'

/** A venue's connector, open: closed by the deployment on stop. */
export type OpenVenueConnector = { readonly spec: VenueConnectorSpec; close(): Promise<void> }

export type CreateDeploymentOptions = {
  /**
   * Role instances (`binance.trading-engine`, `trader`) or role kinds (`trading-engine`) to run in this process.
   * Default: every role of the config.
   */
  readonly roles?: readonly string[] | undefined
  /** The bus to run on. Default: a new bus of the `transport`. */
  readonly bus?: MessageBus | undefined
  /**
   * `inproc`: one in-process bus (every role of the config in this process). `zmq`: ZeroMQ on the port map (with the
   * roles' `[PUBLISHERS]` / `[SUBSCRIBERS]` overrides), the other roles in other processes or hosts. Default: `inproc`
   * when this process runs every role of the config, `zmq` when `roles` selects a subset.
   */
  readonly transport?: 'inproc' | 'zmq' | undefined
  /**
   * The connector of one exchange. Default: from the roles' config (`createBinanceConnectorFromConfig`,
   * `createDeribitConnectorFromConfig`, `createGrvtConnectorFromConfig`).
   */
  readonly connector?:
    | ((exchange: string, venue: string, symbol: string, roles: readonly RoleConfig[]) => Promise<OpenVenueConnector>)
    | undefined
  /**
   * The live LP manager of the `lp-manager` role. Default: built from its `[LP]` section (`createLpManagerFromConfig`,
   * started before the role publishes).
   */
  readonly lpManager?: ((role: RoleConfig) => LpManagerLike | Promise<LpManagerLike>) | undefined
  readonly logger?: Logger | undefined
  readonly metrics?: RuntimeMetrics | undefined
  /** The trader's timer, ms. Default 250. */
  readonly timerIntervalMs?: number | undefined
  /** The position servers' poll of the venue positions, ms. Default 5000. */
  readonly positionPollMs?: number | undefined
  /** How long each start-up read of a venue (private stream, open orders, positions) may take, ms. Default 30 000. */
  readonly reconcileTimeoutMs?: number | undefined
  /**
   * The trader quotes without its start-up reconciliation (open orders, position and the fills since the last one
   * journaled): fills made while it was down count only once a position report covers them. Default false.
   */
  readonly skipReconciliation?: boolean | undefined
  /** Every failure a role reports (besides the log). */
  readonly onError?: RoleErrorSink | undefined
  /** Every step of the trader (event, commands, new state): `alp status` and the metrics follow it. */
  readonly onTraderStep?: StartTraderParameters['onStep']
  /**
   * The clock of every role this process starts (the events' timestamps, the trader's timer and journal times).
   * Default: the wall clock. Paper mode passes its replay clock, so that the hedger's time (volatility, staleness,
   * half-lives) is the replay's, as in the backtester.
   */
  readonly clock?: (RoleClock & { nowMs(): number }) | undefined
}

export type Deployment = {
  readonly bus: MessageBus
  /** The bus's kind: `inproc` (every role here) or `zmq` (roles in other processes), or `custom` (the `bus` option). */
  readonly transport: 'inproc' | 'zmq' | 'custom'
  /** The running roles, in start order (empty before `start`). */
  readonly roles: readonly RoleHandle[]
  /** The trader, when this process runs it. */
  readonly trader: TraderHandle | null
  /** The venue links of this process (the connectors' bindings), by hedger venue id. */
  readonly venues: ReadonlyMap<string, VenueLink>
  /** Starts the roles; when one fails to start, stops what had started and rethrows. */
  start(): Promise<void>
  /**
   * After `start`: settles once the trader's start-up reconciliation is done (it waits for its peers, which may start
   * later in other processes) and it quotes; rejects with `RECONCILIATION_FAILED`. Resolved without a trader.
   */
  readonly reconciled?: Promise<void> | undefined
  /**
   * Stops the process: the trader first, with the live runner's stop semantics (kill switch, cancel-alls repeated until
   * every venue confirms none of our orders is open, or `timeoutMs`); then the other roles, the connectors, the bus
   * and the journal. Resolves with the trader's stop report (null without a trader).
   * Once only: a second call resolves with null.
   * @throws StopNotConfirmedError (after closing everything) when a venue did not confirm.
   */
  stop(options?: { timeoutMs?: number | undefined }): Promise<StopReport | null>
}

const VENUE_ROLES = new Set(['quote-server', 'trading-engine', 'position-server'])

/**
 * Assembles the roles named in the config (or the `roles` option) on one bus: per venue the connector (one per
 * exchange, shared by its roles), bound with `bindVenueConnector` of `@alp/hedger`; the quote-server, trading-engine and
 * position-server of each venue on its venue slot of the port map; the lp-manager; the trader with the journal
 * (`<DATA_DIR>/journal.sqlite` of the trader's config). Nothing starts before `start()`.
 */
export function createDeployment(config: DeploymentConfig, options: CreateDeploymentOptions = {}): Deployment {
  const selected = selectRoles(config.roles, options.roles)
  const logger = options.logger
  const transport = options.transport ?? (selected.length < config.roles.length ? 'zmq' : 'inproc')
  const bus =
    options.bus ??
    (transport === 'zmq'
      ? createZmqBus({
          endpoints: endpointsOf(config.roles, null, 0),
          onError: (error) => logger?.error({ err: error }, 'bus error'),
        })
      : createInProcessBus())
  const clock: RoleClock & { nowMs(): number } = options.clock ?? {
    nowNs: systemRunnerClock.nowNs,
    nowMs: () => Date.now(),
  }
  const onError: RoleErrorSink = (error, context) => {
    logger?.error({ err: error, ...context }, 'role error')
    options.onError?.(error, context)
  }
  const traderRole = config.roles.find((role) => role.role === 'trader')
  const hedgerConfig = traderRole?.hedger ?? null
  const running: RoleHandle[] = []
  const venues = new Map<string, VenueLink>()
  const connectors: OpenVenueConnector[] = []
  let trader: TraderHandle | null = null
  let journal: Journal | null = null

  const fillReaders = new Map<string, (sinceMs: number) => Promise<readonly Fill[]>>()
  let stopped = false
  const reconcileMs = options.reconcileTimeoutMs ?? 30_000
  const start = async (): Promise<void> => {
    try {
      await startRoles()
    } catch (error) {
      // Whatever started is stopped again (connectors closed, the trader's orders cancelled), then the cause.
      await stop({ timeoutMs: 10_000 }).catch((stopError: unknown) => onError(stopError, { role: 'deployment' }))
      throw error
    }
  }
  const startRoles = async (): Promise<void> => {
    const resolved = hedgerConfig === null ? null : parseHedgerConfig(hedgerConfig)
    const venueRoles = selected.filter((role) => VENUE_ROLES.has(role.role))
    const exchanges = [...new Set(venueRoles.map((role) => role.exchange as string))]
    if (exchanges.length > 0 && resolved === null)
      throw new RuntimeError('The venue roles need the trader’s config ([trader.HEDGER.VENUE.<id>]) for their grids.', {
        code: 'TRADER_CONFIG_MISSING',
        metaMessages: ['Next: pass the trader’s config file too (alp start --config … --roles only selects).'],
      })
    const slotOf = (venue: string): number => resolved?.venues.findIndex((v) => v.venue === venue) ?? 0
    // Connectors and their bindings: one per exchange.
    for (const exchange of exchanges) {
      if (resolved === null) break
      const exchangeRoles = config.roles.filter((role) => role.exchange === exchange)
      const venue = venueIdOf(exchange, exchangeRoles[0]?.assetType ?? 'PERPETUAL', resolved.venues)
      const venueConfig = resolved.venues.find((v) => v.venue === venue)
      const symbol = exchangeRoles.map((role) => role.marketData?.symbols[0]).find((s) => s !== undefined)
      if (venueConfig === undefined || symbol === undefined)
        throw new RuntimeError(`${exchange}: no [MARKET_DATA] SYMBOLS.`, { code: 'VENUE_CONFIG_MISSING' })
      const open =
        options.connector === undefined
          ? await openFromConfig(exchange, venueConfig, symbol, exchangeRoles)
          : await options.connector(exchange, venue, symbol, exchangeRoles)
      connectors.push(open)
      if (open.spec.kind === 'binance') {
        const connector = open.spec.connector
        fillReaders.set(venue, (sinceMs) => readBinanceFills(connector, symbol, sinceMs))
      } else if (open.spec.kind === 'deribit') {
        const connector = open.spec.connector
        fillReaders.set(venue, (sinceMs) => readDeribitFills(connector, symbol, sinceMs))
      } else if (open.spec.kind === 'grvt') {
        const http = open.spec.connector.http
        const subAccountId = exchangeRoles.map((role) => role.grvt?.subAccountId).find((id) => typeof id === 'string')
        if (typeof subAccountId === 'string')
          fillReaders.set(venue, (sinceMs) => readGrvtFills({ http, subAccountId }, symbol, sinceMs))
      }
      const binding = bindVenueConnector(open.spec, (error) => onError(error, { role: 'connector', venue }))
      venues.set(venue, {
        venue,
        symbol,
        config: venueConfig,
        binding,
        endpoints: endpointsOf(config.roles, exchange, slotOf(venue)),
      })
      if (venueRoles.some((role) => role.exchange === exchange && role.role !== 'quote-server'))
        await reconciling(venue, 'starting the private stream', async () => binding.privateStream?.start(), reconcileMs)
    }
    const linkOf = (role: RoleConfig): VenueLink =>
      venues.get(venueIdOf(role.exchange as string, role.assetType, resolved?.venues ?? [])) as VenueLink
    // Publishers first (state topics have snapshots, so the order is not a correctness matter), the trader last.
    for (const kind of ['trading-engine', 'position-server', 'quote-server'] as const)
      for (const role of venueRoles.filter((r) => r.role === kind)) {
        const link = linkOf(role)
        const common = { bus, link, clock, onError, instance: role.instance }
        running.push(
          kind === 'trading-engine'
            ? await reconciling(
                link.venue,
                'reading its open orders',
                () => startTradingEngine({ ...common, readFills: fillReaders.get(link.venue) }),
                reconcileMs,
              )
            : kind === 'position-server'
              ? await reconciling(
                  link.venue,
                  'reading its positions',
                  () => startPositionServer({ ...common, pollIntervalMs: options.positionPollMs }),
                  reconcileMs,
                )
              : await startQuoteServer({
                  ...common,
                  collectOrderBook: role.marketData?.collectOrderbook,
                  collectTicker: role.marketData?.collectTicker,
                }),
        )
        logger?.info({ role: kind, instance: role.instance, venue: link.venue }, 'role started')
      }
    for (const role of selected.filter((r) => r.role === 'lp-manager')) {
      const lpManager =
        options.lpManager ??
        ((lpRole: RoleConfig) =>
          createLpManagerFromConfig(lpRole, { onError: (error) => onError(error, { role: 'lp-manager' }) }))
      running.push(
        await startLpManagerRole({
          bus,
          manager: await lpManager(role),
          endpoints: endpointsOf(config.roles, null, 0),
          onError,
          instance: role.instance,
          stepIntervalMs: role.lp?.stepIntervalMs,
        }),
      )
      logger?.info({ role: 'lp-manager', instance: role.instance }, 'role started')
    }
    const traderSelected = selected.find((role) => role.role === 'trader')
    if (traderSelected !== undefined && hedgerConfig !== null && resolved !== null) {
      journal = new Journal(`${traderSelected.dataDir}/journal.sqlite`)
      trader = await startTrader({
        bus,
        config: hedgerConfig,
        venues: resolved.venues.map((v, slot) => ({
          venue: v.venue,
          endpoints: endpointsOf(config.roles, exchangeOfVenue(config.roles, v.venue, resolved.venues), slot),
        })),
        endpoints: endpointsOf(config.roles, null, 0),
        journal,
        processName: traderSelected.processName,
        pnlSnapshotMs: traderSelected.pnlSnapshotMs,
        clock,
        onError,
        timerIntervalMs: options.timerIntervalMs,
        metrics: options.metrics,
        onStep: options.onTraderStep,
        instance: traderSelected.instance,
        reconciliation: { timeoutMs: reconcileMs, skip: options.skipReconciliation },
        onCommand: (command) => {
          if (command.type === 'log') logger?.[command.level]({ code: command.code }, command.message)
          else if (command.type === 'halt' || command.type === 'resume') logger?.warn(command, command.type)
        },
      })
      running.push(trader)
      logger?.info({ role: 'trader', runId: trader.runId }, 'role started')
    }
  }

  const stop = async (stopOptions: { timeoutMs?: number | undefined } = {}): Promise<StopReport | null> => {
    if (stopped) return null
    stopped = true
    let report: StopReport | null = null
    let failure: unknown = null
    if (trader !== null)
      try {
        report = await trader.stopAndConfirm({ timeoutMs: stopOptions.timeoutMs })
      } catch (error) {
        failure = error
      }
    for (const role of running.splice(0).reverse()) await role.stop()
    for (const open of connectors.splice(0)) await open.close()
    await bus.close()
    journal?.close()
    journal = null
    logger?.info({ report }, 'stopped')
    if (failure !== null) throw failure
    return report
  }

  return {
    bus,
    transport: options.bus === undefined ? transport : 'custom',
    get roles() {
      return running
    },
    get trader() {
      return trader
    },
    venues,
    start,
    get reconciled() {
      return trader?.reconciled ?? Promise.resolve()
    },
    stop,
  }
}

async function openFromConfig(
  exchange: string,
  venueConfig: ResolvedVenueConfig,
  symbol: string,
  roles: readonly RoleConfig[],
): Promise<OpenVenueConnector> {
  const venue = venueConfig.venue
  if (exchange === 'binance') {
    const connector = await createBinanceConnectorFromConfig(roles)
    return { spec: { kind: 'binance', venue, symbol, connector }, close: () => connector.close() }
  }
  if (exchange === 'deribit') {
    const connector = await createDeribitConnectorFromConfig(roles)
    // The settlement currency names the portfolio channel: ETH for the inverse ETH-PERPETUAL, USDC for ETH_USDC-PERPETUAL.
    const currency = isInverseInstrumentName(symbol)
      ? (symbol.split('-')[0] as string)
      : (symbol.split(/[_-]/)[1] as string)
    const contractSizeQuote =
      venueConfig.contract?.type === 'inverse' ? venueConfig.contract.contractSizeQuote : undefined
    return {
      spec: {
        kind: 'deribit',
        venue,
        symbol,
        currency,
        connector,
        ...(contractSizeQuote === undefined ? {} : { contractSizeQuote: String(contractSizeQuote) }),
      },
      close: () => connector.close(),
    }
  }
  if (exchange === 'grvt') {
    if (venueConfig.supportsAmend)
      throw new RuntimeError('grvt: the trader amends orders, which GRVT does by cancel + re-send (not atomic).', {
        code: 'VENUE_CONFIG_INVALID',
        metaMessages: [`Next: set [trader.HEDGER.VENUE.${venue}] SUPPORTS_AMEND = false.`],
      })
    const connector = await createGrvtConnectorFromConfig(roles)
    return { spec: { kind: 'grvt', venue, symbol, connector }, close: () => connector.close() }
  }
  throw new RuntimeError(`${exchange}: no connector from config.`, {
    code: 'VENUE_NOT_SUPPORTED',
    metaMessages: ['Next: pass the connector option of createDeployment (a VenueConnectorSpec of @alp/hedger).'],
  })
}

/**
 * Runs a start-up read of the venue's truth (open orders, positions, the private stream's snapshot): a failure is
 * `RECONCILIATION_FAILED` (`alp start` exits 4), naming the venue and the step, with the venue's error as the cause.
 */
async function reconciling<T>(venue: string, step: string, run: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${timeoutMs} ms (the connector keeps retrying until it is closed)`)),
          timeoutMs,
        )
      }),
    ])
  } catch (error) {
    throw new RuntimeError(`${venue}: start-up reconciliation failed while ${step}; nothing was quoted.`, {
      code: 'RECONCILIATION_FAILED',
      cause: error,
      metaMessages: ['Next: check the venue keys and reachability (alp doctor), then start again.'],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#exit-codes',
    })
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The endpoints of one venue slot (or of the shared links, `exchange` null): the port map's, overridden per link by
 * the roles' `[PUBLISHERS]` (where the owning role binds; peers connect there too unless told otherwise) and
 * `[SUBSCRIBERS]` (where the other roles connect). Per-venue links take the overrides of that exchange's roles only.
 */
export function endpointsOf(roles: readonly RoleConfig[], exchange: string | null, venueSlot: number): Endpoints {
  const overrides: Partial<Record<LinkName, Partial<LinkEndpoint>>> = {}
  for (const link of Object.keys(PORT_MAP) as LinkName[]) {
    const from = PORT_MAP[link].perVenue ? roles.filter((role) => role.exchange === exchange) : roles
    const bind = from.map((role) => role.publishers[link]).find((value) => value !== undefined)
    const connect = from.map((role) => role.subscribers[link]).find((value) => value !== undefined) ?? bind
    if (bind !== undefined || connect !== undefined)
      overrides[link] = {
        ...(bind === undefined ? {} : { bind }),
        ...(connect === undefined ? {} : { connect }),
      }
  }
  return resolveEndpoints({ venueSlot, overrides })
}

function exchangeOfVenue(
  roles: readonly RoleConfig[],
  venue: string,
  venues: readonly ResolvedVenueConfig[],
): string | null {
  const idOf = (role: RoleConfig): string | null => {
    try {
      return role.exchange === null ? null : venueIdOf(role.exchange, role.assetType, venues)
    } catch {
      return null
    }
  }
  return roles.find((role) => VENUE_ROLES.has(role.role) && idOf(role) === venue)?.exchange ?? null
}

/** The roles to run: every one, or those whose instance or kind is listed. */
function selectRoles(roles: readonly RoleConfig[], names: readonly string[] | undefined): RoleConfig[] {
  if (names === undefined || names.length === 0) return [...roles]
  const unknown = names.filter((name) => !roles.some((role) => role.instance === name || role.role === name))
  if (unknown.length > 0)
    throw new RuntimeError(`Unknown role(s): ${unknown.join(', ')}.`, {
      code: 'UNKNOWN_ROLE',
      metaMessages: [`The config has: ${roles.map((role) => role.instance).join(', ')}.`],
    })
  return roles.filter((role) => names.includes(role.instance) || names.includes(role.role))
}
