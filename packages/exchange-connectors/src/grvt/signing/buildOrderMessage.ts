import { GrvtSigningValueError } from '../../errors/grvt.js'
import { GRVT_PRICE_DECIMALS, GRVT_TIME_IN_FORCE, type GrvtTimeInForce } from './orderTypes.js'
import { truncateDecimal } from './truncateDecimal.js'

/** One leg as sent on the wire (decimal strings) plus what signing needs from the instrument. */
export type GrvtOrderLegInput = {
  /** `instrument_hash` of the instrument, e.g. `"0x030501"` for BTC_USDT_Perp. */
  readonly instrumentHash: string
  /** `base_decimals` of the instrument (9 for BTC). */
  readonly baseDecimals: number
  /** Size in base units, decimal string. */
  readonly size: string
  /** Limit price in quote units, decimal string; `"0"` for market orders. */
  readonly limitPrice: string
  readonly isBuyingAsset: boolean
}

export type GrvtOrderInput = {
  /** `sub_account_id`, uint64 as a decimal string. */
  readonly subAccountId: string
  readonly isMarket: boolean
  readonly timeInForce: GrvtTimeInForce
  readonly postOnly: boolean
  readonly reduceOnly: boolean
  readonly legs: readonly GrvtOrderLegInput[]
  /** uint32; the same payload with the same nonce is a duplicate. */
  readonly nonce: number
  /** Expiry in unix nanoseconds (≤ 30 days ahead). */
  readonly expirationNs: bigint
}

/** The EIP-712 `Order` message (all integers as bigint). */
export type GrvtOrderMessage = {
  subAccountID: bigint
  isMarket: boolean
  timeInForce: number
  postOnly: boolean
  reduceOnly: boolean
  legs: Array<{ assetID: bigint; contractSize: bigint; limitPrice: bigint; isBuyingContract: boolean }>
  nonce: number
  expiration: bigint
}

const UINT64_MAX = 2n ** 64n - 1n
const INT64_MAX = 2n ** 63n - 1n

function checkUint(field: string, value: bigint, max: bigint): bigint {
  if (value < 0n || value > max)
    throw new GrvtSigningValueError({ field, value: value.toString(), rule: `an integer in [0, ${max}]` })
  return value
}

/**
 * Maps an order to the message GRVT signs: `contractSize = trunc(size × 10^base_decimals)`,
 * `limitPrice = trunc(price × 10^9)`, TIF as its enum number. Exact decimal→bigint, excess digits truncated.
 */
export function buildGrvtOrderMessage(order: GrvtOrderInput): GrvtOrderMessage {
  if (!/^\d+$/.test(order.subAccountId))
    throw new GrvtSigningValueError({
      field: 'subAccountId',
      value: order.subAccountId,
      rule: 'a uint64 decimal string',
    })
  if (!Number.isInteger(order.nonce) || order.nonce < 0 || order.nonce > 0xffffffff)
    throw new GrvtSigningValueError({ field: 'nonce', value: String(order.nonce), rule: 'a uint32' })
  if (order.expirationNs <= 0n || order.expirationNs > INT64_MAX)
    throw new GrvtSigningValueError({
      field: 'expirationNs',
      value: order.expirationNs.toString(),
      rule: 'a positive int64',
    })
  if (order.legs.length === 0) throw new GrvtSigningValueError({ field: 'legs', value: '[]', rule: 'at least one leg' })
  return {
    subAccountID: checkUint('subAccountId', BigInt(order.subAccountId), UINT64_MAX),
    isMarket: order.isMarket,
    timeInForce: GRVT_TIME_IN_FORCE[order.timeInForce],
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    legs: order.legs.map((leg, i) => {
      if (!/^0x[0-9a-fA-F]+$/.test(leg.instrumentHash))
        throw new GrvtSigningValueError({
          field: `legs[${i}].instrumentHash`,
          value: leg.instrumentHash,
          rule: 'a 0x hex string',
        })
      const contractSize = checkUint(
        `legs[${i}].size`,
        truncateDecimal(leg.size, leg.baseDecimals, `legs[${i}].size`),
        UINT64_MAX,
      )
      if (contractSize === 0n)
        throw new GrvtSigningValueError({
          field: `legs[${i}].size`,
          value: leg.size,
          rule: `at least 10^-${leg.baseDecimals}`,
        })
      return {
        assetID: BigInt(leg.instrumentHash),
        contractSize,
        limitPrice: checkUint(
          `legs[${i}].limitPrice`,
          truncateDecimal(leg.limitPrice, GRVT_PRICE_DECIMALS, `legs[${i}].limitPrice`),
          UINT64_MAX,
        ),
        isBuyingContract: leg.isBuyingAsset,
      }
    }),
    nonce: order.nonce,
    expiration: order.expirationNs,
  }
}
