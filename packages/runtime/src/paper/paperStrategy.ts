import type { SeedLpConfig } from '@alp/uniswap-lp'

/**
 * What the paper run and the backtester it is compared with share: the LP strategy of the config's `[lp-manager.LP]`
 * (BASE_SPREAD, REBALANCE_THRESHOLD, FEE_TIER, MODEL_TYPE, MIN_REBALANCE_INTERVAL_MS; the LP manager itself is built
 * from that section by `createLpManagerFromConfig`) plus the paper run's own parameters, whose defaults are those of `examples/two-venue-backtest/config.json` (the backtest example of
 * the same day). The hedger's parameters are the config's `[trader.HEDGER.*]`, given to both sides as they are.
 */
export type PaperStrategy = {
  readonly seed: SeedLpConfig
  /** MIN_REBALANCE_INTERVAL_MS of `[lp-manager.LP]`. */
  readonly minIntervalMs: number
  readonly initialAmount0Raw: bigint
  readonly initialAmount1Raw: bigint
  /** AS model of the LP ranges (time base seconds, prices in quote per base). */
  readonly model: {
    readonly gammaPerPrice: number
    readonly sigmaPerSqrtSec: number
    readonly kPerPrice: number
    readonly horizonSec: number
  }
  /** Kline minutes before the first decision. */
  readonly warmUpMinutes: number
  /**
   * Widen the base range to the trader's `suggestRange` hint, on both sides (the paper LP manager and the backtester's
   * `lp.rangeWidthFromVolatility`). The deployment's roles run on the replay clock (its volatility is per replay
   * second, as the backtester's), but the hint still differs: the hedger's estimator sees the emulator's market data
   * (each kline replayed as prints, the BBO re-centred every tick) where the backtester's sees its kline events. On
   * 00:00–00:25 of 2024-01-05 at 60× the first range came out [198810, 199290) against the backtester's [198700,
   * 199400). Default false, so that the ranges are the backtester's (docs/deployment.md#paper-mode).
   */
  readonly rangeWidthFromVolatility: boolean
  /**
   * Gas units per operation: the backtester's gas-vs-gain decision and gas model, and the paper LP manager's
   * gas-vs-gain check (`writePaperIni` writes them as `[lp-manager.LP]` GAS_UNITS_MINT / _BURN / _COLLECT).
   */
  readonly gasUsed: { readonly mint: number; readonly burn: number; readonly collect: number }
  /** The gas price both sides decide with, wei (the backtester's constant gas model). */
  readonly gasPriceWei: bigint
  readonly pool: {
    readonly feePips: number
    readonly tickSpacing: number
    readonly decimals0: number
    readonly decimals1: number
    readonly baseToken: 'token0' | 'token1'
  }
  /** The backtester's hedge venue models (fill, exchange, fee, latency) for the parity run. */
  readonly backtestModels: {
    readonly fill: { readonly kind: 'touch' } | { readonly kind: 'tradeThrough' }
    readonly exchange: { readonly kind: 'noPartialFill' }
    readonly fee: { readonly kind: 'makerTaker'; readonly makerFeeBps: string; readonly takerFeeBps: string }
    readonly latency: { readonly kind: 'constant'; readonly entryMs: number; readonly responseMs: number }
  }
}

/** Paper parameters not in the INI keys; the defaults of the backtest example (2 500 USDC + 1 WETH, 20 gwei). */
export type PaperStrategyOverrides = Partial<Omit<PaperStrategy, 'seed' | 'pool' | 'minIntervalMs'>>

export const PAPER_STRATEGY_DEFAULTS: Omit<PaperStrategy, 'seed' | 'minIntervalMs'> = {
  initialAmount0Raw: 2_500_000_000n,
  initialAmount1Raw: 1_000_000_000_000_000_000n,
  model: { gammaPerPrice: 0.001, sigmaPerSqrtSec: 0.25, kPerPrice: 0.5, horizonSec: 3600 },
  warmUpMinutes: 10,
  rangeWidthFromVolatility: false,
  gasUsed: { mint: 430_000, burn: 290_000, collect: 120_000 },
  gasPriceWei: 20n * 10n ** 9n,
  // The replayed mainnet USDC/WETH 0.05 % pool (USDC token0, WETH token1).
  pool: { feePips: 500, tickSpacing: 10, decimals0: 6, decimals1: 18, baseToken: 'token1' },
  backtestModels: {
    fill: { kind: 'tradeThrough' },
    exchange: { kind: 'noPartialFill' },
    fee: { kind: 'makerTaker', makerFeeBps: '2', takerFeeBps: '5' },
    latency: { kind: 'constant', entryMs: 50, responseMs: 50 },
  },
}
