import type { OperatorEvent, PlaceOrderCommand, PositionEvent } from '@alp/hedger'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CommandNotAcknowledgedError,
  createInProcessBus,
  createZmqBus,
  type Endpoints,
  freeLoopbackEndpoints,
  InProcessHub,
  type MessageBus,
  type PositionMessage,
} from '../src/index.js'

/**
 * One contract, two transports: every test here runs on the in-process bus and on the ZeroMQ bus (two buses on free
 * loopback ports, as two roles in two processes would be).
 */
type Pair = { a: MessageBus; b: MessageBus }
const transports: { name: string; pair: () => Promise<Pair> }[] = [
  {
    name: 'in-process',
    pair: async () => {
      const hub = new InProcessHub()
      return { a: createInProcessBus({ hub }), b: createInProcessBus({ hub }) }
    },
  },
  {
    name: 'zeromq',
    pair: async () => {
      const endpoints: Endpoints = await freeLoopbackEndpoints()
      return { a: createZmqBus({ endpoints }), b: createZmqBus({ endpoints }) }
    },
  },
]

const position = (venue: string, sizeLots: number, tsNs: bigint): PositionEvent => ({
  type: 'position',
  tsNs,
  venue,
  sizeLots,
})

const place = (clientOrderId: string, priceTicks = 250_000): PlaceOrderCommand => ({
  type: 'placeOrder',
  tsNs: 1_704_412_800_000_000_000n,
  venue: 'binance',
  clientOrderId,
  side: 'sell',
  priceTicks,
  sizeLots: 12,
  price: `${priceTicks / 100}`,
  sizeBase: '0.012',
  postOnly: true,
})

