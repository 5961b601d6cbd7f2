import type { IncomingMessage, ServerResponse } from 'node:http'
import { isSteppedClock } from '../clock/isSteppedClock.js'
import { serveJsonRpcVenue } from '../internal/serveJsonRpcVenue.js'
import { DeribitEmulator, type DeribitEmulatorOptions } from './DeribitEmulator.js'

export type StartDeribitEmulatorOptions = DeribitEmulatorOptions & {
  host?: string | undefined
  /** 0 = a free port (default). */
  port?: number | undefined
  /** Wall-clock ms between emulator ticks; null by default with a stepped custom clock such as a manual clock (call `tick()`); 10 by default on the wall clock and on a replay clock. */
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
  const served = await serveJsonRpcVenue(
    {
      faults: emulator.faults,
      tick: () => emulator.tick(),
      close: () => emulator.close(),
      handleHttp: (req, body, res) => handleHttp(emulator, req, body, res),
      openConnection: (transport) => {
        const conn = emulator.openConnection(transport)
        return { handleFrame: (text) => emulator.handleFrame(conn, text), close: () => emulator.closeConnection(conn) }
      },
    },
    {
      host: options.host,
      port: options.port,
      wsPathPrefix: '/ws/api/v2',
      tickIntervalMs: options.tickIntervalMs,
      hasCustomClock: isSteppedClock(options.clock),
    },
  )
  return {
    restUrl: `http://${served.host}:${served.port}`,
    wsUrl: `ws://${served.host}:${served.port}/ws/api/v2`,
    port: served.port,
    emulator,
    engine: emulator.engine,
    tick: served.tick,
    close: served.close,
  }
}

async function handleHttp(
  emulator: DeribitEmulator,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): Promise<void> {
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
