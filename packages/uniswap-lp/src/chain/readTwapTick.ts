import type { BlockTag, Provider } from 'ethers'
import { TwapUnavailableError } from '../errors/chain.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { poolInterface } from './interfaces.js'

export type ReadTwapTickErrorType = TwapUnavailableError | InvalidParameterError

/**
 * Arithmetic-mean tick over the last `windowSec` seconds from `pool.observe([windowSec, 0])`, rounded toward negative
 * infinity exactly as v3-periphery `OracleLibrary.consult`.
 */
export async function readTwapTick(
  provider: Provider,
  p: { pool: string; windowSec: number; blockTag?: BlockTag | undefined },
): Promise<number> {
  if (!Number.isInteger(p.windowSec) || p.windowSec <= 0 || p.windowSec > 0xffffffff) {
    throw new InvalidParameterError({ field: 'windowSec', value: p.windowSec, rule: 'an integer in [1, 2^32 - 1]' })
  }
  let tickCumulatives: readonly bigint[]
  try {
    const data = poolInterface.encodeFunctionData('observe', [[p.windowSec, 0]])
    const result = await provider.call({ to: p.pool, data, blockTag: p.blockTag ?? 'latest' })
    tickCumulatives = (poolInterface.decodeFunctionResult('observe', result)[0] as readonly bigint[]).map(BigInt)
  } catch (cause) {
    throw new TwapUnavailableError({ pool: p.pool, windowSec: p.windowSec, cause })
  }
  const [older, newer] = tickCumulatives
  if (older === undefined || newer === undefined) {
    throw new TwapUnavailableError({ pool: p.pool, windowSec: p.windowSec })
  }
  return meanTickFromCumulatives(older, newer, p.windowSec)
}

/** `OracleLibrary.consult` rounding: truncate toward zero, then step down once for a negative inexact quotient. */
export function meanTickFromCumulatives(
  tickCumulativeOlder: bigint,
  tickCumulativeNewer: bigint,
  windowSec: number,
): number {
  const delta = tickCumulativeNewer - tickCumulativeOlder
  const window = BigInt(windowSec)
  let mean = delta / window
  if (delta < 0n && delta % window !== 0n) mean -= 1n
  return Number(mean)
}
