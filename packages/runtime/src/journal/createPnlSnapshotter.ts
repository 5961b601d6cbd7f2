import { computeNetExposure, type HedgerState, referencePrice } from '@alp/hedger'
import type { LpActionMessage, LpPnlMessage } from '../transport/topics.js'
import type { Journal, PnlSnapshot } from './Journal.js'
import { lpActionRecords } from './lpActionRecords.js'

export type PnlSnapshotter = {
  /**
   * The LP manager's latest live PnL (an `lp.pnl` message; one older than the one held, same source, is ignored); the
   * first one journals a snapshot at once (the start value).
   */
  onLpPnl(message: LpPnlMessage): void
  /** Journals a snapshot when `intervalMs` passed since the last one (the trader's timer calls it). */
  tick(): void
  /** Journals a snapshot now (at stop); null when nothing is known of the LP yet. */
  snapshot(): PnlSnapshot | null
}

/**
 * The trader's PnL snapshots, journaled every `intervalMs` of the role clock, on the first `lp.pnl` and at stop:
 * - LP part from the lp-manager's `lp.pnl` (value of wallet + positions + uncollected fees, fees earned, gas paid);
 * - hedge part from the journal's fills (every run: cash flow of each fill + the position they add up to at the core's
 *   reference price, minus their fees; linear contracts: size = lots × step size);
 * - gas = the journaled LP actions' gas (their receipts) at the base token's USD price (WETH pools: the native token);
 * - value = LP value + hedge PnL − gas; hold value = the LP holdings of this trader's first `lp.pnl`, valued at the
 *   latest prices; fees paid = CEX fees + gas (USD, both already inside the value); net exposure = the core's.
 * No snapshot is written before the lp-manager's first `lp.pnl`.
 */
export function createPnlSnapshotter(p: {
  journal: Journal
  runId: string
  intervalMs: number
  nowMs: () => number
  state: () => HedgerState
}): PnlSnapshotter {
  let lp: LpPnlMessage | null = null
  let basis: { amount0: number; amount1: number } | null = null
  let lastMs: number | null = null
  const whole = (raw: string, decimals: number): number => Number(raw) / 10 ** decimals
  const build = (): PnlSnapshot | null => {
    if (lp === null || basis === null) return null
    const state = p.state()
    const mark = referencePrice(state) ?? Number(lp.baseToken === 'token0' ? lp.usdPrice0 : lp.usdPrice1)
    let cash = 0
    let positionBase = 0
    let cexFees = 0
    for (const fill of p.journal.fills()) {
      const venue = state.venueByName.get(fill.venue)
      if (venue === undefined) continue
      const size = fill.sizeLots * venue.config.stepSizeBase
      const price = fill.priceTicks * venue.config.tickSizePrice
      const sign = fill.side === 'buy' ? 1 : -1
      positionBase += sign * size
      cash -= sign * size * price
      cexFees += Number(fill.feeQuote)
    }
    const hedgePnl = cash + positionBase * mark - cexFees
    // Gas of the journaled LP actions (their receipts), at the base token's USD price (WETH pools: the native token).
    const baseUsd = Number(lp.baseToken === 'token0' ? lp.usdPrice0 : lp.usdPrice1)
    const gasUsd = (Number(p.journal.history().gasCostWei) / 1e18) * baseUsd
    const lpValue = Number(lp.valueUsd)
    const holdValue = basis.amount0 * Number(lp.usdPrice0) + basis.amount1 * Number(lp.usdPrice1)
    const exposure = computeNetExposure(state)
    return {
      tsNs: BigInt(Math.round(p.nowMs())) * 1_000_000n,
      valueUsd: usd(lpValue + hedgePnl - gasUsd),
      holdValueUsd: usd(holdValue),
      lpFeesUsd: usd(lp.lpFeesUsd),
      hedgePnlUsd: usd(hedgePnl),
      feesPaidUsd: usd(cexFees + gasUsd),
      netExposureBase: Number.isFinite(exposure.netBase) ? exposure.netBase.toFixed(8) : '0',
    }
  }
  const write = (): PnlSnapshot | null => {
    const snapshot = build()
    if (snapshot === null) return null
    p.journal.appendPnlSnapshot(p.runId, snapshot)
    lastMs = p.nowMs()
    return snapshot
  }
  return {
    onLpPnl(message) {
      // An older one delivered late (a bus snapshot, a gap recovery) does not take the LP part back in time.
      if (lp !== null && message.source === lp.source && message.tsMs < lp.tsMs) return
      lp = message
      if (basis === null) {
        basis = {
          amount0: whole(message.amount0Raw, message.decimals0),
          amount1: whole(message.amount1Raw, message.decimals1),
        }
        write()
      }
    },
    tick() {
      if (lastMs !== null && p.nowMs() - lastMs >= p.intervalMs) write()
    },
    snapshot: write,
  }
}

function usd(value: number): string {
  return Number.isFinite(value) ? value.toFixed(6) : '0'
}

/**
 * The trader's handling of the lp-manager's `lp.action` (journaled once per plan id) and `lp.pnl` (journaled once per
 * source and instant, and to the snapshotter) messages; false for any other message (an inventory update for the core).
 */
export function journalLpMessage(
  p: { journal: Journal; runId: string; pnl: PnlSnapshotter },
  message: { type: string },
): boolean {
  if (message.type === 'lp.action') {
    const action = message as LpActionMessage
    p.journal.appendLpExecution(p.runId, action.id, lpActionRecords(action))
    return true
  }
  if (message.type === 'lp.pnl') {
    p.journal.appendLpPnl(p.runId, message as LpPnlMessage)
    p.pnl.onLpPnl(message as LpPnlMessage)
    return true
  }
  return false
}
