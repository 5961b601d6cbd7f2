import type { TransactionReceipt } from 'ethers'
import { callContract } from '../chain/callContract.js'
import { decodePoolLog } from '../chain/decodePoolLog.js'
import { discoverPositions } from '../chain/discoverPositions.js'
import { closeAmountsFromReceipt, executeClosePosition } from '../chain/executeClosePosition.js'
import { executeMint } from '../chain/executeMint.js'
import { executeSwapExactInputSingle } from '../chain/executeSwapExactInputSingle.js'
import type { ExecutionContext } from '../chain/executionContext.js'
import { guardPool } from '../chain/guardPool.js'
import { erc20Interface, positionManagerInterface } from '../chain/interfaces.js'
import { parseManagerEvents } from '../chain/parseManagerEvents.js'
import { planMint } from '../chain/planMint.js'
import { readNftPosition } from '../chain/readNftPosition.js'
import { readPoolState } from '../chain/readPoolState.js'
import { ChainReadError, TransactionRevertedError } from '../errors/chain.js'
import { ZeroLiquidityError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { RebalancePlanStateError } from '../errors/rebalance.js'
import { checkGasVsGain } from './gasVsGain.js'
import { NonceManager } from './nonceManager.js'
import type { RebalancePlanStore } from './planStore.js'
import { PlanTransport, readFeeInputs } from './planTransport.js'
import type {
  CloseStep,
  GasVsGain,
  MintStep,
  RebalancePlan,
  RebalanceStep,
  SentTransaction,
  SwapStep,
  TransactionPolicy,
} from './types.js'

/**
 * Points where a test (or an operator tool) can observe a run. Throwing from any of them aborts the run right
 * there, exactly like a crash: the store keeps what was saved so far and `resumeRebalancePlan` takes over.
 */
export type RebalancePlanHooks = {
  /** A transaction was signed and saved in the plan, not yet broadcast. */
  afterSign?(step: Readonly<RebalanceStep>, tx: SentTransaction): void | Promise<void>
  /** A transaction was broadcast, its receipt not yet read. */
  afterBroadcast?(step: Readonly<RebalanceStep>, hash: string): void | Promise<void>
  /** A receipt was read; what it says is not yet saved. */
  afterReceipt?(step: Readonly<RebalanceStep>, receipt: TransactionReceipt): void | Promise<void>
  /** A step was saved as done (or skipped). */
  afterStep?(step: Readonly<RebalanceStep>): void | Promise<void>
  /** A stuck transaction was replaced. */
  onReplace?(step: Readonly<RebalanceStep>, previous: SentTransaction, next: SentTransaction): void
}

export type ExecuteRebalancePlanParameters = {
  plan: RebalancePlan
  store: RebalancePlanStore
  policy: TransactionPolicy
  /** Checked before the first transaction (never on resume: a started plan is finished). */
  gasVsGain?: GasVsGain | undefined
  hooks?: RebalancePlanHooks | undefined
}

export type ResumeRebalancePlanParameters = Omit<ExecuteRebalancePlanParameters, 'plan' | 'gasVsGain'>

export type RebalancePlanResult = {
  /** The final plan as saved (status 'done'); the store still holds it until you `clear()` it. */
  readonly plan: RebalancePlan
  readonly closed: readonly { tokenId: bigint; collected0Raw: bigint; collected1Raw: bigint; skipped: boolean }[]
  readonly swap: { amount0Raw: bigint; amount1Raw: bigint } | null
  readonly minted: readonly {
    role: 'base' | 'limit'
    tokenId: bigint
    tickLower: number
    tickUpper: number
    liquidity: bigint
    amount0Raw: bigint
    amount1Raw: bigint
  }[]
  /** Gas-vs-gain numbers when the check ran. */
  readonly gasCheck: { gasUnits: bigint; gasCostWei: bigint; expectedGainWei: bigint } | null
}

export type ExecuteRebalancePlanErrorType =
  | import('../errors/rebalance.js').GasExceedsGainError
  | import('../errors/rebalance.js').MaxFeeExceededError
  | import('../errors/rebalance.js').NonceConflictError
  | import('../errors/rebalance.js').StaleChainTipError
  | import('../errors/rebalance.js').RebalancePlanStoreError
  | RebalancePlanStateError
  | import('../chain/executeMint.js').ExecuteMintErrorType
  | import('../chain/executeSwapExactInputSingle.js').ExecuteSwapErrorType
  | import('../chain/executeClosePosition.js').ExecuteClosePositionErrorType

/**
 * Runs a plan from `planRebalance`: guards (chain id, TWAP), the gas-vs-gain check, the NFTs the wallet already owns
 * in the pool (never taken for a mint of this plan), then every step in order. The plan is saved before the first
 * transaction, with every signed hash before its broadcast, and after every step with what it learned.
 * A failure leaves the store consistent: call `resumeRebalancePlan` (after a crash, with a fresh context).
 */
export async function executeRebalancePlan(
  ctx: ExecutionContext,
  p: ExecuteRebalancePlanParameters,
): Promise<RebalancePlanResult> {
  const plan = p.plan
  if (plan.status !== 'planned') {
    throw new RebalancePlanStateError({
      planId: plan.id,
      step: 0,
      problem: `status is '${plan.status}'; use resumeRebalancePlan for a started plan`,
    })
  }
  assertTransactionPolicy(p.policy, ctx.guards.receiptTimeoutMs)
  // Never overwrite an unfinished plan: its transactions may be on chain (funds out of their positions).
  const stored = await p.store.load()
  if (stored !== null && stored.status === 'running') {
    throw new RebalancePlanStateError({
      planId: stored.id,
      step: stored.steps.findIndex((x) => x.status !== 'done' && x.status !== 'skipped'),
      problem: `the store holds this unfinished plan ('${stored.status}'); resume it (resumeRebalancePlan) before starting plan ${plan.id}`,
    })
  }
  await guardPool(ctx, plan.pool.pool)
  const owner = await ctx.signer.getAddress()
  let gasCheck: RebalancePlanResult['gasCheck'] = null
  if (p.gasVsGain !== undefined) {
    const fee = await readFeeInputs(ctx.provider)
    gasCheck = checkGasVsGain({
      plan,
      feePerGasWei: fee.baseFeePerGasWei + fee.priorityFeePerGasWei,
      gasVsGain: p.gasVsGain,
    })
  }
  const existing = await discoverPositions(ctx.provider, {
    positionManager: ctx.positionManager,
    owner,
    pool: plan.pool,
  })
  plan.owner = owner
  plan.startBlock = existing.blockNumber
  plan.preexistingTokenIds = existing.positions.map((x) => x.tokenId)
  plan.status = 'running'
  await p.store.save(plan)
  const result = await runSteps(ctx, plan, p, false)
  return { ...result, gasCheck }
}

/**
 * Finishes the plan in `store` after a crash at any point, deciding from the chain what is done: every hash a step
 * signed is looked up (a mined one settles the step; one still pending is waited for or replaced with the same
 * nonce); a closed NFT already burned is skipped; a mint is adopted when a position of ours with the step's ticks
 * appeared since the plan started, so a range is never minted twice; mints are funded from the wallet as it is.
 * Returns null when the store holds no plan; a plan already done is returned as is.
 */
export async function resumeRebalancePlan(
  ctx: ExecutionContext,
  p: ResumeRebalancePlanParameters,
): Promise<RebalancePlanResult | null> {
  assertTransactionPolicy(p.policy, ctx.guards.receiptTimeoutMs)
  const plan = await p.store.load()
  if (plan === null) return null
  if (plan.status === 'planned') return executeRebalancePlan(ctx, { ...p, plan })
  const result = await runSteps(ctx, plan, p, true)
  return { ...result, gasCheck: null }
}

function assertTransactionPolicy(policy: TransactionPolicy, receiptTimeoutMs: number): void {
  if (policy.maxFeePerGasCapWei <= 0n) {
    throw new InvalidParameterError({ field: 'maxFeePerGasCapWei', value: policy.maxFeePerGasCapWei, rule: '> 0 wei' })
  }
  if (!(policy.replaceAfterMs > 0) || policy.replaceAfterMs >= receiptTimeoutMs) {
    throw new InvalidParameterError({
      field: 'replaceAfterMs',
      value: policy.replaceAfterMs,
      rule: `> 0 and below guards.receiptTimeoutMs (${receiptTimeoutMs}), or a stuck transaction is never replaced`,
    })
  }
  if (policy.onFeeAboveCap !== 'fail') {
    const { pollMs, maxWaitMs } = policy.onFeeAboveCap.wait
    if (!(pollMs > 0) || !(maxWaitMs >= 0)) {
      throw new InvalidParameterError({
        field: 'onFeeAboveCap.wait',
        value: { pollMs, maxWaitMs },
        rule: 'pollMs > 0, maxWaitMs ≥ 0',
      })
    }
  }
}

async function runSteps(
  ctx: ExecutionContext,
  plan: RebalancePlan,
  p: ResumeRebalancePlanParameters,
  resuming: boolean,
): Promise<Omit<RebalancePlanResult, 'gasCheck'>> {
  const owner = plan.owner ?? (await ctx.signer.getAddress())
  if (owner.toLowerCase() !== (await ctx.signer.getAddress()).toLowerCase()) {
    throw new RebalancePlanStateError({
      planId: plan.id,
      step: 0,
      problem: `the plan belongs to ${owner}, not the signer`,
    })
  }
  const nonces = await NonceManager.create(ctx.provider, owner)
  const nowMs = () => Date.now()
  for (const step of plan.steps) {
    if (step.status === 'done' || step.status === 'skipped') continue
    let reuse: ConstructorParameters<typeof PlanTransport>[0]['reuse']
    if (step.txs.length > 0) {
      const settled = await settleSentStep(ctx, plan, step, nonces)
      if (settled.kind === 'done') {
        await finishStep(p, plan, step)
        continue
      }
      reuse = settled.kind === 'reuse' ? settled.reuse : undefined
    }
    if (resuming && (await settleFromChainState(ctx, plan, step, owner))) {
      await finishStep(p, plan, step)
      continue
    }
    const transport = new PlanTransport({
      provider: ctx.provider,
      signer: ctx.signer,
      policy: p.policy,
      nonces,
      receiptTimeoutMs: ctx.guards.receiptTimeoutMs,
      pollIntervalMs: ctx.guards.receiptPollIntervalMs,
      nowMs,
      reuse,
      record: async (tx) => {
        step.status = 'sent'
        step.txs.push(tx)
        await p.store.save(plan)
      },
      afterSign: p.hooks?.afterSign ? (tx) => p.hooks!.afterSign!(step, tx) : undefined,
      afterBroadcast: p.hooks?.afterBroadcast ? (hash) => p.hooks!.afterBroadcast!(step, hash) : undefined,
      afterReceipt: p.hooks?.afterReceipt ? (receipt) => p.hooks!.afterReceipt!(step, receipt) : undefined,
      onReplace: p.hooks?.onReplace ? (a, b) => p.hooks!.onReplace!(step, a, b) : undefined,
    })
    await runStep({ ...ctx, transport }, plan, step, owner)
    await finishStep(p, plan, step)
  }
  plan.status = 'done'
  await p.store.save(plan)
  return summarize(plan)
}

async function finishStep(p: ResumeRebalancePlanParameters, plan: RebalancePlan, step: RebalanceStep): Promise<void> {
  if (step.status !== 'skipped') step.status = 'done'
  await p.store.save(plan)
  await p.hooks?.afterStep?.(step)
}

async function runStep(ctx: ExecutionContext, plan: RebalancePlan, step: RebalanceStep, owner: string): Promise<void> {
  switch (step.kind) {
    case 'close': {
      const r = await executeClosePosition(ctx, { pool: plan.pool, tokenId: step.tokenId })
      step.result = { collected0Raw: r.collected0Raw, collected1Raw: r.collected1Raw, txHash: r.receipt.hash }
      return
    }
    case 'swap': {
      const r = await executeSwapExactInputSingle(ctx, {
        pool: plan.pool,
        zeroForOne: step.zeroForOne,
        amountInRaw: step.amountInRaw,
      })
      step.result = { amount0Raw: r.amount0Raw, amount1Raw: r.amount1Raw, txHash: r.receipt.hash }
      return
    }
    case 'mint': {
      const [balance0, balance1] = await Promise.all([
        readBalance(ctx, plan.pool.token0, owner),
        readBalance(ctx, plan.pool.token1, owner),
      ])
      const available0 = balance0 - plan.reserve.amount0Raw
      const available1 = balance1 - plan.reserve.amount1Raw
      const state = await readPoolState(ctx.provider, plan.pool.pool)
      let mintPlan: ReturnType<typeof planMint>
      try {
        mintPlan = planMint({
          pool: plan.pool,
          sqrtPriceX96: state.sqrtPriceX96,
          tickCurrent: state.tick,
          tickLower: step.tickLower,
          tickUpper: step.tickUpper,
          amount0DesiredRaw: available0 > 0n ? available0 : 0n,
          amount1DesiredRaw: available1 > 0n ? available1 : 0n,
          slippageBps: ctx.guards.slippageBps,
        })
      } catch (error) {
        if (!(error instanceof ZeroLiquidityError)) throw error
        step.status = 'skipped'
        step.note = `nothing to fund the ${step.role} range with (wallet ${balance0}/${balance1}, reserve ${plan.reserve.amount0Raw}/${plan.reserve.amount1Raw})`
        return
      }
      const r = await executeMint(ctx, mintPlan)
      step.result = {
        tokenId: r.tokenId,
        liquidity: r.liquidity,
        amount0Raw: r.amount0Raw,
        amount1Raw: r.amount1Raw,
        txHash: r.receipt.hash,
      }
      return
    }
  }
}

type Settled =
  | { kind: 'done' }
  | { kind: 'fresh' }
  | {
      kind: 'reuse'
      reuse: { nonce: number; previous: readonly SentTransaction[]; previousKnownToNode: boolean }
    }

/** A step that signed transactions: what the chain says about every one of them. */
async function settleSentStep(
  ctx: ExecutionContext,
  plan: RebalancePlan,
  step: RebalanceStep,
  nonces: NonceManager,
): Promise<Settled> {
  let reverted = false
  for (const tx of step.txs) {
    const receipt = await readReceipt(ctx, tx.hash)
    if (receipt === null) continue
    nonces.markUsed(tx.nonce)
    if (receipt.status === 1) {
      applyReceipt(ctx, plan, step, receipt)
      step.note = `settled on resume from the receipt of ${receipt.hash}`
      return { kind: 'done' }
    }
    reverted = true
  }
  if (reverted) {
    step.note = 'a transaction of this step reverted; re-run with a new nonce'
    return { kind: 'fresh' }
  }
  const last = step.txs.at(-1)!
  const latest = await nonces.latest()
  if (latest > last.nonce) {
    // Used, none of ours mined (re-checked above): another transaction took the nonce, so this step never happened.
    step.note = `nonce ${last.nonce} was used by a transaction that is not ours; re-run with a new nonce`
    return { kind: 'fresh' }
  }
  const sameNonce = step.txs.filter((t) => t.nonce === last.nonce)
  let known = false
  for (const tx of sameNonce) {
    try {
      if ((await ctx.provider.getTransaction(tx.hash)) !== null) known = true
    } catch (cause) {
      throw new ChainReadError({ what: `transaction ${tx.hash}`, address: 'the RPC endpoint', cause })
    }
  }
  return { kind: 'reuse', reuse: { nonce: last.nonce, previous: sameNonce, previousKnownToNode: known } }
}

/** On resume, before (re-)running a step: is it already done by the chain's state? */
async function settleFromChainState(
  ctx: ExecutionContext,
  plan: RebalancePlan,
  step: RebalanceStep,
  owner: string,
): Promise<boolean> {
  if (step.kind === 'close') {
    try {
      await readNftPosition(ctx.provider, { positionManager: ctx.positionManager, tokenId: step.tokenId })
    } catch (error) {
      if (!isInvalidTokenId(error)) throw error
      step.status = 'skipped'
      step.note = `NFT ${step.tokenId} is already burned`
      return true
    }
    const ownerOf = await callContract(ctx.provider, {
      to: ctx.positionManager,
      iface: positionManagerInterface,
      functionName: 'ownerOf',
      args: [step.tokenId],
    })
    if (String(ownerOf[0]).toLowerCase() !== owner.toLowerCase()) {
      throw new RebalancePlanStateError({
        planId: plan.id,
        step: step.index,
        problem: `NFT ${step.tokenId} belongs to ${String(ownerOf[0])}, not to ${owner}`,
      })
    }
    return false
  }
  if (step.kind === 'mint') {
    const adopted = await findMintedPosition(ctx, plan, step, owner)
    if (adopted === null) return false
    step.result = {
      tokenId: adopted.tokenId,
      liquidity: adopted.liquidity,
      amount0Raw: 0n,
      amount1Raw: 0n,
      txHash: undefined,
    }
    step.note = `adopted NFT ${adopted.tokenId} found by enumeration (ticks match, created after the plan started); amounts not known`
    return true
  }
  return false
}

/** A position of ours with the step's ticks that was not ours before the plan and no other step claims. */
async function findMintedPosition(
  ctx: ExecutionContext,
  plan: RebalancePlan,
  step: MintStep,
  owner: string,
): Promise<{ tokenId: bigint; liquidity: bigint } | null> {
  const found = await discoverPositions(ctx.provider, { positionManager: ctx.positionManager, owner, pool: plan.pool })
  const claimed = new Set<bigint>(plan.preexistingTokenIds ?? [])
  for (const s of plan.steps) if (s.kind === 'mint' && s.result !== undefined) claimed.add(s.result.tokenId)
  const match = found.positions.find(
    (x) =>
      !claimed.has(x.tokenId) && x.tickLower === step.tickLower && x.tickUpper === step.tickUpper && x.liquidity > 0n,
  )
  return match === undefined ? null : { tokenId: match.tokenId, liquidity: match.liquidity }
}

function applyReceipt(ctx: ExecutionContext, plan: RebalancePlan, step: RebalanceStep, receipt: TransactionReceipt) {
  switch (step.kind) {
    case 'close': {
      const r = closeAmountsFromReceipt(receipt, ctx.positionManager, step.tokenId)
      ;(step as CloseStep).result = {
        collected0Raw: r.collected0Raw,
        collected1Raw: r.collected1Raw,
        txHash: receipt.hash,
      }
      return
    }
    case 'swap': {
      const log = receipt.logs.find((l) => l.address.toLowerCase() === plan.pool.pool.toLowerCase())
      const event = log === undefined ? undefined : decodePoolLog(log)
      if (event?.type !== 'swap') {
        throw new TransactionRevertedError({
          action: 'swap',
          stage: 'mined',
          reason: 'no Swap event',
          txHash: receipt.hash,
        })
      }
      ;(step as SwapStep).result = { amount0Raw: event.amount0Raw, amount1Raw: event.amount1Raw, txHash: receipt.hash }
      return
    }
    case 'mint': {
      const increase = parseManagerEvents(receipt, ctx.positionManager).increase[0]
      if (increase === undefined) {
        throw new TransactionRevertedError({
          action: 'mint',
          stage: 'mined',
          reason: 'no IncreaseLiquidity event',
          txHash: receipt.hash,
        })
      }
      ;(step as MintStep).result = { ...increase, txHash: receipt.hash }
      return
    }
  }
}

async function readReceipt(ctx: ExecutionContext, hash: string): Promise<TransactionReceipt | null> {
  try {
    return await ctx.provider.getTransactionReceipt(hash)
  } catch (cause) {
    throw new ChainReadError({ what: `receipt of ${hash}`, address: 'the RPC endpoint', cause })
  }
}

async function readBalance(ctx: ExecutionContext, token: string, owner: string): Promise<bigint> {
  const r = await callContract(ctx.provider, {
    to: token,
    iface: erc20Interface,
    functionName: 'balanceOf',
    args: [owner],
  })
  return BigInt(r[0])
}

function isInvalidTokenId(error: unknown): boolean {
  let e: unknown = error
  for (let depth = 0; depth < 6 && e !== null && typeof e === 'object'; depth++) {
    const message = String((e as { message?: unknown }).message ?? '')
    const reason = String((e as { reason?: unknown }).reason ?? '')
    if (/Invalid token ID/i.test(message) || /Invalid token ID/i.test(reason)) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

function summarize(plan: RebalancePlan): Omit<RebalancePlanResult, 'gasCheck'> {
  const closed: RebalancePlanResult['closed'][number][] = []
  const minted: RebalancePlanResult['minted'][number][] = []
  let swap: RebalancePlanResult['swap'] = null
  for (const s of plan.steps) {
    if (s.kind === 'close') {
      closed.push({
        tokenId: s.tokenId,
        collected0Raw: s.result?.collected0Raw ?? 0n,
        collected1Raw: s.result?.collected1Raw ?? 0n,
        skipped: s.status === 'skipped',
      })
    } else if (s.kind === 'swap' && s.result !== undefined) {
      swap = { amount0Raw: s.result.amount0Raw, amount1Raw: s.result.amount1Raw }
    } else if (s.kind === 'mint' && s.result !== undefined) {
      minted.push({ role: s.role, tickLower: s.tickLower, tickUpper: s.tickUpper, ...s.result })
    }
  }
  return { plan, closed, swap, minted }
}
