import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type L2CaptureEvent, readBinanceL2Capture } from '../src/data/readBinanceL2Capture.js'
import { powerProbQueue } from '../src/fills/powerProbQueue.js'
import { riskAverseQueue } from '../src/fills/riskAverseQueue.js'
import { simulateQueueFill } from '../src/fills/simulateQueueFill.js'

const CAPTURE = fileURLToPath(
  new URL('../../../data/binance-ethusdt-l2-2024-08-08/spot_ethusdt_20240808.gz', import.meta.url),
)
const grid = { tickSize: '0.01', stepSize: '0.00000001' }

async function* from(events: L2CaptureEvent[]) {
  for (const e of events) yield e
}

describe('L2 + trades queue fills', () => {
  it('hand example: 100 lots ahead, trades of 60 and 50 at our bid fill our 10 lots at the second trade', async () => {
    const events: L2CaptureEvent[] = [
      { kind: 'snapshot', tsLocalNs: 1n, lastUpdateId: 5, bids: [[1000, 100]], asks: [[1001, 50]], row: 1 },
      { kind: 'trade', tsLocalNs: 3n, tsExchangeNs: 3n, priceTicks: 1000, sizeLots: 60, buyerIsMaker: true, row: 2 },
      { kind: 'trade', tsLocalNs: 4n, tsExchangeNs: 4n, priceTicks: 1001, sizeLots: 500, buyerIsMaker: false, row: 3 }, // the other side
      { kind: 'trade', tsLocalNs: 5n, tsExchangeNs: 5n, priceTicks: 1000, sizeLots: 50, buyerIsMaker: true, row: 4 },
    ]
    const result = await simulateQueueFill({
      events: from(events),
      order: { side: 'buy', priceTicks: 1000, sizeLots: 10, submitLocalNs: 2n },
      queue: riskAverseQueue(),
      entryNs: 0n,
    })
    expect(result).toEqual({ filledAtNs: 5n, filledLots: 10, queueAheadAtEntryLots: 100, reason: 'queue' })
  })

  it('reads the real capture: the message counts of PROVENANCE.md (3434 depth, 6106 trades, 24077 bookTicker, 1 snapshot)', async () => {
    const counts: Record<string, number> = {}
    for await (const e of readBinanceL2Capture({ path: CAPTURE, ...grid })) counts[e.kind] = (counts[e.kind] ?? 0) + 1
    expect(counts).toEqual({ snapshot: 1, depth: 3434, trade: 6106, bookTicker: 24077 })
  })

  it('on the real capture the probabilistic queue never fills later than the risk-averse one (it can only be ahead)', async () => {
    // Both models move the same amount on trades and both cap "ahead" at the level size; the probabilistic one also
    // moves forward on some cancels: so at every event its queue-ahead is ≤ the risk-averse one.
    let snapshot: Extract<L2CaptureEvent, { kind: 'snapshot' }> | undefined
    for await (const e of readBinanceL2Capture({ path: CAPTURE, ...grid })) {
      if (e.kind === 'snapshot') {
        snapshot = e
        break
      }
    }
    const bestBid = Math.max(...snapshot!.bids.map(([p]) => p))
    const order = { side: 'buy' as const, priceTicks: bestBid, sizeLots: 1_000_000, submitLocalNs: snapshot!.tsLocalNs } // 0.01 ETH
    const run = (queue: ReturnType<typeof riskAverseQueue>) =>
      simulateQueueFill({ events: readBinanceL2Capture({ path: CAPTURE, ...grid }), order, queue, entryNs: 0n })
    const averse = await run(riskAverseQueue())
    const prob = await run(powerProbQueue({ exponent: 2 }))
    expect(averse.queueAheadAtEntryLots).toBe(302_920_000) // 3.0292 ETH at 2683.80 in the snapshot line
    expect(prob.filledAtNs).not.toBeNull()
    if (averse.filledAtNs !== null) expect(prob.filledAtNs! <= averse.filledAtNs).toBe(true)
  })
})
