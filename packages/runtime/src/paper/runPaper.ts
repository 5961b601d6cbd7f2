import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BacktestResults, type RunConfig, runBacktest, writeResults } from '@alp/backtest'
import { computeNetExposure, type HedgerConfigInput, parseHedgerConfig } from '@alp/hedger'
import { createReplayClock, startBinanceEmulator } from '@alp/venue-sim'
import {
  fundAccount,
  type LocalChain,
  readPoolEvents,
  replayPoolDay,
  sendLocalTransaction,
  startLocalChain,
} from '@alp/venue-sim/chain'
import type { Logger } from 'pino'
import { loadConfigFiles } from '../config/loadConfig.js'
import { createDeployment, type Deployment } from '../deployment/createDeployment.js'
import { RuntimeError } from '../errors/base.js'
import { Journal } from '../journal/Journal.js'
import type { PaperFill } from './buildPaperResults.js'
import { buildPaperResults } from './buildPaperResults.js'
import { buildParityReport, type ParityReport, renderParityMarkdown } from './buildParityReport.js'
import { createHeldReplayClock, type HeldReplayClock } from './createHeldReplayClock.js'
import { createPaperLpManager, fundPaperWallet, type PaperLpManager } from './createPaperLpManager.js'
import { createReplayGate } from './createReplayGate.js'
import { PAPER_STRATEGY_DEFAULTS, type PaperStrategy, type PaperStrategyOverrides } from './paperStrategy.js'
import { type PaperVenues, startPaperVenues } from './paperVenues.js'
import { type LpRecordsLike, runSplitRoles } from './runSplitRoles.js'
import { PAPER_ENV, writePaperIni } from './writePaperIni.js'

/** What the run reports about once a second (and once at the end). */
export type PaperProgress = {
  /** Replay time, ms since the epoch. */
  readonly replayMs: number
  readonly swapsReplayed: number
  readonly blocksReplayed: number
  readonly rebalances: number
  readonly fills: number
  /** The trader's net exposure (LP + hedge − target), base units; null before the LP's first inventory. */
  readonly netExposureBase: number | null
  /** PnL vs hold of the LP side at the last kline close (the hedge is added at the end), USD. */
  readonly lpPnlVsHoldUsd: number | null
}

export type RunPaperOptions = {
  /** The day (YYYY-MM-DD). Default 2024-01-05 (the day whose pool events and klines are both in data/). */
  readonly day?: string | undefined
  /** Window start and end, `HH:MM` UTC. Default the whole day. */
  readonly from?: string | undefined
  readonly to?: string | undefined
  /** Replay ms per wall ms. Default 20. */
  readonly speed?: number | undefined
  /** Output folder. Default `./alp-paper-<day>`. */
  readonly outDir?: string | undefined
  /** INI files with the roles' strategy and hedger keys. Default: examples/paper-deployment/alp-paper.ini. */
  readonly configFiles?: readonly string[] | undefined
  /** Folder holding `uniswap-mainnet-<day>/` and `binance-ethusdt-klines-<day>/`. Default: `data/` above the cwd. */
  readonly dataDir?: string | undefined
  /** Paper parameters beyond the INI keys (initial amounts, AS model, warm-up, gas). */
  readonly strategy?: PaperStrategyOverrides | undefined
  readonly onProgress?: ((progress: PaperProgress) => void) | undefined
  /** Progress period, wall ms. Default 1000. */
  readonly progressIntervalMs?: number | undefined
  readonly logger?: Logger | undefined
  /**
   * `--split`: the roles as processes of their own on ZeroMQ over loopback (quote-server, trading-engine,
   * position-server, lp-manager, trader: one process each, `alp paper-role`, i.e. `alp start --roles …` on the replay
   * clock), anvil, the chain replayer and the emulator in this process. Default false: every role in this process.
   */
  readonly split?: boolean | undefined
  /**
   * `--split`: the command starting one role process (given `--config <paper.ini> --roles <role>`). Default: this
   * program's `paper-role` command (`[node, argv[1], 'paper-role']`).
   */
  readonly roleCommand?: readonly string[] | undefined
  /**
   * `--split`: how long each role process may take to report ready (its roles started), wall ms; the replay clock
   * starts only once every one did. Default 60 000. Past it the run fails with `PaperRoleNotReadyError` naming the role.
   */
  readonly roleReadyTimeoutMs?: number | undefined
}