describe.each(transports)('transport contract: $name', ({ pair }) => {
  let buses: Pair | undefined
  afterEach(async () => {
    await buses?.a.close()
    await buses?.b.close()
    buses = undefined
  })

  it('delivers a topic in order with sequence numbers 1..N and the subscriber state equals the publisher state', async () => {
    buses = await pair()
    const pub = await buses.a.publisher('positions', { heartbeatMs: 50 })
    const sub = await buses.b.subscriber('positions')
    const got: PositionMessage[] = []
    sub.on('message', (m) => got.push(m))
    await sub.until((s) => s.phase === 'live')
    const sent = Array.from({ length: 200 }, (_, i) => position(`v${i % 7}`, i - 100, BigInt(i) * 10n ** 15n))
    for (const m of sent) pub.publish(m)
    await sub.until((s) => s.lastSeq === 200)
    expect(pub.seq).toBe(200)
    expect(got).toEqual(sent)
    expect(sub.stats.gaps).toBe(0)
    expect(new Map(sub.state)).toEqual(new Map(pub.state))
    // 7 venues: the last position of each.
    expect(sub.state.size).toBe(7)
    expect(sub.state.get('position/v3')).toEqual(sent[199 - ((199 - 3) % 7)])
  })

  it('a late-joining subscriber recovers the state through a snapshot, then follows the live stream', async () => {
    buses = await pair()
    const pub = await buses.a.publisher('positions', { heartbeatMs: 50 })
    for (let i = 0; i < 50; i++) pub.publish(position(`v${i % 5}`, i, BigInt(i)))
    const sub = await buses.b.subscriber('positions')
    const snapshots: number[] = []
    sub.on('snapshot', (_state, seq) => snapshots.push(seq))
    await sub.until((s) => s.phase === 'live' && s.lastSeq >= 50)
    expect(snapshots[0]).toBe(50)
    expect(new Map(sub.state)).toEqual(new Map(pub.state))
    pub.publish(position('v9', -3, 99n))
    await sub.until((s) => s.lastSeq === 51)
    expect(sub.state.get('position/v9')).toEqual(position('v9', -3, 99n))
    expect(new Map(sub.state)).toEqual(new Map(pub.state))
  })

  it('a subscriber started before its publisher asks for the snapshot again until the publisher is up', async () => {
    buses = await pair()
    const sub = await buses.b.subscriber('positions', { snapshotTimeoutMs: 50 })
    expect(sub.phase).toBe('recovering')
    const pub = await buses.a.publisher('positions', { heartbeatMs: 20 })
    pub.publish(position('binance', 7, 7n))
    await sub.until((s) => s.phase === 'live' && s.lastSeq === 1, 5000)
    expect([...sub.state.values()]).toEqual([position('binance', 7, 7n)])
  })

  it('a quiet publisher: the heartbeat carries the last sequence number, so a subscriber that joins later still syncs', async () => {
    buses = await pair()
    const pub = await buses.a.publisher('orderUpdates', { heartbeatMs: 20 })
    pub.publish({ type: 'halt', tsNs: 5n, scope: 'all', reason: 'operatorKill' })
    pub.publish({ type: 'halt', tsNs: 6n, scope: 'binance', reason: 'feedGap' })
    pub.publish({ type: 'resume', tsNs: 7n, scope: 'binance' })
    const sub = await buses.b.subscriber('orderUpdates')
    await sub.until((s) => s.phase === 'live' && s.lastSeq === 3)
    expect([...sub.state.keys()]).toEqual(['halt/all'])
  })

  it('a command executes once and is acknowledged; the same command sent again executes once and gets the same ack', async () => {
    buses = await pair()
    const executed: string[] = []
    const server = await buses.a.commandServer('venueCommands', (command) => {
      executed.push(command.type === 'placeOrder' ? command.clientOrderId : command.type)
      return { ok: true, detail: `accepted ${executed.length}` }
    })
    const client = await buses.b.commandClient('venueCommands', { ackTimeoutMs: 200 })
    const first = await client.send(place('c-1'))
    expect(first).toEqual({ commandId: 'binance/placeOrder/c-1', ok: true, detail: 'accepted 1', attempts: 1 })
    const again = await client.send(place('c-1'))
    expect(again.detail).toBe('accepted 1')
    // Two deliveries at once: still one execution.
    const [x, y] = await Promise.all([client.send(place('c-2')), client.send(place('c-2'))])
    expect(x).toEqual(y)
    expect(executed).toEqual(['c-1', 'c-2'])
    expect(server.stats.executed).toBe(2)
    expect(server.stats.duplicates).toBe(1)
  })

  it('acks are remembered for rememberAcksMs and at most rememberAcks of them, then forgotten (bounded memory)', async () => {
    buses = await pair()
    const executed: string[] = []
    const server = await buses.a.commandServer(
      'venueCommands',
      (command) => {
        executed.push(command.type === 'placeOrder' ? command.clientOrderId : command.type)
        return { ok: true }
      },
      { rememberAcksMs: 300, rememberAcks: 3 },
    )
    const client = await buses.b.commandClient('venueCommands', { ackTimeoutMs: 200 })
    await client.send(place('c-1'))
    await client.send(place('c-1')) // inside the window: answered from memory
    expect(executed).toEqual(['c-1'])
    await new Promise((resolve) => setTimeout(resolve, 400))
    await client.send(place('c-2')) // forgets c-1 (older than 300 ms)
    await client.send(place('c-1'))
    expect(executed).toEqual(['c-1', 'c-2', 'c-1'])
    for (const id of ['c-3', 'c-4', 'c-5']) await client.send(place(id)) // past 3 acks: the oldest (c-2) goes
    await client.send(place('c-5'))
    await client.send(place('c-2'))
    expect(executed).toEqual(['c-1', 'c-2', 'c-1', 'c-3', 'c-4', 'c-5', 'c-2'])
    expect(server.stats.duplicates).toBe(2)
  })

  it('a lost ack is retried with the same id and the command still executes once', async () => {
    buses = await pair()
    let executions = 0
    const server = await buses.a.commandServer(
      'venueCommands',
      () => {
        executions += 1
        return { ok: true }
      },
      { dropAck: (_id, delivery) => delivery <= 2 },
    )
    const client = await buses.b.commandClient('venueCommands', { ackTimeoutMs: 50 })
    const ack = await client.send(place('lost-ack'))
    expect(ack.ok).toBe(true)
    expect(ack.attempts).toBe(3)
    expect(executions).toBe(1)
    expect(server.stats.duplicates).toBe(2)
  })

  it('a handler rejection is a definite ack with ok: false (not retried, not executed twice)', async () => {
    buses = await pair()
    let calls = 0
    await buses.a.commandServer('traderControl', () => {
      calls += 1
      throw new Error('limit breached')
    })
    const client = await buses.b.commandClient('traderControl', { ackTimeoutMs: 100 })
    const kill: OperatorEvent = { type: 'operator', tsNs: 1n, action: 'resume', reason: 'test' }
    expect(await client.send(kill)).toMatchObject({ ok: false, detail: 'limit breached', attempts: 1 })
    expect(await client.send(kill)).toMatchObject({ ok: false, detail: 'limit breached' })
    expect(calls).toBe(1)
  })

  it('without a server the command fails after maxAttempts with CommandNotAcknowledgedError (outcome unknown)', async () => {
    buses = await pair()
    const client = await buses.b.commandClient('venueCommands', { ackTimeoutMs: 20, maxAttempts: 3 })
    const error = await client.send(place('nobody')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CommandNotAcknowledgedError)
    expect(error).toMatchObject({ code: 'COMMAND_NOT_ACKNOWLEDGED', attempts: 3, retryable: false })
  })

  it('per-call endpoints: two venues on one bus, each subscriber follows its own venue', async () => {
    buses = await pair()
    const venue2 = await freeLoopbackEndpoints()
    const pub1 = await buses.a.publisher('positions', { heartbeatMs: 0 })
    const pub2 = await buses.a.publisher('positions', { heartbeatMs: 0, endpoints: venue2 })
    const sub1 = await buses.b.subscriber('positions')
    const sub2 = await buses.b.subscriber('positions', { endpoints: venue2 })
    await sub1.until((s) => s.phase === 'live')
    await sub2.until((s) => s.phase === 'live')
    pub1.publish(position('binance', 1, 1n))
    pub2.publish(position('deribit', 2, 2n))
    pub2.publish(position('deribit', 3, 3n))
    await sub1.until((s) => s.lastSeq === 1)
    await sub2.until((s) => s.lastSeq === 2)
    expect([...sub1.state.values()]).toEqual([position('binance', 1, 1n)])
    expect([...sub2.state.values()]).toEqual([position('deribit', 3, 3n)])
  })

  it('a publisher that goes quiet is reported silent; its heartbeats make it alive again', async () => {
    buses = await pair()
    const pub = await buses.a.publisher('marketData', { heartbeatMs: 20 })
    const sub = await buses.b.subscriber('marketData', { silenceMs: 150 })
    await sub.until((s) => s.lastSeq === 0 && !s.silent)
    await pub.close()
    await sub.until((s) => s.silent, 5000)
    await buses.a.publisher('marketData', { heartbeatMs: 20 })
    await sub.until((s) => !s.silent, 5000)
  })
})

