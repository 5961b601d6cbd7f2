import type { IncomingMessage, ServerResponse } from 'node:http'
import { BinanceRejectionError } from '../errors/binance.js'
import type { BinanceEmulator } from './BinanceEmulator.js'
import { binanceReject } from './binanceErrors.js'
import { emptyCatalogRoutes } from './emptyCatalogRoutes.js'
import type { FaultSettings } from './FaultController.js'
import { futuresRoutes } from './futuresRoutes.js'
import { futuresHistoryRoutes, spotHistoryRoutes } from './historyRoutes.js'
import type { Route, RouteContext } from './routeTypes.js'
import { spotRoutes } from './spotRoutes.js'
import { extractSignedPayload, verifySignature } from './verifySignature.js'
import { walletRoutes } from './walletRoutes.js'

const MAX_RECV_WINDOW_MS = 60_000
const MAX_BODY_BYTES = 1_000_000

export type RestHandler = {
  handle(req: IncomingMessage, res: ServerResponse): void
  /** Responses held open by the timeout fault; destroyed on close. */
  hung: Set<ServerResponse>
}

/**
 * The REST front end: routing, IP weight and 429/418, API-key / timestamp / HMAC checks exactly as Binance documents them,
 * REST fault injection, and the loopback admin API under /__admin (faults, disconnects, listenKey expiry, state).
 */
