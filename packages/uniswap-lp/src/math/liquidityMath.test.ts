import { LiquidityMath } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MathOverflowError } from '../errors/math.js'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { MAX_UINT128 } from './constants.js'
import { addDelta } from './liquidityMath.js'

describe('addDelta (v3-core LiquidityMath.spec)', () => {
  it('adds and subtracts', () => {
    expect(addDelta(1n, 0n)).toBe(1n)
    expect(addDelta(1n, -1n)).toBe(0n)
    expect(addDelta(1n, 1n)).toBe(2n)
  })
  it('reverts LA on uint128 overflow and LS on underflow', () => {
    expect(() => addDelta(2n ** 128n - 15n, 15n)).toThrow(MathOverflowError)
    expect(() => addDelta(0n, -1n)).toThrow(/LS/)
    expect(() => addDelta(3n, -4n)).toThrow(/LS/)
  })
  it('equals @uniswap/v3-sdk when the result is in range', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_UINT128 }),
        fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n }),
        (x, y) => {
          fc.pre(x + y >= 0n && x + y <= MAX_UINT128)
          expect(addDelta(x, y)).toBe(fromJsbi(LiquidityMath.addDelta(toJsbi(x), toJsbi(y))))
        },
      ),
    )
  })
})
