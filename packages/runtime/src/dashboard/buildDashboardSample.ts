import type { DeploymentStatus } from '../control/deploymentStatus.js'

/**
 * One point of the dashboard's three charts (the columns of `@alp/charts`' definitions): price (pool price, venue
 * price, base range lower and upper, limit range lower and upper; quote per base), inventory (LP base held, hedge
 * position, net exposure; base units) and PnL (fees, impermanent loss, hedge, gas as a cost, PnL vs hold; USD).
 * A value is null when this process does not know it.
 */
export type DashboardSample = {
  readonly tsMs: number
  readonly price: readonly (number | null)[]
  readonly inventory: readonly (number | null)[]
  readonly pnl: readonly (number | null)[]
}

/** The pool's token decimals: range ticks become prices with them. */
export type PoolDecimals = { readonly decimals0: number; readonly decimals1: number }

/**
 * The chart point of a status: the LP range bounds are the ticks of the lp-manager's ranges as quote per base (with
 * the pool's decimals; null without them), the venue price is the first venue's book mid.
 */
export function buildDashboardSample(status: DeploymentStatus, decimals: PoolDecimals | null): DashboardSample {
  const lp = status.lp
  const baseToken = lp?.holdings?.baseToken ?? null
  const bounds = (role: string): [number | null, number | null] => {
    const range = lp?.ranges.find((r) => r.role === role)
    if (range === undefined || decimals === null || baseToken === null) return [null, null]
    const lower = tickToBasePrice(range.tickLower, baseToken, decimals)
    const upper = tickToBasePrice(range.tickUpper, baseToken, decimals)
    return lower <= upper ? [lower, upper] : [upper, lower]
  }
  const venue = status.venues[0]
  const poolPrice = status.exposure?.lpInventory?.poolPrice ?? null
  const lpBase = lp?.holdings?.base ?? status.exposure?.lpInventory?.baseHeldBase ?? null
  return {
    tsMs: status.nowMs,
    price: [
      num(poolPrice),
      venue?.book?.midPrice ?? venue?.market?.midPrice ?? null,
      ...bounds('base'),
      ...bounds('limit'),
    ],
    inventory: [
      num(lpBase),
      status.exposure?.cexPositionBase ??
        (status.venues.length > 0 ? sum(status.venues.map((v) => v.positionBase)) : null),
      status.exposure?.netBase ?? null,
    ],
    pnl: [
      status.pnl.lpFeesUsd,
      status.pnl.impermanentLossUsd,
      status.pnl.hedgeUsd,
      status.pnl.gasUsd === null ? null : -status.pnl.gasUsd,
      status.pnl.totalUsd,
    ],
  }
}

/** Price of the base token in the quote token at a tick (tick = log base 1.0001 of raw token1 per raw token0). */
export function tickToBasePrice(tick: number, baseToken: 'token0' | 'token1', decimals: PoolDecimals): number {
  const token1PerToken0 = 1.0001 ** tick * 10 ** (decimals.decimals0 - decimals.decimals1)
  return baseToken === 'token0' ? token1PerToken0 : 1 / token1PerToken0
}

function num(text: string | null): number | null {
  if (text === null) return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}