export type PaperRunResult = {
  readonly outDir: string
  readonly files: {
    readonly results: string
    readonly report: string
    readonly backtestResults: string
    readonly backtestReport: string
    readonly parityJson: string
    readonly parityMarkdown: string
    readonly config: string
  }
  readonly paper: BacktestResults
  readonly backtest: BacktestResults
  readonly parity: ParityReport
  /**
   * The trader's net exposure, base units, with replay time: at each LP inventory update (its excess over the target
   * plus the hedge held) and as the hedger core reports it after each step (its netExposureBase metric).
   */
  readonly exposure: readonly { readonly replayMs: number; readonly netBase: number }[]
  /** Role errors seen during the run (also logged). */
  readonly errors: readonly string[]
  /** Open orders of the run's account left on the emulator after the roles stopped (the stop cancels every one). */
  readonly openOrdersAtEnd: number
  /** `--split`: each role process's exit code after its SIGTERM (0: stopped with every order cancelled). */
  readonly roleExits: Readonly<Record<string, number | null>> | null
}

const DEFAULT_DAY = '2024-01-05'
const MINUTE_MS = 60_000

/**
 * `alp paper`: anvil with the real Uniswap v3 contracts replaying the day's pool (`replayPoolDay`, priceTarget exact),
 * the Binance emulator replaying the day's klines, both on ONE replay clock (`createReplayClock`), and the whole
 * deployment (`createDeployment`: quote-server, trading-engine, position-server, trader, lp-manager with the real
 * `createLpManager`) against them. At the end: the run's results JSON and HTML report (the backtester's format), the
 * backtester on the same window and strategy, and the parity report between the two.
 */
