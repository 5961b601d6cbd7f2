export { computeInventoryDeviation, type InventoryDeviation } from './computeInventoryDeviation.js'
export { type CreateInventoryUpdateParameters, createInventoryUpdate } from './createInventoryUpdate.js'
export { InventoryEventStream, type InventoryEventStreamOptions } from './InventoryEventStream.js'
export type { InventoryEvents, InventoryToken, InventoryUpdate } from './types.js'