export function createRestHandler(emu: BinanceEmulator): RestHandler {
  const routes = new Map<string, Route>()
  for (const r of [
    ...futuresRoutes(),
    ...futuresHistoryRoutes(),
    ...spotRoutes(),
    ...spotHistoryRoutes(),
    ...emptyCatalogRoutes(),
    ...walletRoutes(),
  ])
    routes.set(`${r.method} ${r.path}`, r)
  const hung = new Set<ServerResponse>()
  /** Lagged requests already answered (or left hanging) by a bound fault: executed later, never answered again. */
  const answeredEarly = new WeakSet<ServerResponse>()

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void => {
    if (answeredEarly.has(res)) return
    const delayMs = emu.faults.rest.delayMs ?? 0
    const write = () => {
      if (res.destroyed) return
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers })
      res.end(text)
    }
    if (delayMs > 0) setTimeout(write, delayMs)
    else write()
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8')
      const url = req.url ?? '/'
      const q = url.indexOf('?')
      const path = q >= 0 ? url.slice(0, q) : url
      const rawQuery = q >= 0 ? url.slice(q + 1) : ''
      if (path.startsWith('/__admin/')) {
        handleAdmin(emu, req.method ?? 'GET', path, rawBody, res)
        return
      }
      const run = () => {
        try {
          dispatch(req.method ?? 'GET', path, rawQuery, rawBody, req, res)
        } catch (error) {
          // An emulator bug must not kill the process: answer as Binance does for internal errors and report it.
          emu.reportInternalError(error)
          if (!res.headersSent)
            send(res, 500, { code: -1000, msg: 'An unknown error occured while processing the request.' }, {})
        }
      }
      // lag fault: the request reaches the matching engine late (requests sent after it may be executed first)
      const lagMs = emu.faults.takeLagMs(routes.get(`${req.method ?? 'GET'} ${path}`)?.countsOrder === true)
      if (lagMs <= 0) {
        run()
        return
      }
      // An "after execution" 5xx or timeout binds to the lagged request on arrival, so requests overtaking it do not
      // take it: the gateway answers 5xx (-1007/-1008, status unknown) or nothing NOW, and the engine still executes the
      // request when the lag ends (its answer is then dropped), as Binance does when the backend is slow.
      const faults = emu.faults
      if (faults.rest.http5xxMode === 'after' && faults.takeRest('http5xxNext')) {
        send5xx(res, {})
        answeredEarly.add(res)
      } else if (faults.rest.timeoutMode === 'after' && faults.takeRest('timeoutNext')) {
        hung.add(res)
        res.on('close', () => hung.delete(res))
        answeredEarly.add(res)
      }
      setTimeout(run, lagMs)
    })
  }

  const dispatch = (
    method: string,
    path: string,
    rawQuery: string,
    rawBody: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): void => {
    const ip = req.socket.remoteAddress ?? 'unknown'
    const nowMs = emu.clock.nowMs()
    const requestNowMs = emu.requestClock.nowMs()
    const faults = emu.faults
    // a lagged request whose fault was bound on arrival takes no other fault
    const bound = answeredEarly.has(res)
    const route = routes.get(`${method} ${path}`)
    if (!route) {
      send(res, 404, '<html><body><h2>404 Not found</h2></body></html>', { 'Content-Type': 'text/html' })
      return
    }
    const params = new Map<string, string>()
    for (const [k, v] of new URLSearchParams(rawBody)) if (!params.has(k)) params.set(k, v)
    for (const [k, v] of new URLSearchParams(rawQuery)) params.set(k, v)

    // Rate limits first: Binance meters and bans before looking at the request.
    const decision = emu.limiter.charge(ip, route.weight(params), requestNowMs, faults.takeRest('rateLimitNext'))
    const weightHeader = { 'X-MBX-USED-WEIGHT-1M': String(decision.usedWeight) }
    if (decision.kind === 'banned') {
      const e = binanceReject('IP_BANNED', [String(decision.bannedUntilMs)], 418)
      send(
        res,
        418,
        { code: e.binanceCode, msg: e.binanceMsg },
        { ...weightHeader, 'Retry-After': String(decision.retryAfterSec) },
      )
      return
    }
    if (decision.kind === 'limited') {
      const e = binanceReject('TOO_MANY_REQUESTS', [String(emu.limiter.limits.requestWeightPerMinute)], 429)
      send(
        res,
        429,
        { code: e.binanceCode, msg: e.binanceMsg },
        { ...weightHeader, 'Retry-After': String(decision.retryAfterSec) },
      )
      return
    }
    if (!bound && faults.rest.timeoutMode !== 'after' && faults.takeRest('timeoutNext')) {
      hung.add(res)
      res.on('close', () => hung.delete(res))
      return
    }
    if (!bound && faults.rest.http5xxMode !== 'after' && faults.takeRest('http5xxNext')) {
      send5xx(res, weightHeader)
      return
    }

    const headers: Record<string, string> = { ...weightHeader }
    let body: unknown
    let status = 200
    try {
      // Funding times the clock has passed are applied before the request acts on positions or reports them.
      emu.settleFunding()
      const ctx: RouteContext = { emu, params, account: null, nowMs, requestNowMs, ip }
      authenticate(emu, route, ctx, req, rawQuery, rawBody)
      if (route.countsOrder && ctx.account) {
        const reached = emu.limiter.orderLimitReached(ctx.account.accountId, requestNowMs)
        if (reached) {
          throw binanceReject(
            'TOO_MANY_ORDERS',
            [String(reached.limit), reached.interval === '10s' ? '10 SECOND' : '1 MINUTE'],
            429,
            {
              'Retry-After': reached.interval === '10s' ? '10' : '60',
            },
          )
        }
      }
      body = route.handler(ctx)
      if (route.countsOrder && ctx.account) {
        const counts = emu.limiter.countOrder(ctx.account.accountId, requestNowMs)
        headers['X-MBX-ORDER-COUNT-10S'] = String(counts.count10s)
        headers['X-MBX-ORDER-COUNT-1M'] = String(counts.count1m)
      }
    } catch (error) {
      if (!(error instanceof BinanceRejectionError)) throw error
      status = error.httpStatus
      body = {
        code: error.binanceCode,
        msg: error.binanceMsg,
        ...(error.data === undefined ? {} : { data: error.data }),
      }
      Object.assign(headers, error.headers)
    }
    emu.flushMarket()
    if (!bound && faults.rest.timeoutMode === 'after' && faults.takeRest('timeoutNext')) {
      // Executed (an order may now exist) but never answered.
      hung.add(res)
      res.on('close', () => hung.delete(res))
      return
    }
    if (!bound && faults.rest.http5xxMode === 'after' && faults.takeRest('http5xxNext')) {
      send5xx(res, weightHeader)
      return
    }
    send(res, status, body, headers)
  }

  const send5xx = (res: ServerResponse, headers: Record<string, string>): void => {
    const status = emu.faults.rest.http5xxStatus ?? 503
    const body =
      status === 503
        ? { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' }
        : {
            code: -1007,
            msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
          }
    send(res, status, body, headers)
  }

  return { handle, hung }
}

