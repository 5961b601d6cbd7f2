import { SqrtPriceMath } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ZeroLiquidityError } from '../errors/liquidity.js'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { MAX_UINT128, MAX_UINT160, MAX_UINT256, Q96 } from './constants.js'
import { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
import {
  getAmount0Delta,
  getAmount0DeltaSigned,
  getAmount1Delta,
  getAmount1DeltaSigned,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.js'
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from './tickMath.js'

const E18 = 10n ** 18n
const sqrtPrice = fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO - 1n })
const liquidity = fc.bigInt({ min: 1n, max: MAX_UINT128 })

/** Runs the SDK; returns null when it throws (where the contract reverts). */
function sdkOrNull(fn: () => { toString(): string }): bigint | null {
  try {
    return BigInt(fn().toString())
  } catch {
    // The SDK signals a contract revert by throwing an invariant error; the test compares "both revert".
    return null
  }
}
/**
 * The SDK omits the contract's final `toUint160()` check in getNextSqrtPriceFromAmount1RoundingDown (it returns a
 * price above uint160 where v3-core reverts), so an SDK result above uint160 counts as a revert.
 */
function asContract(sdkResult: bigint | null): bigint | null {
  return sdkResult !== null && sdkResult > MAX_UINT160 ? null : sdkResult
}
function oursOrNull(fn: () => bigint): bigint | null {
  try {
    return fn()
  } catch {
    // Same convention as sdkOrNull: a throw stands for a revert.
    return null
  }
}

describe('getAmount0Delta / getAmount1Delta (v3-core SqrtPriceMath.spec vectors)', () => {
  const p1 = encodeSqrtRatioX96(1n, 1n)
  const p121 = encodeSqrtRatioX96(121n, 100n) // sqrt(1.21) = 1.1
  it('price 1 → 1.21 with 1e18 liquidity', () => {
    // token0: L(1/1 − 1/1.1) = 0.0909… e18 ; token1: L(1.1 − 1) = 0.1e18
    expect(getAmount0Delta(p1, p121, E18, true)).toBe(90909090909090910n)
    expect(getAmount0Delta(p1, p121, E18, false)).toBe(90909090909090909n)
    expect(getAmount1Delta(p1, p121, E18, true)).toBe(100000000000000000n)
    expect(getAmount1Delta(p1, p121, E18, false)).toBe(99999999999999999n)
  })
  it('returns 0 for zero liquidity and for equal prices', () => {
    expect(getAmount0Delta(p1, p121, 0n, true)).toBe(0n)
    expect(getAmount1Delta(p1, p1, E18, true)).toBe(0n)
  })
  it('signed variants: +rounded up when adding liquidity, −rounded down when removing', () => {
    expect(getAmount0DeltaSigned(p1, p121, E18)).toBe(90909090909090910n)
    expect(getAmount0DeltaSigned(p1, p121, -E18)).toBe(-90909090909090909n)
    expect(getAmount1DeltaSigned(p1, p121, E18)).toBe(100000000000000000n)
    expect(getAmount1DeltaSigned(p1, p121, -E18)).toBe(-99999999999999999n)
  })

  it('equal @uniswap/v3-sdk on random prices, liquidity and both roundings', () => {
    fc.assert(
      fc.property(sqrtPrice, sqrtPrice, liquidity, fc.boolean(), (a, b, l, roundUp) => {
        expect(getAmount0Delta(a, b, l, roundUp)).toBe(
          fromJsbi(SqrtPriceMath.getAmount0Delta(toJsbi(a), toJsbi(b), toJsbi(l), roundUp)),
        )
        expect(getAmount1Delta(a, b, l, roundUp)).toBe(
          fromJsbi(SqrtPriceMath.getAmount1Delta(toJsbi(a), toJsbi(b), toJsbi(l), roundUp)),
        )
      }),
      { numRuns: 2000 },
    )
  })
})

