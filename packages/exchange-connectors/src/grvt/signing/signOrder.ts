import { computeAddress, Signature, SigningKey, TypedDataEncoder } from 'ethers'
import { buildGrvtOrderMessage, type GrvtOrderInput, type GrvtOrderMessage } from './buildOrderMessage.js'
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
 * Signs an order with the trading key (a secp256k1 private key, 0x-hex or bare hex). Returns `r`, `s` (low-half),
 * `v` ∈ {27, 28} as GRVT requires. The private key stays inside the `SigningKey`.
 */
export function signGrvtOrder(privateKey: string, order: GrvtOrderInput, chainId: number): GrvtOrderSignature {
  const key = new SigningKey(privateKey.startsWith('0x') ? privateKey : `0x${privateKey}`)
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
