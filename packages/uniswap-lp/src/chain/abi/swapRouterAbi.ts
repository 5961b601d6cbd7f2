/** SwapRouter (v3-periphery) `exactInputSingle`, human-readable; checked against the artifact in test/abi.test.ts. */
export const swapRouterAbi = [
  'function exactInputSingle((address tokenIn, address tokenOut, uint24 fee, address recipient, uint256 deadline, uint256 amountIn, uint256 amountOutMinimum, uint160 sqrtPriceLimitX96) params) payable returns (uint256 amountOut)',
] as const
