/**
 * One snapshot of the LP's inventory, as published to the hedger. Plain JSON: every bigint is a base-10 string
 * (`amountRaw`, `sqrtPriceX96`), human amounts and USD are exact decimal strings, ratios are numbers. It survives
 * `JSON.stringify`/`JSON.parse` unchanged, so the same payload travels in process and over ZeroMQ.
 */
export type InventoryUpdate = {
  type: 'lp.inventory'
  /** Payload schema version; bumped on any breaking change. */
  version: 1
  /** Who publishes, e.g. `uniswap-v3:1:0x88e6…5640` (chain id and pool address). */
  source: string
  /** 1, 2, 3, … per stream: a gap means a lost message. */
  seq: number
  /** Caller-supplied time of the snapshot, ms. */
  tsMs: number
  token0: InventoryToken
  token1: InventoryToken
  /** The token the hedger hedges (e.g. WETH in USDC/WETH). */
  baseToken: 'token0' | 'token1'
  /** The pool price used to value the holdings, Q64.96, decimal string. */
  sqrtPriceX96: string
  /** Holdings valued in USD with the published prices, rounded down to 6 decimals. */
  valueUsd: string
  /** USD per whole token0 / token1 used for valueUsd. */
  usdPrice0: string
  usdPrice1: string
  /** Share of the value held in the base token, [0, 1]. */
  baseShare: number
  targetBaseShare: number
  /** baseShare − targetBaseShare. */
  deviation: number
  /** Base token to sell (> 0) or buy (< 0) to reach the target at the pool price, human units, exact decimal string. */
  excessBase: string
}

export type InventoryToken = {
  decimals: number
  /** Holdings in base units, decimal string of a bigint (positions principal + uncollected fees + idle balance). */
  amountRaw: string
  /** The same in whole tokens, exact decimal string. */
  amount: string
}

/** Event map of {@link InventoryEventStream}. */
export type InventoryEvents = {
  inventory: [update: InventoryUpdate]
}
