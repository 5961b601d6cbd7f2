import { join } from 'node:path'
import type { LocalChain, ReplayPoolDaySetup } from '@alp/venue-sim/chain'
import type { Logger } from 'pino'
import type { DeploymentConfig } from '../config/loadConfig.js'
import { Journal } from '../journal/Journal.js'
import { createZmqBus } from '../transport/createZmqBus.js'
import type { HeldReplayClock } from './createHeldReplayClock.js'
import type { PaperLpSample, PaperRebalance } from './createPaperLpManager.js'
import type { ReplayGate } from './createReplayGate.js'
import {
  appendSplitEndpoints,
  awaitRecords,
  PAPER_SPLIT_ENV,
  PAPER_SPLIT_GROUPS,
  type PaperRoleProcess,
  serveReplayGate,
  spawnPaperRole,
  stopPaperRole,
  writeSplitSpec,
} from './paperSplit.js'
import type { PaperStrategy } from './paperStrategy.js'
import type { PaperProgress } from './runPaper.js'

/** The LP side's records, from the in-process manager or the lp-manager process's records file. */
export type LpRecordsLike = {
  readonly samples: readonly PaperLpSample[]
  readonly rebalances: readonly PaperRebalance[]
  readonly errors: readonly { readonly tsMs: number; readonly message: string }[]
}

type ReplayReport<T> = T extends Promise<infer R> ? R : never

/**
 * `alp paper --split`, the roles' part: the paper INI with every link on a free loopback port, the replay gate served
 * on loopback, the split run's file (replay clock, chain, strategy), one role process per role (started venue roles
 * first, the trader last, each awaited until it reports ready: `PaperRoleNotReadyError` naming the role after
 * `roleReadyTimeoutMs` or when it exits first), the replay clock started only then (here and, through the run's
 * server, in every role process: no role misses the start of the window however slowly the processes came up), the
 * window played until the lp-manager process wrote its records and the replay reached its
 * end, then `alp stop` of every process (SIGTERM: the trader first, which cancels every order and waits until the
 * venue confirms; then the others). The trader's run id is read from its journal.
 */
