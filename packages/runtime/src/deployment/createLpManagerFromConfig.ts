import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  createFileCheckpointStore,
  createHttpJsonRpc,
  createLpManager,
  createRebalancePlanExecutor,
  FileRebalancePlanStore,
  fromSeedConfig,
  type InventoryUpdate,
  type LpManager,
  type LpManagerSnapshot,
  LpManagerStateError,
  readPoolImmutables,
} from '@alp/uniswap-lp'
import { FeeData, type JsonRpcApiProviderOptions, JsonRpcProvider, Network, parseUnits } from 'ethers'
import type { RoleConfig } from '../config/loadConfig.js'
import { RuntimeError } from '../errors/base.js'
import { ConfigInvalidError, type ConfigIssue } from '../errors/config.js'
import type { LpManagerLike } from '../roles/startLpManagerRole.js'
import { locateConfigKey } from './locateConfigKey.js'

export type CreateLpManagerFromConfigOptions = {
  /** Every failed step of the manager's `run()` loop (it retries on the next tick). */
  readonly onError?: ((error: unknown) => void) | undefined
  /** The manager's wall clock, ms (default Date.now; paper mode passes the replay clock). */
  readonly nowMs?: (() => number) | undefined
  /**
   * The write side's clock for the stale-chain-tip check (default Date.now; null skips it, for a replayed chain whose
   * block times are not wall-clock time).
   */
  readonly chainNowMs?: (() => number) | null | undefined
  /** Gas price for the policy's gas-vs-gain cost, wei (default the node's eth_gasPrice). */
  readonly gasPriceWei?: (() => Promise<bigint>) | undefined
  /**
   * The priority fee the write side's transactions offer, wei (default the node's suggestion, eth_maxPriorityFeePerGas).
   * On a chain whose base fee is 0 (anvil `--base-fee 0`) every transaction then pays exactly this per gas: paper mode
   * passes the gas model's price, so the gas paid on the chain is priced like the backtester's.
   */
  readonly priorityFeePerGasWei?: (() => Promise<bigint>) | undefined
  /** Run the manager's `start()` (resume a stranded plan, discover our positions, one step) before returning. Default true. */
  readonly start?: boolean | undefined
}

/** The LP manager built from the `[LP]` section, as the lp-manager role takes it, with the manager itself. */
export type LpManagerFromConfig = LpManagerLike & {
  snapshot(): LpManagerSnapshot
  /** The live LP manager of `@alp/uniswap-lp` (`snapshot()`, `step()`, `setModelQuote()`, …). */
  readonly manager: LpManager
  /** The wallet's address (from WALLET_KEY). */
  readonly owner: string
  readonly baseToken: 'token0' | 'token1'
  /** The gas units the manager's gas-vs-gain check prices (`GAS_UNITS_MINT` / `_BURN` / `_COLLECT`). */
  readonly gasUsed: LpGasUnits
}

/** Gas units per operation of the LP manager's gas-vs-gain check (the backtester's `gasUsed` table). */
export type LpGasUnits = { readonly mint: number; readonly burn: number; readonly collect: number }

export type CreateLpManagerFromConfigErrorType = ConfigInvalidError | RuntimeError

/**
 * The live LP manager (`createLpManager` of `@alp/uniswap-lp`) of an lp-manager role, from its `[LP]` section
 * (docs/deployment.md#lp): the JSON-RPC reads (`RPC_URL`, `RPC_TIMEOUT_MS`, `MAX_BLOCK_RANGE`, `MULTICALL3_ADDRESS`),
 * the pool and wallet (`POOL_ADDRESS`, `POSITION_MANAGER_ADDRESS`, `WALLET_KEY`, `BASE_TOKEN`, `TARGET_BASE_SHARE`,
 * `CONFIRMATIONS`), the policy and planner of the original keys (`fromSeedConfig`: `BASE_SPREAD`,
 * `REBALANCE_THRESHOLD`, `FEE_TIER`, `MODEL_TYPE`; plus `MIN_REBALANCE_INTERVAL_MS`, `MIN_GAIN_TO_GAS_RATIO` and the gas
 * units that check prices, `GAS_UNITS_MINT` / `GAS_UNITS_BURN` / `GAS_UNITS_COLLECT`), and the
 * write side: a persisted plan (`PLAN_STORE_PATH`) executed with the guards (`SLIPPAGE_BPS`, `DEADLINE_SEC`,
 * `TWAP_*`, `GAS_LIMIT_PADDING_BPS`, `RECEIPT_*`, `REPLACE_AFTER_MS`, `MAX_FEE_PER_GAS_GWEI`, `MAX_FEE_WAIT_MS`)
 * unless `OBSERVE_ONLY`; the checkpoint at `CHECKPOINT_PATH`.
 *
 * Before anything is sent the RPC's `eth_chainId` must equal `CHAIN_ID`, `BASE_TOKEN` must be a token of the pool
 * and the pool's fee must equal `FEE_TIER` (each a `ConfigInvalidError` naming file, section and key). Then, unless
 * `start: false`, the manager starts: its persisted plan resumed and our positions discovered (a failure is
 * `RECONCILIATION_FAILED`), then one step (a failure there, e.g. a guard holding the first rebalance, goes to
 * `onError` and the run loop retries it). A listener added with `on('inventory')` after that gets the last update at once: the role
 * subscribes after the start, which published the first one.
 * @throws ConfigInvalidError | RuntimeError (`LP_RPC_FAILED`, `RECONCILIATION_FAILED`)
 */
