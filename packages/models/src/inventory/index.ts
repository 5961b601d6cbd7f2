export type {
  ComputeInventoryInOrderSizesErrorType,
  ComputeInventoryInOrderSizesParameters,
} from './computeInventoryInOrderSizes.js'
export { computeInventoryInOrderSizes } from './computeInventoryInOrderSizes.js'
export type {
  ComputeNormalizedInventoryErrorType,
  ComputeNormalizedInventoryParameters,
  NormalizedInventory,
} from './computeNormalizedInventory.js'
export { computeNormalizedInventory } from './computeNormalizedInventory.js'
export type {
  ComputeShapedOrderSizesErrorType,
  ComputeShapedOrderSizesParameters,
  ShapedOrderSizes,
} from './computeShapedOrderSizes.js'
export { computeShapedOrderSizes } from './computeShapedOrderSizes.js'
