import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MatchingEngine } from './MatchingEngine.js'
import type { EngineEvent, InstrumentSpec, PlaceOrderInput } from './types.js'

// Instrument like Binance ETHUSDT perp: tick 0.01 (1 tick = 0.01 USDT), step 0.001 (1 lot = 0.001 ETH).
// Money is in 1e-8 USDT: 1 USDT = 100_000_000n.
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
  makerFeePpm: 200, // 0.02 %
  takerFeePpm: 500, // 0.05 %
  leverage: 20,
}
const SPOT: InstrumentSpec = {
  ...PERP,
  symbol: 'spot:ETHUSDT',
  kind: 'spot',
  stepSize: '0.0001',
  minQty: '0.0001',
  makerFeePpm: 1000,
  takerFeePpm: 1000,
}
const USDT = 100_000_000n

function setup(balances: Record<string, Record<string, bigint>> = {}) {
  let now = 1_700_000_000_000
  let orderId = 1
  let tradeId = 1
  const engine = new MatchingEngine({
    clock: { nowMs: () => now },
    ids: { nextOrderId: () => orderId++, nextTradeId: () => tradeId++ },
    instruments: [PERP, SPOT],
  })
  for (const id of ['A', 'B', 'C']) engine.addAccount(id, balances[id] ?? { USDT: 10_000n * USDT })
  const events: EngineEvent[] = []
  engine.onEvent((e) => events.push(e))
  let cid = 0
  const place = (
    accountId: string,
    side: 'BUY' | 'SELL',
    priceTicks: bigint | null,
    lots: bigint,
    extra: Partial<PlaceOrderInput> = {},
  ) =>
    engine.placeOrder({
      accountId,
      symbol: 'ETHUSDT',
      side,
      type: priceTicks === null ? 'MARKET' : 'LIMIT',
      timeInForce: 'GTC',
      priceTicks,
      lots,
      clientOrderId: `c${++cid}`,
      ...extra,
    })
  return { engine, events, place, advance: (ms: number) => (now += ms) }
}

