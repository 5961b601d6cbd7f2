import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import { DeribitEmulator, type DeribitEmulatorOptions } from './DeribitEmulator.js'

export type StartDeribitEmulatorOptions = DeribitEmulatorOptions & {
  host?: string | undefined
  /** 0 = a free port (default). */
  port?: number | undefined
  /** Wall-clock ms between emulator ticks; null when a custom clock is given (call `tick()`). Default 10. */
  tickIntervalMs?: number | null | undefined
}

export type RunningDeribitEmulator = {
  /** REST base, e.g. http://127.0.0.1:8080 (append /api/v2/public/get_instruments…). */
  restUrl: string
  /** WebSocket URL, e.g. ws://127.0.0.1:8080/ws/api/v2. */
  wsUrl: string
  port: number
  emulator: DeribitEmulator
  engine: DeribitEmulator['engine']
  tick(): void
  close(): Promise<void>
}

/**
 * Serves a Deribit emulator on 127.0.0.1: JSON-RPC over WebSocket at `/ws/api/v2` and over HTTP at
 * `/api/v2/<public|private>/<method>` (GET with query parameters, or POST with a JSON-RPC body).
 * The `ws` fault knobs (delay, disconnect after N frames) apply to every outgoing frame.
 */
export async function startDeribitEmulator(options: StartDeribitEmulatorOptions): Promise<RunningDeribitEmulator> {
  const emulator = new DeribitEmulator(options)
  const host = options.host ?? '127.0.0.1'
  const sockets = new Set<WebSocket>()
  const server = createServer((req, res) => {
    void handleHttp(emulator, req, res)
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/ws/api/v2')) {
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      const terminate = () => ws.terminate()
      const conn = emulator.openConnection({
        send: (text) => {
          const faults = emulator.faults.ws
          if (faults.disconnectAfterMessages !== undefined && faults.disconnectAfterMessages >= 0) {
            if (faults.disconnectAfterMessages === 0) {
              faults.disconnectAfterMessages = undefined
              for (const s of sockets) s.terminate()
              return
            }
            faults.disconnectAfterMessages -= 1
          }
          const delay = faults.delayMs ?? 0
          if (delay > 0) setTimeout(() => ws.readyState === ws.OPEN && ws.send(text), delay)
          else if (ws.readyState === ws.OPEN) ws.send(text)
        },
        terminate,
      })
      ws.on('message', (data) => emulator.handleFrame(conn, data.toString()))
      ws.on('close', () => {
        sockets.delete(ws)
        emulator.closeConnection(conn)
      })
      ws.on('error', () => ws.terminate())
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const interval = options.tickIntervalMs === undefined ? (options.clock ? null : 10) : options.tickIntervalMs
  const timer = interval === null ? null : setInterval(() => emulator.tick(), interval)
  emulator.tick()
  let closed = false
  return {
    restUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/ws/api/v2`,
    port,
    emulator,
    engine: emulator.engine,
    tick: () => emulator.tick(),
    close: async () => {
      if (closed) return
      closed = true
      if (timer) clearInterval(timer)
      emulator.close()
      for (const s of sockets) s.terminate()
      wss.close()
      await closeServer(server)
    },
  }
}

async function handleHttp(emulator: DeribitEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString('utf8')
  const url = new URL(req.url ?? '/', 'http://localhost')
  const match = /^\/api\/v2\/((?:public|private)\/[a-z_]+)$/.exec(url.pathname)
  const send = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload))
  }
  let method = match?.[1]
  let params: Record<string, unknown> = Object.fromEntries(url.searchParams.entries())
  if (req.method === 'POST' && body.length > 0) {
    try {
      const rpc = JSON.parse(body) as { method?: unknown; params?: unknown }
      if (typeof rpc.method === 'string') method = rpc.method
      if (rpc.params && typeof rpc.params === 'object') params = rpc.params as Record<string, unknown>
    } catch {
      send(400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } })
      return
    }
  }
  if (method === undefined) {
    send(404, { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' } })
    return
  }
  const rest = emulator.faults
  const delay = rest.rest.delayMs ?? 0
  const result = emulator.handleHttp(
    method,
    params,
    req.headers.authorization,
    `${url.pathname}${url.search}`,
    req.method ?? 'GET',
    body,
  )
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))
  send(result.status, result.body)
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
}
