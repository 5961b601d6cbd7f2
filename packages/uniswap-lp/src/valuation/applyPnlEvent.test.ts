import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { applyPnlEvent } from './applyPnlEvent.js'
import { createPnlState } from './createPnlState.js'
import { getPnlSnapshot } from './getPnlSnapshot.js'

const E18 = 10n ** 18n

describe('PnL tracker (hand-computed scenario, USDC/WETH)', () => {
  const p = (eth: string) => ({ token0: '1', token1: eth })
  it('fees, IL, gas, realized and unrealized', () => {
    let s = createPnlState({ decimals0: 6, decimals1: 18 })
    s = applyPnlEvent(s, {
      type: 'deposit',
      positionId: 'base',
      tsMs: 1,
      liquidity: 1000n,
      amount0Raw: 2000n * 10n ** 6n,
      amount1Raw: E18,
      prices: p('2000'),
    })
    s = applyPnlEvent(s, {
      type: 'collect',
      positionId: 'base',
      tsMs: 2,
      fees0Raw: 10n * 10n ** 6n,
      fees1Raw: 5n * 10n ** 15n,
      prices: p('2100'),
    })
    s = applyPnlEvent(s, { type: 'gas', tsMs: 3, gasCostWei: 10n ** 16n, nativeUsdPrice: '2100' })
    // Burn half: receive 1100 USDC + 0.45 ETH at 2200; the retired half of the basket is 1000 USDC + 0.5 ETH.
    s = applyPnlEvent(s, {
      type: 'withdraw',
      positionId: 'base',
      tsMs: 4,
      liquidity: 500n,
      amount0Raw: 1100n * 10n ** 6n,
      amount1Raw: 45n * 10n ** 16n,
      prices: p('2200'),
    })
    expect(s.depositedUsd).toBeCloseTo(4000, 9)
    expect(s.feesRealizedUsd).toBeCloseTo(20.5, 9) // 10 + 0.005·2100
    expect(s.gasUsd).toBeCloseTo(21, 9) // 0.01·2100
    expect(s.ilRealizedUsd).toBeCloseTo(-10, 9) // (1100 + 990) − (1000 + 1100)
    const snap = getPnlSnapshot(s, {
      prices: p('2200'),
      positions: {
        base: { amount0Raw: 1100n * 10n ** 6n, amount1Raw: 45n * 10n ** 16n, fees0Raw: 10n ** 6n, fees1Raw: 0n },
      },
    })
    expect(snap.ilUnrealizedUsd).toBeCloseTo(-10, 9)
    expect(snap.feesUnrealizedUsd).toBeCloseTo(1, 9)
    expect(snap.realizedPnlUsd).toBeCloseTo(20.5 - 10 - 21, 9)
    expect(snap.unrealizedPnlUsd).toBeCloseTo(1 - 10, 9)
    expect(snap.totalPnlUsd).toBeCloseTo(-19.5, 9)
    expect(snap.holdValueUsd).toBeCloseTo(2100, 9)
  })
  it('rejects time going backwards, over-burning and missing marks', () => {
    let s = createPnlState({ decimals0: 6, decimals1: 18 })
    s = applyPnlEvent(s, {
      type: 'deposit',
      positionId: 'a',
      tsMs: 10,
      liquidity: 1n,
      amount0Raw: 1n,
      amount1Raw: 1n,
      prices: p('1'),
    })
    expect(() => applyPnlEvent(s, { type: 'gas', tsMs: 9, gasCostWei: 1n, nativeUsdPrice: '1' })).toThrow(
      InvalidParameterError,
    )
    expect(() =>
      applyPnlEvent(s, {
        type: 'withdraw',
        positionId: 'a',
        tsMs: 11,
        liquidity: 2n,
        amount0Raw: 0n,
        amount1Raw: 0n,
        prices: p('1'),
      }),
    ).toThrow(InvalidAmountError)
    expect(() => getPnlSnapshot(s, { prices: p('1'), positions: {} })).toThrow(/marks.positions.a/)
  })
  it('the input state is never modified', () => {
    const s0 = createPnlState({ decimals0: 6, decimals1: 18 })
    const s1 = applyPnlEvent(s0, {
      type: 'deposit',
      positionId: 'a',
      tsMs: 1,
      liquidity: 1n,
      amount0Raw: 1n,
      amount1Raw: 1n,
      prices: p('1'),
    })
    expect(s0.positions).toEqual({})
    expect(s1.positions.a?.liquidity).toBe(1n)
  })
})
