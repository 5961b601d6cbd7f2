/** Where our resting order sits in the price level's FIFO queue, in lots. */
export type QueuePosition = {
  /** Quantity ahead of us. Below 0: that much of our order has traded. */
  front: number
  /** Quantity behind us (joined after we did). */
  back: number
}

/**
 * Queue-position model for L2 + trades data (hftbacktest's `QueueModel`): `newOrder` when our order joins a level,
 * `trade` for a public trade at our price, `depth` when the level's displayed size changes, `filledLots` for how much of
 * our order the queue has reached.
 */
export type QueueModel = {
  readonly kind: 'riskAverse' | 'powerProb'
  readonly newOrder: (levelSizeLots: number) => QueuePosition
  readonly trade: (position: QueuePosition, tradeSizeLots: number) => void
  readonly depth: (position: QueuePosition, previousSizeLots: number, newSizeLots: number) => void
  readonly filledLots: (position: QueuePosition, orderSizeLots: number) => number
}
