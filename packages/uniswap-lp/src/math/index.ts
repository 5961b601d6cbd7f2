export {
  FEE_PIPS_DENOMINATOR,
  MAX_INT256,
  MAX_UINT128,
  MAX_UINT160,
  MAX_UINT256,
  Q96,
  Q128,
  Q192,
} from './constants.js'
export { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
export {
  type FeeGrowthInside,
  getFeeGrowthInside,
  getTokensOwed,
  subUint256,
  type TickFeeGrowthOutside,
} from './feeGrowth.js'
export { type Fraction, fractionToNumber, parsePositiveDecimal } from './fraction.js'
export { divRoundingUp, mulDiv, mulDivRoundingUp } from './fullMath.js'
export {
  type AmountsForLiquidity,
  getAmount0ForLiquidity,
  getAmount1ForLiquidity,
  getAmountsForLiquidity,
  getLiquidityForAmount0,
  getLiquidityForAmount1,
  getLiquidityForAmounts,
} from './liquidityAmounts.js'
export { addDelta } from './liquidityMath.js'
export { getModifyPositionAmounts, type ModifyPositionAmounts } from './modifyPositionAmounts.js'
export {
  assertValidDecimals,
  formatSqrtPriceX96,
  nearestTickForPrice,
  type PriceOrientation,
  priceToSqrtPriceX96,
  priceToTick,
  sortsBefore,
  sqrtPriceX96ToPrice,
  tickToPrice,
  tickToPriceFraction,
} from './priceTick.js'
export { sqrt } from './sqrt.js'
export {
  getAmount0Delta,
  getAmount0DeltaSigned,
  getAmount1Delta,
  getAmount1DeltaSigned,
  getNextSqrtPriceFromAmount0RoundingUp,
  getNextSqrtPriceFromAmount1RoundingDown,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.js'
export { type ComputeSwapStepReturnType, computeSwapStep } from './swapMath.js'
export {
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
} from './tickMath.js'
export {
  assertValidRange,
  ceilTick,
  FEE_TIERS_PIPS,
  feeFractionToPips,
  floorTick,
  getTickSpacing,
  maxUsableTick,
  minUsableTick,
  nearestUsableTick,
  TICK_SPACINGS,
} from './tickSpacing.js'