export async function runSplitRoles<D extends Promise<unknown>>(parameters: {
  iniFile: string
  config: DeploymentConfig
  outDir: string
  /** Held at the window's start: started here once every role process reported ready. */
  clock: HeldReplayClock
  gate: ReplayGate
  chain: LocalChain
  setup: ReplayPoolDaySetup
  strategy: PaperStrategy
  klineCloses: readonly number[]
  toMs: number
  done: D
  env: Record<string, string>
  targetNetBase: number
  roleCommand: readonly string[] | undefined
  /** How long each role process may take to report ready, wall ms. */
  roleReadyTimeoutMs: number
  progress: { intervalMs: number; onProgress: ((p: PaperProgress) => void) | undefined }
  counts: () => { swapsReplayed: number; blocksReplayed: number }
  onError: (error: unknown) => void
  logger: Logger | undefined
}): Promise<{
  lp: LpRecordsLike
  runId: string
  replayReport: ReplayReport<D>
  exposure: { replayMs: number; netBase: number }[]
  exits: Record<string, number | null>
}> {
  const { config, clock, gate, toMs, outDir } = parameters
  const endpoints = await appendSplitEndpoints(parameters.iniFile, config)
  const gateServer = await serveReplayGate(gate)
  const specFile = join(outDir, 'split.json')
  const recordsFile = join(outDir, 'lp-records.json')
  writeSplitSpec(specFile, {
    clock: { startMs: clock.startMs, speed: clock.speed },
    gateUrl: gateServer.url,
    chain: {
      rpcUrl: parameters.chain.rpcUrl,
      chainId: parameters.chain.chainId,
      positionManager: parameters.chain.uniswap.positionManager,
    },
    setup: { pool: parameters.setup.pool.pool, usdc: parameters.setup.usdc, weth: parameters.setup.weth },
    strategy: parameters.strategy,
    klineCloses: parameters.klineCloses,
    recordsFile,
  })
  const command = parameters.roleCommand ?? [process.execPath, process.argv[1] as string, 'paper-role']
  const env = { ...parameters.env, [PAPER_SPLIT_ENV]: specFile }
  // This process listens as a `cli` peer: fills, the trader's netExposureBase metric, the LP inventory.
  const bus = createZmqBus({ endpoints, onError: (error) => parameters.logger?.debug({ err: error }, 'paper bus') })
  const processes = new Map<string, PaperRoleProcess>()
  const exposure: { replayMs: number; netBase: number }[] = []
  let fills = 0
  let lastNet: number | null = null
  let lpSeen = false
  let progressTimer: NodeJS.Timeout | undefined
  const replayNow = () => Math.min(clock.nowMs(), toMs)
  const progress = (): PaperProgress => ({
    replayMs: replayNow(),
    ...parameters.counts(),
    rebalances: 0,
    fills,
    netExposureBase: lastNet,
    lpPnlVsHoldUsd: null,
  })
  try {
    const orderEvents = await bus.subscriber('orderEvents')
    orderEvents.on('message', (message) => {
      if (message?.type === 'fill') fills++
    })
    const inventory = await bus.subscriber('inventory')
    inventory.on('message', (message) => {
      if (message?.type !== 'lp.inventory') return
      lpSeen = true
      // Before the first fill nothing is hedged: the update's excess over the target is the exposure it hands over.
      if (fills === 0)
        exposure.push({ replayMs: replayNow(), netBase: Number(message.excessBase) - parameters.targetNetBase })
    })
    const orderUpdates = await bus.subscriber('orderUpdates')
    orderUpdates.on('message', (message) => {
      if (message?.type === 'metric' && message.name === 'netExposureBase' && lpSeen) {
        lastNet = message.value
        exposure.push({ replayMs: replayNow(), netBase: message.value })
      }
    })
    for (const group of PAPER_SPLIT_GROUPS) {
      if (!config.roles.some((role) => role.role === group)) continue
      const role = spawnPaperRole(command, parameters.iniFile, group, env, outDir)
      processes.set(group, role)
      await gateServer.waitReady(group, {
        timeoutMs: parameters.roleReadyTimeoutMs,
        gone: () => role.child.exitCode ?? role.child.signalCode ?? null,
        output: () => role.output(),
      })
    }
    // Every role is up: the window starts now, in this process and in every role process at the same wall time.
    gateServer.startClock(clock.start())
    progressTimer = setInterval(() => parameters.progress.onProgress?.(progress()), parameters.progress.intervalMs)
    const records = await awaitRecords(recordsFile, [...processes.values()])
    await clock.sleepUntil(toMs)
    await gate.advanceTo(Number.POSITIVE_INFINITY)
    const replayReport = (await parameters.done) as ReplayReport<D>
    clearInterval(progressTimer)
    progressTimer = undefined
    parameters.progress.onProgress?.({ ...progress(), rebalances: records.rebalances.length })
    await orderEvents.close()
    await orderUpdates.close()
    await inventory.close()
    // alp stop: the trader first (kill switch, every order cancelled, the venue confirms), then the others.
    const exits: Record<string, number | null> = {}
    const order = ['trader', ...PAPER_SPLIT_GROUPS.filter((g) => g !== 'trader')]
    for (const group of order) {
      const role = processes.get(group)
      if (role === undefined) continue
      exits[group] = await stopPaperRole(role)
      if (exits[group] !== 0)
        parameters.onError(new Error(`${group} exited ${exits[group]}:\n${role.output().slice(-2000)}`))
    }
    processes.clear()
    const traderRole = config.roles.find((role) => role.role === 'trader')
    const journal = new Journal(join(traderRole?.dataDir ?? outDir, 'journal.sqlite'))
    let runId: string
    try {
      const runs = journal.runs()
      runId = runs[runs.length - 1]?.runId ?? ''
    } finally {
      journal.close()
    }
    return { lp: records, runId, replayReport, exposure, exits }
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer)
    for (const role of processes.values()) await stopPaperRole(role, 10_000).catch(() => undefined)
    await bus.close().catch(() => undefined)
    await gateServer.close()
  }
}
