import type { HedgerConfigInput } from '@alp/hedger'
import type { SeedLpConfig } from '@alp/uniswap-lp'

/**
 * One backtest run, spelled out: data files, pool, LP strategy, hedger, and every realism model by name. Nothing has a
 * default: a missing model is a {@link MissingModelError}. Paths are resolved against the config file's folder.
 * JSON-safe (bigints as decimal strings); docs/backtest.md#config documents each field.
 */
export type RunConfig = {
  readonly name: string
  readonly data: {
    /** demeter-fetch *.tick.csv of the pool (exact replay). */
    readonly poolEvents: string
    /** Binance one-minute klines of the hedge venue. */
    readonly klines: string
  }
  readonly pool: {
    readonly feePips: number
    readonly tickSpacing: number
    /** Price before the first event (decimal string of a Q64.96). */
    readonly initialSqrtPriceX96: string
    readonly decimals0: number
    readonly decimals1: number
    /** The volatile token whose price is quoted (USDC/WETH: token1). */
    readonly baseToken: 'token0' | 'token1'
  }
  readonly lp: {
    readonly seed: SeedLpConfig
    readonly minIntervalMs: number
    readonly initialAmount0Raw: string
    readonly initialAmount1Raw: string
    /** AS model for the LP ranges; time base seconds, prices in quote per base. */
    readonly model: {
      readonly gammaPerPrice: number
      readonly sigmaPerSqrtSec: number
      readonly kPerPrice: number
      readonly horizonSec: number
    }
    /** Minutes of data before the first position (the hedger warms up too). */
    readonly warmUpMinutes: number
    /**
     * Widen the base range to the hedger's volatility-driven `suggestRange` half-width when it is wider than the model's
     * (`applyRangeHalfWidthHint` of @alp/uniswap-lp, the same as the live LP manager). Default true.
     */
    readonly rangeWidthFromVolatility?: boolean | undefined
    /**
     * The one inventory target: the share of the LP's value held in the base token, at the pool price (the live LP
     * manager's `targetBaseShare`, default 0.5). The AS quote's inventory, the policy's deviation, the planner, the
     * hedger's `lpInventory` and the net exposure series are all measured against it.
     */
    readonly targetBaseShare?: number | undefined
  }
  readonly hedger: HedgerConfigInput
  /** The hedge venue as the simulator sees it (must be one of `hedger.venues`). */
  readonly venue: { readonly name: string; readonly tickSize: string; readonly stepSize: string }
  readonly models: {
    readonly fill?: { readonly kind: 'touch' } | { readonly kind: 'tradeThrough' }
    readonly exchange?:
      | { readonly kind: 'noPartialFill' }
      | { readonly kind: 'partialFill'; readonly participation: number }
    readonly fee?: { readonly kind: 'makerTaker'; readonly makerFeeBps: string; readonly takerFeeBps: string }
    readonly latency?: { readonly kind: 'constant'; readonly entryMs: number; readonly responseMs: number }
    readonly gas?:
      | { readonly kind: 'constant'; readonly gasPriceGwei: string }
      /** A gas price series (block_timestamp, gas_price in gwei; e.g. data/uniswap-polygon-2023-08/gas_price.csv): the last sample at or before each operation. */
      | { readonly kind: 'series'; readonly file: string }
  }
  /** Gas used per pool operation (mainnet NonfungiblePositionManager typical values). */
  readonly gasUsed: { readonly mint: number; readonly burn: number; readonly collect: number }
}
