// A separate OS process that runs (or resumes) one rebalance plan from the BUILT package, with a file plan store.
// Spawned by test/rebalancePlanSigkill.test.ts:
//
//   node rebalancePlanChild.mjs
//     env ALP_SIGKILL_CHILD: JSON { mode: 'execute' | 'resume', rpcUrl, chainId, contracts, guards, policy,
//                                   planPath, storePath, killAt?: { index, point } }  (bigints as decimal strings)
//     env ALP_TEST_PLAN_KEY: the LP wallet's private key (never printed)
//
// With killAt, the hook at that boundary writes `BOUNDARY <index> <point>` to stdout and then blocks the whole thread
// (Atomics.wait: no timer, no socket, no promise runs again) until the parent SIGKILLs it, so the kill lands exactly
// there. At the end it prints `DONE <plan status>` and exits 0.
import { writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import {
  deserializeRebalancePlan,
  executeRebalancePlan,
  FileRebalancePlanStore,
  loadSignerFromEnv,
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

const boundary = (point) => (step) => {
  if (config.killAt === undefined || config.killAt.index !== step.index || config.killAt.point !== point) return
  writeSync(1, `BOUNDARY ${step.index} ${point}\n`)
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
}
const hooks = {
  afterSign: boundary('afterSign'),
  afterBroadcast: boundary('afterBroadcast'),
  afterReceipt: boundary('afterReceipt'),
  afterStep: boundary('afterStep'),
}

const result =
  config.mode === 'execute'
    ? await executeRebalancePlan(ctx, {
        plan: deserializeRebalancePlan(await readFile(config.planPath, 'utf8'), config.planPath),
        store,
        policy,
        hooks,
      })
    : await resumeRebalancePlan(ctx, { store, policy, hooks })
provider.destroy()
writeSync(1, `DONE ${result === null ? 'none' : result.plan.status}\n`)
process.exit(0)
