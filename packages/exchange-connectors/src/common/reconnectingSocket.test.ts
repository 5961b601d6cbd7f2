import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws'
import { waitFor } from '../../test/src/waitFor.js'
import { systemClock } from './clock.js'
import { ReconnectingSocket } from './reconnectingSocket.js'
import type { ConnectionHealthEvent } from './types/health.js'

// A real local ws server on 127.0.0.1:0 (no mocks). Deadlines, not sleeps.
let server: WebSocketServer | undefined
let client: ReconnectingSocket | undefined
afterEach(async () => {
  client?.stop()
  for (const s of server?.clients ?? []) s.terminate()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

function startServer(onConnection: (socket: ServerSocket, request: IncomingMessage) => void): Promise<string> {
  return new Promise((resolve) => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () =>
      resolve(`ws://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    )
    server.on('connection', onConnection)
  })
}

describe('ReconnectingSocket', () => {
  it('sends the upgrade headers, asked again for every (re)connection', async () => {
    const seen: Array<[string | undefined, string | undefined]> = []
    const serverSockets: ServerSocket[] = []
    const url = await startServer((s, request) => {
      serverSockets.push(s)
      seen.push([request.headers.cookie, request.headers['x-grvt-account-id'] as string | undefined])
    })
    let session = 0
    client = new ReconnectingSocket({
      name: 'test',
      venue: 'test',
      url,
      headers: async () => ({ Cookie: `gravity=session-${++session}`, 'X-Grvt-Account-Id': 'acc-1' }),
      clock: systemClock,
      random: () => 0,
      backoff: { baseMs: 20, maxMs: 100 },
    })
    await client.start()
    await waitFor(() => seen.length === 1, 'first connection')
    serverSockets[0]!.terminate()
    await waitFor(() => seen.length === 2 && client!.isReady, 'reconnection')
    expect(seen).toEqual([
      ['gravity=session-1', 'acc-1'],
      ['gravity=session-2', 'acc-1'],
    ])
  })

  it('reconnects after a server-side drop and runs the resubscribe hook on every connection', async () => {
    const serverSockets: ServerSocket[] = []
    const received: string[] = []
    const url = await startServer((s) => {
      serverSockets.push(s)
      s.on('message', (m) => received.push(m.toString()))
    })
    const health: ConnectionHealthEvent[] = []
    client = new ReconnectingSocket({
      name: 'test',
      venue: 'test',
      url,
      clock: systemClock,
      random: () => 0,
      backoff: { baseMs: 20, maxMs: 100 },
      onConnected: (s) => s.send('{"method":"SUBSCRIBE"}'),
    })
    client.on('health', (e) => health.push(e))
    await client.start()
    await waitFor(() => received.length === 1, 'first subscription')
    serverSockets[0]!.terminate()
    await waitFor(() => received.length === 2 && client!.isReady, 'resubscription after drop')
    expect(client.connectionCount).toBe(2)
    expect(health.map((e) => e.kind)).toEqual(['open', 'close', 'reconnecting', 'open'])
    const reconnecting = health[2] as Extract<ConnectionHealthEvent, { kind: 'reconnecting' }>
    expect(reconnecting.delayMs).toBe(10) // attempt 0, base 20, random 0 → cap/2
  })

  it('reconnects proactively at the configured connection age (short limit)', async () => {
    let connections = 0
    const url = await startServer(() => connections++)
    client = new ReconnectingSocket({
      name: 'test',
      venue: 'test',
      url,
      clock: systemClock,
      random: () => 0.5,
      maxConnectionAgeMs: 50,
    })
    await client.start()
    await waitFor(() => client!.connectionCount >= 3, 'two proactive reconnects')
    expect(connections).toBeGreaterThanOrEqual(3)
  })

  it('declares a silent connection stale (no pong) and replaces it', async () => {
    let connections = 0
    const url = await startServer((s) => {
      connections++
      // the first server connection stops reading: our pings go unanswered
      if (connections === 1) (s as unknown as { _socket: { pause(): void } })._socket.pause()
    })
    const health: ConnectionHealthEvent[] = []
    client = new ReconnectingSocket({
      name: 'test',
      venue: 'test',
      url,
      clock: systemClock,
      random: () => 0,
      heartbeatIntervalMs: 10,
      staleAfterMs: 60,
      backoff: { baseMs: 10, maxMs: 10 },
    })
    client.on('health', (e) => health.push(e))
    await client.start()
    await waitFor(() => connections >= 2 && client!.isReady, 'replacement connection')
    expect(health.some((e) => e.kind === 'stale')).toBe(true)
  })

  it('send() on a closed socket throws ConnectionClosedError', () => {
    client = new ReconnectingSocket({
      name: 'x',
      venue: 'test',
      url: 'ws://127.0.0.1:9',
      clock: systemClock,
      random: () => 0,
    })
    expect(() => client!.send('x')).toThrow(/closed/)
  })
})
