import { renameSync, writeFileSync } from 'node:fs'
import type { LocalChain, ReplayPoolDaySetup } from '@alp/venue-sim/chain'
import { JsonRpcProvider } from 'ethers'
import type { CliIo } from '../cli/createProgram.js'
import type { ExitCode } from '../cli/exitCodes.js'
import { runStart } from '../cli/runStart.js'
import type { CreateDeploymentOptions } from '../deployment/createDeployment.js'
import { createHeldReplayClock } from './createHeldReplayClock.js'
import { createPaperLpManager, type PaperLpManager } from './createPaperLpManager.js'
import {
  PAPER_SPLIT_ENV,
  type PaperLpRecords,
  readSplitSpec,
  remoteReplayGate,
  reportRoleReady,
  stringifyWithBigints,
} from './paperSplit.js'
import { roleClockOf } from './runPaper.js'

/**
 * One role process of `alp paper --split` (the hidden `alp paper-role` command): `alp start --config … --roles …`
 * (runStart: pid files, logs, SIGTERM = stop with every order cancelled and confirmed) with what a config file cannot
 * carry, from the split run's file (ALP_PAPER_SPLIT): every role on the run's replay clock (the same startMs and speed),
 * held at its start until every role process of the run is ready: once runStart printed `started` (the roles' bus
 * links bound and connected, their subscriptions made) this process reports ready to the run (`POST /ready`) and
 * starts its clock at the wall start the run answers once all are (`GET /clock`, `reportRoleReady`); and the lp-manager's paper LP manager against the replayed chain over RPC, its decisions held by
 * the run's replay gate over loopback HTTP; when its loop has ended it writes its records (rebalances, samples, errors)
 * to the run's records file.
 */
export async function runPaperRole(
  io: CliIo,
  options: { files: readonly string[]; roles: readonly string[]; stopTimeoutMs?: number | undefined },
): Promise<ExitCode> {
  const specFile = io.env[PAPER_SPLIT_ENV]
  if (specFile === undefined) {
    io.stderr(`alp paper-role: ${PAPER_SPLIT_ENV} is not set (this command is started by alp paper --split).\n`)
    return 2 as ExitCode
  }
  const spec = readSplitSpec(specFile)
  const clock = createHeldReplayClock(spec.clock)
  const readyAbort = new AbortController()
  let reported = false
  const reportReady = (): void => {
    if (reported) return
    reported = true
    reportRoleReady(spec.gateUrl, options.roles.join(','), readyAbort.signal).then(
      (wallStartMs) => clock.start(wallStartMs),
      (error: unknown) => {
        if (!readyAbort.signal.aborted)
          io.stderr(`alp paper-role: ready report failed: ${error instanceof Error ? error.message : String(error)}\n`)
      },
    )
  }
  const roleIo: CliIo = {
    ...io,
    stdout: (text) => {
      io.stdout(text)
      if (/^started /m.test(text)) reportReady()
    },
  }
  let manager: PaperLpManager | null = null
  const deployment: Pick<CreateDeploymentOptions, 'lpManager' | 'clock'> = {
    clock: roleClockOf(clock),
    lpManager: async (role) => {
      const provider = new JsonRpcProvider(spec.chain.rpcUrl, spec.chain.chainId, {
        staticNetwork: true,
        batchMaxCount: 1,
      })
      const chain = {
        rpcUrl: spec.chain.rpcUrl,
        chainId: spec.chain.chainId,
        provider,
        uniswap: { positionManager: spec.chain.positionManager },
      } as unknown as LocalChain
      const setup = {
        pool: { pool: spec.setup.pool },
        usdc: spec.setup.usdc,
        weth: spec.setup.weth,
      } as unknown as ReplayPoolDaySetup
      const built = await createPaperLpManager({
        chain,
        setup,
        gate: remoteReplayGate(spec.gateUrl),
        clock,
        role,
        strategy: spec.strategy,
        klineCloses: spec.klineCloses,
        onError: (error) => io.stderr(`paper lp-manager: ${error instanceof Error ? error.message : String(error)}\n`),
      })
      manager = built
      built.finished.then(() => {
        const records: PaperLpRecords = {
          rebalances: built.rebalances,
          samples: built.samples,
          decisions: built.decisions,
          errors: built.errors.map((e) => ({
            tsMs: e.tsMs,
            message: e.error instanceof Error ? e.error.message : String(e.error),
          })),
        }
        // Whole or not at all: the run's process polls for the file.
        writeFileSync(`${spec.recordsFile}.tmp`, stringifyWithBigints(records))
        renameSync(`${spec.recordsFile}.tmp`, spec.recordsFile)
      })
      return built
    },
  }
  try {
    return await runStart(roleIo, {
      files: options.files,
      roles: options.roles,
      stopTimeoutMs: options.stopTimeoutMs ?? 15_000,
      deployment,
    })
  } finally {
    readyAbort.abort()
    await Promise.resolve((manager as PaperLpManager | null)?.stop()).catch(() => undefined)
  }
}
