import { Token } from '@uniswap/sdk-core'
import { Pool, Position } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UnknownFeeTierError } from '../errors/feeTier.js'
import { InvalidAmountError } from '../errors/liquidity.js'
import { MathOverflowError } from '../errors/math.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { InvalidDecimalsError } from '../errors/token.js'
import { fromJsbi } from '../internal/jsbi.js'
import type { PriceOrientation } from '../math/priceTick.js'
import { priceToSqrtPriceX96 } from '../math/priceTick.js'
import { getSqrtRatioAtTick, getTickAtSqrtRatio } from '../math/tickMath.js'
import { getTickSpacing } from '../math/tickSpacing.js'
import { planRanges } from './planRanges.js'
import type { PlanRangesParameters, RangePlan, RangePlannerConfig } from './types.js'

const USDC = new Token(1, '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 6)
const WETH = new Token(1, '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', 18)
const usdcWeth: PriceOrientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 }

const charmConfig: RangePlannerConfig = {
  width: { mode: 'fixed', baseThresholdTicks: 600, limitThresholdTicks: 1200 },
  baseCenter: 'pool',
  limitPlacement: 'adjacent',
  minBaseHalfWidthTicks: 0,
  minLimitWidthTicks: 0,
  baseContainsPrice: true,
}

const modelConfig: RangePlannerConfig = {
  width: { mode: 'model', baseSpreadMultiplier: 1, limitWidthMultiplier: 1 },
  baseCenter: 'reservation',
  limitPlacement: 'adjacent',
  minBaseHalfWidthTicks: 199, // BASE_SPREAD 0.02
  minLimitWidthTicks: 0,
  baseContainsPrice: true,
}

function poolAt(tick: number, feePips: number) {
  return { sqrtPriceX96: getSqrtRatioAtTick(tick) + 12345n, tick, feePips }
}

/** Invariants every plan must satisfy (the properties the planner promises). */
function expectPlanInvariants(plan: RangePlan, p: PlanRangesParameters): void {
  const ts = getTickSpacing(p.pool.feePips)
  for (const pos of [plan.base, ...(plan.limit ? [plan.limit] : [])]) {
    expect(pos.tickLower % ts === 0 && pos.tickUpper % ts === 0).toBe(true)
    expect(pos.tickLower).toBeLessThan(pos.tickUpper)
    expect(pos.amount0Raw >= 0n && pos.amount1Raw >= 0n).toBe(true)
  }
  if (plan.limit?.side === 'below') {
    expect(plan.limit.tickUpper).toBeLessThanOrEqual(p.pool.tick)
    expect(plan.limit.amount0Raw).toBe(0n)
  }
  if (plan.limit?.side === 'above') {
    expect(plan.limit.tickLower).toBeGreaterThan(p.pool.tick)
    expect(plan.limit.amount1Raw).toBe(0n)
  }
  const used0 = plan.base.amount0Raw + (plan.limit?.amount0Raw ?? 0n)
  const used1 = plan.base.amount1Raw + (plan.limit?.amount1Raw ?? 0n)
  expect(used0 <= p.balances.amount0Raw && used1 <= p.balances.amount1Raw).toBe(true)
  expect(plan.idle0Raw).toBe(p.balances.amount0Raw - used0)
  expect(plan.idle1Raw).toBe(p.balances.amount1Raw - used1)
}

describe('planRanges in Charm mode reproduces Charm exactly', () => {
  it('negative, unaligned pool tick: base [X − B, X + TS + B], limit on the side with more liquidity', () => {
    const p: PlanRangesParameters = {
      quote: { midPrice: 1, reservationPrice: 1, bidDepth: 0, askDepth: 0 },
      pool: poolAt(-1005, 3000),
      orientation: { baseToken: 'token0', decimals0: 18, decimals1: 18 },
      balances: { amount0Raw: 10n ** 18n, amount1Raw: 3n * 10n ** 18n }, // excess token1
      config: charmConfig,
    }
    const plan = planRanges(p)
    expect(plan.flooredTick).toBe(-1020)
    expect([plan.base.tickLower, plan.base.tickUpper]).toEqual([-1620, -360])
    expect(plan.limit?.side).toBe('below') // the leftover is token1 → bid [X − L, X]
    expect([plan.limit?.tickLower, plan.limit?.tickUpper]).toEqual([-2220, -1020])
    expectPlanInvariants(plan, p)
  })
  it('excess token0 → ask [X + TS, X + TS + L]', () => {
    const p: PlanRangesParameters = {
      quote: { midPrice: 1, reservationPrice: 1, bidDepth: 0, askDepth: 0 },
      pool: poolAt(-1005, 3000),
      orientation: { baseToken: 'token0', decimals0: 18, decimals1: 18 },
      balances: { amount0Raw: 5n * 10n ** 18n, amount1Raw: 10n ** 18n },
      config: charmConfig,
    }
    const plan = planRanges(p)
    expect(plan.limit?.side).toBe('above')
    expect([plan.limit?.tickLower, plan.limit?.tickUpper]).toEqual([-960, 240])
    expectPlanInvariants(plan, p)
  })
})

