// A separate OS process that runs (or resumes) one rebalance plan from the BUILT package, with a file plan store.
// Spawned by test/rebalancePlanSigkill.test.ts:
//
//   node rebalancePlanChild.mjs
//     env ALP_SIGKILL_CHILD: JSON { mode, rpcUrl, chainId, contracts, guards, policy, planPath, storePath, killFrom? }
//                            (bigints as decimal strings)
//     env ALP_TEST_PLAN_KEY: the LP wallet's private key (never printed)
//
// mode 'execute': executeRebalancePlan of the plan in planPath; 'resume': resumeRebalancePlan; 'manager': the LP
// manager's start() with createRebalancePlanExecutor over the store (its resume() runs first and finishes the plan,
// then clears the store; a new rebalance the manager may decide afterwards is recorded, not executed).
//
// Boundaries are numbered step × 4 + (afterSign 0, afterBroadcast 1, afterReceipt 2, afterStep 3). With killFrom, the
// first boundary reached whose number is ≥ killFrom writes `BOUNDARY <step> <point>` to stdout and blocks the whole
// thread there (Atomics.wait: no timer, socket or promise runs again) until the parent SIGKILLs the process. At the
// end it prints `DONE <json: status, minted token ids>` and exits 0.
import { writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import {
  createHttpJsonRpc,
  createLpManager,
  createRebalancePlanExecutor,
  deserializeRebalancePlan,
  executeRebalancePlan,
  FileRebalancePlanStore,
  fromSeedConfig,
  loadSignerFromEnv,
  readPoolImmutables,
  resumeRebalancePlan,
} from '@alp/uniswap-lp'
import { JsonRpcProvider, Network } from 'ethers'

const config = JSON.parse(process.env.ALP_SIGKILL_CHILD ?? 'null')
if (config === null) throw new Error('ALP_SIGKILL_CHILD is not set')

const network = Network.from(config.chainId)
const provider = new JsonRpcProvider(config.rpcUrl, network, {
  staticNetwork: network,
  cacheTimeout: -1,
  batchMaxCount: 1,
  pollingInterval: 20,
})
const signer = loadSignerFromEnv('ALP_TEST_PLAN_KEY', provider)
const ctx = {
  provider,
  signer,
  positionManager: config.contracts.positionManager,
  swapRouter: config.contracts.swapRouter,
  quoterV2: config.contracts.quoterV2,
  guards: { ...config.guards, expectedChainId: BigInt(config.guards.expectedChainId) },
}
const policy = { ...config.policy, maxFeePerGasCapWei: BigInt(config.policy.maxFeePerGasCapWei) }
const store = new FileRebalancePlanStore(config.storePath)

const POINTS = ['afterSign', 'afterBroadcast', 'afterReceipt', 'afterStep']
const boundary = (point) => (step) => {
  if (config.killFrom === undefined || step.index * 4 + POINTS.indexOf(point) < config.killFrom) return
  writeSync(1, `BOUNDARY ${step.index} ${point}\n`)
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
}
const hooks = Object.fromEntries(POINTS.map((point) => [point, boundary(point)]))

const summary = (result) => ({
  status: result === null ? 'none' : result.plan.status,
  minted: result === null ? [] : result.minted.map((m) => m.tokenId.toString()),
})
let done
if (config.mode === 'execute') {
  const plan = deserializeRebalancePlan(await readFile(config.planPath, 'utf8'), config.planPath)
  done = summary(await executeRebalancePlan(ctx, { plan, store, policy, hooks }))
} else if (config.mode === 'resume') {
  done = summary(await resumeRebalancePlan(ctx, { store, policy, hooks }))
} else {
  const pool = await readPoolImmutables(provider, config.pool)
  const seed = fromSeedConfig(
    { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
    { minIntervalMs: 0 },
  )
  const executor = createRebalancePlanExecutor({ ctx, pool, store, policy, hooks })
  const declined = []
  const manager = createLpManager({
    rpc: createHttpJsonRpc({ url: config.rpcUrl, timeoutMs: 10_000 }),
    pool: config.pool,
    positionManager: config.contracts.positionManager,
    owner: await signer.getAddress(),
    baseToken: config.baseToken,
    confirmations: 0,
    policy: { ...seed.policy, minGainToGasRatio: 0 },
    planner: seed.planner,
    executor: {
      resume: () => executor.resume(),
      execute: async (request) => {
        declined.push(request)
      },
      pendingPlan: () => executor.pendingPlan(),
    },
  })
  await manager.start()
  done = {
    ...summary(executor.lastResult),
    ranges: manager.snapshot().ranges.map((r) => r.tokenId),
    storeCleared: (await store.load()) === null,
  }
}
provider.destroy()
writeSync(1, `DONE ${JSON.stringify(done)}\n`)
process.exit(0)
