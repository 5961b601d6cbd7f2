import { describe, expect, it } from 'vitest'
import { MatchingEngine } from './MatchingEngine.js'
import { SimulatedMarket } from './SimulatedMarket.js'
import type { InstrumentSpec } from './types.js'

const PERP: InstrumentSpec = {
  symbol: 'ETHUSDT',
  kind: 'perp',
  baseAsset: 'ETH',
  quoteAsset: 'USDT',
  tickSize: '0.01',
  stepSize: '0.001',
  minQty: '0.001',
  maxQty: '10000',
  minNotional: '5',
  makerFeePpm: 200,
  takerFeePpm: 500,
}

function run(seed: number, steps: number) {
  let now = 0
  let id = 1
  const engine = new MatchingEngine({
    clock: { nowMs: () => now },
    ids: { nextOrderId: () => id++, nextTradeId: () => id++ },
    instruments: [PERP],
  })
  engine.addAccount('A', { USDT: 1_000_000n * 100_000_000n })
  const market = new SimulatedMarket({
    engine,
    symbol: 'ETHUSDT',
    seed,
    startMidTicks: 268_162n,
    startMs: 0,
    stepMs: 100,
  })
  const mids: bigint[] = []
  let crossed = false
  market.advance(0)
  // Join the best external bid with a post-only order; simulated sell prints at the touch must eventually fill it.
  const best = engine.bestBidAsk('ETHUSDT').bid
  if (!best) throw new Error('no simulated bid')
  const order = engine.placeOrder({
    accountId: 'A',
    symbol: 'ETHUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTX',
    priceTicks: best[0],
    lots: 100n,
    clientOrderId: 'join-bid',
  })
  if (!order.ok) throw new Error(`rejected: ${order.reason}`)
  for (let i = 0; i < steps; i++) {
    now += 100
    market.advance(now)
    mids.push(market.currentMidTicks)
    const top = engine.bestBidAsk('ETHUSDT')
    if (top.bid && top.ask && top.bid[0] >= top.ask[0]) crossed = true
  }
  return { mids, crossed, filled: engine.getOrder(order.order.orderId)?.executedLots ?? 0n }
}

describe('SimulatedMarket', () => {
  it('is deterministic per seed, never crosses the book, and fills a resting order at the touch through external flow', () => {
    const a = run(1, 600)
    const b = run(1, 600)
    const c = run(2, 600)
    expect(a.mids).toEqual(b.mids)
    expect(a.mids).not.toEqual(c.mids)
    expect(a.crossed).toBe(false)
    expect(a.filled).toBeGreaterThan(0n)
  })
})
