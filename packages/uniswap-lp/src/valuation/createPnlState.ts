import { assertValidDecimals } from '../math/priceTick.js'
import type { PnlState } from './pnlTypes.js'

/** An empty PnL state for a pool whose tokens have these decimals. */
export function createPnlState(parameters: { decimals0: number; decimals1: number }): PnlState {
  assertValidDecimals({ baseToken: 'token0', ...parameters })
  return {
    decimals0: parameters.decimals0,
    decimals1: parameters.decimals1,
    positions: {},
    feesRealizedUsd: 0,
    ilRealizedUsd: 0,
    gasUsd: 0,
    depositedUsd: 0,
    withdrawnUsd: 0,
    lastTsMs: null,
  }
}
