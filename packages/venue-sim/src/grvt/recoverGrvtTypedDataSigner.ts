import { recoverAddress, TypedDataEncoder } from 'ethers'
import { GRVT_TYPED_DATA, type GrvtTypedDataName } from './grvtTypedData.js'

/** The address that signed `message` as GRVT's EIP-712 type `name` on `chainId` (ethers v6 recovery from r, s, v). */
export function recoverGrvtTypedDataSigner(
  name: GrvtTypedDataName,
  message: Record<string, unknown>,
  chainId: number,
  signature: { r: string; s: string; v: number },
): string {
  const types = GRVT_TYPED_DATA[name] as unknown as Record<string, Array<{ name: string; type: string }>>
  const digest = TypedDataEncoder.hash({ name: 'GRVT Exchange', version: '0', chainId }, types, message)
  return recoverAddress(digest, signature)
}