/** API key, timestamp/recvWindow and signature checks (USER_STREAM routes need only the key). */
function authenticate(
  emu: BinanceEmulator,
  route: Route,
  ctx: RouteContext,
  req: IncomingMessage,
  rawQuery: string,
  rawBody: string,
): void {
  if (route.security === 'NONE') return
  const header = req.headers['x-mbx-apikey']
  const apiKey = Array.isArray(header) ? header[0] : header
  if (apiKey === undefined || apiKey === '' || !/^[A-Za-z0-9]{1,128}$/.test(apiKey)) {
    throw binanceReject('API_KEY_FORMAT', [], 401)
  }
  const account = emu.accountByApiKey(apiKey)
  if (!account) throw binanceReject('INVALID_API_KEY', [], 401)
  if (route.security === 'SIGNED') {
    const timestampRaw = ctx.params.get('timestamp')
    if (timestampRaw === undefined || !/^\d+$/.test(timestampRaw)) throw binanceReject('MANDATORY_PARAM', ['timestamp'])
    const recvWindowRaw = ctx.params.get('recvWindow') ?? '5000'
    if (!/^\d+$/.test(recvWindowRaw) || Number(recvWindowRaw) > MAX_RECV_WINDOW_MS)
      throw binanceReject('INVALID_RECV_WINDOW')
    const timestamp = Number(timestampRaw)
    const serverTime = ctx.requestNowMs
    if (timestamp >= serverTime + 1000) throw binanceReject('TIMESTAMP_AHEAD')
    if (serverTime - timestamp > Number(recvWindowRaw)) throw binanceReject('TIMESTAMP_OUTSIDE')
    const { payload, signature } = extractSignedPayload(rawQuery, rawBody)
    if (signature === null || signature === '') throw binanceReject('MANDATORY_PARAM', ['signature'])
    if (!verifySignature(account.apiSecret, payload, signature)) throw binanceReject('INVALID_SIGNATURE')
  }
  ctx.account = account
}

function handleAdmin(emu: BinanceEmulator, method: string, path: string, rawBody: string, res: ServerResponse): void {
  const reply = (status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  let input: Record<string, unknown> = {}
  if (rawBody.trim() !== '') {
    try {
      input = JSON.parse(rawBody) as Record<string, unknown>
    } catch {
      reply(400, { error: 'body must be JSON' })
      return
    }
  }
  const [status, body] = runAdmin(emu, `${method} ${path}`, input)
  reply(status, body)
}

/** Admin API: fault knobs at runtime, disconnects, listenKey expiry, state. */
function runAdmin(emu: BinanceEmulator, route: string, input: Record<string, unknown>): [number, unknown] {
  switch (route) {
    case 'GET /__admin/faults':
      return [200, emu.faults.snapshot()]
    case 'POST /__admin/faults':
      emu.setFaults(input as FaultSettings)
      return [200, emu.faults.snapshot()]
    case 'POST /__admin/faults/reset':
      emu.faults.reset()
      return [200, emu.faults.snapshot()]
    case 'POST /__admin/disconnect': {
      const scope = input.scope === 'market' || input.scope === 'private' ? input.scope : 'all'
      return [200, { disconnected: emu.hub.disconnect(scope) }]
    }
    case 'POST /__admin/expire-listen-keys':
      emu.expireListenKeysNow(typeof input.listenKey === 'string' ? input.listenKey : undefined)
      return [200, {}]
    case 'GET /__admin/state':
      return [
        200,
        {
          nowMs: emu.clock.nowMs(),
          connections: emu.hub.connections.size,
          drivers: emu.drivers.map((d) => d.describe()),
          faults: emu.faults.snapshot(),
        },
      ]
    default:
      return [404, { error: `unknown admin route ${route}` }]
  }
}
