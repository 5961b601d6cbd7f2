import type { IncomingMessage, ServerResponse } from 'node:http'
import { serveJsonRpcVenue } from '../internal/serveJsonRpcVenue.js'
import { GrvtEmulator, type GrvtEmulatorOptions } from './GrvtEmulator.js'

export type StartGrvtEmulatorOptions = GrvtEmulatorOptions & {
  host?: string | undefined
  port?: number | undefined
  /** Default 10 ms with the wall clock; null with a custom clock (call `tick()`). */
  tickIntervalMs?: number | null | undefined
}

export type RunningGrvtEmulator = {
  /**
   * One base serves the edge (`/auth/api_key/login`, `/auth/wallet/login`), trading and market-data REST
   * (`/full/v1/<name>`).
   */
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
  const served = await serveJsonRpcVenue(
    {
      faults: emulator.faults,
      tick: () => emulator.tick(),
      close: () => emulator.close(),
      handleHttp: (req, body, res) => handleHttp(emulator, req, body, res),
      openConnection: (transport, req) => {
        const session = emulator.sessionOf(req.headers.cookie, headerOf(req, 'x-grvt-account-id'))
        const conn = emulator.openConnection(transport, session)
        return { handleFrame: (text) => emulator.handleFrame(conn, text), close: () => emulator.closeConnection(conn) }
      },
    },
    {
      host: options.host,
      port: options.port,
      wsPathPrefix: '/ws',
      tickIntervalMs: options.tickIntervalMs,
      hasCustomClock: options.clock !== undefined,
    },
  )
  return {
    restUrl: `http://${served.host}:${served.port}`,
    wsUrl: `ws://${served.host}:${served.port}/ws/full`,
    port: served.port,
    emulator,
    engine: emulator.engine,
    tick: served.tick,
    close: served.close,
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

async function handleHttp(
  emulator: GrvtEmulator,
  req: IncomingMessage,
  text: string,
  res: ServerResponse,
): Promise<void> {
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
  if (url.pathname === '/auth/api_key/login' || url.pathname === '/auth/wallet/login') {
    const result = url.pathname === '/auth/api_key/login' ? emulator.login(body) : emulator.walletLogin(body)
    reply(result.status, result.body, result.headers)
    return
  }
  const match = /^\/full\/v1\/([a-z_]+)$/.exec(url.pathname)
  if (!match) {
    reply(404, { code: 1004, message: 'Not found', status: 404 })
    return
  }
  const session = emulator.sessionOf(req.headers.cookie, headerOf(req, 'x-grvt-account-id'))
  const delay = emulator.faults.rest.delayMs ?? 0
  // GRVT's answer when over the rate limit (1006); the request is not executed
  if (emulator.faults.takeRest('rateLimitNext')) {
    reply(429, { code: 1006, message: 'You have surpassed the allocated rate limit for your tier', status: 429 })
    return
  }
  if (emulator.faults.takeRest('http5xxNext')) {
    // 'after': the request is executed, then answered with the error (its outcome is unknown to the client)
    if (emulator.faults.rest.http5xxMode === 'after') emulator.handleFull(match[1] ?? '', body, session)
    const status = emulator.faults.rest.http5xxStatus ?? 500
    reply(status, { code: 1002, message: 'Internal Server Error', status })
    return
  }
  if (emulator.faults.takeRest('timeoutNext')) {
    // never answered; 'after' (default) executes the request first, 'before' does not
    if (emulator.faults.rest.timeoutMode !== 'before') emulator.handleFull(match[1] ?? '', body, session)
    return
  }
  const result = emulator.handleFull(match[1] ?? '', body, session)
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))
  reply(result.status, result.body)
}
