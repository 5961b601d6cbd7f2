import { recoverGrvtTypedDataSigner } from './recoverGrvtTypedDataSigner.js'

export type GrvtSignedOrderMessage = {
  subAccountID: bigint
  isMarket: boolean
  timeInForce: number
  postOnly: boolean
  reduceOnly: boolean
  legs: Array<{ assetID: bigint; contractSize: bigint; limitPrice: bigint; isBuyingContract: boolean }>
  nonce: number
  expiration: bigint
  /** With a builder the order is signed as `OrderWithBuilderFee` (builder address + fee = percent × 10^4). */
  builder?: { address: string; feeE4Percent: number } | undefined
}

/** The address that signed `message` (`Order`, or `OrderWithBuilderFee` when it names a builder) on `chainId`. */
export function recoverGrvtOrderSigner(
  message: GrvtSignedOrderMessage,
  chainId: number,
  signature: { r: string; s: string; v: number },
): string {
  const { builder, ...order } = message
  if (builder === undefined) return recoverGrvtTypedDataSigner('Order', order, chainId, signature)
  return recoverGrvtTypedDataSigner(
    'OrderWithBuilderFee',
    { ...order, builder: builder.address, builderFee: builder.feeE4Percent },
    chainId,
    signature,
  )
}
