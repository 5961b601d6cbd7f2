import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DashboardRoutes } from '../dashboard/createDashboard.js'

/** What a control action answers: `ok: false` = refused (e.g. a resume while a limit is still breached). */
export type ControlResult = { readonly ok: boolean; readonly [key: string]: unknown }

/** The body of a control request (JSON): the operator's reason and, for kill, how long to wait for the venues. */
export type ControlRequest = { readonly reason?: string | undefined; readonly timeoutMs?: number | undefined }

export type ControlHandlers = {
  /** `GET /status`: the status document. */
  status(): unknown
  /** `POST /kill`: the kill switch (cancel all, venues confirm) and the LP manager stops stepping. */
  kill(request: ControlRequest): Promise<ControlResult>
  /** `POST /resume`: releases the kill switch; the LP manager steps again. */
  resume(request: ControlRequest): Promise<ControlResult>
  /** `POST /stop`: the same stop as SIGTERM (cancel everything, venues confirm, exit). */
  stop(request: ControlRequest): Promise<ControlResult>
}

export type StartControlServerParameters = {
  readonly handlers: ControlHandlers
  /**
   * The bearer token every control action (`POST`) must carry: `Authorization: Bearer <token>`. Kept in a `#private`
   * field of the running server, compared in constant time.
   */
  readonly token: string
  /** Default 127.0.0.1: control is not exposed beyond the host unless asked. */
  readonly host?: string | undefined
  /** 0 (the default) picks a free port. */
  readonly port?: number | undefined
  /**
   * The operator's dashboard: `GET /` and `GET /dashboard` serve its page, `GET /events` its server-sent event stream.
   * On a loopback host the stream is served without the token; on any other interface it needs the bearer token too.
   */
  readonly dashboard?: DashboardRoutes | undefined
}

export type RunningControlServer = {
  /** `http://host:port` (no path, no token). */
  readonly url: string
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

const MAX_BODY_BYTES = 64 * 1024
const ACTIONS = new Set(['kill', 'resume', 'stop'])

/** 127.0.0.0/8, ::1 and localhost: only this machine reaches them. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * The deployment's control server (node:http): `GET /status` (JSON, read-only; no token on loopback, the token on any
 * other interface), `POST /kill`, `POST /resume`
 * and `POST /stop` (JSON body `{ reason?, timeoutMs? }`), each refused with 401 without the bearer token. Answers are
 * JSON (bigints as decimal strings); 404 for another path, 405 for another method. With `dashboard`: also the
 * dashboard's page (`GET /`, `GET /dashboard`) and event stream (`GET /events`).
 */
export async function startControlServer(parameters: StartControlServerParameters): Promise<RunningControlServer> {
  const host = parameters.host ?? '127.0.0.1'
  const auth = new TokenCheck(parameters.token)
  const handlers = parameters.handlers
  const dashboard = parameters.dashboard
  const loopback = isLoopbackHost(host)
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) })
      else res.end()
    })
  })
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/'
    const action = path.slice(1)
    if (path === '/status') {
      if (req.method !== 'GET') return send(res, 405, { ok: false, error: 'GET /status' }, { allow: 'GET' })
      // Positions, orders and PnL: on loopback the read-only views need no token; on any other interface they do.
      if (!loopback && !auth.accepts(req.headers.authorization)) return unauthorized(res)
      return send(res, 200, handlers.status())
    }
    if (dashboard !== undefined && (path === '/' || path === '/dashboard' || path === '/events')) {
      if (req.method !== 'GET') return send(res, 405, { ok: false, error: `GET ${path}` }, { allow: 'GET' })
      if (path !== '/events') return dashboard.servePage(req, res)
      if (!loopback && !auth.accepts(req.headers.authorization)) return unauthorized(res)
      return dashboard.serveEvents(req, res)
    }
    if (!ACTIONS.has(action))
      return send(res, 404, {
        ok: false,
        error: `not found: GET /status${dashboard === undefined ? '' : ', GET /, GET /events'}, POST /kill|/resume|/stop`,
      })
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: `POST ${path}` }, { allow: 'POST' })
    if (!auth.accepts(req.headers.authorization)) return unauthorized(res)
    const body = await readJson(req)
    if (body === null) return send(res, 400, { ok: false, error: 'the body must be a JSON object (or empty)' })
    const request: ControlRequest = {
      reason: typeof body.reason === 'string' ? body.reason : undefined,
      timeoutMs: typeof body.timeoutMs === 'number' && body.timeoutMs > 0 ? body.timeoutMs : undefined,
    }
    const result = await handlers[action as 'kill' | 'resume' | 'stop'](request)
    return send(res, result.ok ? 200 : 409, result)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(parameters.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  return {
    host: address.address,
    port: address.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The token, held privately; a header is accepted when it carries exactly that token (constant-time compare). */
class TokenCheck {
  readonly #digest: Buffer
  constructor(token: string) {
    if (token.length < 16) throw new Error('control token too short (at least 16 characters)')
    this.#digest = createHash('sha256').update(token).digest()
  }
  accepts(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
    // Digests of equal length whatever was sent, so the compare takes the same time.
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest()
    return timingSafeEqual(given, this.#digest) && match !== null
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return null
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    // Not JSON: answered 400 by the caller.
    return null
  }
}

function unauthorized(res: ServerResponse): void {
  send(
    res,
    401,
    { ok: false, error: 'unauthorized: Authorization: Bearer <token> (the token file)' },
    { 'www-authenticate': 'Bearer realm="alp"' },
  )
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, (_, value) => (typeof value === 'bigint' ? value.toString() : value))
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(`${text}\n`)
}
