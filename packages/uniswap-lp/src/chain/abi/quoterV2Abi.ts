/** QuoterV2 (v3-periphery) `quoteExactInputSingle`, human-readable; checked against the artifact in test/abi.test.ts. */
export const quoterV2Abi = [
  'function quoteExactInputSingle((address tokenIn, address tokenOut, uint256 amountIn, uint24 fee, uint160 sqrtPriceLimitX96) params) returns (uint256 amountOut, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate)',
] as const