describe('MatchingEngine price-time priority and order types', () => {
  it('fills the earlier of two orders at the same price first, then the better-priced level before both', () => {
    const { engine, place } = setup()
    const a = place('A', 'BUY', 200_000n, 1000n) // 1.000 ETH @ 2000.00
    const b = place('B', 'BUY', 200_000n, 1000n)
    const better = place('B', 'BUY', 200_001n, 500n) // 0.5 ETH @ 2000.01 (arrives last, better price)
    const taker = place('C', 'SELL', 200_000n, 1200n) // 1.2 ETH
    expect(a.ok && b.ok && better.ok && taker.ok).toBe(true)
    if (!a.ok || !b.ok || !better.ok || !taker.ok) return
    // 500 lots at 2000.01 first, then 700 lots from A (earlier), B untouched.
    expect(taker.fills.map((f) => [f.priceTicks, f.lots])).toEqual([
      [200_001n, 500n],
      [200_000n, 700n],
    ])
    expect(engine.getOrder(a.order.orderId)?.executedLots).toBe(700n)
    expect(engine.getOrder(b.order.orderId)?.executedLots).toBe(0n)
    expect(engine.getOrder(taker.order.orderId)?.status).toBe('FILLED')
  })

  it('rejects a post-only (GTX) order that would take and records nothing; accepts it one tick away', () => {
    const { engine, place } = setup()
    place('A', 'SELL', 200_010n, 100n)
    const rejected = place('B', 'BUY', 200_010n, 100n, { timeInForce: 'GTX' })
    expect(rejected).toEqual({ ok: false, reason: 'POST_ONLY_WOULD_TAKE' })
    expect(engine.listOpenOrders('B')).toEqual([])
    const accepted = place('B', 'BUY', 200_009n, 100n, { timeInForce: 'GTX' })
    expect(accepted.ok && accepted.order.status).toBe('NEW')
  })

  it('partial fills: GTC rests the remainder, IOC expires it, FOK that cannot fill fully expires without trading', () => {
    const { engine, place } = setup()
    place('A', 'SELL', 200_000n, 300n)
    const gtc = place('B', 'BUY', 200_000n, 500n)
    expect(gtc.ok && [gtc.order.status, gtc.order.executedLots]).toEqual(['PARTIALLY_FILLED', 300n])
    expect(engine.snapshot('ETHUSDT', 5).bids).toEqual([[200_000n, 200n]])
    place('A', 'SELL', 200_100n, 100n)
    const ioc = place('C', 'BUY', 200_100n, 400n, { timeInForce: 'IOC' })
    expect(ioc.ok && [ioc.order.status, ioc.order.executedLots]).toEqual(['EXPIRED', 100n])
    place('A', 'SELL', 200_200n, 100n)
    const fok = place('C', 'BUY', 200_200n, 101n, { timeInForce: 'FOK' })
    expect(fok.ok && [fok.order.status, fok.order.executedLots, fok.fills.length]).toEqual(['EXPIRED', 0n, 0])
    expect(engine.snapshot('ETHUSDT', 5).asks).toEqual([[200_200n, 100n]])
  })

  it('rejects a duplicate open clientOrderId, below-minimum notional, and a reduce-only order that would increase the position', () => {
    const { place } = setup()
    expect(place('A', 'BUY', 200_000n, 100n, { clientOrderId: 'dup' }).ok).toBe(true)
    expect(place('A', 'BUY', 199_000n, 100n, { clientOrderId: 'dup' })).toEqual({
      ok: false,
      reason: 'DUPLICATE_CLIENT_ORDER_ID',
    })
    // 0.002 ETH × 2000 = 4 USDT < 5 USDT minimum.
    expect(place('A', 'BUY', 200_000n, 2n)).toEqual({ ok: false, reason: 'NOTIONAL_BELOW_MIN' })
    expect(place('B', 'SELL', 210_000n, 100n, { reduceOnly: true })).toEqual({
      ok: false,
      reason: 'REDUCE_ONLY_REJECTED',
    })
  })

  it('amend: a size decrease keeps time priority, a price change loses it', () => {
    const { engine, place } = setup()
    const a = place('A', 'BUY', 200_000n, 1000n)
    const b = place('B', 'BUY', 200_000n, 1000n)
    if (!a.ok || !b.ok) throw new Error('setup failed')
    expect(engine.amendOrder('A', a.order.orderId, { priceTicks: 200_000n, lots: 800n }).ok).toBe(true)
    let t = place('C', 'SELL', 200_000n, 100n)
    expect(engine.getOrder(a.order.orderId)?.executedLots).toBe(100n) // A still first
    // A moves away and back: now behind B.
    expect(engine.amendOrder('A', a.order.orderId, { priceTicks: 199_999n, lots: 800n }).ok).toBe(true)
    expect(engine.amendOrder('A', a.order.orderId, { priceTicks: 200_000n, lots: 800n }).ok).toBe(true)
    t = place('C', 'SELL', 200_000n, 100n)
    expect(t.ok).toBe(true)
    expect(engine.getOrder(b.order.orderId)?.executedLots).toBe(100n)
    expect(engine.getOrder(a.order.orderId)?.executedLots).toBe(100n)
    expect(engine.amendOrder('A', a.order.orderId, { priceTicks: 200_000n, lots: 800n })).toEqual({
      ok: false,
      reason: 'NO_CHANGE',
    })
  })

  it('self-trade prevention (EXPIRE_MAKER): an own resting order in the way expires as EXPIRED_IN_MATCH', () => {
    const { engine, place } = setup()
    const own = place('A', 'SELL', 200_000n, 100n)
    const other = place('B', 'SELL', 200_000n, 100n)
    const taker = place('A', 'BUY', 200_000n, 150n)
    if (!own.ok || !other.ok || !taker.ok) throw new Error('setup failed')
    expect(engine.getOrder(own.order.orderId)?.status).toBe('EXPIRED_IN_MATCH')
    expect(engine.getOrder(other.order.orderId)?.status).toBe('FILLED')
    expect([taker.order.status, taker.order.executedLots]).toEqual(['PARTIALLY_FILLED', 100n])
  })

  it('cancel and cancel-all remove orders from the book', () => {
    const { engine, place } = setup()
    const a = place('A', 'BUY', 200_000n, 100n)
    place('A', 'BUY', 199_000n, 100n)
    place('B', 'BUY', 199_000n, 100n)
    if (!a.ok) throw new Error('setup failed')
    expect(engine.cancelOrder('A', a.order.orderId).ok).toBe(true)
    expect(engine.cancelOrder('A', a.order.orderId)).toEqual({ ok: false, reason: 'UNKNOWN_ORDER' })
    expect(engine.cancelAll('A', 'ETHUSDT')).toHaveLength(1)
    expect(engine.snapshot('ETHUSDT', 5).bids).toEqual([[199_000n, 100n]])
  })
})

