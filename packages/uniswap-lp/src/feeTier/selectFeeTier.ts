import { InvalidParameterError } from '../errors/parameter.js'
import { getTickSpacing } from '../math/tickSpacing.js'

/** One candidate pool (same pair, one fee tier) with its recent stats. */
export type FeeTierCandidate = {
  /** Fee tier, pips (500 = 0.05 %). */
  feePips: number
  /** Trading volume through this pool, USD per day (e.g. a 7-day average). */
  volumeUsdPerDay: number
  /** The pool's in-range liquidity, `pool.liquidity()` (raw √(token0·token1) units). */
  activeLiquidity: bigint
  /** slot0.sqrtPriceX96 of this pool. */
  sqrtPriceX96: bigint
}

export type SelectFeeTierParameters = {
  tiers: readonly FeeTierCandidate[]
  /** Capital to deploy, USD. */
  capitalUsd: number
  /** σ of the log price, per √day (e.g. 0.04 = 4 % daily volatility). */
  sigmaPerSqrtDay: number
  /** Gas for one rebalance (burn + collect + mint), USD. */
  gasCostUsdPerRebalance: number
  /** USD per whole token1 (to value capital in token1 and the pool's liquidity). */
  token1PriceUsd: number
  /** ERC-20 decimals of token1. */
  decimals1: number
  /** Candidate base half-widths in ticks; each is rounded up to the tier's spacing. */
  halfWidthTicks: readonly number[]
}

/** The estimate for one tier at its best half-width. All rates are USD per day. */
export type FeeTierEstimate = {
  feePips: number
  tickSpacing: number
  /** The half-width (ticks, aligned) that maximised the net rate for this tier. */
  halfWidthTicks: number
  /** Our liquidity for the capital over ±halfWidthTicks (as a double). */
  liquidity: number
  /** Our share of in-range liquidity, L/(L_pool + L). */
  liquidityShare: number
  feeIncomeUsdPerDay: number
  /** Loss-versus-rebalancing (the IL cost rate of a hedged LP) while in range. */
  lvrUsdPerDay: number
  rebalancesPerDay: number
  rebalanceCostUsdPerDay: number
  netUsdPerDay: number
}

const LN_TICK = Math.log(1.0001)

/**
 * Ranks fee tiers by expected net income per day = fee income − LVR (IL cost) − rebalancing gas. Formula and assumptions
 * (docs/uniswap-lp.md, "Fee-tier selector"):
 * - our liquidity for capital C (token1 units) on [P·1.0001^−h, P·1.0001^h] is L = C / (2√P(1 − 1.0001^(−h/2)));
 * - fee income = fee · volume · L/(L_pool + L): volume is unchanged by our liquidity and is shared pro rata in range;
 * - LVR = σ²·L·√P/4 per day (Milionis et al. 2022, v3 position in range), i.e. σ²C/(8(1 − 1.0001^(−h/2)));
 * - the price is a driftless Brownian motion in log space; recentring at each exit of ±a (a = h·ln 1.0001) gives
 *   σ²/a² rebalances per day (mean exit time a²/σ²), each costing the given gas; time out of range is ignored.
 * @throws InvalidParameterError | UnknownFeeTierError
 */
export function selectFeeTier(parameters: SelectFeeTierParameters): FeeTierEstimate[] {
  validate(parameters)
  const { tiers, capitalUsd, sigmaPerSqrtDay, gasCostUsdPerRebalance, token1PriceUsd, decimals1 } = parameters
  const variancePerDay = sigmaPerSqrtDay * sigmaPerSqrtDay
  const capitalToken1Raw = (capitalUsd / token1PriceUsd) * 10 ** decimals1
  const usdPerToken1Raw = token1PriceUsd / 10 ** decimals1
  const estimates = tiers.map((tier) => {
    const tickSpacing = getTickSpacing(tier.feePips)
    const sqrtPrice = Number(tier.sqrtPriceX96) / 2 ** 96
    const poolLiquidity = Number(tier.activeLiquidity)
    let best: FeeTierEstimate | null = null
    for (const candidate of parameters.halfWidthTicks) {
      const h = Math.ceil(candidate / tickSpacing) * tickSpacing
      const shrink = 1 - 1.0001 ** (-h / 2)
      const liquidity = capitalToken1Raw / (2 * sqrtPrice * shrink)
      const liquidityShare = liquidity / (poolLiquidity + liquidity)
      const feeIncomeUsdPerDay = (tier.feePips / 1e6) * tier.volumeUsdPerDay * liquidityShare
      const lvrUsdPerDay = ((variancePerDay * liquidity * sqrtPrice) / 4) * usdPerToken1Raw
      const a = h * LN_TICK
      const rebalancesPerDay = variancePerDay / (a * a)
      const rebalanceCostUsdPerDay = rebalancesPerDay * gasCostUsdPerRebalance
      const netUsdPerDay = feeIncomeUsdPerDay - lvrUsdPerDay - rebalanceCostUsdPerDay
      const estimate: FeeTierEstimate = {
        feePips: tier.feePips,
        tickSpacing,
        halfWidthTicks: h,
        liquidity,
        liquidityShare,
        feeIncomeUsdPerDay,
        lvrUsdPerDay,
        rebalancesPerDay,
        rebalanceCostUsdPerDay,
        netUsdPerDay,
      }
      if (best === null || estimate.netUsdPerDay > best.netUsdPerDay) best = estimate
    }
    return best as FeeTierEstimate
  })
  return estimates.sort((x, y) => y.netUsdPerDay - x.netUsdPerDay)
}

function validate(p: SelectFeeTierParameters): void {
  const check = (field: string, value: number, rule: string, ok: boolean) => {
    if (!Number.isFinite(value) || !ok) throw new InvalidParameterError({ field, value, rule })
  }
  if (p.tiers.length === 0) throw new InvalidParameterError({ field: 'tiers', value: p.tiers, rule: 'non-empty' })
  if (p.halfWidthTicks.length === 0) {
    throw new InvalidParameterError({ field: 'halfWidthTicks', value: p.halfWidthTicks, rule: 'non-empty' })
  }
  check('capitalUsd', p.capitalUsd, '> 0', p.capitalUsd > 0)
  check('sigmaPerSqrtDay', p.sigmaPerSqrtDay, '>= 0', p.sigmaPerSqrtDay >= 0)
  check('gasCostUsdPerRebalance', p.gasCostUsdPerRebalance, '>= 0', p.gasCostUsdPerRebalance >= 0)
  check('token1PriceUsd', p.token1PriceUsd, '> 0', p.token1PriceUsd > 0)
  check(
    'decimals1',
    p.decimals1,
    'an integer in [0, 255]',
    Number.isInteger(p.decimals1) && p.decimals1 >= 0 && p.decimals1 <= 255,
  )
  p.halfWidthTicks.forEach((h, i) => {
    check(`halfWidthTicks[${i}]`, h, 'an integer > 0', Number.isInteger(h) && h > 0)
  })
  p.tiers.forEach((t, i) => {
    check(`tiers[${i}].volumeUsdPerDay`, t.volumeUsdPerDay, '>= 0', t.volumeUsdPerDay >= 0)
    if (t.activeLiquidity < 0n) {
      throw new InvalidParameterError({ field: `tiers[${i}].activeLiquidity`, value: t.activeLiquidity, rule: '>= 0' })
    }
    if (t.sqrtPriceX96 <= 0n) {
      throw new InvalidParameterError({ field: `tiers[${i}].sqrtPriceX96`, value: t.sqrtPriceX96, rule: '> 0' })
    }
  })
}
