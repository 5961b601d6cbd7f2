import type { L2CaptureEvent } from '../data/readBinanceL2Capture.js'
import type { QueueModel } from './queueTypes.js'

export type SimulateQueueFillParameters = {
  events: AsyncIterable<L2CaptureEvent>
  order: { side: 'buy' | 'sell'; priceTicks: number; sizeLots: number; submitLocalNs: bigint }
  queue: QueueModel
  /** Entry latency: the order joins the queue at submit + entryNs (in the capture's local clock). */
  entryNs: bigint
}

export type QueueFillResult = {
  /** Local time when the order was completely filled, or null if it was not by the end of the data. */
  filledAtNs: bigint | null
  filledLots: number
  /** Level size ahead of us when the order joined. */
  queueAheadAtEntryLots: number
  /** 'queue' (the queue reached us) or 'tradeThrough' (a trade beyond our price). */
  reason: 'queue' | 'tradeThrough' | null
}

/**
 * One passive order on an L2 + trades capture: the level at its price is tracked from the snapshot and the depth
 * diffs (diffs already in the snapshot are skipped), the order joins behind the displayed size, and the queue model moves
 * it forward on depth changes and on trades at its price that hit its side. A trade strictly beyond its price fills
 * what is left (the book traded through it). Our order is assumed not to change the market (it is not in the data).
 */
export async function simulateQueueFill({
  events,
  order,
  queue,
  entryNs,
}: SimulateQueueFillParameters): Promise<QueueFillResult> {
  const isBuy = order.side === 'buy'
  const joinNs = order.submitLocalNs + entryNs
  let snapshotId = -1
  let levelLots = 0
  let position: ReturnType<QueueModel['newOrder']> | null = null
  let queueAheadAtEntryLots = 0
  for await (const event of events) {
    if (position === null && event.tsLocalNs >= joinNs && snapshotId >= 0) {
      position = queue.newOrder(levelLots)
      queueAheadAtEntryLots = levelLots
    }
    if (event.kind === 'snapshot') {
      snapshotId = event.lastUpdateId
      const side = isBuy ? event.bids : event.asks
      levelLots = side.find(([price]) => price === order.priceTicks)?.[1] ?? 0
    } else if (event.kind === 'depth') {
      if (snapshotId < 0 || event.lastUpdateId <= snapshotId) continue
      const level = (isBuy ? event.bids : event.asks).find(([price]) => price === order.priceTicks)
      if (level === undefined) continue
      if (position !== null) queue.depth(position, levelLots, level[1])
      levelLots = level[1]
    } else if (event.kind === 'trade' && position !== null) {
      // A sell hitting bids has the buyer as maker; a buy lifting asks has the seller as maker.
      const hitsOurSide = isBuy ? event.buyerIsMaker : !event.buyerIsMaker
      if (!hitsOurSide) continue
      const beyond = isBuy ? event.priceTicks < order.priceTicks : event.priceTicks > order.priceTicks
      if (beyond)
        return {
          filledAtNs: event.tsLocalNs,
          filledLots: order.sizeLots,
          queueAheadAtEntryLots,
          reason: 'tradeThrough',
        }
      if (event.priceTicks !== order.priceTicks) continue
      queue.trade(position, event.sizeLots)
      if (queue.filledLots(position, order.sizeLots) >= order.sizeLots) {
        return { filledAtNs: event.tsLocalNs, filledLots: order.sizeLots, queueAheadAtEntryLots, reason: 'queue' }
      }
    }
  }
  return {
    filledAtNs: null,
    filledLots: position === null ? 0 : queue.filledLots(position, order.sizeLots),
    queueAheadAtEntryLots,
    reason: null,
  }
}