describe('MatchingEngine fees, positions, PnL and margin (hand-computed)', () => {
  it('charges maker 0.02 % and taker 0.05 % of notional; both sides and the print share one trade id', () => {
    const { engine, events, place } = setup()
    place('A', 'SELL', 250_000n, 2000n) // 2 ETH @ 2500.00 resting (maker)
    place('B', 'BUY', 250_000n, 2000n) // taker
    const fills = events.flatMap((e) => (e.kind === 'order' && e.fill ? [e.fill] : []))
    const prints = events.flatMap((e) => (e.kind === 'trade' ? [e.tradeId] : []))
    expect(fills.map((f) => [f.isMaker, f.feeE8])).toEqual([
      [false, 250_000_000n],
      [true, 100_000_000n],
    ])
    expect(new Set([...fills.map((f) => f.tradeId), ...prints]).size).toBe(1)
    // Notional 5000 USDT: maker fee 1.00 USDT, taker fee 2.50 USDT.
    expect(engine.account('A').balances.get('USDT')?.walletE8).toBe(10_000n * USDT - 1n * USDT)
    expect(engine.account('B').balances.get('USDT')?.walletE8).toBe(10_000n * USDT - 250_000_000n)
  })

  it('tracks entry price, realized and unrealized PnL, and available ≠ wallet balance', () => {
    const { engine, place } = setup()
    // External asks to buy from and bids to sell into (taker fills against external liquidity).
    engine.applyExternalDepth(
      'ETHUSDT',
      [[220_000n, 10_000n]],
      [
        [200_000n, 1000n],
        [210_000n, 1000n],
      ],
    )
    place('A', 'BUY', 210_000n, 2000n) // 1 ETH @ 2000 + 1 ETH @ 2100 → entry 2050
    const pos = engine.positionView('A', 'ETHUSDT')
    expect(pos.lots).toBe(2000n)
    expect(pos.entryCostE8).toBe(4100n * USDT)
    place('A', 'SELL', 220_000n, 1500n) // sell 1.5 ETH @ 2200 into the external bid
    // realized = 1.5 × 2200 − 1.5 × 2050 = 3300 − 3075 = 225 USDT
    const after = engine.positionView('A', 'ETHUSDT')
    expect(after.cumRealizedPnlE8).toBe(225n * USDT)
    expect(after.entryCostE8).toBe(1025n * USDT) // 0.5 ETH × 2050
    // Fees (taker 0.05 %): 2000 → 1.00, 2100 → 1.05, 3300 → 1.65; wallet = 10000 − 3.70 + 225 = 10221.30
    const wallet = 10_221n * USDT + 30_000_000n
    // Mark: put the book at 2299.99 / 2300.01 → mid 2300.00; uPnL = 0.5 × 2300 − 1025 = 125
    engine.applyExternalDepth(
      'ETHUSDT',
      [
        [220_000n, 0n],
        [229_999n, 100n],
      ],
      [[230_001n, 100n]],
    )
    const m = engine.marginSummary('A', 'USDT')
    expect(m.walletBalanceE8).toBe(wallet)
    expect(m.unrealizedPnlE8).toBe(125n * USDT)
    // Position IM = 0.5 × 2300 / 20 = 57.5 USDT. A resting bid of 1 ETH @ 2200 adds 2200 / 20 = 110 USDT open-order IM.
    place('A', 'BUY', 220_000n, 1000n)
    const m2 = engine.marginSummary('A', 'USDT')
    expect(m2.positionInitialMarginE8).toBe(57n * USDT + 50_000_000n)
    expect(m2.openOrderInitialMarginE8).toBe(110n * USDT)
    expect(m2.availableBalanceE8).toBe(wallet + 125n * USDT - 57n * USDT - 50_000_000n - 110n * USDT)
    // A resting ask of 0.3 ETH only closes part of the long: no extra margin (the bid side is larger).
    place('A', 'SELL', 240_000n, 300n)
    expect(engine.marginSummary('A', 'USDT').openOrderInitialMarginE8).toBe(110n * USDT)
  })

  it('rejects an order whose margin the account cannot afford', () => {
    const { place } = setup({ A: { USDT: 100n * USDT } })
    // 1 ETH @ 2000 at 20× needs 100 USDT: fits exactly; 0.003 ETH more (6 USDT notional, 0.3 USDT margin) does not.
    expect(place('A', 'BUY', 200_000n, 1000n).ok).toBe(true)
    expect(place('A', 'BUY', 200_000n, 3n)).toEqual({ ok: false, reason: 'INSUFFICIENT_MARGIN' })
  })
})

