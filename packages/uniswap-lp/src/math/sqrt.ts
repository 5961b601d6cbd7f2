import { InvalidAmountError } from '../errors/liquidity.js'

/** floor(√value) for a non-negative bigint (Newton's method on integers; exact). */
export function sqrt(value: bigint): bigint {
  if (value < 0n) throw new InvalidAmountError({ field: 'value', value, rule: '>= 0' })
  if (value < 2n) return value
  // Start above the root: 2^ceil(bits/2).
  let x = 1n << BigInt(Math.ceil(value.toString(2).length / 2))
  for (;;) {
    const y = (x + value / x) >> 1n
    if (y >= x) return x
    x = y
  }
}
