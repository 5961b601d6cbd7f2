/** EIP-712 domain name/version of every GRVT signature (no verifyingContract). */
export const GRVT_EIP712_DOMAIN_NAME = 'GRVT Exchange'
export const GRVT_EIP712_DOMAIN_VERSION = '0'

/** Signing chain ids per GRVT environment (pysdk and ts-sdk signing tables). */
export const GRVT_CHAIN_IDS = { prod: 325, testnet: 326, dev: 327, staging: 327 } as const

/** Prices are signed as integers with 9 decimals. */
export const GRVT_PRICE_DECIMALS = 9

/** `timeInForce` as signed (uint8). */
export const GRVT_TIME_IN_FORCE = {
  GOOD_TILL_TIME: 1,
  ALL_OR_NONE: 2,
  IMMEDIATE_OR_CANCEL: 3,
  FILL_OR_KILL: 4,
} as const

export type GrvtTimeInForce = keyof typeof GRVT_TIME_IN_FORCE

/** EIP-712 types of `Order` (pysdk `grvt_raw_signing.py`, ts-sdk `src/signing/types.ts`). */
export const GRVT_ORDER_TYPES: Record<'Order' | 'OrderLeg', Array<{ name: string; type: string }>> = {
  Order: [
    { name: 'subAccountID', type: 'uint64' },
    { name: 'isMarket', type: 'bool' },
    { name: 'timeInForce', type: 'uint8' },
    { name: 'postOnly', type: 'bool' },
    { name: 'reduceOnly', type: 'bool' },
    { name: 'legs', type: 'OrderLeg[]' },
    { name: 'nonce', type: 'uint32' },
    { name: 'expiration', type: 'int64' },
  ],
  OrderLeg: [
    { name: 'assetID', type: 'uint256' },
    { name: 'contractSize', type: 'uint64' },
    { name: 'limitPrice', type: 'uint64' },
    { name: 'isBuyingContract', type: 'bool' },
  ],
}

/** The EIP-712 domain for a chain id. */
export function getGrvtDomain(chainId: number): { name: string; version: string; chainId: number } {
  return { name: GRVT_EIP712_DOMAIN_NAME, version: GRVT_EIP712_DOMAIN_VERSION, chainId }
}
