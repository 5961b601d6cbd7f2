import { describe, expect, it } from 'vitest'
import { UniswapLpError } from './base.js'
import { UnknownFeeTierError } from './feeTier.js'
import { ZeroLiquidityError } from './liquidity.js'
import { MathOverflowError } from './math.js'
import { TickNotAlignedError, TickOrderError, TickOutOfRangeError } from './tick.js'
import { InvalidDecimalsError } from './token.js'

describe('typed errors', () => {
  const cases = [
    [
      new TickNotAlignedError({ field: 'tickLower', value: -61, tickSpacing: 60 }),
      'TICK_NOT_ALIGNED',
      'tickLower = -61',
    ],
    [new TickOrderError({ tickLower: 60, tickUpper: 60 }), 'TICK_ORDER', 'tickLower = 60 must be below tickUpper = 60'],
    [
      new TickOutOfRangeError({ field: 'tick', value: 887273, min: -887272, max: 887272 }),
      'TICK_OUT_OF_RANGE',
      'tick = 887273',
    ],
    [new ZeroLiquidityError({ field: 'liquidity', value: 0n }), 'ZERO_LIQUIDITY', 'liquidity = 0n'],
    [new InvalidDecimalsError({ field: 'decimals0', value: 6.5 }), 'INVALID_DECIMALS', 'decimals0 = 6.5'],
    [
      new UnknownFeeTierError({ field: 'feePips', value: 2500, known: [100, 500, 3000, 10000] }),
      'UNKNOWN_FEE_TIER',
      'feePips = 2500',
    ],
  ] as const

  it.each(cases)('%s: code, the bad field and value in the message, a final "Next:" line', (error, code, text) => {
    expect(error).toBeInstanceOf(UniswapLpError)
    expect(error.code).toBe(code)
    expect(error.shortMessage).toContain(text)
    expect(error.metaMessages.at(-1)).toMatch(/^Next: /)
    expect(error.message).toContain(error.shortMessage)
  })

  it('wraps a cause and walk() finds it', () => {
    const inner = new MathOverflowError({ operation: 'FullMath.mulDiv', reason: 'denominator is 0' })
    const outer = new UniswapLpError('Planning failed.', { code: 'PLAN_FAILED', cause: inner })
    expect(outer.details).toBe(inner.details)
    expect(outer.walk((e) => e instanceof MathOverflowError)).toBe(inner)
    expect(outer.walk()).toBe(inner)
  })
})
