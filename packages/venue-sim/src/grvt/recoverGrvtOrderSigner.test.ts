import { describe, expect, it } from 'vitest'
import { recoverGrvtOrderSigner } from './recoverGrvtOrderSigner.js'

// Vector: grvt-pysdk tests/pysdk/test_grvt_raw_signing.py (chain 326, key f793…819d → 0xE10eC9Bb…aD987).
const message = {
  subAccountID: 8289849667772468n,
  isMarket: false,
  timeInForce: 1,
  postOnly: false,
  reduceOnly: false,
  legs: [{ assetID: 0x030501n, contractSize: 1013000000n, limitPrice: 68900500000000n, isBuyingContract: false }],
  nonce: 828700936,
  expiration: 1730800479321350000n,
}
const signature = {
  r: '0xb00512d986a718b15136a8ba23de1c1ec84bbdb9958629cbbe4909bae620bb04',
  s: '0x79f706de61c68cc14d7734594b5d8689df2b2a7b25951f9a3f61d799f4327ffc',
  v: 28,
}

describe('recoverGrvtOrderSigner', () => {
  it('recovers the pysdk vector signer from an `Order` signature', () => {
    expect(recoverGrvtOrderSigner(message, 326, signature)).toBe('0xE10eC9Bb1eE30Af8bE35B32B163E7458a07aD987')
  })

  it('the same signature read as `OrderWithBuilderFee`, or on another chain, is some other address', () => {
    const withBuilder = {
      ...message,
      builder: { address: '0x21d2a053495994b1132a38cd1171acec40c6741e', feeE4Percent: 100 },
    }
    expect(recoverGrvtOrderSigner(withBuilder, 326, signature)).not.toBe('0xE10eC9Bb1eE30Af8bE35B32B163E7458a07aD987')
    expect(recoverGrvtOrderSigner(message, 325, signature)).not.toBe('0xE10eC9Bb1eE30Af8bE35B32B163E7458a07aD987')
  })
})
