import type { PoolEvent } from './readPoolEvents.js'

export type DetectStaleLiquidityRowsErrorType = never

/** A MINT or BURN row whose recorded `total_liquidity` is not the active liquidity after the event. */
export type StaleLiquidityRow = {
  readonly line: number
  readonly kind: 'MINT' | 'BURN'
  readonly recorded: bigint
  /** Active liquidity after the event, from the last Swap's liquidity and the mints/burns in range since. */
  readonly expected: bigint
  /**
   * 'not-updated': the row repeats the liquidity before the event although the position is in range and changes it
   * (the 8 rows of 2024-01-05 found in issue #17); 'inconsistent': any other mismatch.
   */
  readonly reason: 'not-updated' | 'inconsistent'
}

/**
 * Finds the MINT/BURN rows whose `total_liquidity` is wrong. The active liquidity is rebuilt from what is exact in the
 * record: each SWAP row's liquidity (the Swap event's own field) and, between swaps, the liquidity of every MINT/BURN
 * whose range holds the current tick (tickLower ≤ tick < tickUpper). The replayer never reads `total_liquidity` of
 * MINT/BURN/COLLECT rows; this report only says which rows a reader of the file must not trust.
 */
export function detectStaleLiquidityRows(events: readonly PoolEvent[]): StaleLiquidityRow[] {
  const rows: StaleLiquidityRow[] = []
  let active: bigint | undefined
  for (const event of events) {
    if (event.kind === 'SWAP') {
      active = event.totalLiquidity
      continue
    }
    if (event.kind === 'COLLECT' || active === undefined) continue
    const { tickLower, tickUpper, liquidity } = event
    if (tickLower === undefined || tickUpper === undefined || liquidity === undefined) continue
    const before = active
    if (tickLower <= event.tick && event.tick < tickUpper) {
      active = event.kind === 'MINT' ? active + liquidity : active - liquidity
    }
    if (event.totalLiquidity !== active) {
      const notUpdated = event.totalLiquidity === before && active !== before
      rows.push({
        line: event.line,
        kind: event.kind,
        recorded: event.totalLiquidity,
        expected: active,
        reason: notUpdated ? 'not-updated' : 'inconsistent',
      })
    }
  }
  return rows
}
