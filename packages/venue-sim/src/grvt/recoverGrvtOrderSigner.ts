import { recoverAddress, TypedDataEncoder } from 'ethers'

/** EIP-712 `Order` / `OrderLeg` as GRVT defines them (pysdk `grvt_raw_signing.py`). */
const ORDER_TYPES = {
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

export type GrvtSignedOrderMessage = {
  subAccountID: bigint
  isMarket: boolean
  timeInForce: number
  postOnly: boolean
  reduceOnly: boolean
  legs: Array<{ assetID: bigint; contractSize: bigint; limitPrice: bigint; isBuyingContract: boolean }>
  nonce: number
  expiration: bigint
}

/** The address that signed `message` on `chainId`, recovered from `r`, `s`, `v` (ethers v6). */
export function recoverGrvtOrderSigner(
  message: GrvtSignedOrderMessage,
  chainId: number,
  signature: { r: string; s: string; v: number },
): string {
  const digest = TypedDataEncoder.hash({ name: 'GRVT Exchange', version: '0', chainId }, ORDER_TYPES, message)
  return recoverAddress(digest, signature)
}