describe('in-process bus: gaps', () => {
  it('drops on a stateful topic are detected and the state is recovered by snapshot', async () => {
    const hub = new InProcessHub()
    const a = createInProcessBus({ hub })
    let n = 0
    const b = createInProcessBus({ hub, dropEnvelope: (_t, e) => e.kind === 'message' && ++n % 10 === 3 })
    const pub = await a.publisher('positions', { heartbeatMs: 0 })
    const sub = await b.subscriber('positions')
    await sub.until((s) => s.phase === 'live')
    for (let i = 0; i < 500; i++) pub.publish(position(`v${i % 13}`, i, BigInt(i)))
    await sub.until((s) => s.phase === 'live' && s.lastSeq === 500)
    expect(sub.stats.gaps).toBeGreaterThan(0)
    expect(sub.stats.snapshots).toBeGreaterThan(1)
    expect(new Map(sub.state)).toEqual(new Map(pub.state))
    await a.close()
    await b.close()
  })

  it('drops on market data (lossy) are counted, not recovered', async () => {
    const hub = new InProcessHub()
    const a = createInProcessBus({ hub })
    const b = createInProcessBus({ hub, dropEnvelope: (_t, e) => e.kind === 'message' && e.seq % 4 === 0 })
    const pub = await a.publisher('marketData', { heartbeatMs: 0 })
    const sub = await b.subscriber('marketData')
    const got: number[] = []
    sub.on('message', (m) => got.push(Number(m.tsNs)))
    for (let i = 1; i <= 100; i++)
      pub.publish({
        type: 'trade',
        tsNs: BigInt(i),
        venue: 'binance',
        priceTicks: i,
        sizeLots: 1,
        aggressorSide: 'buy',
      })
    await sub.until((s) => s.lastSeq === 99)
    expect(got.length).toBe(75)
    expect(sub.stats.gaps).toBe(24)
    expect(sub.stats.missed).toBe(24)
    expect(sub.stats.snapshots).toBe(0)
    await a.close()
    await b.close()
  })
})