describe('MatchingEngine against external liquidity', () => {
  it('an external trade at our price fills us only after the external queue ahead of us; a trade through our price fills us at once', () => {
    const { engine, place } = setup()
    engine.applyExternalDepth('ETHUSDT', [[200_000n, 500n]], [[200_100n, 500n]])
    const ours = place('A', 'BUY', 200_000n, 300n) // joins behind 500 external lots
    if (!ours.ok) throw new Error('setup failed')
    engine.applyExternalTrade('ETHUSDT', 200_000n, 400n, 'SELL')
    expect(engine.getOrder(ours.order.orderId)?.executedLots).toBe(0n) // 100 lots still ahead
    engine.applyExternalTrade('ETHUSDT', 200_000n, 250n, 'SELL') // 100 queue + 150 ours
    expect(engine.getOrder(ours.order.orderId)?.executedLots).toBe(150n)
    engine.applyExternalTrade('ETHUSDT', 199_000n, 1000n, 'SELL') // through our price
    expect(engine.getOrder(ours.order.orderId)?.status).toBe('FILLED')
  })

  it('external size crossing a resting order fills it as maker at the order price', () => {
    const { engine, place } = setup()
    engine.applyExternalDepth('ETHUSDT', [[199_000n, 500n]], [[201_000n, 500n]])
    const ours = place('A', 'BUY', 200_000n, 300n, { timeInForce: 'GTX' })
    if (!ours.ok) throw new Error('setup failed')
    engine.applyExternalDepth('ETHUSDT', [], [[199_500n, 200n]]) // ask drops below our bid
    const o = engine.getOrder(ours.order.orderId)
    expect([o?.status, o?.executedLots, o?.cumQuoteE8]).toEqual(['PARTIALLY_FILLED', 200n, 400n * USDT]) // 0.2 ETH × 2000
    // The crossing external level was consumed; the book is not crossed.
    const snap = engine.snapshot('ETHUSDT', 5)
    expect(snap.asks[0]).toEqual([201_000n, 500n])
    expect(snap.bids[0]).toEqual([200_000n, 100n])
  })
})