describe('getNextSqrtPriceFromInput / Output', () => {
  const p1 = encodeSqrtRatioX96(1n, 1n)
  it('matches v3-core vectors', () => {
    // 0.1 token1 in at price 1 with L = 1e18: sqrtP' = 1.1 (rounded down in Q96)
    expect(getNextSqrtPriceFromInput(p1, E18, E18 / 10n, false)).toBe(87150978765690771352898345369n)
    // 0.1 token0 in at price 1 with L = 1e18: sqrtP' = 1/1.1 (rounded up)
    expect(getNextSqrtPriceFromInput(p1, E18, E18 / 10n, true)).toBe(72025602285694852357767227579n)
    // zero input returns the price unchanged
    expect(getNextSqrtPriceFromInput(p1, E18, 0n, true)).toBe(p1)
    // 0.1 token1 out at price 1: sqrt price 0.9 rounded down… as the contract computes it
    expect(getNextSqrtPriceFromOutput(p1, E18, E18 / 10n, true)).toBe(71305346262837903834189555302n)
    // 0.1 token0 out at price 1: 1/0.9 rounded up
    expect(getNextSqrtPriceFromOutput(p1, E18, E18 / 10n, false)).toBe(88031291682515930659493278152n)
  })

  it('any input amount cannot underflow the price (v3-core)', () => {
    expect(getNextSqrtPriceFromInput(1n, 1n, 2n ** 255n, true)).toBe(1n)
  })

  it('reverts on zero liquidity, and when the output exceeds the reserves', () => {
    expect(() => getNextSqrtPriceFromInput(p1, 0n, 1n, true)).toThrow(ZeroLiquidityError)
    expect(() => getNextSqrtPriceFromOutput(p1, 0n, 1n, true)).toThrow(ZeroLiquidityError)
    // 4 wei of token0 out with L = 1024 at sqrtPrice 20282409603651670423947251286016 exceeds the virtual reserve.
    expect(() => getNextSqrtPriceFromOutput(20282409603651670423947251286016n, 1024n, 4n, false)).toThrow()
    expect(() => getNextSqrtPriceFromOutput(20282409603651670423947251286016n, 1024n, 262145n, true)).toThrow()
  })

  it('equal @uniswap/v3-sdk on random inputs (and revert exactly when it does)', () => {
    const amount = fc.oneof(fc.bigInt({ min: 0n, max: MAX_UINT128 }), fc.bigInt({ min: 0n, max: MAX_UINT256 }))
    fc.assert(
      fc.property(sqrtPrice, liquidity, amount, fc.boolean(), (p, l, a, zeroForOne) => {
        const [P, L, A] = [toJsbi(p), toJsbi(l), toJsbi(a)]
        expect(oursOrNull(() => getNextSqrtPriceFromInput(p, l, a, zeroForOne))).toBe(
          asContract(sdkOrNull(() => SqrtPriceMath.getNextSqrtPriceFromInput(P, L, A, zeroForOne))),
        )
        expect(oursOrNull(() => getNextSqrtPriceFromOutput(p, l, a, zeroForOne))).toBe(
          asContract(sdkOrNull(() => SqrtPriceMath.getNextSqrtPriceFromOutput(P, L, A, zeroForOne))),
        )
      }),
      { numRuns: 2000 },
    )
  })

  it('results stay within uint160 and move in the swap direction', () => {
    fc.assert(
      fc.property(sqrtPrice, liquidity, fc.bigInt({ min: 0n, max: MAX_UINT128 }), (p, l, a) => {
        const down = getNextSqrtPriceFromInput(p, l, a, true)
        expect(down <= p && down >= 0n).toBe(true)
        const up = oursOrNull(() => getNextSqrtPriceFromInput(p, l, a, false))
        if (up !== null) expect(up >= p && up <= MAX_UINT160).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('Q96 sanity: price 1 is 2^96', () => {
    expect(p1).toBe(Q96)
  })
})
