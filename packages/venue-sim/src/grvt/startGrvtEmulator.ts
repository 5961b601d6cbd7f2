import type { IncomingMessage, ServerResponse } from 'node:http'
import { isSteppedClock } from '../clock/isSteppedClock.js'
import { serveJsonRpcVenue } from '../internal/serveJsonRpcVenue.js'
import { GrvtEmulator, type GrvtEmulatorOptions } from './GrvtEmulator.js'
import { grvtWsFraming } from './grvtWsFraming.js'
import { grvtFullToLite } from './translateGrvtLite.js'

export type StartGrvtEmulatorOptions = GrvtEmulatorOptions & {
  host?: string | undefined
  port?: number | undefined
  /** Default 10 ms on the wall clock and on a replay clock; null with a stepped custom clock such as a manual clock (call `tick()`). */
  tickIntervalMs?: number | null | undefined
}

export type RunningGrvtEmulator = {
  /**
   * One base serves the edge (`/auth/api_key/login`, `/auth/wallet/login`), trading and market-data REST
   * (`/full/v1/<name>`, and the same endpoints in GRVT's lite protocol at `/lite/v1/<name>`).
   */
  restUrl: string
  /** JSON-RPC WebSocket, e.g. ws://127.0.0.1:8080/ws/full (send the session cookie on upgrade for private streams). */
  wsUrl: string
  /** The same streams in GRVT's lite JSON-RPC framing (`{j, m, p: {s, s1}, i}`), e.g. ws://127.0.0.1:8080/ws/lite. */
  wsLiteUrl: string
  /**
   * The legacy framing (`{request_id, stream, feed, method, is_full}`, lite keys unless `is_full`), which the
   * official `@grvt/client` `WS` speaks, e.g. ws://127.0.0.1:8080/ws.
   */
  wsLegacyUrl: string
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
        // /ws/lite and the legacy /ws translate each frame to and from the full JSON-RPC framing
        const framing = grvtWsFraming(new URL(req.url ?? '/', 'http://localhost').pathname)
        const conn = emulator.openConnection(
          framing === undefined
            ? transport
            : { send: (text) => transport.send(framing.outgoing(text)), terminate: () => transport.terminate() },
          session,
        )
        const handleFrame = (text: string) => {
          if (framing === undefined) return emulator.handleFrame(conn, text)
          const translated = framing.incoming(text)
          if ('reply' in translated) transport.send(translated.reply)
          else emulator.handleFrame(conn, translated.forward)
        }
        return { handleFrame, close: () => emulator.closeConnection(conn) }
      },
    },
    {
      host: options.host,
      port: options.port,
      wsPathPrefix: '/ws',
      tickIntervalMs: options.tickIntervalMs,
      hasCustomClock: isSteppedClock(options.clock),
    },
  )
  return {
    restUrl: `http://${served.host}:${served.port}`,
    wsUrl: `ws://${served.host}:${served.port}/ws/full`,
    wsLiteUrl: `ws://${served.host}:${served.port}/ws/lite`,
    wsLegacyUrl: `ws://${served.host}:${served.port}/ws`,
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
  // errors of /lite/v1/* calls in lite keys ({c, m, s}), like their answers
  const isLite = url.pathname.startsWith('/lite/')
  const replyError = (status: number, code: number, message: string) => {
    const error = { code, message, status }
    reply(status, isLite ? grvtFullToLite(error, 'Error') : error)
  }
  let body: unknown
  try {
    body = text.length === 0 ? {} : JSON.parse(text)
  } catch {
    replyError(400, 1004, 'Body is not JSON')
    return
  }
  if (req.method !== 'POST') {
    replyError(405, 1004, 'POST only')
    return
  }
  if (url.pathname === '/auth/api_key/login' || url.pathname === '/auth/wallet/login') {
    const result = url.pathname === '/auth/api_key/login' ? emulator.login(body) : emulator.walletLogin(body)
    reply(result.status, result.body, result.headers)
    return
  }
  const match = /^\/(full|lite)\/v1\/([a-z_]+)$/.exec(url.pathname)
  if (!match) {
    replyError(404, 1004, 'Not found')
    return
  }
  const session = emulator.sessionOf(req.headers.cookie, headerOf(req, 'x-grvt-account-id'))
  const name = match[2] ?? ''
  const handle = () =>
    match[1] === 'lite' ? emulator.handleLite(name, body, session) : emulator.handleFull(name, body, session)
  const delay = emulator.faults.rest.delayMs ?? 0
  // GRVT's answer when over the rate limit (1006); the request is not executed
  if (emulator.faults.takeRest('rateLimitNext')) {
    replyError(429, 1006, 'You have surpassed the allocated rate limit for your tier')
    return
  }
  if (emulator.faults.takeRest('http5xxNext')) {
    // 'after': the request is executed, then answered with the error (its outcome is unknown to the client)
    if (emulator.faults.rest.http5xxMode === 'after') handle()
    replyError(emulator.faults.rest.http5xxStatus ?? 500, 1002, 'Internal Server Error')
    return
  }
  if (emulator.faults.takeRest('timeoutNext')) {
    // never answered; 'after' (default) executes the request first, 'before' does not
    if (emulator.faults.rest.timeoutMode !== 'before') handle()
    return
  }
  const result = handle()
  if (delay > 0) await new Promise((r) => setTimeout(r, delay))
  reply(result.status, result.body)
}