export async function runPaper(options: RunPaperOptions = {}): Promise<PaperRunResult> {
  const started = Date.now()
  const day = options.day ?? DEFAULT_DAY
  const speed = options.speed ?? 20
  if (!(speed > 0)) throw paperError(`--speed must be > 0 (got ${speed}).`)
  const dayMs = Date.parse(`${day}T00:00:00Z`)
  if (!Number.isFinite(dayMs)) throw paperError(`--day must be YYYY-MM-DD (got ${day}).`)
  const fromMs = dayMs + parseHhMm(options.from ?? '00:00', '--from')
  const toMs = dayMs + (options.to === undefined ? 24 * 60 * MINUTE_MS : parseHhMm(options.to, '--to'))
  if (toMs <= fromMs) throw paperError('--to must be after --from.')
  const outDir = resolve(options.outDir ?? `alp-paper-${day}`)
  const logger = options.logger
  const dataOut = join(outDir, 'data')
  mkdirSync(dataOut, { recursive: true })
  // A fresh journal per run: the emulator numbers its trades from the same start every run, and the journal keeps one
  // fill per venue trade id.
  rmSync(join(outDir, 'journal'), { recursive: true, force: true })

  // The day's files (those the backtest example uses), cut to the window: klines closing in (from, to], pool events
  // up to `to` (the chain replays the events before `from` at once: the pool's state at the start of the window).
  const data = findDayData(day, options.dataDir)
  const klineLines = readFileSync(data.klines, 'utf8').trim().split('\n')
  const poolLines = readFileSync(data.poolEvents, 'utf8').trim().split('\n')
  const keptKlines = klineLines.slice(1).filter((l) => {
    const open = Number(l.split(',')[0])
    return open >= fromMs && open + MINUTE_MS <= toMs
  })
  const keptPool = poolLines
    .slice(1)
    .filter((l) => Date.parse(`${(l.split(',')[1] as string).replace(' ', 'T')}Z`) <= toMs)
  if (keptKlines.length === 0) throw paperError(`No kline closes in the window in ${data.klines}.`)
  const klinesFile = join(dataOut, 'klines.csv')
  const poolFile = join(dataOut, 'pool.tick.csv')
  writeFileSync(klinesFile, `${[klineLines[0], ...keptKlines].join('\n')}\n`)
  writeFileSync(poolFile, `${[poolLines[0], ...keptPool].join('\n')}\n`)
  const events = readPoolEvents(poolFile)
  if (events.length === 0) throw paperError(`No pool events before ${options.to} in ${data.poolEvents}.`)
  const venueCloseAt = new Map<number, number>()
  for (const l of keptKlines) {
    const cells = l.split(',')
    venueCloseAt.set(Number(cells[0]) + MINUTE_MS, Number(cells[4]))
  }
  // runBacktest skips the klines before the first pool event; so does the paper LP manager.
  const klineCloses = [...venueCloseAt.keys()].filter((ts) => ts >= (events[0]?.timestampSec ?? 0) * 1000)

  const configFiles = options.configFiles ?? [findExampleConfig()]
  const errors: string[] = []
  const onError = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error)
    errors.push(message)
    logger?.warn({ err: error }, 'paper: role error')
  }

  let chain: LocalChain | null = null
  let emulator: Awaited<ReturnType<typeof startBinanceEmulator>> | null = null
  let deployment: Deployment | null = null
  let paperVenues: PaperVenues | null = null
  let lpManager: PaperLpManager | null = null
  let progressTimer: NodeJS.Timeout | undefined
  let replayStop: (() => void) | null = null
  let splitExits: Record<string, number | null> | null = null
  try {
    // 1. anvil (genesis an hour before the day: replayed blocks carry the record's timestamps) and the pool replay,
    //    held by the gate until the LP manager's loop lets it advance.
    // Base fee 0: the LP manager's transactions pay exactly the model's gas price as priority fee (createPaperLpManager).
    chain = await startLocalChain({
      extraArgs: ['--timestamp', String((events[0]?.timestampSec ?? 0) - 3_600), '--base-fee', '0'],
    })
    let clock: ReturnType<typeof createReplayClock> | null = null
    const gate = createReplayGate({
      nowMs: () => clock?.nowMs() ?? Number.NEGATIVE_INFINITY,
      sleepUntil: (ms) => (clock as ReturnType<typeof createReplayClock>).sleepUntil(ms),
    })
    let swapsReplayed = 0
    let blocksReplayed = 0
    let lastBlock = -1
    const replay = replayPoolDay({
      chain,
      events,
      clock: gate.clock,
      priceTarget: 'exact',
      onEvent: (p) => {
        if (p.swap !== undefined) swapsReplayed++
        if (p.chainBlockNumber !== lastBlock) {
          lastBlock = p.chainBlockNumber
          blocksReplayed++
        }
      },
    })
    replayStop = () => replay.stop()
    const done = replay.done.finally(() => gate.finish())
    const setup = await replay.ready
    // Held before its first block (the replayer turns automine off after `ready`: wait until it waits on the gate).
    await gate.advanceTo(Number.NEGATIVE_INFINITY)

    // 2. The LP wallet: anvil's account 2 (a test key, passed to the config as env:), funded with the initial amounts.
    const lpKey = chain.testPrivateKeys[2] as string
    const owner = chain.accounts[2] as string
    const binanceKeys = { apiKey: randomKey(), apiSecret: randomKey() }

    // 3. ONE replay clock for the chain replay, the emulator, the LP manager's decisions and the progress. With --split
    //    it holds at the window's start until every role process is ready (runSplitRoles starts it).
    const heldClock: HeldReplayClock | null =
      options.split === true ? createHeldReplayClock({ startMs: fromMs, speed }) : null
    clock = heldClock ?? createReplayClock({ startMs: fromMs, speed })
    emulator = await startBinanceEmulator({
      port: 0,
      symbols: ['ETHUSDT'],
      clock,
      tickIntervalMs: 10,
      market: { kind: 'klines', file: klinesFile },
      accounts: [{ ...binanceKeys, balances: { USDT: '1000000' } }],
      seed: 1,
    })
    // Deribit and GRVT too when the config has their roles: the same klines on the same clock (paperVenues.ts).
    paperVenues = await startPaperVenues({ configFiles, clock, klinesFile })

    // 4. The deployment's config: the user's files with the paper run's endpoints.
    const iniFile = writePaperIni(
      configFiles,
      {
        binance: { restUrl: emulator.restUrl, wsUrl: emulator.wsUrl },
        chain: {
          rpcUrl: chain.rpcUrl,
          chainId: chain.chainId,
          pool: setup.pool.pool,
          positionManager: chain.uniswap.positionManager,
          baseToken: setup.weth,
          swapRouter: chain.uniswap.swapRouter,
          quoterV2: chain.uniswap.quoterV2,
        },
        dataDir: join(outDir, 'journal'),
        venues: paperVenues.endpoints,
      },
      outDir,
      { gasUsed: options.strategy?.gasUsed ?? PAPER_STRATEGY_DEFAULTS.gasUsed },
    )
    const config = loadConfigFiles([iniFile], {
      env: {
        ...process.env,
        [PAPER_ENV.binanceKey]: binanceKeys.apiKey,
        [PAPER_ENV.binanceSecret]: binanceKeys.apiSecret,
        [PAPER_ENV.lpKey]: lpKey,
        ...paperVenues.env,
      },
    })
    const lpRole = config.roles.find((role) => role.role === 'lp-manager')
    const traderRole = config.roles.find((role) => role.role === 'trader')
    if (
      lpRole?.lp === undefined ||
      lpRole.lp === null ||
      traderRole?.hedger === undefined ||
      traderRole.hedger === null
    )
      throw paperError(
        'The paper config needs an [lp-manager] with its [lp-manager.LP] keys and a [trader] with [trader.HEDGER.*].',
      )
    const strategy: PaperStrategy = {
      ...PAPER_STRATEGY_DEFAULTS,
      ...options.strategy,
      seed: {
        BASE_SPREAD: lpRole.lp.baseSpread,
        REBALANCE_THRESHOLD: lpRole.lp.rebalanceThreshold,
        FEE_TIER: lpRole.lp.feeTier,
        MODEL_TYPE: lpRole.lp.modelType,
      },
      minIntervalMs: lpRole.lp.minRebalanceIntervalMs,
      pool: PAPER_STRATEGY_DEFAULTS.pool,
      // One gas table for both sides: the [LP] GAS_UNITS_* the live manager prices with (paper.ini fills them from
      // the strategy's table unless the config sets them).
      gasUsed: lpRole.lp.gasUnits,
    }
    if (lpRole.lp.feePips !== strategy.pool.feePips)
      throw paperError(`[lp-manager.LP] FEE_TIER must be the replayed pool's (0.0005), got ${lpRole.lp.feeTier}.`)
    await fundPaperWallet(chain, setup, owner, strategy, { fundAccount, sendLocalTransaction })
    let lp: LpRecordsLike
    let runId: string
    let replayReport: Awaited<typeof done>
    let exposure: { replayMs: number; netBase: number }[]
    if (options.split === true) {
      // 4b. The roles as processes of their own on ZeroMQ (docs/deployment.md#paper-mode, --split).
      const split = await runSplitRoles({
        iniFile,
        config,
        outDir,
        clock: heldClock as HeldReplayClock,
        gate,
        chain,
        setup,
        strategy,
        klineCloses,
        toMs,
        done,
        env: {
          [PAPER_ENV.binanceKey]: binanceKeys.apiKey,
          [PAPER_ENV.binanceSecret]: binanceKeys.apiSecret,
          [PAPER_ENV.lpKey]: lpKey,
          ...paperVenues.env,
        },
        targetNetBase: parseHedgerConfig(traderRole.hedger).hedge.targetNetBase,
        roleCommand: options.roleCommand,
        roleReadyTimeoutMs: options.roleReadyTimeoutMs ?? 60_000,
        progress: { intervalMs: options.progressIntervalMs ?? 1_000, onProgress: options.onProgress },
        counts: () => ({ swapsReplayed, blocksReplayed }),
        onError,
        logger,
      })
      ;({ lp, runId, replayReport, exposure } = split)
      splitExits = split.exits
    } else {
      lpManager = await createPaperLpManager({
        chain,
        setup,
        gate,
        clock,
        role: lpRole,
        strategy,
        klineCloses,
        onError,
      })
      const manager = lpManager
      deployment = createDeployment(config, {
        lpManager: () => manager,
        // Every role on the replay clock: the trader's volatility (its suggestRange hint), staleness and half-lives
        // are in replay time, as in the backtester.
        clock: roleClockOf(clock),
        logger,
        onError: (error) => onError(error),
      })
      await deployment.start()
      const trader = deployment.trader
      if (trader === null) throw paperError('The paper config has no trader.')
      const venueLink = [...deployment.venues.values()][0]
      let fills = 0
      const orderEvents = await deployment.bus.subscriber('orderEvents', { endpoints: venueLink?.endpoints })
      orderEvents.on('message', (message) => {
        if (message?.type === 'fill') fills++
      })
      const exposureInProcess: { replayMs: number; netBase: number }[] = []
      const replayClock = clock
      const progress = (): PaperProgress => {
        const hasLp = trader.state.lpSeen
        const netBase = hasLp ? computeNetExposure(trader.state).netBase : null
        const last = manager.samples[manager.samples.length - 1]
        const lpPnl = last === undefined ? null : lpPnlVsHold(last, strategy)
        return {
          replayMs: Math.min(replayClock.nowMs(), toMs),
          swapsReplayed,
          blocksReplayed,
          rebalances: manager.rebalances.length,
          fills,
          netExposureBase: netBase,
          lpPnlVsHoldUsd: lpPnl,
        }
      }
      progressTimer = setInterval(() => options.onProgress?.(progress()), options.progressIntervalMs ?? 1_000)
      // The trader's net exposure as the hedger core reports it (its netExposureBase metric on orderUpdates, after
      // every step) once the LP's inventory reached it, stamped with replay time.
      // And at each LP inventory update, from the update itself (its excess over the target, exact at the pool price)
      // plus the hedge the trader holds: the exposure the update hands the hedger, however fast it hedges it.
      const inventory = await deployment.bus.subscriber('inventory')
      inventory.on('message', (message) => {
        if (message?.type !== 'lp.inventory') return
        const { cexPositionBase } = computeNetExposure(trader.state)
        exposureInProcess.push({
          replayMs: Math.min(replayClock.nowMs(), toMs),
          netBase: Number(message.excessBase) + cexPositionBase - trader.state.config.hedge.targetNetBase,
        })
      })
      const orderUpdates = await deployment.bus.subscriber('orderUpdates')
      orderUpdates.on('message', (message) => {
        if (message?.type === 'metric' && message.name === 'netExposureBase' && trader.state.lpSeen)
          exposureInProcess.push({ replayMs: Math.min(replayClock.nowMs(), toMs), netBase: message.value })
      })

      // 5. The window plays: the LP manager's loop ends after the last kline close; the replay follows it to the end.
      await manager.finished
      await clock.sleepUntil(toMs)
      await gate.advanceTo(Number.POSITIVE_INFINITY)
      const replayInProcess = await done
      clearInterval(progressTimer)
      progressTimer = undefined
      const final = progress()
      if (final.netExposureBase !== null)
        exposureInProcess.push({ replayMs: final.replayMs, netBase: final.netExposureBase })
      options.onProgress?.(final)
      const runIdInProcess = trader.runId
      await orderEvents.close()
      await orderUpdates.close()
      await inventory.close()
      await deployment.stop({ timeoutMs: 15_000 }).catch(onError)
      deployment = null
      lp = {
        samples: manager.samples,
        rebalances: manager.rebalances,
        errors: manager.errors.map((e) => ({
          tsMs: e.tsMs,
          message: e.error instanceof Error ? e.error.message : String(e.error),
        })),
      }
      ;({ runId, replayReport, exposure } = {
        runId: runIdInProcess,
        replayReport: replayInProcess,
        exposure: exposureInProcess,
      })
    }

    const account = emulator.emulator.accountByApiKey(binanceKeys.apiKey)
    const openOrdersAtEnd =
      account === undefined ? 0 : emulator.emulator.engine.listOpenOrders(account.accountId).length

    // 6. The run's results, the backtester on the same window, the parity report.
    const venueConfig = traderRole.hedger.venues?.[0]
    const tickSize = Number(venueConfig?.tickSize ?? '0.01')
    const stepSize = Number(venueConfig?.stepSize ?? '0.001')
    const journal = new Journal(join(traderRole.dataDir, 'journal.sqlite'))
    let paperFills: PaperFill[]
    try {
      paperFills = journal
        .fills({ runId })
        .map((f) => ({ f, grid: traderRole.hedger?.venues?.find((v) => v.venue === f.venue) ?? venueConfig }))
        .map(({ f, grid }) => ({
          tsMs: f.venueTimeMs ?? 0,
          side: f.side,
          price: f.priceTicks * Number(grid?.tickSize ?? tickSize),
          sizeBase: f.sizeLots * Number(grid?.stepSize ?? stepSize),
          feeQuote: Number(f.feeQuote),
          priceText: (f.priceTicks * Number(grid?.tickSize ?? tickSize)).toFixed(decimalsOf(grid?.tickSize ?? '0.01')),
          sizeText: (f.sizeLots * Number(grid?.stepSize ?? stepSize)).toFixed(decimalsOf(grid?.stepSize ?? '0.001')),
          clientOrderId: f.clientOrderId,
        }))
        .sort((a, b) => a.tsMs - b.tsMs)
    } finally {
      journal.close()
    }
    const period = { startMs: fromMs, endMs: toMs, poolEvents: replayReport.events, klines: klineCloses.length }
    const paper = buildPaperResults({
      name: `paper ${day} ${hhmmOf(fromMs)}–${hhmmOf(toMs)} (speed ${speed})`,
      strategy,
      samples: lp.samples,
      rebalances: lp.rebalances,
      fills: paperFills,
      venueCloseAt,
      period,
      replay: { swaps: replayReport.swapsSent, swapsExact: replayReport.swapsExactPrice },
      wallMs: Date.now() - started,
    })
    const runConfig = backtestConfigOf(strategy, traderRole.hedger, setup.pool.sqrtPriceX96, {
      poolEvents: poolFile,
      klines: klinesFile,
    })
    const backtest = await runBacktest({ config: runConfig })
    const paperGasUnits = lp.rebalances.reduce((a, r) => a + r.gasUnits, 0n)
    const paperGasWei = lp.rebalances.reduce((a, r) => a + r.gasPaidWei, 0n)
    const parity = buildParityReport(paper, backtest, {
      speed,
      lpErrors: lp.errors,
      gas: {
        paperUnits: Number(paperGasUnits),
        paperAvgGwei: paperGasUnits > 0n ? Number(paperGasWei / paperGasUnits) / 1e9 : 0,
        modelGwei: Number(strategy.gasPriceWei) / 1e9,
      },
      rangeHint: strategy.rangeWidthFromVolatility,
      decisionGas: {
        paperUnits: rebalanceGasUnits(strategy.gasUsed),
        backtestUnits: rebalanceGasUnits(strategy.gasUsed),
        paperSource: "the [LP] GAS_UNITS_* keys paper.ini fills from the strategy's gasUsed table",
      },
    })
    const written = await writeResults(paper, outDir)
    const writtenBacktest = await writeResults(backtest, join(outDir, 'backtest'))
    const parityJson = join(outDir, 'parity.json')
    const parityMarkdown = join(outDir, 'parity.md')
    writeFileSync(parityJson, `${JSON.stringify(parity, null, 2)}\n`)
    writeFileSync(parityMarkdown, renderParityMarkdown(parity))
    return {
      outDir,
      files: {
        results: written.resultsPath,
        report: written.reportPath,
        backtestResults: writtenBacktest.resultsPath,
        backtestReport: writtenBacktest.reportPath,
        parityJson,
        parityMarkdown,
        config: iniFile,
      },
      paper,
      backtest,
      parity,
      exposure,
      errors,
      roleExits: splitExits,
      openOrdersAtEnd,
    }
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer)
    await Promise.resolve(lpManager?.stop()).catch(() => undefined)
    await deployment?.stop({ timeoutMs: 10_000 }).catch(() => undefined)
    replayStop?.()
    await emulator?.close().catch(() => undefined)
    await paperVenues?.close().catch(() => undefined)
    await chain?.stop().catch(() => undefined)
  }
}

