import { PositionLibrary, TickLibrary } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { MAX_UINT128, MAX_UINT256, Q128 } from './constants.js'
import { getFeeGrowthInside, getTokensOwed } from './feeGrowth.js'

const TWO_256 = 2n ** 256n
const outside = (g0: bigint, g1: bigint) => ({ feeGrowthOutside0X128: g0, feeGrowthOutside1X128: g1 })

describe('getFeeGrowthInside (v3-core Tick.getFeeGrowthInside)', () => {
  const base = { tickLower: -60, tickUpper: 60, feeGrowthGlobal0X128: 100n, feeGrowthGlobal1X128: 1000n }
  const lower = outside(10n, 100n)
  const upper = outside(20n, 200n)
  it('price inside: global − lowerOutside − upperOutside', () => {
    expect(getFeeGrowthInside({ ...base, tickCurrent: 0, lower, upper })).toEqual({
      feeGrowthInside0X128: 70n,
      feeGrowthInside1X128: 700n,
    })
  })
  it('price below: growth below = global − lowerOutside, result wraps mod 2^256', () => {
    // below0 = 100 − 10 = 90, above0 = 20 → 100 − 90 − 20 = −10 ≡ 2^256 − 10
    expect(getFeeGrowthInside({ ...base, tickCurrent: -61, lower, upper }).feeGrowthInside0X128).toBe(TWO_256 - 10n)
  })
  it('price at or above the upper tick: growth above = global − upperOutside', () => {
    // below0 = 10, above0 = 100 − 20 = 80 → 100 − 10 − 80 = 10
    expect(getFeeGrowthInside({ ...base, tickCurrent: 60, lower, upper }).feeGrowthInside0X128).toBe(10n)
  })
  it('equals @uniswap/v3-sdk TickLibrary on random uint256 accumulators', () => {
    const u256 = fc.bigInt({ min: 0n, max: MAX_UINT256 })
    fc.assert(
      fc.property(
        u256,
        u256,
        u256,
        u256,
        u256,
        u256,
        fc.integer({ min: -200, max: 200 }),
        (g0, g1, l0, l1, u0, u1, t) => {
          const ours = getFeeGrowthInside({
            tickLower: -60,
            tickUpper: 60,
            tickCurrent: t,
            feeGrowthGlobal0X128: g0,
            feeGrowthGlobal1X128: g1,
            lower: outside(l0, l1),
            upper: outside(u0, u1),
          })
          const j = (x: bigint, y: bigint) => ({ feeGrowthOutside0X128: toJsbi(x), feeGrowthOutside1X128: toJsbi(y) })
          const [s0, s1] = TickLibrary.getFeeGrowthInside(j(l0, l1), j(u0, u1), -60, 60, t, toJsbi(g0), toJsbi(g1))
          expect(ours).toEqual({
            feeGrowthInside0X128: fromJsbi(s0 as never),
            feeGrowthInside1X128: fromJsbi(s1 as never),
          })
        },
      ),
    )
  })
})

describe('getTokensOwed (v3-core Position.update)', () => {
  it('floor(L · Δ / 2^128), with Δ wrapping mod 2^256', () => {
    // Δ = 5 − (2^256 − 10) ≡ 15; L = 2^128 → 15
    expect(getTokensOwed(Q128, 5n, TWO_256 - 10n)).toBe(15n)
    // L = 3, Δ = 2^128 / 2 → floor(1.5) = 1
    expect(getTokensOwed(3n, Q128 / 2n, 0n)).toBe(1n)
    expect(getTokensOwed(0n, 123n, 0n)).toBe(0n)
  })
  it('truncates to uint128 like the contract cast', () => {
    // L = 2^128 − 1, Δ = 2^255: L·Δ/2^128 = (2^128 − 1)·2^127 → low 128 bits = 2^128 − 2^127 = 2^127
    expect(getTokensOwed(MAX_UINT128, 2n ** 255n, 0n)).toBe(2n ** 127n)
  })
  it('equals @uniswap/v3-sdk PositionLibrary when the owed amount fits in uint128', () => {
    const u256 = fc.bigInt({ min: 0n, max: MAX_UINT256 })
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT128 }), u256, u256, (liquidity, now, last) => {
        const [sdk0] = PositionLibrary.getTokensOwed(
          toJsbi(last),
          toJsbi(last),
          toJsbi(liquidity),
          toJsbi(now),
          toJsbi(now),
        )
        const sdk = fromJsbi(sdk0 as never)
        fc.pre(sdk <= MAX_UINT128)
        expect(getTokensOwed(liquidity, now, last)).toBe(sdk)
      }),
    )
  })
})
