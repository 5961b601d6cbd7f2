import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WebSocket } from 'ws'
import { BinanceRejectionError } from '../errors/binance.js'
import type { BinanceEmulator, EmulatorAccount } from './BinanceEmulator.js'
import { binanceReject } from './binanceErrors.js'
import { futuresRoutes } from './futuresRoutes.js'
import { futuresHistoryRoutes, spotHistoryRoutes } from './historyRoutes.js'
import type { Route, RouteContext } from './routeTypes.js'
import { spotRoutes } from './spotRoutes.js'

const ROUTES = new Map<string, Route>(
  [...spotRoutes(), ...spotHistoryRoutes(), ...futuresRoutes(), ...futuresHistoryRoutes()].map((r) => [
    `${r.method} ${r.path}`,
    r,
  ]),
)

/** WebSocket-API methods per product and the REST route each one runs. */
const WS_METHODS: Record<'spot' | 'usdm', Record<string, string>> = {
  spot: {
    'order.place': 'POST /api/v3/order',
    'order.cancel': 'DELETE /api/v3/order',
    'order.status': 'GET /api/v3/order',
    'openOrders.status': 'GET /api/v3/openOrders',
    'openOrders.cancelAll': 'DELETE /api/v3/openOrders',
    'account.status': 'GET /api/v3/account',
    depth: 'GET /api/v3/depth',
    'ticker.24hr': 'GET /api/v3/ticker/24hr',
    'trades.recent': 'GET /api/v3/trades',
    'trades.aggregate': 'GET /api/v3/aggTrades',
    klines: 'GET /api/v3/klines',
    myTrades: 'GET /api/v3/myTrades',
  },
  usdm: {
    'order.place': 'POST /fapi/v1/order',
    'order.cancel': 'DELETE /fapi/v1/order',
    'order.modify': 'PUT /fapi/v1/order',
    'order.status': 'GET /fapi/v1/order',
    'account.position': 'GET /fapi/v3/positionRisk',
    'v2/account.position': 'GET /fapi/v2/positionRisk',
    'account.balance': 'GET /fapi/v3/balance',
    'v2/account.balance': 'GET /fapi/v2/balance',
    'account.status': 'GET /fapi/v3/account',
    'v2/account.status': 'GET /fapi/v2/account',
    'userDataStream.start': 'POST /fapi/v1/listenKey',
    'userDataStream.ping': 'PUT /fapi/v1/listenKey',
    'userDataStream.stop': 'DELETE /fapi/v1/listenKey',
    depth: 'GET /fapi/v1/depth',
    'ticker.price': 'GET /fapi/v1/ticker/price',
    'ticker.book': 'GET /fapi/v1/ticker/bookTicker',
  },
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
 * Binance WebSocket API. Spot (`/ws-api/v3`): `ping`, `time`, `userDataStream.subscribe.signature` / `userDataStream.unsubscribe`
 * (spot user data since listenKeys were retired), signed `order.place`, `order.cancel`, `order.status`, `openOrders.status`,
 * `openOrders.cancelAll`, `account.status`. USDⓈ-M (`/ws-fapi/v1`): `order.place|cancel|modify|status`,
 * `[v2/]account.position|balance|status`, `userDataStream.start|ping|stop` (API key only). Same checks and results as REST.
 */
export function attachWsApi(emu: BinanceEmulator, ws: WebSocket, product: 'spot' | 'usdm', ip = 'ws-api'): void {
  const subscriptions: number[] = []
  ws.on('message', (data) => {
    // lag fault: this request reaches the venue late (requests sent after it may be executed first)
    const lagMs = emu.faults.takeLagMs(isWsOrderEntry(product, data))
    if (lagMs > 0) setTimeout(() => onRequest(data), lagMs)
    else onRequest(data)
  })
  const onRequest = (data: WebSocket.RawData): void => {
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
    // Order-counting methods also report the account's ORDERS windows, as Binance does.
    let orderCounts: { count10s: number; count1m: number } | undefined
    const reply = (status: number, body: Record<string, unknown>) => {
      const weight = emu.limiter.usedWeight(ip, emu.requestClock.nowMs())
      const limits = emu.limiter.limits
      const rateLimits: Record<string, unknown>[] = [
        {
          rateLimitType: 'REQUEST_WEIGHT',
          interval: 'MINUTE',
          intervalNum: 1,
          limit: limits.requestWeightPerMinute,
          count: weight,
        },
      ]
      if (orderCounts !== undefined)
        rateLimits.push(
          {
            rateLimitType: 'ORDERS',
            interval: 'SECOND',
            intervalNum: 10,
            limit: limits.ordersPer10s,
            count: orderCounts.count10s,
          },
          {
            rateLimitType: 'ORDERS',
            interval: 'MINUTE',
            intervalNum: 1,
            limit: limits.ordersPerMinute,
            count: orderCounts.count1m,
          },
        )
      ws.send(JSON.stringify({ id, status, ...body, rateLimits }))
    }
    try {
      const nowMs = emu.clock.nowMs()
      const requestNowMs = emu.requestClock.nowMs()
      emu.settleFunding()
      switch (request.method) {
        case 'ping':
          reply(200, { result: {} })
          return
        case 'time':
          reply(200, { result: { serverTime: requestNowMs } })
          return
        case 'userDataStream.subscribe.signature': {
          if (product !== 'spot') throw binanceReject('BAD_PARAMETER', ['method'])
          const account = authenticate(emu, params, requestNowMs)
          const subscriptionId = emu.subscribeSpotUserData(account.spotAccountId, (event) =>
            ws.send(JSON.stringify({ subscriptionId, event })),
          )
          subscriptions.push(subscriptionId)
          reply(200, { result: { subscriptionId } })
          return
        }
        case 'userDataStream.unsubscribe': {
          if (product !== 'spot') throw binanceReject('BAD_PARAMETER', ['method'])
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
          const route =
            typeof request.method === 'string' ? ROUTES.get(WS_METHODS[product][request.method] ?? '') : undefined
          if (!route) {
            reply(400, { error: { code: -1100, msg: `Unknown method: ${String(request.method)}` } })
            return
          }
          // The REST timeout knobs apply to WebSocket-API requests too: 'before' = never executed and never answered,
          // 'after' = executed (an order may now exist) and never answered.
          const faults = emu.faults
          // Request weight counts against the same per-IP budget as REST, with the same 429 → 418 escalation.
          const map = new Map<string, string>()
          for (const [k, v] of Object.entries(params)) if (k !== 'apiKey' && k !== 'signature') map.set(k, String(v))
          const decision = emu.limiter.charge(ip, route.weight(map), requestNowMs, faults.takeRest('rateLimitNext'))
          if (decision.kind !== 'ok') {
            const banned = decision.kind === 'banned'
            const e = banned
              ? binanceReject('IP_BANNED', [String(decision.bannedUntilMs)], 418)
              : binanceReject('TOO_MANY_REQUESTS', [String(emu.limiter.limits.requestWeightPerMinute)], 429)
            reply(banned ? 418 : 429, {
              error: {
                code: e.binanceCode,
                msg: e.binanceMsg,
                data: { serverTime: requestNowMs, retryAfter: requestNowMs + decision.retryAfterSec * 1000 },
              },
            })
            return
          }
          if (faults.rest.timeoutMode !== 'after' && faults.takeRest('timeoutNext')) return
          // Public methods (depth, tickers, market trades) need no key and no signature.
          const account =
            route.security === 'NONE'
              ? null
              : route.security === 'USER_STREAM'
                ? authenticateKey(emu, params)
                : authenticate(emu, params, requestNowMs)
          if (route.countsOrder && account !== null) {
            const reached = emu.limiter.orderLimitReached(account.accountId, requestNowMs)
            if (reached)
              throw binanceReject(
                'TOO_MANY_ORDERS',
                [String(reached.limit), reached.interval === '10s' ? '10 SECOND' : '1 MINUTE'],
                429,
              )
          }
          const ctx: RouteContext = { emu, params: map, account, nowMs, requestNowMs, ip: 'ws-api' }
          const result = route.handler(ctx)
          if (route.countsOrder && account !== null)
            orderCounts = emu.limiter.countOrder(account.accountId, requestNowMs)
          emu.flushMarket()
          if (faults.rest.timeoutMode === 'after' && faults.takeRest('timeoutNext')) return
          reply(200, { result })
        }
      }
    } catch (error) {
      if (error instanceof BinanceRejectionError) {
        reply(error.httpStatus, { error: { code: error.binanceCode, msg: error.binanceMsg } })
        return
      }
      // An emulator bug must not kill the process: answer as Binance does for internal errors and report it.
      emu.reportInternalError(error)
      reply(500, { error: { code: -1000, msg: 'An unknown error occured while processing the request.' } })
    }
  }
  ws.on('close', () => {
    for (const sid of subscriptions) emu.unsubscribeSpotUserData(sid)
  })
}

/** Whether a WebSocket-API request is order entry (its REST route counts against the ORDERS limits). */
function isWsOrderEntry(product: 'spot' | 'usdm', data: WebSocket.RawData): boolean {
  try {
    const method = (JSON.parse(data.toString()) as { method?: unknown }).method
    const route = typeof method === 'string' ? WS_METHODS[product][method] : undefined
    return route !== undefined && ROUTES.get(route)?.countsOrder === true
  } catch {
    // not JSON: answered as malformed by the request handler; not order entry
    return false
  }
}

function authenticateKey(emu: BinanceEmulator, params: Record<string, unknown>): EmulatorAccount {
  const apiKey = params.apiKey
  if (typeof apiKey !== 'string' || apiKey === '') throw binanceReject('MANDATORY_PARAM', ['apiKey'])
  const account = emu.accountByApiKey(apiKey)
  if (!account) throw binanceReject('INVALID_API_KEY', [], 401)
  return account
}

function authenticate(emu: BinanceEmulator, params: Record<string, unknown>, nowMs: number): EmulatorAccount {
  const account = authenticateKey(emu, params)
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