export async function createLpManagerFromConfig(
  role: RoleConfig,
  options: CreateLpManagerFromConfigOptions = {},
): Promise<LpManagerFromConfig> {
  const lp = role.lp
  if (lp === null)
    throw new RuntimeError(`${role.instance} is a ${role.role}, not an lp-manager: it has no [LP] section.`, {
      code: 'LP_CONFIG_MISSING',
    })
  const issue = (key: string, message: string): ConfigIssue => ({ ...locateConfigKey(role, 'LP', key), key, message })
  const before: ConfigIssue[] = []
  if (lp.baseToken === null)
    before.push(
      issue('BASE_TOKEN', 'required to build the LP manager from the config (the address of the pool token hedged)'),
    )
  if (!/^https?:\/\//.test(lp.rpcUrl))
    before.push(issue('RPC_URL', 'the LP manager reads over HTTP(S): write an http:// or https:// URL'))
  if (before.length > 0) throw new ConfigInvalidError({ issues: before })

  const rpc = createHttpJsonRpc({ url: lp.rpcUrl, timeoutMs: lp.rpcTimeoutMs })
  let reported: bigint
  try {
    reported = BigInt(String(await rpc.request('eth_chainId', [])))
  } catch (cause) {
    throw new RuntimeError(`${role.instance}: the RPC did not answer eth_chainId; nothing was sent.`, {
      code: 'LP_RPC_FAILED',
      cause,
      metaMessages: ['Next: check [LP] RPC_URL (alp doctor reads its chain id and block age).'],
    })
  }
  if (reported !== BigInt(lp.chainId))
    throw new ConfigInvalidError({
      issues: [
        issue(
          'CHAIN_ID',
          `the RPC reports chain ${reported} (eth_chainId), the config says ${lp.chainId}: nothing was sent`,
        ),
      ],
    })

  const provider =
    options.priorityFeePerGasWei === undefined
      ? new JsonRpcProvider(lp.rpcUrl, Network.from(lp.chainId), { staticNetwork: true })
      : new FixedPriorityFeeProvider(
          lp.rpcUrl,
          Network.from(lp.chainId),
          { staticNetwork: true },
          options.priorityFeePerGasWei,
        )
  const signer = await lp.wallet.loadSigner(provider)
  const owner = await signer.getAddress()
  const pool = await readPoolImmutables(provider, lp.poolAddress)
  const base = (lp.baseToken as string).toLowerCase()
  const baseToken = base === pool.token0.toLowerCase() ? 'token0' : base === pool.token1.toLowerCase() ? 'token1' : null
  const after: ConfigIssue[] = []
  if (baseToken === null)
    after.push(issue('BASE_TOKEN', `is neither token0 (${pool.token0}) nor token1 (${pool.token1}) of the pool`))
  if (pool.feePips !== lp.feePips)
    after.push(
      issue('FEE_TIER', `the pool's fee is ${pool.feePips} pips (${pool.feePips / 1_000_000}), not ${lp.feeTier}`),
    )
  if (after.length > 0 || baseToken === null) throw new ConfigInvalidError({ issues: after })

  const seed = fromSeedConfig(
    {
      BASE_SPREAD: lp.baseSpread,
      REBALANCE_THRESHOLD: lp.rebalanceThreshold,
      FEE_TIER: lp.feeTier,
      MODEL_TYPE: lp.modelType,
    },
    { minIntervalMs: lp.minRebalanceIntervalMs },
  )
  const executor = lp.observeOnly
    ? null
    : createRebalancePlanExecutor({
        ctx: {
          provider,
          signer,
          positionManager: lp.positionManagerAddress,
          swapRouter: lp.swapRouterAddress ?? undefined,
          quoterV2: lp.quoterV2Address ?? undefined,
          guards: {
            expectedChainId: BigInt(lp.chainId),
            slippageBps: lp.slippageBps,
            deadlineSec: lp.deadlineSec,
            twap: { windowSec: lp.twapWindowSec, maxDeviationTicks: lp.twapMaxDeviationTicks },
            gasLimitPaddingBps: lp.gasLimitPaddingBps,
            receiptTimeoutMs: lp.receiptTimeoutMs,
            receiptPollIntervalMs: lp.receiptPollIntervalMs,
          },
          nowMs: options.chainNowMs,
        },
        pool,
        store: new FileRebalancePlanStore(lp.planStorePath),
        policy: {
          maxFeePerGasCapWei: parseUnits(lp.maxFeePerGasGwei.toFixed(9), 'gwei'),
          onFeeAboveCap:
            lp.maxFeeWaitMs === 0
              ? 'fail'
              : { wait: { pollMs: Math.min(5_000, lp.maxFeeWaitMs), maxWaitMs: lp.maxFeeWaitMs } },
          replaceAfterMs: lp.replaceAfterMs,
        },
        nowMs: options.nowMs,
      })
  mkdirSync(dirname(lp.checkpointPath), { recursive: true })
  const gasUsed = readLpGasUnits(role)
  const manager = createLpManager({
    rpc,
    pool: lp.poolAddress,
    positionManager: lp.positionManagerAddress,
    owner,
    baseToken,
    targetBaseShare: lp.targetBaseShare,
    confirmations: lp.confirmations,
    maxBlockRange: lp.maxBlockRange,
    policy: { ...seed.policy, minGainToGasRatio: lp.minGainToGasRatio },
    gasUsed,
    planner: seed.planner,
    executor,
    checkpoint: createFileCheckpointStore(lp.checkpointPath),
    multicall3:
      lp.multicall3Address === null ? undefined : lp.multicall3Address === 'none' ? null : lp.multicall3Address,
    gasPriceWei: options.gasPriceWei,
    nowMs: options.nowMs,
  })
  const onError = options.onError
  if (onError !== undefined) manager.on('error', onError)
  if (options.start !== false)
    try {
      await manager.start()
    } catch (cause) {
      // Started (plan resumed, positions discovered) but the first step failed, e.g. a guard held the rebalance: the
      // run loop retries it like any failed step. Not started: the chain could not be reconciled, so no start.
      if (isStarted(manager)) onError?.(cause)
      else
        throw new RuntimeError(
          `${role.instance}: start-up reconciliation with the chain failed (resume of the persisted plan or discovery of our positions); nothing was quoted.`,
          {
            code: 'RECONCILIATION_FAILED',
            cause,
            metaMessages: ['Next: check [LP] RPC_URL and the wallet (alp doctor), then start again.'],
            docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#exit-codes',
          },
        )
    }
  return {
    manager,
    owner,
    baseToken,
    gasUsed,
    // 'inventory' and 'executed' pass through; a late 'inventory' listener gets the last update at once (the role
    // subscribes after the start).
    on(event: 'inventory' | 'executed', listener: (payload: never) => void) {
      manager.on(event as 'inventory', listener as (update: InventoryUpdate) => void)
      const last = event === 'inventory' && isStarted(manager) ? manager.snapshot().lastInventory : null
      if (last !== null) (listener as (update: InventoryUpdate) => void)(last)
      return this
    },
    off(event: 'inventory' | 'executed', listener: (payload: never) => void) {
      manager.off(event as 'inventory', listener as (update: InventoryUpdate) => void)
      return this
    },
    setRangeHalfWidthBps: (halfWidthBps) => manager.setRangeHalfWidthBps(halfWidthBps),
    run: (runOptions) => manager.run(runOptions),
    stop: () => manager.stop(),
    snapshot: () => manager.snapshot(),
  }
}

/** true once `start()` got past the plan's resume and the discovery (the manager has a processed block). */
function isStarted(manager: LpManager): boolean {
  try {
    manager.snapshot()
    return true
  } catch (error) {
    if (error instanceof LpManagerStateError) return false
    throw error
  }
}

/** The gas units the role's LP manager prices a rebalance with (`[LP] GAS_UNITS_*`, validated with the config). */
export function readLpGasUnits(role: RoleConfig): LpGasUnits {
  if (role.lp === null || role.lp === undefined)
    throw new RuntimeError(`${role.instance} has no [LP] section.`, { code: 'LP_CONFIG_MISSING' })
  return role.lp.gasUnits
}

/** A JSON-RPC provider whose fee data offers the caller's priority fee (the write side reads it through getFeeData). */
class FixedPriorityFeeProvider extends JsonRpcProvider {
  readonly #priorityFeePerGasWei: () => Promise<bigint>
  constructor(
    url: string,
    network: Network,
    options: JsonRpcApiProviderOptions,
    priorityFeePerGasWei: () => Promise<bigint>,
  ) {
    super(url, network, options)
    this.#priorityFeePerGasWei = priorityFeePerGasWei
  }
  override async getFeeData(): Promise<FeeData> {
    const [data, tip] = await Promise.all([super.getFeeData(), this.#priorityFeePerGasWei()])
    return new FeeData(data.gasPrice, data.maxFeePerGas, tip)
  }
}
