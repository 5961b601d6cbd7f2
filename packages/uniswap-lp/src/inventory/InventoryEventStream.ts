import { EventEmitter } from 'eventemitter3'
import type { UsdPrices } from '../valuation/valueInUsd.js'
import { createInventoryUpdate } from './createInventoryUpdate.js'
import type { InventoryEvents, InventoryUpdate } from './types.js'

export type InventoryEventStreamOptions = {
  /** Publisher id, copied into every payload (e.g. `uniswap-v3:1:<pool address>`). */
  source: string
  decimals0: number
  decimals1: number
  baseToken: 'token0' | 'token1'
  targetBaseShare: number
}

/**
 * A typed stream of the LP's inventory: `stream.on('inventory', (update) => …)`. `publish` builds the payload with
 * {@link createInventoryUpdate}, numbers it (seq 1, 2, …) and emits it synchronously. Time is passed in; the stream
 * reads no clock.
 */
export class InventoryEventStream extends EventEmitter<InventoryEvents> {
  readonly options: Readonly<InventoryEventStreamOptions>
  #seq = 0

  constructor(options: InventoryEventStreamOptions) {
    super()
    this.options = Object.freeze({ ...options })
  }

  /** The seq of the last published update (0 before the first). */
  get lastSeq(): number {
    return this.#seq
  }

  /**
   * Publishes one snapshot and returns it. Validation happens before the seq advances, so a rejected snapshot
   * leaves no gap.
   * @throws the errors of createInventoryUpdate
   */
  publish(snapshot: {
    tsMs: number
    amount0Raw: bigint
    amount1Raw: bigint
    sqrtPriceX96: bigint
    prices: UsdPrices
  }): InventoryUpdate {
    const update = createInventoryUpdate({ ...this.options, ...snapshot, seq: this.#seq + 1 })
    this.#seq = update.seq
    this.emit('inventory', update)
    return update
  }
}
