/**
 * GRVT's EIP-712 type tables (pysdk `grvt_raw_signing.py`, GRVT builder-examples, ccxt 4.5.84 `eipDefinitions`).
 * Domain `{ name: "GRVT Exchange", version: "0", chainId }`, no verifying contract.
 */
const ORDER_LEG = [
  { name: 'assetID', type: 'uint256' },
  { name: 'contractSize', type: 'uint64' },
  { name: 'limitPrice', type: 'uint64' },
  { name: 'isBuyingContract', type: 'bool' },
]

/** `Order` and `OrderWithBuilderFee` share these fields; the builder pair sits between them. */
const ORDER_HEAD = [
  { name: 'subAccountID', type: 'uint64' },
  { name: 'isMarket', type: 'bool' },
  { name: 'timeInForce', type: 'uint8' },
  { name: 'postOnly', type: 'bool' },
  { name: 'reduceOnly', type: 'bool' },
  { name: 'legs', type: 'OrderLeg[]' },
]
const ORDER_TAIL = [
  { name: 'nonce', type: 'uint32' },
  { name: 'expiration', type: 'int64' },
]

export const GRVT_TYPED_DATA = {
  Order: {
    Order: [...ORDER_HEAD, ...ORDER_TAIL],
    OrderLeg: ORDER_LEG,
  },
  /** An order that pays a builder fee: `builderFee` = builder_fee (percent) × 10^4. */
  OrderWithBuilderFee: {
    OrderWithBuilderFee: [
      ...ORDER_HEAD,
      { name: 'builder', type: 'address' },
      { name: 'builderFee', type: 'uint32' },
      ...ORDER_TAIL,
    ],
    OrderLeg: ORDER_LEG,
  },
  /** `POST /auth/wallet/login`. */
  WalletLogin: {
    WalletLogin: [
      { name: 'signer', type: 'address' },
      { name: 'nonce', type: 'uint32' },
      { name: 'expiration', type: 'int64' },
    ],
  },
  /** `full/v1/authorize_builder`: fee caps are percent × 10^4. */
  AuthorizeBuilder: {
    AuthorizeBuilder: [
      { name: 'mainAccountID', type: 'address' },
      { name: 'builderAccountID', type: 'address' },
      { name: 'maxFutureFeeRate', type: 'uint32' },
      { name: 'maxSpotFeeRate', type: 'uint32' },
      { name: 'nonce', type: 'uint32' },
      { name: 'expiration', type: 'int64' },
    ],
  },
} as const

export type GrvtTypedDataName = keyof typeof GRVT_TYPED_DATA