describe('MatchingEngine book deltas', () => {
  it('chains update ids: U = previous u + 1 within the engine, pu = previous u, snapshot id = last applied change', () => {
    const { engine, events, place } = setup()
    place('A', 'BUY', 200_000n, 100n)
    engine.flushBook('ETHUSDT')
    place('B', 'SELL', 201_000n, 100n)
    place('B', 'SELL', 201_100n, 100n)
    const snap = engine.snapshot('ETHUSDT', 10)
    engine.flushBook('ETHUSDT')
    const deltas = events.filter((e) => e.kind === 'bookDelta')
    expect(deltas.map((d) => [d.firstUpdateId, d.lastUpdateId, d.prevLastUpdateId])).toEqual([
      [1, 1, 0],
      [2, 3, 1],
    ])
    expect(snap.lastUpdateId).toBe(3)
  })
})

describe('MatchingEngine spot', () => {
  it('locks quote for bids, transfers on fill with the fee in the received asset, and rejects unaffordable orders', () => {
    const { engine } = setup({ A: { USDT: 1000n * USDT }, B: { ETH: 1n * USDT } })
    const place = (
      accountId: string,
      side: 'BUY' | 'SELL',
      priceTicks: bigint,
      lots: bigint,
      tif: 'GTC' | 'GTX' = 'GTC',
    ) =>
      engine.placeOrder({
        accountId,
        symbol: 'spot:ETHUSDT',
        side,
        type: 'LIMIT',
        timeInForce: tif,
        priceTicks,
        lots,
        clientOrderId: `${accountId}${lots}`,
      })
    // 0.4 ETH @ 2000 = 800 USDT locked.
    expect(place('A', 'BUY', 200_000n, 4000n).ok).toBe(true)
    expect(engine.account('A').balances.get('USDT')?.lockedE8).toBe(800n * USDT)
    expect(place('A', 'BUY', 200_000n, 1001n)).toEqual({ ok: false, reason: 'INSUFFICIENT_BALANCE' }) // 200.2 > 200 free
    expect(place('B', 'SELL', 200_000n, 1000n, 'GTX')).toEqual({ ok: false, reason: 'POST_ONLY_WOULD_TAKE' })
    expect(place('B', 'SELL', 200_000n, 1000n).ok).toBe(true) // B sells 0.1 ETH to A's resting bid
    // A (maker, 0.1 %): pays 200 USDT, receives 0.1 ETH − 0.0001 ETH fee. B (taker): gets 200 − 0.2 USDT.
    expect(engine.account('A').balances.get('USDT')).toEqual({ walletE8: 800n * USDT, lockedE8: 600n * USDT })
    expect(engine.account('A').balances.get('ETH')?.walletE8).toBe(9_990_000n)
    expect(engine.account('B').balances.get('USDT')?.walletE8).toBe(199n * USDT + 80_000_000n)
    expect(engine.account('B').balances.get('ETH')).toEqual({ walletE8: 90_000_000n, lockedE8: 0n })
  })
})

describe('MatchingEngine invariants (property)', () => {
  it('never leaves a crossed book; positions net to zero; Σ entry cost = Σ realized PnL; wallets = initial + realized − fees', () => {
    const order = fc.record({
      account: fc.constantFrom('A', 'B', 'C'),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      priceTicks: fc.bigInt({ min: 199_990n, max: 200_010n }),
      lots: fc.bigInt({ min: 3n, max: 400n }),
      tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'GTX' as const, 'FOK' as const),
      cancelFirstOpen: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 60 }), (orders) => {
        const { engine, events, place } = setup({
          A: { USDT: 1_000_000n * USDT },
          B: { USDT: 1_000_000n * USDT },
          C: { USDT: 1_000_000n * USDT },
        })
        for (const o of orders) {
          if (o.cancelFirstOpen) {
            const first = engine.listOpenOrders(o.account)[0]
            if (first) engine.cancelOrder(o.account, first.orderId)
          }
          place(o.account, o.side, o.priceTicks, o.lots, { timeInForce: o.tif })
          const top = engine.bestBidAsk('ETHUSDT')
          if (top.bid && top.ask) expect(top.bid[0]).toBeLessThan(top.ask[0])
        }
        let lots = 0n
        let cost = 0n
        let realized = 0n
        for (const id of ['A', 'B', 'C']) {
          const v = engine.positionView(id, 'ETHUSDT')
          lots += v.lots
          cost += v.entryCostE8
          realized += v.cumRealizedPnlE8
          const fees = events
            .filter((e) => e.kind === 'order' && e.order.accountId === id && e.fill !== null)
            .reduce((sum, e) => sum + (e.kind === 'order' && e.fill ? e.fill.feeE8 : 0n), 0n)
          expect(engine.account(id).balances.get('USDT')?.walletE8).toBe(1_000_000n * USDT + v.cumRealizedPnlE8 - fees)
        }
        expect(lots).toBe(0n)
        expect(cost).toBe(realized)
      }),
      { numRuns: 150, seed: 42 },
    )
  })
})

