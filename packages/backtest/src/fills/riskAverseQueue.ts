import type { QueueModel } from './queueTypes.js'

/**
 * hftbacktest's `RiskAdverseQueueModel`: we join at the back; only trades at our price move us forward; a drop in
 * displayed size moves us forward only as far as the level shrinks below what was ahead of us (cancellations are assumed
 * to come from behind us). The conservative model.
 */
export function riskAverseQueue(): QueueModel {
  return {
    kind: 'riskAverse',
    newOrder: (levelSizeLots) => ({ front: levelSizeLots, back: 0 }),
    trade: (position, tradeSizeLots) => {
      position.front -= tradeSizeLots
    },
    depth: (position, _previous, newSizeLots) => {
      if (newSizeLots < position.front) position.front = newSizeLots
    },
    filledLots: (position, orderSizeLots) => (position.front < 0 ? Math.min(orderSizeLots, -position.front) : 0),
  }
}