/** The roles' clock (`CreateDeploymentOptions.clock`) on a replay clock: replay ms, and ns from them. */
export function roleClockOf(replay: { nowMs(): number }): { nowMs(): number; nowNs(): bigint } {
  return { nowMs: () => replay.nowMs(), nowNs: () => BigInt(Math.round(replay.nowMs() * 1_000)) * 1_000n }
}

/** Gas units of a rebalance closing two positions and minting two (the formula both sides use). */
function rebalanceGasUnits(g: { mint: number; burn: number; collect: number }): number {
  return 2 * (g.burn + g.collect) + 2 * g.mint
}

/** The backtester's run config for the same window and strategy (docs/backtest.md#config). */
export function backtestConfigOf(
  strategy: PaperStrategy,
  hedger: HedgerConfigInput,
  initialSqrtPriceX96: bigint,
  data: { poolEvents: string; klines: string },
): RunConfig {
  const venue = hedger.venues?.[0]
  if (venue === undefined) throw paperError('The trader config has no [trader.HEDGER.VENUE.<id>].')
  return {
    name: 'backtester, same window and strategy as the paper run',
    data,
    pool: {
      feePips: strategy.pool.feePips,
      tickSpacing: strategy.pool.tickSpacing,
      initialSqrtPriceX96: initialSqrtPriceX96.toString(),
      decimals0: strategy.pool.decimals0,
      decimals1: strategy.pool.decimals1,
      baseToken: strategy.pool.baseToken,
    },
    lp: {
      seed: strategy.seed,
      minIntervalMs: strategy.minIntervalMs,
      initialAmount0Raw: strategy.initialAmount0Raw.toString(),
      initialAmount1Raw: strategy.initialAmount1Raw.toString(),
      model: strategy.model,
      warmUpMinutes: strategy.warmUpMinutes,
      rangeWidthFromVolatility: strategy.rangeWidthFromVolatility,
    },
    hedger,
    venue: { name: venue.venue, tickSize: String(venue.tickSize), stepSize: String(venue.stepSize) },
    models: {
      ...strategy.backtestModels,
      gas: { kind: 'constant', gasPriceGwei: String(Number(strategy.gasPriceWei) / 1e9) },
    },
    gasUsed: strategy.gasUsed,
  } as RunConfig
}

