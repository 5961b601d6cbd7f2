import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidGrvtClientOrderIdError } from '../errors/grvt.js'
import { assertGrvtClientOrderId, createGrvtClientOrderId } from './clientOrderId.js'

describe('GRVT client order ids', () => {
  it('bounds are 2^63 = 9223372036854775808 and 2^64 − 1 = 18446744073709551615', () => {
    expect(createGrvtClientOrderId(0n)).toBe('9223372036854775808')
    expect(createGrvtClientOrderId(9223372036854775807n)).toBe('18446744073709551615')
    expect(() => createGrvtClientOrderId(9223372036854775808n)).toThrow(InvalidGrvtClientOrderIdError)
    expect(() => createGrvtClientOrderId(-1n)).toThrow(InvalidGrvtClientOrderIdError)
  })

  it('rejects UI-range, non-canonical and oversized ids', () => {
    for (const bad of ['9223372036854775807', '23042', '018446744073709551615', '18446744073709551616', '1e19', ''])
      expect(() => assertGrvtClientOrderId(bad)).toThrow(InvalidGrvtClientOrderIdError)
  })

  it('every created id passes the check', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (n) => {
        expect(() => assertGrvtClientOrderId(createGrvtClientOrderId(n))).not.toThrow()
      }),
    )
  })
})
