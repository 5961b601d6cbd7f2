import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { truncateDecimal } from './truncateDecimal.js'

describe('truncateDecimal', () => {
  it('is exact where floats are not', () => {
    // Python: int(float("1.013") * 1e9) == 1012999999; the exact answer is 1013000000.
    expect(truncateDecimal('1.013', 9)).toBe(1013000000n)
    expect(truncateDecimal('68900.7771234799', 9)).toBe(68900777123479n)
    expect(truncateDecimal('5', 3)).toBe(5000n)
    expect(truncateDecimal('0.0009', 3)).toBe(0n)
  })

  it('equals floor(n / 10^k) for an integer n written with k decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 18 }),
        (n, k, d) => {
          const text =
            k === 0 ? n.toString() : `${n / 10n ** BigInt(k)}.${(n % 10n ** BigInt(k)).toString().padStart(k, '0')}`
          // value = n / 10^k; value × 10^d truncated = floor(n × 10^d / 10^k)
          expect(truncateDecimal(text, d)).toBe((n * 10n ** BigInt(d)) / 10n ** BigInt(k))
        },
      ),
    )
  })
})
