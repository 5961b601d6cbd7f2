import { InvalidParameterError } from '../errors/parameter.js'

export type ComputeInventoryInOrderSizesParameters = {
  /** Signed inventory relative to its target, in base units (e.g. +0.6 ETH). Finite. */
  inventoryBase: number
  /** The reference order size, in base units (e.g. 0.2 ETH). > 0 and finite. */
  orderSizeBase: number
}

/** What computeInventoryInOrderSizes can throw. */
export type ComputeInventoryInOrderSizesErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * AS 2008's q: inventory in units of the order size, q = inventoryBase / orderSizeBase (dimensionless, signed).
 *
 * @throws InvalidParameterError naming `inventoryBase` or `orderSizeBase` and the value.
 */
export function computeInventoryInOrderSizes(parameters: ComputeInventoryInOrderSizesParameters): number {
  const { inventoryBase, orderSizeBase } = parameters
  if (!(typeof inventoryBase === 'number' && Number.isFinite(inventoryBase)))
    throw new InvalidParameterError({ field: 'inventoryBase', value: inventoryBase, rule: 'a finite number' })
  if (!(typeof orderSizeBase === 'number' && orderSizeBase > 0 && orderSizeBase < Number.POSITIVE_INFINITY))
    throw new InvalidParameterError({ field: 'orderSizeBase', value: orderSizeBase, rule: '> 0' })
  return inventoryBase / orderSizeBase
}
