/** `Tick.Info` fields the simulator keeps (the oracle accumulators of v3-core are not simulated; see docs/backtest.md). */
export type TickInfo = {
  liquidityGross: bigint
  liquidityNet: bigint
  feeGrowthOutside0X128: bigint
  feeGrowthOutside1X128: bigint
  initialized: boolean
}

/** `Position.Info` (v3-core). */
export type PositionInfo = {
  liquidity: bigint
  feeGrowthInside0LastX128: bigint
  feeGrowthInside1LastX128: bigint
  tokensOwed0: bigint
  tokensOwed1: bigint
}

/** `slot0` fields the simulator keeps (no oracle index/cardinality). `feeProtocol` packs token0 in the low 4 bits. */
export type Slot0 = {
  sqrtPriceX96: bigint
  tick: number
  feeProtocol: number
}

/** The pool's `Swap` event. */
export type SwapEvent = {
  amount0: bigint
  amount1: bigint
  sqrtPriceX96: bigint
  liquidity: bigint
  tick: number
  /** Total fee paid by the swapper (input token), before the protocol cut: not in the contract's event, kept for accounting. */
  feeAmount: bigint
  /** Number of initialized ticks crossed. */
  ticksCrossed: number
}

/** The pool's `Mint` / `Burn` event amounts. */
export type ModifyLiquidityEvent = { amount: bigint; amount0: bigint; amount1: bigint }

/** The pool's `Collect` / `CollectProtocol` event amounts. */
export type CollectEvent = { amount0: bigint; amount1: bigint }
