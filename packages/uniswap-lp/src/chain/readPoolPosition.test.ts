import { keccak256 } from 'ethers'
import { describe, expect, it } from 'vitest'
import { computePositionKey } from './readPoolPosition.js'

describe('computePositionKey', () => {
  it('is keccak256 of the 26 packed bytes owner ‖ int24 tickLower ‖ int24 tickUpper (two’s complement)', () => {
    const owner = '0xC36442b4a4522E871399CD717aBDD847Ab11FE88'
    // Hand-packed: 20 address bytes, then -887270 = 2^24 - 887270 = 0xF2761A as int24 and 887270 = 0x0D89E6.
    const packed = `0x${owner.slice(2).toLowerCase()}f2761a0d89e6`
    expect(computePositionKey(owner, -887_270, 887_270)).toBe(keccak256(packed))
  })
})
