import { InvalidGrvtClientOrderIdError } from '../errors/grvt.js'

/** Lowest client order id an API client may use (2^63; ids below belong to the GRVT UI). */
export const GRVT_CLIENT_ORDER_ID_MIN = 2n ** 63n
/** Highest client order id (2^64 − 1, uint64). */
export const GRVT_CLIENT_ORDER_ID_MAX = 2n ** 64n - 1n

/** `2^63 + sequence` as a decimal string; `sequence` comes from the caller's id source (a counter, a clock). */
export function createGrvtClientOrderId(sequence: bigint): string {
  const id = GRVT_CLIENT_ORDER_ID_MIN + sequence
  if (sequence < 0n || id > GRVT_CLIENT_ORDER_ID_MAX)
    throw new InvalidGrvtClientOrderIdError({ clientOrderId: id.toString() })
  return id.toString()
}

/** Throws unless `clientOrderId` is a canonical decimal in [2^63, 2^64 − 1]. */
export function assertGrvtClientOrderId(clientOrderId: string): void {
  if (!/^[1-9]\d*$/.test(clientOrderId)) throw new InvalidGrvtClientOrderIdError({ clientOrderId })
  const id = BigInt(clientOrderId)
  if (id < GRVT_CLIENT_ORDER_ID_MIN || id > GRVT_CLIENT_ORDER_ID_MAX)
    throw new InvalidGrvtClientOrderIdError({ clientOrderId })
}
