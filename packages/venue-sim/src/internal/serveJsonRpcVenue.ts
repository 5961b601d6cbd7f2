import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import type { FaultController } from '../binance/FaultController.js'

/** The outgoing side of one emulated WebSocket connection, as the venue emulators see it. */
export type VenueTransport = { send(text: string): void; terminate(): void }

/** What a JSON-RPC venue emulator (Deribit, GRVT) gives the shared server. */
export type ServedVenue = {
  readonly faults: FaultController
  tick(): void
  close(): void
  /** Answers one HTTP request (the body is already read). */
  handleHttp(req: IncomingMessage, body: string, res: ServerResponse): Promise<void>
  /** Opens a connection for an accepted upgrade; `req` carries the upgrade headers (cookies, account ids). */
  openConnection(transport: VenueTransport, req: IncomingMessage): { handleFrame(text: string): void; close(): void }
}

export type ServeJsonRpcVenueOptions = {
  host?: string | undefined
  /** 0 = a free port (default). */
  port?: number | undefined
  /** Upgrades to paths not starting with this are refused. */
  wsPathPrefix: string
  /** Default 10 ms with the wall clock; null with a custom clock (call `tick()`). */
  tickIntervalMs?: number | null | undefined
  hasCustomClock: boolean
}

export type ServedVenueServer = { host: string; port: number; tick(): void; close(): Promise<void> }

/**
 * The HTTP + WebSocket server shared by the JSON-RPC venue emulators: routes HTTP to the venue, upgrades under
 * `wsPathPrefix`, applies the `ws` fault knobs to every outgoing frame (`delayMs`; `disconnectAfterMessages` = N frames
 * still go out, then every socket is terminated; 0 = at the next frame; unset or negative = off), ticks the venue on a
 * timer unless it runs on a custom clock, and closes everything once.
 */
export async function serveJsonRpcVenue(
  venue: ServedVenue,
  options: ServeJsonRpcVenueOptions,
): Promise<ServedVenueServer> {
  const host = options.host ?? '127.0.0.1'
  const sockets = new Set<WebSocket>()
  const server = createServer((req, res) => {
    void readBody(req).then((body) => venue.handleHttp(req, body, res))
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith(options.wsPathPrefix)) {
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      const send = (text: string) => {
        const faults = venue.faults.ws
        const left = faults.disconnectAfterMessages
        if (left !== undefined && left >= 0) {
          if (left === 0) {
            faults.disconnectAfterMessages = undefined
            for (const s of sockets) s.terminate()
            return
          }
          faults.disconnectAfterMessages = left - 1
        }
        const delay = faults.delayMs ?? 0
        if (delay > 0) setTimeout(() => ws.readyState === ws.OPEN && ws.send(text), delay)
        else if (ws.readyState === ws.OPEN) ws.send(text)
      }
      const conn = venue.openConnection({ send, terminate: () => ws.terminate() }, req)
      ws.on('message', (data) => conn.handleFrame(data.toString()))
      ws.on('close', () => {
        sockets.delete(ws)
        conn.close()
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
  const interval = options.tickIntervalMs === undefined ? (options.hasCustomClock ? null : 10) : options.tickIntervalMs
  const timer = interval === null ? null : setInterval(() => venue.tick(), interval)
  venue.tick()
  let closed = false
  return {
    host,
    port,
    tick: () => venue.tick(),
    close: async () => {
      if (closed) return
      closed = true
      if (timer) clearInterval(timer)
      venue.close()
      for (const s of sockets) s.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    },
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
