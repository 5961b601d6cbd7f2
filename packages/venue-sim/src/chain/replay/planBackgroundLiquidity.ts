import { ChainReplayError } from './errors.js'
import type { PoolEvent } from './readPoolEvents.js'
import { getSqrtRatioAtTick, Q96 } from './tickMath.js'

/** A position the background account mints before the day starts. */
export type BackgroundPosition = {
  readonly tickLower: number
  readonly tickUpper: number
  readonly liquidity: bigint
}

/**
 * How much liquidity one tick-spacing bucket [tickLower, tickLower + spacing) holds at the start of the day, apart
 * from the positions the record itself mints or burns, and how that was found.
 * - 'observed': a swap ended in the bucket; its Swap liquidity minus the record's positions covering the bucket.
 * - 'amounts': no swap ended there, but swaps crossed it; solved from the crossing swaps' input amounts.
 * - 'neighbour': neither; the smaller of the nearest known buckets on each side (also the margin beyond the day's range).
 */
export type BackgroundBucket = BackgroundPosition & { readonly source: 'observed' | 'amounts' | 'neighbour' }

export type BackgroundLiquidityPlan = {
  readonly feePips: number
  readonly tickSpacing: number
  /** The pool's price before the first event (see `openingPriceSource`). */
  readonly openingSqrtPriceX96: bigint
  readonly openingPriceSource: 'first-event-price' | 'first-swap-reversed'
  /** One position per bucket over the day's range plus `marginBuckets` on each side (zero-liquidity ones omitted). */
  readonly buckets: readonly BackgroundBucket[]
  /** Positions burned in the record more than they were minted in it: they existed before the day. */
  readonly preDayPositions: readonly BackgroundPosition[]
  /** Swaps whose observation of a bucket differed from the bucket's first observation (0 on a consistent record). */
  readonly conflictingObservations: number
  /** Buckets whose inferred base liquidity came out negative and was clamped to 0. */
  readonly clampedBuckets: number
}

export type PlanBackgroundLiquidityParameters = {
  feePips?: number | undefined
  tickSpacing?: number | undefined
  /** Buckets of background liquidity added beyond the lowest and highest tick of the day (default 50). */
  marginBuckets?: number | undefined
}

export type PlanBackgroundLiquidityErrorType = ChainReplayError

const positionKey = (tickLower: number, tickUpper: number): string => `${tickLower}:${tickUpper}`

/**
 * Infers the liquidity a pool must hold at the start of the day so that the day's swaps, replayed with the day's own
 * mints and burns, meet the same active liquidity as on mainnet:
 * 1. Positions the record burns beyond what it minted (per tick range) existed before the day: they are seeded.
 * 2. After every swap the record gives the exact active liquidity (the Swap event's field) in the bucket holding the
 *    post-swap tick. Minus the record's positions covering that bucket at that time (seeded pre-day positions
 *    included), this is the bucket's base liquidity, constant through the day.
 * 3. Buckets swaps crossed without ending in: solved from the crossing swaps' input amounts less the fee, after the
 *    known buckets' share (a gap of one bucket: one equation; of two: one upward and one downward crossing, whose
 *    per-bucket price weights differ; wider: one shared value), shaved by one part per million so that the replayed
 *    swap reaches its price limit rather than stopping short. Buckets never touched take the smaller neighbour.
 * The liquidityNet at each tick boundary follows from the base liquidity of the buckets on either side, so crossing a
 * tick changes the active liquidity exactly as on mainnet wherever the buckets are observed.
 */