describe('planRanges from a model quote (USDC/WETH 0.05 %, token0 = USDC)', () => {
  const sqrtPriceX96 = priceToSqrtPriceX96('2000', usdcWeth)
  const tick = getTickAtSqrtRatio(sqrtPriceX96) // 200311
  const pool = { sqrtPriceX96, tick, feePips: 500 }
  const balances = { amount0Raw: 2500n * 10n ** 6n, amount1Raw: 10n ** 18n } // 2,500 USDC + 1 ETH (seed backtest)

  it('centres the base on r: with r below the mid (long ETH) the base sits at higher ticks (price inverted)', () => {
    const quote = { midPrice: 2000, reservationPrice: 1960, bidDepth: 60, askDepth: 20 } // bid 1940, ask 2020
    const p: PlanRangesParameters = {
      quote,
      pool,
      orientation: usdcWeth,
      balances,
      config: { ...modelConfig, minBaseHalfWidthTicks: 0 },
    }
    const plan = planRanges(p)
    // Hand: tick(1960) = floor(ln(1e12/1960)/ln 1.0001) = 200513; edges at r ± 40 = 1920 and 2000:
    // tick(2000) = 200311, tick(1920) = floor(ln(1e12/1920)/ln 1.0001) = 200719 → [floor10(200311), ceil10(200720)].
    expect(plan.centerTick).toBe(Math.floor(Math.log(1e12 / 1960) / Math.log(1.0001)))
    expect(plan.base.tickLower).toBe(200310)
    expect(plan.base.tickUpper).toBe(200720)
    // Asymmetric around the pool tick: far more room above (cheaper ETH) than below.
    expect(plan.base.tickUpper - tick).toBeGreaterThan(10 * (tick - plan.base.tickLower))
    expectPlanInvariants(plan, p)
  })

  it('base amounts equal @uniswap/v3-sdk Position.mintAmounts for the same liquidity', () => {
    const quote = { midPrice: 2000, reservationPrice: 2010, bidDepth: 5, askDepth: 25 }
    const p: PlanRangesParameters = { quote, pool, orientation: usdcWeth, balances, config: modelConfig }
    const plan = planRanges(p)
    const sdkPool = new Pool(USDC, WETH, 500, sqrtPriceX96.toString(), '1000000', tick)
    const position = new Position({
      pool: sdkPool,
      liquidity: plan.base.liquidity.toString(),
      tickLower: plan.base.tickLower,
      tickUpper: plan.base.tickUpper,
    })
    const { amount0, amount1 } = position.mintAmounts
    expect(plan.base.amount0Raw).toBe(fromJsbi(amount0))
    expect(plan.base.amount1Raw).toBe(fromJsbi(amount1))
    // BASE_SPREAD floor: at least 199 ticks from the centre on both sides.
    expect(plan.centerTick - plan.base.tickLower).toBeGreaterThanOrEqual(199)
    expect(plan.base.tickUpper - plan.centerTick).toBeGreaterThanOrEqual(199)
    expectPlanInvariants(plan, p)
  })

  it('with an inventory target, the limit sells the token above target', () => {
    const quote = { midPrice: 2000, reservationPrice: 2000, bidDepth: 10, askDepth: 10 }
    // 500 USDC + 2 ETH: ETH is 4000 / 4500 of the value, above the 50 % target → sell ETH (token1) from below.
    const rich = { amount0Raw: 500n * 10n ** 6n, amount1Raw: 2n * 10n ** 18n }
    const p = {
      quote,
      pool,
      orientation: usdcWeth,
      balances: rich,
      config: modelConfig,
      inventoryTarget: { baseShare: 0.5 },
    }
    const plan = planRanges(p)
    expect(plan.limit?.side).toBe('below')
    expect(plan.limit?.amount1Raw).toBeGreaterThan(0n)
    expectPlanInvariants(plan, p)
  })

  it('model widths centred on the pool price: edges at pool ± ψ/2 whatever r is', () => {
    const quote = { midPrice: 2000, reservationPrice: 1900, bidDepth: 30, askDepth: 10 } // ψ/2 = 20
    const config = { ...modelConfig, baseCenter: 'pool' as const, minBaseHalfWidthTicks: 0 }
    const plan = planRanges({ quote, pool, orientation: usdcWeth, balances, config })
    // Hand: edges at 1980 and 2020 → ticks floor(ln(1e12/2020)/ln 1.0001) and floor(ln(1e12/1980)/ln 1.0001), snapped out.
    const t2020 = Math.floor(Math.log(1e12 / 2020) / Math.log(1.0001))
    const t1980 = Math.floor(Math.log(1e12 / 1980) / Math.log(1.0001))
    expect(plan.base.tickLower).toBe(Math.floor(t2020 / 10) * 10)
    expect(plan.base.tickUpper).toBe(Math.ceil((t1980 + 1) / 10) * 10)
    expect(plan.centerTick).toBe(tick)
  })

  it('limitPlacement modelQuote starts the limit at the model quote, snapped away from the tick', () => {
    const quote = { midPrice: 2000, reservationPrice: 2000, bidDepth: 40, askDepth: 40 }
    const rich = { amount0Raw: 500n * 10n ** 6n, amount1Raw: 2n * 10n ** 18n }
    const p = {
      quote,
      pool,
      orientation: usdcWeth,
      balances: rich,
      config: { ...modelConfig, limitPlacement: 'modelQuote' as const },
    }
    const plan = planRanges(p)
    // The range below the tick holds ETH and sells it as ETH rises: it starts at the ask 2040 → tick(2040) = 200113.
    expect(plan.limit?.side).toBe('below')
    expect(plan.limit?.tickUpper).toBe(Math.floor(Math.floor(Math.log(1e12 / 2040) / Math.log(1.0001)) / 10) * 10)
    expectPlanInvariants(plan, p)
  })
})