describe('MatchingEngine one clock read per match', () => {
  // A clock that moves 1 ms on every read: any second read inside one match shows as a different stamp.
  function tickingSetup() {
    let now = 1_700_000_000_000
    let orderId = 1
    let tradeId = 1
    const engine = new MatchingEngine({
      clock: { nowMs: () => now++ },
      ids: { nextOrderId: () => orderId++, nextTradeId: () => tradeId++ },
      instruments: [PERP],
    })
    for (const id of ['A', 'B', 'C']) engine.addAccount(id, { USDT: 10_000n * USDT })
    const events: EngineEvent[] = []
    engine.onEvent((e) => events.push(e))
    return { engine, events }
  }
  const limit = (accountId: string, side: 'BUY' | 'SELL', priceTicks: bigint, lots: bigint, clientOrderId: string) =>
    ({
      accountId,
      symbol: 'ETHUSDT',
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      priceTicks,
      lots,
      clientOrderId,
    }) as const

  it('a taker crossing two makers: the positions, every fill and the account updates carry the same time', () => {
    const { engine, events } = tickingSetup()
    expect(engine.placeOrder(limit('A', 'SELL', 200_000n, 100n, 'a1')).ok).toBe(true)
    expect(engine.placeOrder(limit('B', 'SELL', 200_001n, 100n, 'b1')).ok).toBe(true)
    const from = events.length
    const taker = engine.placeOrder(limit('C', 'BUY', 200_001n, 200n, 'c1'))
    expect(taker.ok && taker.fills.length).toBe(2)
    const match = events.slice(from)
    const trades = match.filter((e) => e.kind === 'order' && e.execType === 'TRADE')
    const accounts = match.filter((e) => e.kind === 'account')
    expect(trades).toHaveLength(4) // two fills for the taker, one for each maker
    expect(accounts.map((e) => (e.kind === 'account' ? e.accountId : '')).sort()).toEqual(['A', 'B', 'C'])
    const stamps = new Set([
      ...match.filter((e) => e.kind !== 'bookDelta').map((e) => e.tsMs),
      engine.positionView('A', 'ETHUSDT').updatedTsMs,
      engine.positionView('B', 'ETHUSDT').updatedTsMs,
      engine.positionView('C', 'ETHUSDT').updatedTsMs,
    ])
    expect(stamps.size).toBe(1)
  })

  it('an external print filling a resting order: the position, the fill and the account update carry the same time', () => {
    const { engine, events } = tickingSetup()
    expect(engine.placeOrder(limit('A', 'BUY', 200_000n, 100n, 'a1')).ok).toBe(true)
    const from = events.length
    engine.applyExternalTrade('ETHUSDT', 199_999n, 100n, 'SELL')
    const match = events.slice(from)
    const fill = match.find((e) => e.kind === 'order' && e.execType === 'TRADE')
    const account = match.find((e) => e.kind === 'account')
    expect(fill?.tsMs).toBeDefined()
    expect(account?.tsMs).toBe(fill?.tsMs)
    expect(engine.positionView('A', 'ETHUSDT').updatedTsMs).toBe(fill?.tsMs)
  })
})
