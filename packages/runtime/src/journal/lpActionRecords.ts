import type { LpActionMessage } from '../transport/topics.js'
import type { LpActionRecord } from './Journal.js'

/**
 * The journal rows of one executed rebalance (an `lp.action` message): per closed NFT a `burn` row (ticks, liquidity,
 * the close's transaction and its gas: decreaseLiquidity + collect + burn are one multicall) and a `collect` row (what
 * it paid out, principal + fees, with the uncollected fees the decision saw); a `swap` row; per minted range a `mint`
 * row (token id, ticks, amounts, liquidity, transaction, gas); and one `rebalance` row (what `alp history` counts,
 * without gas so the gas is summed once). Every row's `detail.executionId` is the plan id.
 */
export function lpActionRecords(message: LpActionMessage): LpActionRecord[] {
  const tsNs = BigInt(Math.round(message.tsMs)) * 1_000_000n
  const executionId = message.id
  const rows: LpActionRecord[] = []
  for (const c of message.closed) {
    if (c.skipped) continue
    rows.push({
      tsNs,
      action: 'burn',
      txHash: c.txHash ?? undefined,
      tokenId: c.tokenId,
      tickLower: c.tickLower ?? undefined,
      tickUpper: c.tickUpper ?? undefined,
      gasCostWei: c.gasCostWei ?? undefined,
      detail: { executionId, liquidity: c.liquidity },
    })
    rows.push({
      tsNs,
      action: 'collect',
      txHash: c.txHash ?? undefined,
      tokenId: c.tokenId,
      tickLower: c.tickLower ?? undefined,
      tickUpper: c.tickUpper ?? undefined,
      amount0Raw: c.collected0Raw ?? undefined,
      amount1Raw: c.collected1Raw ?? undefined,
      fees0Raw: c.fees0Raw ?? undefined,
      fees1Raw: c.fees1Raw ?? undefined,
      detail: { executionId },
    })
  }
  if (message.swap !== null)
    rows.push({
      tsNs,
      action: 'swap',
      txHash: message.swap.txHash ?? undefined,
      amount0Raw: message.swap.amount0Raw,
      amount1Raw: message.swap.amount1Raw,
      gasCostWei: message.swap.gasCostWei ?? undefined,
      detail: { executionId },
    })
  for (const m of message.minted)
    rows.push({
      tsNs,
      action: 'mint',
      txHash: m.txHash ?? undefined,
      tokenId: m.tokenId,
      tickLower: m.tickLower,
      tickUpper: m.tickUpper,
      amount0Raw: m.amount0Raw,
      amount1Raw: m.amount1Raw,
      gasCostWei: m.gasCostWei ?? undefined,
      detail: { executionId, role: m.role, liquidity: m.liquidity },
    })
  rows.push({
    tsNs,
    action: 'rebalance',
    detail: {
      executionId,
      source: message.source,
      reason: message.reason,
      decidedAtBlock: message.decidedAtBlock,
      closed: message.closed.map((c) => c.tokenId),
      minted: message.minted.map((m) => m.tokenId),
      gasPaidWei: message.gasPaidWei,
      expectedGainUsd: message.expectedGainUsd,
      gasCostUsd: message.gasCostUsd,
    },
  })
  return rows
}
