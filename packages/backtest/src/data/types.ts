/** One decoded pool log (tick.csv): a swap, mint, burn or collect, in block / log-index order. */
export type PoolLogEvent = {
  readonly source: 'pool'
  readonly kind: 'swap' | 'mint' | 'burn' | 'collect'
  readonly tsNs: bigint
  readonly blockNumber: number
  readonly logIndex: number
  /** Pool deltas as the event reports them (swap: positive = paid into the pool). */
  readonly amount0: bigint
  readonly amount1: bigint
  /** Active liquidity after the event, as recorded. */
  readonly totalLiquidity: bigint
  /** Pool price after the event, as recorded. */
  readonly sqrtPriceX96: bigint
  readonly tick: number
  /** Mint/burn/collect only. */
  readonly tickLower: number | undefined
  readonly tickUpper: number | undefined
  /** Mint/burn position liquidity. */
  readonly liquidity: bigint | undefined
  /** Source file and 1-based row, for error messages. */
  readonly file: string
  readonly row: number
}

/** A one-minute kline, stamped at its close (the bar is known only when it is complete). */
export type KlineEvent = {
  readonly source: 'kline'
  readonly tsNs: bigint
  readonly openTimeNs: bigint
  /** Decimal strings, as on the wire. */
  readonly open: string
  readonly high: string
  readonly low: string
  readonly close: string
  readonly volumeBase: string
  readonly file: string
  readonly row: number
}

/** A one-minute pool bar (*.minute.csv), stamped at its close. */
export type PoolBarEvent = {
  readonly source: 'poolBar'
  readonly tsNs: bigint
  readonly openTimeNs: bigint
  readonly netAmount0: bigint
  readonly netAmount1: bigint
  readonly openTick: number
  readonly closeTick: number
  readonly lowestTick: number
  readonly highestTick: number
  /** Token-in volume including the fee. */
  readonly inAmount0: bigint
  readonly inAmount1: bigint
  readonly currentLiquidity: bigint
  readonly file: string
  readonly row: number
}

/** A gas price sample (gwei as a decimal string). */
export type GasPriceEvent = {
  readonly source: 'gasPrice'
  readonly tsNs: bigint
  readonly gasPriceWei: bigint
  readonly file: string
  readonly row: number
}

export type MarketEvent = PoolLogEvent | KlineEvent | PoolBarEvent | GasPriceEvent
