import { InvalidAmountError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { mulDiv } from '../math/fullMath.js'
import type { PnlEvent, PnlState } from './pnlTypes.js'
import { type UsdPrices, valueInUsd } from './valueInUsd.js'

export type ApplyPnlEventErrorType = InvalidParameterError | InvalidAmountError

/**
 * Applies one event and returns the new state (the input is not modified). Deterministic: replaying the same events
 * gives the same state, in the backtester and live.
 * @throws InvalidParameterError (time going backwards, unknown position) | InvalidAmountError (negative amounts,
 *   burning more liquidity than is open)
 */
export function applyPnlEvent(state: PnlState, event: PnlEvent): PnlState {
  if (!Number.isFinite(event.tsMs) || (state.lastTsMs !== null && event.tsMs < state.lastTsMs)) {
    throw new InvalidParameterError({
      field: 'event.tsMs',
      value: event.tsMs,
      rule: `finite and >= the previous event (${state.lastTsMs})`,
      next: 'apply events in time order.',
    })
  }
  const usd = (amount0Raw: bigint, amount1Raw: bigint, prices: UsdPrices) =>
    valueInUsd({
      amount0Raw,
      amount1Raw,
      decimals0: state.decimals0,
      decimals1: state.decimals1,
      prices,
      usdDecimals: 18,
    }).usdNumber
  const next = { ...state, lastTsMs: event.tsMs }
  switch (event.type) {
    case 'deposit': {
      requireNonNegative('liquidity', event.liquidity)
      const prev = state.positions[event.positionId] ?? { liquidity: 0n, hold0Raw: 0n, hold1Raw: 0n }
      return {
        ...next,
        positions: {
          ...state.positions,
          [event.positionId]: {
            liquidity: prev.liquidity + event.liquidity,
            hold0Raw: prev.hold0Raw + event.amount0Raw,
            hold1Raw: prev.hold1Raw + event.amount1Raw,
          },
        },
        depositedUsd: state.depositedUsd + usd(event.amount0Raw, event.amount1Raw, event.prices),
      }
    }
    case 'withdraw': {
      requireNonNegative('liquidity', event.liquidity)
      const prev = state.positions[event.positionId]
      if (prev === undefined) {
        throw new InvalidParameterError({
          field: 'event.positionId',
          value: event.positionId,
          rule: 'a deposited position',
        })
      }
      if (event.liquidity > prev.liquidity) {
        throw new InvalidAmountError({
          field: 'event.liquidity',
          value: event.liquidity,
          rule: `<= open liquidity ${prev.liquidity}`,
        })
      }
      // The share of the hold basket this burn retires (pro rata by liquidity, rounded down).
      const part0 = prev.liquidity === 0n ? 0n : mulDiv(prev.hold0Raw, event.liquidity, prev.liquidity)
      const part1 = prev.liquidity === 0n ? 0n : mulDiv(prev.hold1Raw, event.liquidity, prev.liquidity)
      const withdrawnUsd = usd(event.amount0Raw, event.amount1Raw, event.prices)
      return {
        ...next,
        positions: {
          ...state.positions,
          [event.positionId]: {
            liquidity: prev.liquidity - event.liquidity,
            hold0Raw: prev.hold0Raw - part0,
            hold1Raw: prev.hold1Raw - part1,
          },
        },
        ilRealizedUsd: state.ilRealizedUsd + withdrawnUsd - usd(part0, part1, event.prices),
        withdrawnUsd: state.withdrawnUsd + withdrawnUsd,
      }
    }
    case 'collect':
      return { ...next, feesRealizedUsd: state.feesRealizedUsd + usd(event.fees0Raw, event.fees1Raw, event.prices) }
    case 'gas': {
      const gasUsd = valueInUsd({
        amount0Raw: event.gasCostWei,
        amount1Raw: 0n,
        decimals0: 18,
        decimals1: 0,
        prices: { token0: event.nativeUsdPrice, token1: '1' },
        usdDecimals: 18,
      }).usdNumber
      return { ...next, gasUsd: state.gasUsd + gasUsd }
    }
  }
}

function requireNonNegative(field: string, value: bigint): void {
  if (value < 0n) throw new InvalidAmountError({ field: `event.${field}`, value, rule: '>= 0' })
}
