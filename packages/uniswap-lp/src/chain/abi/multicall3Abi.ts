/** Multicall3 (mds1/multicall, deployed at the same address on most EVM chains): the `aggregate3` entry point. */
export const multicall3Abi = [
  'function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)',
] as const

/** Multicall3's address on mainnet, most L2s and testnets (deterministic deployment). */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11'
