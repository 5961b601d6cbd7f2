import type { OrderUpdateEvent } from '@alp/hedger'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Envelope,
  type OrderEventMessage,
  SequencedPublisher,
  SequencedReceiver,
  type Snapshot,
  TOPICS,
} from '../src/index.js'

/**
 * Model-based check of the recovery protocol (the transport-free cores both buses run): random interleavings of
 * publishes, drops, deliveries, heartbeats, late joins, snapshot requests served early or late (or lost), and publisher
 * restarts. Invariants: whenever the subscriber says `live` its state equals the publisher's state at the subscriber's
 * sequence number; after recovery (everything delivered, a heartbeat, snapshots served) it equals the publisher's state.
 */
type Action =
  | { kind: 'publish'; order: number; status: OrderUpdateEvent['status']; lots: number }
  | { kind: 'deliver'; count: number }
  | { kind: 'drop'; count: number; at?: number }
  | { kind: 'heartbeat' }
  | { kind: 'join' }
  | { kind: 'serveSnapshot' }
  | { kind: 'deliverSnapshot' }
  | { kind: 'loseSnapshot' }
  | { kind: 'restart' }

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('publish' as const),
      order: fc.integer({ min: 0, max: 7 }),
      status: fc.constantFrom<OrderUpdateEvent['status']>('new', 'partiallyFilled', 'filled', 'canceled'),
      lots: fc.integer({ min: 0, max: 9 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), count: fc.integer({ min: 1, max: 5 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('drop' as const),
      count: fc.integer({ min: 1, max: 3 }),
      at: fc.nat({ max: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'heartbeat' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'join' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'serveSnapshot' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'deliverSnapshot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'loseSnapshot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
)

const spec = TOPICS.orderEvents

function message(a: Extract<Action, { kind: 'publish' }>, tsNs: bigint): OrderEventMessage {
  return {
    type: 'orderUpdate',
    tsNs,
    venue: 'binance',
    clientOrderId: `o${a.order}`,
    side: a.order % 2 === 0 ? 'buy' : 'sell',
    priceTicks: 1000 + a.order,
    sizeLots: 10,
    filledLots: a.lots,
    status: a.status,
  }
}

function run(actions: readonly Action[]): void {
  let generation = 1
  const epochOf = (g: number) => `e${String(g).padStart(4, '0')}`
  let publisher = new SequencedPublisher(spec, { publisher: 'te', epoch: epochOf(generation) })
  // The publisher's state after each sequence number, per epoch: what a live subscriber must hold.
  const history = new Map<string, Map<string, OrderEventMessage>>([[`${epochOf(1)}/0`, new Map()]])
  const receiver = new SequencedReceiver(spec)
  let joined = false
  let inFlight: Envelope<OrderEventMessage>[] = []
  let requests = 0 // snapshot requests waiting at the publisher
  const responses: Snapshot<OrderEventMessage>[] = []
  let clock = 0n

  const handle = (output: { requestSnapshot: boolean }): void => {
    if (output.requestSnapshot) requests += 1
    if (receiver.phase === 'live') {
      const expected = history.get(`${receiver.epoch}/${receiver.lastSeq}`)
      expect(expected, `history of ${receiver.epoch}/${receiver.lastSeq}`).toBeDefined()
      expect(new Map(receiver.state)).toEqual(expected)
    }
  }
  const send = (envelope: Envelope<OrderEventMessage>): void => {
    if (joined) inFlight.push(envelope) // before it joins, the subscriber misses everything (late joiner)
  }
  const deliver = (count: number): void => {
    for (const envelope of inFlight.splice(0, count)) handle(receiver.onEnvelope(envelope))
  }
  const serve = (): void => {
    if (requests === 0) return
    requests -= 1
    responses.push(publisher.snapshot())
  }
  const deliverSnapshot = (): void => {
    const snapshot = responses.shift()
    if (snapshot !== undefined) handle(receiver.onSnapshot(snapshot))
  }

  for (const a of actions) {
    switch (a.kind) {
      case 'publish': {
        clock += 1n
        send(publisher.next(message(a, clock)))
        history.set(`${publisher.epoch}/${publisher.seq}`, new Map(publisher.state))
        break
      }
      case 'deliver':
        deliver(a.count)
        break
      case 'drop':
        // Anywhere in the queue (as a full high-water mark drops whatever arrives while it is full).
        if (inFlight.length > 0) inFlight.splice((a.at ?? 0) % inFlight.length, a.count)
        break
      case 'heartbeat':
        send(publisher.heartbeat())
        break
      case 'join':
        if (!joined) {
          joined = true
          handle(receiver.start())
        }
        break
      case 'serveSnapshot':
        serve()
        break
      case 'deliverSnapshot':
        deliverSnapshot()
        break
      case 'loseSnapshot':
        // A request or its answer is lost: the subscriber's timeout fires and it asks again.
        if (responses.length > 0) responses.shift()
        else if (requests > 0) requests -= 1
        else break
        if (receiver.snapshotInFlight) handle(receiver.snapshotFailed())
        break
      case 'restart':
        generation += 1
        publisher = new SequencedPublisher(spec, { publisher: 'te', epoch: epochOf(generation) })
        history.set(`${publisher.epoch}/0`, new Map())
        break
    }
  }

  // Recovery: the subscriber joins if it never did, everything in flight arrives, then heartbeats and snapshot service
  // until it is live at the publisher's sequence number.
  if (!joined) {
    joined = true
    handle(receiver.start())
  }
  for (let round = 0; round < 20; round++) {
    deliver(inFlight.length)
    send(publisher.heartbeat())
    deliver(inFlight.length)
    while (requests > 0 || responses.length > 0) {
      serve()
      deliverSnapshot()
    }
    if (receiver.phase === 'live' && receiver.epoch === publisher.epoch && receiver.lastSeq === publisher.seq) break
  }
  expect(receiver.phase).toBe('live')
  expect(receiver.epoch).toBe(publisher.epoch)
  expect(receiver.lastSeq).toBe(publisher.seq)
  expect(new Map(receiver.state)).toEqual(new Map(publisher.state))
  inFlight = []
}

describe('transport model: sequence checks and snapshot recovery', () => {
  it('after recovery the subscriber state equals the publisher state, under any interleaving', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 150 }), (actions) => run(actions)),
      { numRuns: 2000 },
    )
  })

  it('a hand-written case: the snapshot is older than a new gap, so the buffer does not follow it: ask again', () => {
    run([
      { kind: 'join' },
      { kind: 'publish', order: 1, status: 'new', lots: 0 },
      { kind: 'serveSnapshot' },
      { kind: 'publish', order: 2, status: 'new', lots: 0 },
      { kind: 'publish', order: 3, status: 'partiallyFilled', lots: 4 },
      { kind: 'drop', count: 2 },
      { kind: 'deliver', count: 1 },
      { kind: 'deliverSnapshot' },
    ])
  })
})
