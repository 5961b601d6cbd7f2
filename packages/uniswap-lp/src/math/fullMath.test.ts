import { FullMath } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MathOverflowError } from '../errors/math.js'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { MAX_UINT256, Q128 } from './constants.js'
import { divRoundingUp, mulDiv, mulDivRoundingUp } from './fullMath.js'

describe('mulDiv / mulDivRoundingUp (v3-core FullMath.spec vectors)', () => {
  it('computes exact results that need a 512-bit intermediate', () => {
    expect(mulDiv(MAX_UINT256, MAX_UINT256, MAX_UINT256)).toBe(MAX_UINT256)
    // Q128 · (Q128/2) / (3·Q128/2) = Q128/3, floored; rounding up adds one.
    expect(mulDiv(Q128, (50n * Q128) / 100n, (150n * Q128) / 100n)).toBe(Q128 / 3n)
    expect(mulDivRoundingUp(Q128, (50n * Q128) / 100n, (150n * Q128) / 100n)).toBe(Q128 / 3n + 1n)
    expect(mulDiv(Q128, 35n * Q128, 8n * Q128)).toBe((4375n * Q128) / 1000n)
  })

  it('reverts like the contract on a zero denominator or a result above uint256', () => {
    expect(() => mulDiv(Q128, 5n, 0n)).toThrow(MathOverflowError)
    expect(() => mulDiv(Q128, Q128, 1n)).toThrow(MathOverflowError)
    expect(() => mulDivRoundingUp(Q128, 5n, 0n)).toThrow(MathOverflowError)
    // MaxUint256² / (MaxUint256 − 1) rounds up past MaxUint256.
    expect(() => mulDivRoundingUp(MAX_UINT256, MAX_UINT256, MAX_UINT256 - 1n)).toThrow(MathOverflowError)
    // 535006138814359 · 432862656469423142931042426214547535783388063929571229938474969 / 2 rounds up past MaxUint256.
    expect(() =>
      mulDivRoundingUp(535006138814359n, 432862656469423142931042426214547535783388063929571229938474969n, 2n),
    ).toThrow(MathOverflowError)
    expect(() => divRoundingUp(1n, 0n)).toThrow(MathOverflowError)
  })

  it('mulDivRoundingUp equals @uniswap/v3-sdk FullMath on random uint256 inputs with a uint256 result', () => {
    const uint256 = fc.bigInt({ min: 0n, max: MAX_UINT256 })
    fc.assert(
      fc.property(uint256, uint256, fc.bigInt({ min: 1n, max: MAX_UINT256 }), (a, b, d) => {
        fc.pre((a * b) / d < MAX_UINT256)
        expect(mulDivRoundingUp(a, b, d)).toBe(fromJsbi(FullMath.mulDivRoundingUp(toJsbi(a), toJsbi(b), toJsbi(d))))
        expect(mulDiv(a, b, d)).toBe((a * b) / d)
      }),
      { numRuns: 1000 },
    )
  })
})
