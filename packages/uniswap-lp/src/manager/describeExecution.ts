import type { ChainSource, TxGas } from './chainTypes.js'
import type { Holdings } from './computeHoldings.js'
import type { LpRebalanceRequest } from './decideLpAction.js'

/** One rebalance the write side executed, as the manager's `'executed'` event carries it. Raw token amounts. */
export type LpRebalanceExecution = {
  /** The plan id when the executor returns a RebalancePlanResult (createRebalancePlanExecutor), else `block-<n>-<ms>`. */
  readonly id: string
  /** The manager's clock when execute() resolved, ms. */
  readonly tsMs: number
  /** The block the decision was taken on. */
  readonly decidedAtBlock: number
  readonly request: LpRebalanceRequest
  /** What `executor.execute()` resolved to, unchanged. */
  readonly result: unknown
  /** One entry per NFT of `request.close`; ticks and liquidity from the holdings the decision saw. */
  readonly closed: readonly {
    readonly tokenId: bigint
    readonly tickLower: number | null
    readonly tickUpper: number | null
    readonly liquidity: bigint | null
    /** Principal + fees the close paid out (null: the executor did not report it). */
    readonly collected0Raw: bigint | null
    readonly collected1Raw: bigint | null
    /** Uncollected fees of the position at the decision (the part of the collect that is fees, approximately). */
    readonly fees0Raw: bigint | null
    readonly fees1Raw: bigint | null
    readonly skipped: boolean
    readonly txHash: string | null
    readonly gasCostWei: bigint | null
  }[]
  readonly swap: {
    readonly amount0Raw: bigint
    readonly amount1Raw: bigint
    readonly txHash: string | null
    readonly gasCostWei: bigint | null
  } | null
  readonly minted: readonly {
    readonly role: 'base' | 'limit'
    readonly tokenId: bigint
    readonly tickLower: number
    readonly tickUpper: number
    readonly liquidity: bigint
    readonly amount0Raw: bigint
    readonly amount1Raw: bigint
    readonly txHash: string | null
    readonly gasCostWei: bigint | null
  }[]
  /** The write side's gas-vs-gain check, when it ran. */
  readonly gasCheck: { readonly gasUnits: bigint; readonly gasCostWei: bigint; readonly expectedGainWei: bigint } | null
  /** Gas paid by the transactions above (gasUsed × effectiveGasPrice of their receipts); null when none was read. */
  readonly gasPaidWei: bigint | null
}

type PlanStepResult = { txHash?: string | undefined }
type PlanLike = {
  id: string
  steps: {
    kind: string
    tokenId?: bigint
    status?: string
    result?: PlanStepResult & Record<string, unknown>
  }[]
}
type PlanResultLike = {
  plan: PlanLike
  closed: { tokenId: bigint; collected0Raw: bigint; collected1Raw: bigint; skipped: boolean }[]
  swap: { amount0Raw: bigint; amount1Raw: bigint } | null
  minted: {
    role: 'base' | 'limit'
    tokenId: bigint
    tickLower: number
    tickUpper: number
    liquidity: bigint
    amount0Raw: bigint
    amount1Raw: bigint
    txHash?: string | undefined
  }[]
  gasCheck: LpRebalanceExecution['gasCheck']
}

function isPlanResult(value: unknown): value is PlanResultLike {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return (
    Array.isArray(v.closed) &&
    Array.isArray(v.minted) &&
    v.plan !== null &&
    typeof v.plan === 'object' &&
    Array.isArray((v.plan as { steps?: unknown }).steps)
  )
}

/**
 * Builds the `'executed'` payload: the request, the executor's result and, when the result is a RebalancePlanResult,
 * every step's amounts and transaction hash with the gas its receipt says it paid (one receipt read per transaction;
 * a failed read leaves the gas null and never fails the step).
 */
export async function describeExecution(p: {
  request: LpRebalanceRequest
  result: unknown
  holdings: Holdings
  decidedAtBlock: number
  tsMs: number
  source: ChainSource
}): Promise<LpRebalanceExecution> {
  const { request, result, holdings } = p
  const held = new Map(holdings.positions.map((q) => [q.tokenId, q]))
  const plan = isPlanResult(result) ? result : null
  const closeHash = new Map<bigint, string>()
  let swapHash: string | null = null
  const mintHashes: (string | null)[] = []
  if (plan !== null)
    for (const step of plan.plan.steps) {
      const hash = typeof step.result?.txHash === 'string' ? step.result.txHash : null
      if (step.kind === 'close' && step.tokenId !== undefined && hash !== null) closeHash.set(step.tokenId, hash)
      else if (step.kind === 'swap' && step.result !== undefined) swapHash = hash
      else if (step.kind === 'mint' && step.result !== undefined) mintHashes.push(hash)
    }
  const hashes = [...closeHash.values(), ...(swapHash === null ? [] : [swapHash]), ...mintHashes].filter(
    (h): h is string => h !== null,
  )
  let gas: Readonly<Record<string, TxGas>> = {}
  if (hashes.length > 0)
    try {
      gas = await p.source.getTxGas([...new Set(hashes)])
    } catch {
      gas = {}
    }
  const gasOf = (hash: string | null): bigint | null => (hash === null ? null : (gas[hash]?.gasCostWei ?? null))
  const closed = request.close.map((tokenId) => {
    const q = held.get(tokenId.toString())
    const c = plan?.closed.find((x) => x.tokenId === tokenId)
    const txHash = closeHash.get(tokenId) ?? null
    return {
      tokenId,
      tickLower: q?.tickLower ?? null,
      tickUpper: q?.tickUpper ?? null,
      liquidity: q?.liquidity ?? null,
      collected0Raw: c?.collected0Raw ?? null,
      collected1Raw: c?.collected1Raw ?? null,
      fees0Raw: q?.fees0Raw ?? null,
      fees1Raw: q?.fees1Raw ?? null,
      skipped: c?.skipped ?? false,
      txHash,
      gasCostWei: gasOf(txHash),
    }
  })
  const swap =
    plan?.swap == null
      ? null
      : {
          amount0Raw: plan.swap.amount0Raw,
          amount1Raw: plan.swap.amount1Raw,
          txHash: swapHash,
          gasCostWei: gasOf(swapHash),
        }
  const minted = (plan?.minted ?? []).map((m, i) => {
    const txHash = m.txHash ?? mintHashes[i] ?? null
    return {
      role: m.role,
      tokenId: m.tokenId,
      tickLower: m.tickLower,
      tickUpper: m.tickUpper,
      liquidity: m.liquidity,
      amount0Raw: m.amount0Raw,
      amount1Raw: m.amount1Raw,
      txHash,
      gasCostWei: gasOf(txHash),
    }
  })
  const paid = [...new Set(hashes)].map((h) => gas[h]?.gasCostWei).filter((g): g is bigint => g !== undefined)
  return {
    id: plan?.plan.id ?? `block-${p.decidedAtBlock}-${p.tsMs}`,
    tsMs: p.tsMs,
    decidedAtBlock: p.decidedAtBlock,
    request,
    result,
    closed,
    swap,
    minted,
    gasCheck: plan?.gasCheck ?? null,
    gasPaidWei: paid.length === 0 ? null : paid.reduce((a, b) => a + b, 0n),
  }
}