function lpPnlVsHold(s: PaperLpManager['samples'][number], strategy: PaperStrategy): number {
  const q = Number(s.wallet0Raw + s.principal0Raw + s.uncollected0Raw) / 10 ** strategy.pool.decimals0
  const b = Number(s.wallet1Raw + s.principal1Raw + s.uncollected1Raw) / 10 ** strategy.pool.decimals1
  const q0 = Number(strategy.initialAmount0Raw) / 10 ** strategy.pool.decimals0
  const b0 = Number(strategy.initialAmount1Raw) / 10 ** strategy.pool.decimals1
  return q + b * s.poolPrice - (q0 + b0 * s.poolPrice)
}

/** `data/uniswap-mainnet-<day>/…0x88e6…tick.csv` and `data/binance-ethusdt-klines-<day>/…futures-um.reduced.csv`. */
function findDayData(day: string, dataDir: string | undefined): { poolEvents: string; klines: string } {
  const root = dataDir ?? findUp('data', (dir) => existsSync(join(dir, `uniswap-mainnet-${day}`)))
  if (root === null)
    throw paperError(`No data/uniswap-mainnet-${day}/ above ${process.cwd()}.`, [
      'Next: run from the ALP checkout or pass --data-dir <folder with uniswap-mainnet-<day>/ and binance-ethusdt-klines-<day>/>.',
    ])
  const poolDir = join(root, `uniswap-mainnet-${day}`)
  const klinesDir = join(root, `binance-ethusdt-klines-${day}`)
  const pick = (dir: string, test: (name: string) => boolean, what: string): string => {
    const name = existsSync(dir) ? readdirSync(dir).find(test) : undefined
    if (name === undefined) throw paperError(`No ${what} for ${day} in ${dir}.`)
    return join(dir, name)
  }
  return {
    poolEvents: pick(poolDir, (n) => n.includes('0x88e6') && n.endsWith('.tick.csv'), 'USDC/WETH 0.05 % pool events'),
    klines: pick(klinesDir, (n) => n.endsWith('.futures-um.reduced.csv'), 'Binance USD-M ETHUSDT klines'),
  }
}

