import { randomUUID } from 'node:crypto'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertValidRange } from '../math/tickSpacing.js'
import type { PlanRebalanceParameters, RebalancePlan, RebalanceStep } from './types.js'

export type PlanRebalanceErrorType =
  | InvalidParameterError
  | import('../errors/tick.js').TickNotAlignedError
  | import('../errors/tick.js').TickOrderError
  | import('../errors/tick.js').TickOutOfRangeError

/**
 * Writes a rebalance down as steps (pure: no I/O): one close per NFT (decrease + collect + burn), the optional swap,
 * then one mint per range in the given order (base, then limit). Nothing is sent; `executeRebalancePlan` runs it.
 */
export function planRebalance(p: PlanRebalanceParameters): RebalancePlan {
  const seen = new Set<bigint>()
  for (const tokenId of p.close) {
    if (tokenId <= 0n || seen.has(tokenId)) {
      throw new InvalidParameterError({ field: 'close', value: tokenId, rule: 'distinct positive token ids' })
    }
    seen.add(tokenId)
  }
  if (p.swap !== undefined && p.swap.amountInRaw <= 0n) {
    throw new InvalidParameterError({ field: 'swap.amountInRaw', value: p.swap.amountInRaw, rule: '> 0' })
  }
  if (p.close.length === 0 && p.swap === undefined && p.mints.length === 0) {
    throw new InvalidParameterError({ field: 'close/swap/mints', value: 'empty', rule: 'at least one step' })
  }
  for (const m of p.mints) assertValidRange(m.tickLower, m.tickUpper, p.pool.tickSpacing)
  const reserve = p.reserve ?? { amount0Raw: 0n, amount1Raw: 0n }
  if (reserve.amount0Raw < 0n || reserve.amount1Raw < 0n) {
    throw new InvalidParameterError({ field: 'reserve', value: reserve, rule: 'non-negative amounts' })
  }
  const steps: RebalanceStep[] = []
  for (const tokenId of p.close) {
    steps.push({ index: steps.length, kind: 'close', tokenId, status: 'pending', txs: [] })
  }
  if (p.swap !== undefined) {
    steps.push({ index: steps.length, kind: 'swap', ...p.swap, status: 'pending', txs: [] })
  }
  for (const m of p.mints) {
    steps.push({ index: steps.length, kind: 'mint', ...m, status: 'pending', txs: [] })
  }
  return {
    schemaVersion: 1,
    id: p.id ?? randomUUID(),
    createdAtMs: p.createdAtMs ?? Date.now(),
    pool: p.pool,
    reserve: { amount0Raw: reserve.amount0Raw, amount1Raw: reserve.amount1Raw },
    status: 'planned',
    steps,
  }
}
