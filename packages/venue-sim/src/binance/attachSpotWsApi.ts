import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WebSocket } from 'ws'
import { BinanceRejectionError } from '../errors/binance.js'
import type { BinanceEmulator, EmulatorAccount } from './BinanceEmulator.js'
import { binanceReject } from './binanceErrors.js'
import type { RouteContext } from './routeTypes.js'
import { spotRoutes } from './spotRoutes.js'

const ROUTES = new Map(spotRoutes().map((r) => [`${r.method} ${r.path}`, r]))
const WS_METHODS: Record<string, string> = {
  'order.place': 'POST /api/v3/order',
  'order.cancel': 'DELETE /api/v3/order',
  'order.status': 'GET /api/v3/order',
  'openOrders.status': 'GET /api/v3/openOrders',
  'openOrders.cancelAll': 'DELETE /api/v3/openOrders',
  'account.status': 'GET /api/v3/account',
}

/**
 * WS-API signature rule: every parameter except `signature`, sorted by name, `k=v` joined by `&` (values as sent, UTF-8),
 * HMAC-SHA256 hex. Differs from REST, which signs the query and body in sent order.
 */
export function wsApiPayload(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&')
}

/**
 * Spot WebSocket API on `/ws-api/v3`: `ping`, `time`, `userDataStream.subscribe.signature` / `userDataStream.unsubscribe`
 * (spot user data since listenKeys were retired), and signed `order.place`, `order.cancel`, `order.status`, `openOrders.status`,
 * `openOrders.cancelAll`, `account.status` with the same checks and results as the REST endpoints.
 */
export function attachSpotWsApi(emu: BinanceEmulator, ws: WebSocket): void {
  const subscriptions: number[] = []
  ws.on('message', (data) => {
    let request: { id?: unknown; method?: unknown; params?: unknown }
    try {
      request = JSON.parse(data.toString()) as typeof request
    } catch {
      // Malformed input is answered as Binance does and the session stays open.
      ws.send(
        JSON.stringify({
          id: null,
          status: 400,
          error: { code: -1100, msg: 'Illegal characters found in parameter.' },
        }),
      )
      return
    }
    const id = request.id ?? null
    const params = (request.params && typeof request.params === 'object' ? request.params : {}) as Record<
      string,
      unknown
    >
    const reply = (status: number, body: Record<string, unknown>) => {
      const weight = emu.limiter.usedWeight('ws-api', emu.clock.nowMs())
      const rateLimits = [
        {
          rateLimitType: 'REQUEST_WEIGHT',
          interval: 'MINUTE',
          intervalNum: 1,
          limit: emu.limiter.limits.requestWeightPerMinute,
          count: weight,
        },
      ]
      ws.send(JSON.stringify({ id, status, ...body, rateLimits }))
    }
    try {
      const nowMs = emu.clock.nowMs()
      switch (request.method) {
        case 'ping':
          reply(200, { result: {} })
          return
        case 'time':
          reply(200, { result: { serverTime: nowMs } })
          return
        case 'userDataStream.subscribe.signature': {
          const account = authenticate(emu, params, nowMs)
          const subscriptionId = emu.subscribeSpotUserData(account.spotAccountId, (event) =>
            ws.send(JSON.stringify({ subscriptionId, event })),
          )
          subscriptions.push(subscriptionId)
          reply(200, { result: { subscriptionId } })
          return
        }
        case 'userDataStream.unsubscribe': {
          const only = params.subscriptionId === undefined ? null : Number(params.subscriptionId)
          for (const sid of [...subscriptions]) {
            if (only !== null && sid !== only) continue
            emu.unsubscribeSpotUserData(sid)
            subscriptions.splice(subscriptions.indexOf(sid), 1)
          }
          reply(200, { result: {} })
          return
        }
        default: {
          const route = typeof request.method === 'string' ? ROUTES.get(WS_METHODS[request.method] ?? '') : undefined
          if (!route) {
            reply(400, { error: { code: -1100, msg: `Unknown method: ${String(request.method)}` } })
            return
          }
          const account = authenticate(emu, params, nowMs)
          const map = new Map<string, string>()
          for (const [k, v] of Object.entries(params)) if (k !== 'apiKey' && k !== 'signature') map.set(k, String(v))
          const ctx: RouteContext = { emu, params: map, account, nowMs, ip: 'ws-api' }
          const result = route.handler(ctx)
          emu.flushMarket()
          reply(200, { result })
        }
      }
    } catch (error) {
      if (!(error instanceof BinanceRejectionError)) throw error
      reply(error.httpStatus, { error: { code: error.binanceCode, msg: error.binanceMsg } })
    }
  })
  ws.on('close', () => {
    for (const sid of subscriptions) emu.unsubscribeSpotUserData(sid)
  })
}

function authenticate(emu: BinanceEmulator, params: Record<string, unknown>, nowMs: number): EmulatorAccount {
  const apiKey = params.apiKey
  if (typeof apiKey !== 'string' || apiKey === '') throw binanceReject('MANDATORY_PARAM', ['apiKey'])
  const account = emu.accountByApiKey(apiKey)
  if (!account) throw binanceReject('INVALID_API_KEY', [], 401)
  const timestamp = Number(params.timestamp)
  if (!Number.isInteger(timestamp)) throw binanceReject('MANDATORY_PARAM', ['timestamp'])
  const recvWindow = params.recvWindow === undefined ? 5000 : Number(params.recvWindow)
  if (!(recvWindow >= 0 && recvWindow <= 60_000)) throw binanceReject('INVALID_RECV_WINDOW')
  if (timestamp >= nowMs + 1000) throw binanceReject('TIMESTAMP_AHEAD')
  if (nowMs - timestamp > recvWindow) throw binanceReject('TIMESTAMP_OUTSIDE')
  const signature = params.signature
  if (typeof signature !== 'string' || signature === '') throw binanceReject('MANDATORY_PARAM', ['signature'])
  const expected = Buffer.from(
    createHmac('sha256', account.apiSecret).update(wsApiPayload(params), 'utf8').digest('hex'),
  )
  const received = Buffer.from(signature.toLowerCase())
  if (expected.length !== received.length || !timingSafeEqual(expected, received))
    throw binanceReject('INVALID_SIGNATURE')
  return account
}
