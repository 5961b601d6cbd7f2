import { InvalidConfigError } from '../errors/config.js'
import type { QueueModel } from './queueTypes.js'

/**
 * hftbacktest's `ProbQueueModel` with `PowerProbQueueFunc`: when the level shrinks by Δ without a trade, the part of Δ
 * taken from ahead of us is Δ · f(back) / (f(back) + f(front)) with f(x) = x^n (n = 1: proportional to the sizes; larger
 * n: cancellations come more from the longer side). Trades at our price move us forward one for one.
 */
export function powerProbQueue({ exponent }: { exponent: number }): QueueModel {
  if (!(Number.isFinite(exponent) && exponent > 0)) {
    throw new InvalidConfigError({ field: 'queue.exponent', value: String(exponent), rule: 'finite and > 0' })
  }
  const f = (x: number) => Math.max(0, x) ** exponent
  return {
    kind: 'powerProb',
    newOrder: (levelSizeLots) => ({ front: levelSizeLots, back: 0 }),
    trade: (position, tradeSizeLots) => {
      position.front -= tradeSizeLots
    },
    depth: (position, previousSizeLots, newSizeLots) => {
      const change = newSizeLots - previousSizeLots
      if (change >= 0) {
        position.back += change // new size joins behind us
        return
      }
      const decrease = -change
      const weightFront = f(position.back) / (f(position.back) + f(position.front) || 1)
      const fromFront = Math.min(Math.max(position.front, 0), decrease * weightFront)
      position.front -= fromFront
      position.back = Math.max(0, position.back - (decrease - fromFront))
      // Never more ahead of us than the level now shows (as the risk-averse model).
      if (position.front > newSizeLots) position.front = newSizeLots
    },
    filledLots: (position, orderSizeLots) => (position.front < 0 ? Math.min(orderSizeLots, -position.front) : 0),
  }
}
