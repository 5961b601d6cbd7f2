import JSBI from 'jsbi'

/** native bigint → JSBI (for calling @uniswap/v3-sdk in tests and benchmarks only). */
export function toJsbi(value: bigint): JSBI {
  return JSBI.BigInt(value.toString())
}

/** JSBI → native bigint. */
export function fromJsbi(value: JSBI): bigint {
  return BigInt(value.toString())
}
