import { InvalidParameterError } from '../errors/parameter.js'
import type { PnlMarks, PnlSnapshot, PnlState } from './pnlTypes.js'
import { valueInUsd } from './valueInUsd.js'

/**
 * Realized and unrealized PnL at mark prices. Every open position (liquidity > 0) needs a mark.
 * @throws InvalidParameterError when a mark is missing.
 */
export function getPnlSnapshot(state: PnlState, marks: PnlMarks): PnlSnapshot {
  const usd = (amount0Raw: bigint, amount1Raw: bigint) =>
    valueInUsd({
      amount0Raw,
      amount1Raw,
      decimals0: state.decimals0,
      decimals1: state.decimals1,
      prices: marks.prices,
      usdDecimals: 18,
    }).usdNumber
  let feesUnrealizedUsd = 0
  let holdValueUsd = 0
  let positionValueUsd = 0
  for (const [positionId, position] of Object.entries(state.positions)) {
    const mark = marks.positions[positionId]
    if (mark === undefined) {
      if (position.liquidity === 0n) continue
      throw new InvalidParameterError({
        field: `marks.positions.${positionId}`,
        value: undefined,
        rule: 'present for every open position',
      })
    }
    feesUnrealizedUsd += usd(mark.fees0Raw, mark.fees1Raw)
    holdValueUsd += usd(position.hold0Raw, position.hold1Raw)
    positionValueUsd += usd(mark.amount0Raw, mark.amount1Raw)
  }
  const ilUnrealizedUsd = positionValueUsd - holdValueUsd
  const realizedPnlUsd = state.feesRealizedUsd + state.ilRealizedUsd - state.gasUsd
  const unrealizedPnlUsd = feesUnrealizedUsd + ilUnrealizedUsd
  return {
    feesRealizedUsd: state.feesRealizedUsd,
    feesUnrealizedUsd,
    ilRealizedUsd: state.ilRealizedUsd,
    ilUnrealizedUsd,
    gasUsd: state.gasUsd,
    realizedPnlUsd,
    unrealizedPnlUsd,
    totalPnlUsd: realizedPnlUsd + unrealizedPnlUsd,
    holdValueUsd,
    positionValueUsd,
  }
}
