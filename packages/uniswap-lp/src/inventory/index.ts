export { computeInventoryDeviation, type InventoryDeviation } from './computeInventoryDeviation.js'
