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
import type { NftPosition } from '../chain/readNftPosition.js'
import { readPoolState } from '../chain/readPoolState.js'
import { ChainReadError, TransactionRevertedError } from '../errors/chain.js'
import { ZeroLiquidityError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { RebalancePlanStateError } from '../errors/rebalance.js'
import { checkGasVsGain } from './gasVsGain.js'
import { NonceManager } from './nonceManager.js'
import type { RebalancePlanStore } from './planStore.js'
import { PlanTransport, readFeeInputs } from './planTransport.js'
import { readReceiptFromNode } from './readReceiptFromNode.js'
import type {
  CloseStep,
  GasVsGain,
  MintStep,
  RebalancePlan,
  RebalanceStep,
  SentTransaction,
  StepStatus,
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
 * Each step is decided from one view of the chain (state read at one block, receipts after it), so a transaction of
 * ours mined while the resume reads always settles its step from its receipt. A transaction the node still holds is
 * given until `policy.replaceAfterMs` after its signing before its step is prepared again.
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
    let reuse: Reuse | undefined
    if (resuming || step.txs.length > 0) {
      const settled = await settleStep(ctx, plan, step, owner, nonces, { resuming, policy: p.policy, nowMs })
      if (settled.kind === 'settled') {
        await finishStep(p, plan, step)
        continue
      }
      reuse = settled.reuse
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
    let failure: { error: unknown } | null = null
    try {
      await runStep({ ...ctx, transport }, plan, step, owner)
    } catch (error) {
      failure = { error }
    }
    if (reuse !== undefined && (failure !== null || (step.status as StepStatus) === 'skipped')) {
      // The transaction signed before the crash can be mined while the step is prepared again: its reads and dry run
      // then see the step done by it (NFT burned, wallet spent) and fail or skip. If the chain now shows it, it
      // settles the step; otherwise the failure stands.
      const view = await readStepOnChain(ctx, plan, step, owner, nonces, resuming)
      if (applySettlement(ctx, plan, step, view)) {
        await finishStep(p, plan, step)
        continue
      }
    }
    if (failure !== null) throw failure.error
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
      // Balances and price from one block, at or after the previous step's receipt (uncached block number).
      const blockNumber = await readBlockNumber(ctx)
      const [balance0, balance1, state] = await Promise.all([
        readBalance(ctx, plan.pool.token0, owner, blockNumber),
        readBalance(ctx, plan.pool.token1, owner, blockNumber),
        readPoolState(ctx.provider, plan.pool.pool, blockNumber),
      ])
      const available0 = balance0 - plan.reserve.amount0Raw
      const available1 = balance1 - plan.reserve.amount1Raw
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

type Reuse = { nonce: number; previous: readonly SentTransaction[]; previousKnownToNode: boolean }

/** What the chain says about a step (see `readStepOnChain`). */
type StepOnChain =
  /** A transaction of the step was mined and succeeded. */
  | { kind: 'mined'; receipt: TransactionReceipt }
  /** Close: the NFT no longer exists, and no transaction of ours burned it. */
  | { kind: 'burned' }
  /** Mint: a position of ours with the step's ticks appeared since the plan started (its transaction unknown). */
  | { kind: 'adopted'; tokenId: bigint; liquidity: bigint }
  /** Not done: run it with a new nonce (`note` says why when transactions were sent). */
  | { kind: 'fresh'; note: string | undefined }
  /** Not done, a transaction of ours with this nonce may still be mined: replace it with the same nonce. */
  | { kind: 'reuse'; reuse: Reuse }

/**
 * On resume, before (re-)running a step: settled by the chain, or how to run it. A transaction of ours the node still
 * holds is given until `replaceAfterMs` after its signing to be mined before the step is prepared again (the
 * transport would not replace it earlier anyway, and preparing against a state it is about to change fails).
 */
async function settleStep(
  ctx: ExecutionContext,
  plan: RebalancePlan,
  step: RebalanceStep,
  owner: string,
  nonces: NonceManager,
  o: { resuming: boolean; policy: TransactionPolicy; nowMs: () => number },
): Promise<{ kind: 'settled' } | { kind: 'run'; reuse: Reuse | undefined }> {
  for (;;) {
    const view = await readStepOnChain(ctx, plan, step, owner, nonces, o.resuming)
    if (view.kind === 'fresh') {
      if (view.note !== undefined) step.note = view.note
      return { kind: 'run', reuse: undefined }
    }
    if (view.kind !== 'reuse') {
      applySettlement(ctx, plan, step, view)
      return { kind: 'settled' }
    }
    const last = view.reuse.previous.at(-1)
    if (
      !view.reuse.previousKnownToNode ||
      last === undefined ||
      o.nowMs() - last.signedAtMs >= o.policy.replaceAfterMs
    ) {
      return { kind: 'run', reuse: view.reuse }
    }
    await sleep(ctx.guards.receiptPollIntervalMs)
  }
}

/** Records a settling view in the step (true), or leaves the step as it is (false: fresh or reuse). */
function applySettlement(ctx: ExecutionContext, plan: RebalancePlan, step: RebalanceStep, view: StepOnChain): boolean {
  switch (view.kind) {
    case 'mined':
      applyReceipt(ctx, plan, step, view.receipt)
      step.status = 'sent' // finishStep marks it done
      step.note = `settled on resume from the receipt of ${view.receipt.hash}`
      return true
    case 'burned':
      step.status = 'skipped'
      step.note = `NFT ${(step as CloseStep).tokenId} is already burned`
      return true
    case 'adopted':
      ;(step as MintStep).result = {
        tokenId: view.tokenId,
        liquidity: view.liquidity,
        amount0Raw: 0n,
        amount1Raw: 0n,
        txHash: undefined,
      }
      step.status = 'sent'
      step.note = `adopted NFT ${view.tokenId} found by enumeration (ticks match, created after the plan started); amounts not known`
      return true
    default:
      return false
  }
}

/**
 * What the chain says about a step, from one consistent view. Every state the decision needs (the NFT's owner, our
 * positions, the account's mined nonce) is read at ONE block n, and the step's receipts are read after that, straight
 * from the node: a transaction of ours mined at or before n always shows its receipt, so its effects (NFT burned,
 * nonce used, position minted) are never mistaken for someone else's, and two reads never straddle its block.
 */
async function readStepOnChain(
  ctx: ExecutionContext,
  plan: RebalancePlan,
  step: RebalanceStep,
  owner: string,
  nonces: NonceManager,
  resuming: boolean,
): Promise<StepOnChain> {
  let blockNumber: number
  let adopted: { tokenId: bigint; liquidity: bigint } | null = null
  if (resuming && step.kind === 'mint') {
    const found = await discoverPositions(ctx.provider, {
      positionManager: ctx.positionManager,
      owner,
      pool: plan.pool,
    })
    blockNumber = found.blockNumber
    adopted = findMintedPosition(plan, step, found.positions)
  } else {
    blockNumber = await readBlockNumber(ctx)
  }
  // null: the NFT does not exist at n (burned).
  const nftOwner = resuming && step.kind === 'close' ? await readNftOwner(ctx, step.tokenId, blockNumber) : undefined
  const minedNonce = step.txs.length > 0 ? await nonces.latest(blockNumber) : 0

  let reverted = false
  for (const tx of step.txs) {
    const receipt = await readReceipt(ctx, tx.hash)
    if (receipt === null) continue
    nonces.markUsed(tx.nonce)
    if (receipt.status === 1) return { kind: 'mined', receipt }
    reverted = true
  }
  // None of ours was mined at n.
  if (nftOwner === null) return { kind: 'burned' }
  if (nftOwner !== undefined && nftOwner.toLowerCase() !== owner.toLowerCase()) {
    throw new RebalancePlanStateError({
      planId: plan.id,
      step: step.index,
      problem: `NFT ${(step as CloseStep).tokenId} belongs to ${nftOwner}, not to ${owner}`,
    })
  }
  if (adopted !== null) return { kind: 'adopted', ...adopted }
  if (step.txs.length === 0) return { kind: 'fresh', note: undefined }
  if (reverted) return { kind: 'fresh', note: 'a transaction of this step reverted; re-run with a new nonce' }
  const last = step.txs.at(-1)!
  if (minedNonce > last.nonce) {
    // Used at n, and none of ours mined at n: another transaction took the nonce, so this step never happened.
    return {
      kind: 'fresh',
      note: `nonce ${last.nonce} was used by a transaction that is not ours; re-run with a new nonce`,
    }
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

/** `ownerOf(tokenId)` at `blockNumber`; null when the NFT does not exist there (never minted or burned). */
async function readNftOwner(ctx: ExecutionContext, tokenId: bigint, blockNumber: number): Promise<string | null> {
  try {
    const r = await callContract(ctx.provider, {
      to: ctx.positionManager,
      iface: positionManagerInterface,
      functionName: 'ownerOf',
      args: [tokenId],
      blockTag: blockNumber,
    })
    return String(r[0])
  } catch (error) {
    if (isNonexistentToken(error)) return null
    throw error
  }
}

/** A position of ours with the step's ticks that was not ours before the plan and no other step claims. */
function findMintedPosition(
  plan: RebalancePlan,
  step: MintStep,
  positions: readonly NftPosition[],
): { tokenId: bigint; liquidity: bigint } | null {
  const claimed = new Set<bigint>(plan.preexistingTokenIds ?? [])
  for (const s of plan.steps) if (s.kind === 'mint' && s.result !== undefined) claimed.add(s.result.tokenId)
  const match = positions.find(
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

/** The block number, straight from the node (`send` skips the provider's request cache, which may be 250 ms old). */
async function readBlockNumber(ctx: ExecutionContext): Promise<number> {
  try {
    return Number(BigInt(String(await ctx.provider.send('eth_blockNumber', []))))
  } catch (cause) {
    throw new ChainReadError({ what: 'block number', address: 'the RPC endpoint', cause })
  }
}

/** A receipt straight from the node (`readReceiptFromNode`: no provider cache, see `readStepOnChain`). */
async function readReceipt(ctx: ExecutionContext, hash: string): Promise<TransactionReceipt | null> {
  try {
    return await readReceiptFromNode(ctx.provider, hash)
  } catch (cause) {
    throw new ChainReadError({ what: `receipt of ${hash}`, address: 'the RPC endpoint', cause })
  }
}

async function readBalance(ctx: ExecutionContext, token: string, owner: string, blockNumber: number): Promise<bigint> {
  const r = await callContract(ctx.provider, {
    to: token,
    iface: erc20Interface,
    functionName: 'balanceOf',
    args: [owner],
    blockTag: blockNumber,
  })
  return BigInt(r[0])
}

/**
 * The real NonfungiblePositionManager's reverts for a token id that does not exist (burned): `positions()` →
 * "Invalid token ID", `ownerOf()` (and the other ERC-721 reads) → "ERC721: owner query for nonexistent token".
 */
const NONEXISTENT_TOKEN = /Invalid token ID|ERC721: [a-z]+ query for nonexistent token/i

function isNonexistentToken(error: unknown): boolean {
  let e: unknown = error
  for (let depth = 0; depth < 6 && e !== null && typeof e === 'object'; depth++) {
    const message = String((e as { message?: unknown }).message ?? '')
    const reason = String((e as { reason?: unknown }).reason ?? '')
    if (NONEXISTENT_TOKEN.test(message) || NONEXISTENT_TOKEN.test(reason)) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
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
