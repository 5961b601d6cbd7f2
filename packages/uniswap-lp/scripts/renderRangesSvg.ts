// Renders docs/img/uniswap-lp-ranges.svg from the REAL planner output (no hand-drawn numbers).
// Run: pnpm --filter @alp/uniswap-lp docs:svg   (Deno runs the TypeScript sources directly; no build needed)
import { writeFileSync } from 'node:fs'
import { fromSeedConfig } from '../src/config/fromSeedConfig.ts'
import { type PriceOrientation, priceToSqrtPriceX96, tickToPrice } from '../src/math/priceTick.ts'
import { getTickAtSqrtRatio } from '../src/math/tickMath.ts'
import { planRanges } from '../src/planner/planRanges.ts'
import type { ModelQuote, PlannedPosition, RangePlan } from '../src/planner/types.ts'

// USDC/WETH 0.05 %: token0 = USDC (6 decimals), token1 = WETH (18); human price = USD per ETH (inverted pool price).
const orientation: PriceOrientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 }
const seed = fromSeedConfig(
  { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
  { minIntervalMs: 3_600_000 },
)
const sqrtPriceX96 = priceToSqrtPriceX96('2000', orientation)
const pool = { sqrtPriceX96, tick: getTickAtSqrtRatio(sqrtPriceX96), feePips: seed.feePips }

type Scenario = { title: string; quote: ModelQuote; amount0Raw: bigint; amount1Raw: bigint }
const scenarios: Scenario[] = [
  {
    title: 'Long ETH (1,000 USDC + 2 ETH, 80 % in ETH): r below the mid, the limit sells ETH',
    quote: { midPrice: 2000, reservationPrice: 1975, bidDepth: 65, askDepth: 15 },
    amount0Raw: 1000n * 10n ** 6n,
    amount1Raw: 2n * 10n ** 18n,
  },
  {
    title: 'Short ETH (4,000 USDC + 0.5 ETH, 20 % in ETH): r above the mid, the limit buys ETH with USDC',
    quote: { midPrice: 2000, reservationPrice: 2025, bidDepth: 15, askDepth: 65 },
    amount0Raw: 4000n * 10n ** 6n,
    amount1Raw: 5n * 10n ** 17n,
  },
]

const plans: RangePlan[] = scenarios.map((s) =>
  planRanges({
    quote: s.quote,
    pool,
    orientation,
    balances: { amount0Raw: s.amount0Raw, amount1Raw: s.amount1Raw },
    config: seed.planner,
    inventoryTarget: { baseShare: 0.5 },
  }),
)

const price = (tick: number) => tickToPrice(tick, orientation)
const edges = (p: PlannedPosition) => [price(p.tickLower), price(p.tickUpper)].sort((a, b) => a - b) as [number, number]
const fmt = (x: number) => x.toFixed(2)
const usdc = (raw: bigint) => (Number(raw) / 1e6).toFixed(2)
const eth = (raw: bigint) => (Number(raw) / 1e18).toFixed(4)

// Axis range: every edge of every plan, padded.
const all = plans.flatMap((p) => [p.base, ...(p.limit ? [p.limit] : [])].flatMap(edges))
const lo = Math.min(...all) * 0.995
const hi = Math.max(...all) * 1.005
const W = 960
const left = 40
const right = W - 40
const x = (p: number) => left + ((p - lo) / (hi - lo)) * (right - left)

const panelH = 250
const out: string[] = []
out.push(
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${panelH * scenarios.length + 40}" font-family="sans-serif" font-size="12">`,
)
out.push(`<rect width="100%" height="100%" fill="white"/>`)
out.push(
  `<text x="${left}" y="22" font-size="15" font-weight="bold">Range planner output: USDC/WETH 0.05 % (tick spacing 10), pool at 2,000 USD/ETH, seed config (BASE_SPREAD 0.02)</text>`,
)

plans.forEach((plan, i) => {
  const s = scenarios[i] as Scenario
  const top = 40 + i * panelH
  const axisY = top + 200
  out.push(`<text x="${left}" y="${top + 18}" font-size="13" font-weight="bold">${s.title}</text>`)
  // price axis
  out.push(`<line x1="${left}" y1="${axisY}" x2="${right}" y2="${axisY}" stroke="#333"/>`)
  const step = 20
  for (let p = Math.ceil(lo / step) * step; p <= hi; p += step) {
    out.push(`<line x1="${x(p)}" y1="${axisY}" x2="${x(p)}" y2="${axisY + 5}" stroke="#333"/>`)
    out.push(`<text x="${x(p)}" y="${axisY + 18}" text-anchor="middle" fill="#333">${p}</text>`)
  }
  out.push(
    `<text x="${right}" y="${axisY + 34}" text-anchor="end" fill="#333">USD per ETH (human price; pool ticks run the other way)</text>`,
  )
  // base range
  const [b0, b1] = edges(plan.base)
  out.push(
    `<rect x="${x(b0)}" y="${top + 90}" width="${x(b1) - x(b0)}" height="${axisY - top - 90}" fill="#4a78c2" fill-opacity="0.35" stroke="#2b4f8f"/>`,
  )
  out.push(
    `<text x="${x(b0) + 4}" y="${top + 105}" fill="#1d3566">base [${fmt(b0)}, ${fmt(b1)}]  ticks [${plan.base.tickLower}, ${plan.base.tickUpper})</text>`,
  )
  out.push(
    `<text x="${x(b0) + 4}" y="${top + 120}" fill="#1d3566">${usdc(plan.base.amount0Raw)} USDC + ${eth(plan.base.amount1Raw)} ETH</text>`,
  )
  // limit range
  if (plan.limit) {
    const [l0, l1] = edges(plan.limit)
    const sells = plan.limit.side === 'below' ? 'sells ETH as it rises' : 'buys ETH as it falls'
    out.push(
      `<rect x="${x(l0)}" y="${top + 140}" width="${x(l1) - x(l0)}" height="${axisY - top - 140}" fill="#e8903a" fill-opacity="0.45" stroke="#a55b12"/>`,
    )
    const anchorX = plan.limit.side === 'below' ? x(l1) - 4 : x(l0) + 4
    const anchor = plan.limit.side === 'below' ? 'end' : 'start'
    out.push(
      `<text x="${anchorX}" y="${top + 155}" text-anchor="${anchor}" fill="#7a3f06">limit [${fmt(l0)}, ${fmt(l1)}] ${sells}</text>`,
    )
    out.push(
      `<text x="${anchorX}" y="${top + 170}" text-anchor="${anchor}" fill="#7a3f06">${usdc(plan.limit.amount0Raw)} USDC + ${eth(plan.limit.amount1Raw)} ETH</text>`,
    )
  }
  // pool price, reservation price, model bid/ask
  const marks: [number, string, string, number][] = [
    [2000, '#c0392b', 'pool 2000', 40],
    [s.quote.reservationPrice, '#27ae60', `r ${s.quote.reservationPrice}`, 56],
    [s.quote.midPrice - s.quote.bidDepth, '#555', `bid ${s.quote.midPrice - s.quote.bidDepth}`, 72],
    [s.quote.midPrice + s.quote.askDepth, '#555', `ask ${s.quote.midPrice + s.quote.askDepth}`, 72],
  ]
  for (const [p, color, label, dy] of marks) {
    out.push(
      `<line x1="${x(p)}" y1="${top + dy - 10}" x2="${x(p)}" y2="${axisY}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5,3"/>`,
    )
    out.push(`<text x="${x(p) + 3}" y="${top + dy}" fill="${color}">${label}</text>`)
  }
  console.log(
    JSON.stringify({
      scenario: i,
      base: {
        ...plan.base,
        liquidity: String(plan.base.liquidity),
        amount0Raw: String(plan.base.amount0Raw),
        amount1Raw: String(plan.base.amount1Raw),
        prices: [b0, b1],
      },
      limit: plan.limit && {
        ...plan.limit,
        liquidity: String(plan.limit.liquidity),
        amount0Raw: String(plan.limit.amount0Raw),
        amount1Raw: String(plan.limit.amount1Raw),
        prices: edges(plan.limit),
      },
      idle0Raw: String(plan.idle0Raw),
      idle1Raw: String(plan.idle1Raw),
      centerTick: plan.centerTick,
      poolTick: pool.tick,
    }),
  )
})
out.push('</svg>')
const path = new URL('../../../docs/img/uniswap-lp-ranges.svg', import.meta.url)
writeFileSync(path, `${out.join('\n')}\n`)
console.log(`wrote ${path.pathname}`)