/** examples/paper-deployment/alp-paper.ini above the cwd or this module. */
function findExampleConfig(): string {
  const test = (dir: string) => existsSync(join(dir, 'examples', 'paper-deployment', 'alp-paper.ini'))
  const here = dirname(fileURLToPath(import.meta.url))
  const root = findUpFrom(process.cwd(), test) ?? findUpFrom(here, test)
  if (root === null)
    throw paperError('No --config given and no examples/paper-deployment/alp-paper.ini above the current folder.', [
      'Next: pass --config <your paper INI> (the roles’ strategy and hedger keys).',
    ])
  return join(root, 'examples', 'paper-deployment', 'alp-paper.ini')
}

function findUp(name: string, test: (dir: string) => boolean): string | null {
  const found = findUpFrom(process.cwd(), (dir) => test(join(dir, name)))
  return found === null ? null : join(found, name)
}

function findUpFrom(start: string, test: (dir: string) => boolean): string | null {
  let dir = resolve(start)
  for (;;) {
    if (test(dir)) return dir
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

function parseHhMm(text: string, flag: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text)
  const hours = Number(match?.[1])
  const minutes = Number(match?.[2])
  if (match === null || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0))
    throw paperError(`${flag} must be HH:MM, 00:00 … 24:00 (got ${text}).`)
  return (hours * 60 + minutes) * MINUTE_MS
}

function hhmmOf(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16)
}

function decimalsOf(step: string): number {
  return step.includes('.') ? (step.split('.')[1] as string).length : 0
}

/** Binance's 64-character key format, emulator only. */
function randomKey(): string {
  return randomBytes(32).toString('hex')
}

function paperError(message: string, metaMessages?: string[]): RuntimeError {
  return new RuntimeError(message, { code: 'PAPER_INVALID', metaMessages })
}