describe('planRanges invariants (fast-check)', () => {
  it('aligned ticks, lower < upper, limit strictly on one side, amounts never exceed balances', () => {
    const config = fc.oneof(
      fc.record({
        width: fc.record({
          mode: fc.constant('model' as const),
          baseSpreadMultiplier: fc.double({ min: 0.1, max: 5, noNaN: true }),
          limitWidthMultiplier: fc.double({ min: 0.1, max: 5, noNaN: true }),
        }),
        baseCenter: fc.constantFrom('reservation' as const, 'pool' as const),
        limitPlacement: fc.constantFrom('adjacent' as const, 'modelQuote' as const),
        minBaseHalfWidthTicks: fc.integer({ min: 0, max: 2000 }),
        minLimitWidthTicks: fc.integer({ min: 0, max: 2000 }),
        baseContainsPrice: fc.boolean(),
      }),
      fc.integer({ min: 1, max: 20 }).map((k) => ({
        ...charmConfig,
        width: { mode: 'fixed' as const, baseThresholdTicks: 600 * k, limitThresholdTicks: 1200 * k },
      })),
    )
    fc.assert(
      fc.property(
        // ±400000 ticks covers prices 1e-17…1e17 (every real pair, decimals included); 1e24 raw = 1M 18-decimal tokens.
        fc.integer({ min: -400000, max: 400000 }),
        fc.constantFrom(100, 500, 3000, 10000),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.double({ min: 0.8, max: 1.2, noNaN: true }),
        fc.double({ min: -0.05, max: 0.3, noNaN: true }),
        fc.double({ min: -0.05, max: 0.3, noNaN: true }),
        fc.constantFrom('token0' as const, 'token1' as const),
        config,
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        (tick, feePips, amount0Raw, amount1Raw, rRel, bidRel, askRel, baseToken, cfg, target) => {
          const orientation: PriceOrientation = { baseToken, decimals0: 18, decimals1: 18 }
          const raw = 1.0001 ** tick
          const mid = baseToken === 'token0' ? raw : 1 / raw
          fc.pre(Number.isFinite(mid) && mid > 1e-30 && mid < 1e30)
          const p = {
            quote: { midPrice: mid, reservationPrice: mid * rRel, bidDepth: mid * bidRel, askDepth: mid * askRel },
            pool: poolAt(tick, feePips),
            orientation,
            balances: { amount0Raw, amount1Raw },
            config: cfg as RangePlannerConfig,
            ...(target === undefined ? {} : { inventoryTarget: { baseShare: target } }),
          }
          expectPlanInvariants(planRanges(p), p)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('planRanges at extreme ticks', () => {
  it('balances whose liquidity exceeds uint128 fail with a typed MathOverflowError', () => {
    // tick −800000, spacing 1: √P ≈ 2^96·1.0001^−400000 ≈ 2^38, one spacing ≈ 2^24 wide → L ≈ 1e27·2^72 > 2^128.
    const p: PlanRangesParameters = {
      quote: { midPrice: 1, reservationPrice: 1, bidDepth: 0, askDepth: 0 },
      pool: poolAt(-800000, 100),
      orientation: { baseToken: 'token0', decimals0: 18, decimals1: 18 },
      balances: { amount0Raw: 0n, amount1Raw: 10n ** 27n },
      config: { ...charmConfig, width: { mode: 'fixed', baseThresholdTicks: 1, limitThresholdTicks: 1 } },
    }
    expect(() => planRanges(p)).toThrow(MathOverflowError)
  })
  it('an abundant token overflows only where it is minted (the limit); smaller balances plan fine', () => {
    const p: PlanRangesParameters = {
      quote: { midPrice: 1, reservationPrice: 1, bidDepth: 0, askDepth: 0 },
      pool: poolAt(-800000, 100),
      orientation: { baseToken: 'token0', decimals0: 18, decimals1: 18 },
      balances: { amount0Raw: 10n ** 18n, amount1Raw: 10n ** 27n },
      config: {
        ...charmConfig,
        baseCenter: 'pool',
        width: { mode: 'fixed', baseThresholdTicks: 100, limitThresholdTicks: 100 },
      },
    }
    expect(() => planRanges(p)).toThrow(MathOverflowError) // the leftover token1 in the limit still overflows
    const small = { ...p, balances: { amount0Raw: 10n ** 18n, amount1Raw: 10n ** 12n } }
    expectPlanInvariants(planRanges(small), small)
  })
})

describe('planRanges rejects bad input with typed errors', () => {
  const good: PlanRangesParameters = {
    quote: { midPrice: 2000, reservationPrice: 2000, bidDepth: 5, askDepth: 5 },
    pool: { sqrtPriceX96: priceToSqrtPriceX96('2000', usdcWeth), tick: 200311, feePips: 500 },
    orientation: usdcWeth,
    balances: { amount0Raw: 1n, amount1Raw: 1n },
    config: modelConfig,
  }
  it('unknown fee tier', () => {
    expect(() => planRanges({ ...good, pool: { ...good.pool, feePips: 2500 } })).toThrow(UnknownFeeTierError)
  })
  it('wrong decimals', () => {
    expect(() => planRanges({ ...good, orientation: { ...usdcWeth, decimals0: -6 } })).toThrow(InvalidDecimalsError)
  })
  it('tick and sqrt price from different reads', () => {
    expect(() => planRanges({ ...good, pool: { ...good.pool, tick: 200400 } })).toThrow(/pool.sqrtPriceX96/)
  })
  it('negative balance, NaN quote, bad multiplier', () => {
    expect(() => planRanges({ ...good, balances: { amount0Raw: -1n, amount1Raw: 0n } })).toThrow(InvalidAmountError)
    expect(() => planRanges({ ...good, quote: { ...good.quote, bidDepth: Number.NaN } })).toThrow(InvalidParameterError)
    expect(() =>
      planRanges({
        ...good,
        config: { ...modelConfig, width: { mode: 'model', baseSpreadMultiplier: 0, limitWidthMultiplier: 1 } },
      }),
    ).toThrow(/baseSpreadMultiplier/)
  })
})