export function planBackgroundLiquidity(
  events: readonly PoolEvent[],
  parameters: PlanBackgroundLiquidityParameters = {},
): BackgroundLiquidityPlan {
  const feePips = parameters.feePips ?? 500
  const spacing = parameters.tickSpacing ?? 10
  const margin = parameters.marginBuckets ?? 50
  const firstSwap = events.find((e) => e.kind === 'SWAP')
  if (firstSwap === undefined) throw new ChainReplayError({ reason: 'the events hold no SWAP' })
  const bucketOf = (tick: number): number => Math.floor(tick / spacing)

  // 1. Pre-day positions: the shortfall of burns over mints per range.
  const preDay = new Map<string, BackgroundPosition>()
  {
    const net = new Map<string, bigint>()
    for (const e of events) {
      if ((e.kind !== 'MINT' && e.kind !== 'BURN') || e.liquidity === undefined || e.liquidity === 0n) continue
      const key = positionKey(e.tickLower!, e.tickUpper!)
      const current = net.get(key) ?? 0n
      const next = e.kind === 'MINT' ? current + e.liquidity : current - e.liquidity
      if (next < 0n) {
        const seeded = preDay.get(key)?.liquidity ?? 0n
        preDay.set(key, { tickLower: e.tickLower!, tickUpper: e.tickUpper!, liquidity: seeded - next })
        net.set(key, 0n)
      } else net.set(key, next)
    }
  }

  // 2. Observations: Swap liquidity minus the record's positions (pre-day ones included) covering the bucket.
  const totals = new Map<string, BackgroundPosition>()
  for (const [key, p] of preDay) totals.set(key, p)
  const coverage = (bucket: number): bigint => {
    let sum = 0n
    const tick = bucket * spacing
    for (const p of totals.values()) if (p.tickLower <= tick && tick < p.tickUpper) sum += p.liquidity
    return sum
  }
  const base = new Map<number, { liquidity: bigint; source: BackgroundBucket['source'] }>()
  let conflicting = 0
  const applyPosition = (e: PoolEvent): void => {
    if ((e.kind !== 'MINT' && e.kind !== 'BURN') || e.liquidity === undefined || e.liquidity === 0n) return
    const key = positionKey(e.tickLower!, e.tickUpper!)
    const current = totals.get(key)?.liquidity ?? 0n
    const liquidity = e.kind === 'MINT' ? current + e.liquidity : current - e.liquidity
    totals.set(key, { tickLower: e.tickLower!, tickUpper: e.tickUpper!, liquidity })
  }
  for (const e of events) {
    applyPosition(e)
    if (e.kind !== 'SWAP') continue
    const bucket = bucketOf(e.tick)
    const observed = e.totalLiquidity - coverage(bucket)
    const known = base.get(bucket)
    if (known === undefined) base.set(bucket, { liquidity: observed, source: 'observed' })
    else if (known.liquidity !== observed) conflicting++
  }

  // Opening price: the first event's price when it is not a swap; otherwise the first swap reversed from its output
  // amount and liquidity (a swap that crossed no initialized tick: amountOut = L·Δ√P or L·Δ(1/√P)).
  let openingSqrtPriceX96: bigint
  let openingPriceSource: BackgroundLiquidityPlan['openingPriceSource']
  const first = events[0]!
  if (first.kind !== 'SWAP') {
    openingSqrtPriceX96 = first.sqrtPriceX96
    openingPriceSource = 'first-event-price'
  } else {
    const liquidity = first.totalLiquidity
    const after = first.sqrtPriceX96
    if (first.amount0Raw > 0n) {
      // token0 in, price down: amount1 out = L (before - after) / Q96.
      openingSqrtPriceX96 = after + (-first.amount1Raw * Q96) / liquidity
    } else {
      // token1 in, price up: amount0 out = L Q96 (after - before) / (after before).
      const out = -first.amount0Raw
      openingSqrtPriceX96 = (liquidity * Q96 * after) / (liquidity * Q96 + out * after)
    }
    openingPriceSource = 'first-swap-reversed'
  }

  // 3. Buckets crossed but never ended in ("gaps"): every swap that crosses a gap crosses all of it (ending inside would
  // have observed it), so each crossing gives one equation Σ base(b)·unit(b) = input less fee − known buckets' share.
  // Equations of one direction are the same equation; one up (token1 in) and one down (token0 in) differ by the price
  // weight of each bucket, which separates a gap of two buckets. A gap of one needs one equation; otherwise the gap's
  // buckets share one value.
  {
    const totalsAt = new Map<string, BackgroundPosition>()
    for (const [key, p] of preDay) totalsAt.set(key, p)
    const coverageAt = (bucket: number): bigint => {
      let sum = 0n
      const tick = bucket * spacing
      for (const p of totalsAt.values()) if (p.tickLower <= tick && tick < p.tickUpper) sum += p.liquidity
      return sum
    }
    type Equation = { coefficients: bigint[]; rhs: bigint }
    const gaps = new Map<string, { buckets: number[]; up?: Equation; down?: Equation }>()
    const unitLiquidity = 10n ** 27n
    let priceBefore = openingSqrtPriceX96
    let tickBefore: number | undefined
    for (const e of events) {
      if (e.kind === 'MINT' || e.kind === 'BURN') {
        if (e.liquidity !== undefined && e.liquidity > 0n) {
          const key = positionKey(e.tickLower!, e.tickUpper!)
          const current = totalsAt.get(key)?.liquidity ?? 0n
          const liquidity = e.kind === 'MINT' ? current + e.liquidity : current - e.liquidity
          totalsAt.set(key, { tickLower: e.tickLower!, tickUpper: e.tickUpper!, liquidity })
        }
      }
      if (e.kind !== 'SWAP') {
        tickBefore = e.tick
        continue
      }
      const zeroForOne = e.amount0Raw > 0n
      const startBucket = bucketOf(tickBefore ?? e.tick)
      const endBucket = bucketOf(e.tick)
      const unknown: number[] = []
      const step = zeroForOne ? -1 : 1
      for (let b = startBucket + step; b !== endBucket && Math.abs(b - startBucket) < 10_000; b += step) {
        if (!base.has(b)) unknown.push(b)
      }
      if (unknown.length > 0 && startBucket !== endBucket) {
        unknown.sort((x, y) => x - y)
        const amountIn = zeroForOne ? e.amount0Raw : e.amount1Raw
        let remaining = (amountIn * BigInt(1_000_000 - feePips)) / 1_000_000n
        const coefficients = unknown.map(() => 0n)
        for (let b = startBucket; ; b += step) {
          const lo = getSqrtRatioAtTick(b * spacing)
          const hi = getSqrtRatioAtTick((b + 1) * spacing)
          const top = zeroForOne ? (b === startBucket ? priceBefore : hi) : b === endBucket ? e.sqrtPriceX96 : hi
          const bottom = zeroForOne ? (b === endBucket ? e.sqrtPriceX96 : lo) : b === startBucket ? priceBefore : lo
          const segment = (liquidity: bigint): bigint =>
            top <= bottom
              ? 0n
              : zeroForOne
                ? (liquidity * Q96 * (top - bottom)) / (top * bottom)
                : (liquidity * (top - bottom)) / Q96
          const known = base.get(b)
          const u = unknown.indexOf(b)
          if (known !== undefined) remaining -= segment(known.liquidity + coverageAt(b))
          else {
            remaining -= segment(coverageAt(b))
            coefficients[u] = segment(unitLiquidity)
          }
          if (b === endBucket) break
        }
        const key = unknown.join(',')
        const gap = gaps.get(key) ?? { buckets: unknown }
        const equation = { coefficients, rhs: remaining * unitLiquidity }
        if (zeroForOne) gap.down ??= equation
        else gap.up ??= equation
        gaps.set(key, gap)
      }
      priceBefore = e.sqrtPriceX96
      tickBefore = e.tick
    }
    // Shaved by one part per million so that a replayed crossing reaches its price limit rather than stopping short.
    const shave = (x: bigint): bigint => (x * 999_999n) / 1_000_000n
    for (const { buckets: gapBuckets, up, down } of gaps.values()) {
      let solved: bigint[] | undefined
      if (gapBuckets.length === 2 && up !== undefined && down !== undefined) {
        const [a1, b1] = up.coefficients as [bigint, bigint]
        const [a2, b2] = down.coefficients as [bigint, bigint]
        const det = a1 * b2 - a2 * b1
        if (det !== 0n) {
          const x = (up.rhs * b2 - down.rhs * b1) / det
          const y = (a1 * down.rhs - a2 * up.rhs) / det
          if (x >= 0n && y >= 0n) solved = [x, y]
        }
      }
      if (solved === undefined) {
        const first = (up ?? down)!
        const sum = first.coefficients.reduce((x, y) => x + y, 0n)
        const value = sum > 0n && first.rhs > 0n ? first.rhs / sum : 0n
        solved = gapBuckets.map(() => value)
      }
      gapBuckets.forEach((b, i) => {
        if (!base.has(b)) base.set(b, { liquidity: shave(solved[i]!), source: 'amounts' })
      })
    }
  }

  // Fill the rest of the range and the margins from the neighbours.
  const known = [...base.keys()].sort((a, b) => a - b)
  const lowest = known[0]! - margin
  const highest = known[known.length - 1]! + margin
  const buckets: BackgroundBucket[] = []
  let clamped = 0
  let below: bigint | undefined
  for (let b = lowest; b <= highest; b++) {
    let entry = base.get(b)
    if (entry === undefined) {
      let above: bigint | undefined
      for (let c = b + 1; c <= highest && above === undefined; c++) above = base.get(c)?.liquidity
      // The smaller known neighbour (bigint: Math.min does not apply).
      let smallest = below ?? above ?? 0n
      if (above !== undefined && above < smallest) smallest = above
      entry = { liquidity: smallest, source: 'neighbour' }
    }
    let liquidity = entry.liquidity
    if (liquidity < 0n) {
      clamped++
      liquidity = 0n
    }
    below = liquidity
    if (liquidity > 0n) {
      buckets.push({ tickLower: b * spacing, tickUpper: (b + 1) * spacing, liquidity, source: entry.source })
    }
  }
  return {
    feePips,
    tickSpacing: spacing,
    openingSqrtPriceX96,
    openingPriceSource,
    buckets,
    preDayPositions: [...preDay.values()],
    conflictingObservations: conflicting,
    clampedBuckets: clamped,
  }
}
