import { describe, expect, it } from 'vitest'
import { makerTakerFee } from './makerTakerFee.js'
import { noPartialFill } from './noPartialFill.js'
import { partialFill } from './partialFill.js'
import { touchFill } from './touchFill.js'
import { tradeThroughFill } from './tradeThroughFill.js'
import type { RestingOrder } from './types.js'

const bid: RestingOrder = {
  clientOrderId: 'b',
  side: 'buy',
  priceTicks: 226_700,
  sizeLots: 500,
  filledLots: 0,
  liveFromNs: 0n,
}
const ask: RestingOrder = { ...bid, clientOrderId: 'a', side: 'sell', priceTicks: 227_000 }
const bar = { openTimeNs: 0n, lowTicks: 226_700, highTicks: 227_000, volumeLots: 1_000 }

describe('bar fill models', () => {
  it('touch fills at the bar extreme, trade-through needs one tick beyond', () => {
    expect([touchFill().isFilled(bid, bar), touchFill().isFilled(ask, bar)]).toEqual([true, true])
    expect([tradeThroughFill().isFilled(bid, bar), tradeThroughFill().isFilled(ask, bar)]).toEqual([false, false])
    const deeper = { ...bar, lowTicks: 226_699, highTicks: 227_001 }
    expect([tradeThroughFill().isFilled(bid, deeper), tradeThroughFill().isFilled(ask, deeper)]).toEqual([true, true])
  })

  it('no-partial fills the rest; partial caps at participation × volume', () => {
    expect(noPartialFill().fillLots({ ...bid, filledLots: 120 }, bar)).toBe(380)
    expect(partialFill({ participation: 0.1 }).fillLots(bid, bar)).toBe(100)
    expect(() => partialFill({ participation: 0 })).toThrow(/exchange.participation/)
  })

  it('maker/taker fee is exact: 2267.00 × 0.500 ETH × 2 bps = 0.2267; rebate −0.5 bps = −0.056675', () => {
    const fees = makerTakerFee({ tickSize: '0.01', stepSize: '0.001', makerFeeBps: '2', takerFeeBps: '-0.5' })
    expect(fees.feeQuote({ priceTicks: 226_700, sizeLots: 500, maker: true })).toBe('0.2267')
    expect(fees.feeQuote({ priceTicks: 226_700, sizeLots: 500, maker: false })).toBe('-0.056675')
  })
})
