import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import { GrvtEmulator, type GrvtEmulatorOptions } from './GrvtEmulator.js'

export type StartGrvtEmulatorOptions = GrvtEmulatorOptions & {
  host?: string | undefined
  port?: number | undefined
  /** Default 10 ms with the wall clock; null with a custom clock (call `tick()`). */
  tickIntervalMs?: number | null | undefined
}

export type RunningGrvtEmulator = {
  /** One base serves the edge (`/auth/api_key/login`), trading and market-data REST (`/full/v1/<name>`). */
  restUrl: string
  /** JSON-RPC WebSocket, e.g. ws://127.0.0.1:8080/ws/full (send the session cookie on upgrade for private streams). */
  wsUrl: string
  port: number
  emulator: GrvtEmulator
  engine: GrvtEmulator['engine']
  tick(): void
  close(): Promise<void>
}

/** Serves a GRVT emulator on 127.0.0.1 (HTTP JSON POST + WebSocket JSON-RPC). */
export async function startGrvtEmulator(options: StartGrvtEmulatorOptions): Promise<RunningGrvtEmulator> {
  const emulator = new GrvtEmulator(options)
  const host = options.host ?? '127.0.0.1'
  const sockets = new Set<WebSocket>()
  const server = createServer((req, res) => {
    void handleHttp(emulator, req, res)
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/ws')) {
      socket.destroy()
      return
    }
    const accountId = emulator.sessionAccount(req.headers.cookie, headerOf(req, 'x-grvt-account-id'))
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      const conn = emulator.openConnection(
        {
          send: (text) => {
            const faults = emulator.faults.ws
            if (faults.disconnectAfterMessages !== undefined) {
              if (faults.disconnectAfterMessages <= 0) {
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
          terminate: () => ws.terminate(),
        },
        accountId,
      )
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
    wsUrl: `ws://${host}:${port}/ws/full`,
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
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
    },
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

async function handleHttp(emulator: GrvtEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  const url = new URL(req.url ?? '/', 'http://localhost')
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
  }
  let body: unknown
  try {
    body = text.length === 0 ? {} : JSON.parse(text)
  } catch {
    reply(400, { code: 1004, message: 'Body is not JSON', status: 400 })
    return
  }
  if (req.method !== 'POST') {
    reply(405, { code: 1004, message: 'POST only', status: 405 })
    return
  }
  if (url.pathname === '/auth/api_key/login') {
    const result = emulator.login(body)
    reply(result.status, result.body, result.headers)
    return
  }
  const match = /^\/full\/v1\/([a-z_]+)$/.exec(url.pathname)
  if (!match) {
    reply(404, { code: 1004, message: 'Not found', status: 404 })
    return
  }
  const accountId = emulator.sessionAccount(req.headers.cookie, headerOf(req, 'x-grvt-account-id'))
  const delay = emulator.faults.rest.delayMs ?? 0
  if (emulator.faults.takeRest('timeoutNext')) {
    // never answered; 'after' (default) executes the request first, 'before' does not
    if (emulator.faults.rest.timeoutMode !== 'before') emulator.handleFull(match[1] ?? '', body, accountId)
    return
  }
  const result = emulator.handleFull(match[1] ?? '', body, accountId)
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))
  reply(result.status, result.body)
}
