import { computeAddress, Signature, type SigningKey, TypedDataEncoder } from 'ethers'
import { buildGrvtOrderMessage, type GrvtOrderInput, type GrvtOrderMessage } from './buildOrderMessage.js'
import { createGrvtSigningKey } from './createGrvtSigningKey.js'
import { GRVT_ORDER_TYPES, getGrvtDomain } from './orderTypes.js'

/** The `signature` object of a GRVT order as sent on the wire. */
export type GrvtOrderSignature = {
  readonly signer: string
  readonly r: string
  readonly s: string
  readonly v: number
  /** Unix nanoseconds, decimal string. */
  readonly expiration: string
  readonly nonce: number
  readonly chain_id: string
}

/** The EIP-712 digest GRVT verifies: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(Order)). */
export function hashGrvtOrder(message: GrvtOrderMessage, chainId: number): string {
  return TypedDataEncoder.hash(getGrvtDomain(chainId), GRVT_ORDER_TYPES, message)
}

/**
 * Signs an order with the trading key (a secp256k1 private key, 0x-hex or bare hex, or a `SigningKey` made by
 * `createGrvtSigningKey`). Returns `r`, `s` (low-half), `v` ∈ {27, 28} as GRVT requires. A malformed key throws
 * `InvalidGrvtSignerKeyError`, whose text never contains the key.
 */
export function signGrvtOrder(
  privateKey: string | SigningKey,
  order: GrvtOrderInput,
  chainId: number,
): GrvtOrderSignature {
  const key = typeof privateKey === 'string' ? createGrvtSigningKey(privateKey) : privateKey
  const digest = hashGrvtOrder(buildGrvtOrderMessage(order), chainId)
  const sig = Signature.from(key.sign(digest))
  return {
    signer: computeAddress(key.publicKey),
    r: sig.r,
    s: sig.s,
    v: sig.v,
    expiration: order.expirationNs.toString(),
    nonce: order.nonce,
    chain_id: String(chainId),
  }
}
