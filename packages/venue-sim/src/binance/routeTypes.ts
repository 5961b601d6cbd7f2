import { InvalidDecimalError } from '../errors/matching.js'
import { parseScaled } from '../matching/parseScaled.js'
import type { Instrument } from '../matching/types.js'
import type { BinanceEmulator, EmulatorAccount } from './BinanceEmulator.js'
import { binanceReject } from './binanceErrors.js'

/** What a REST handler sees: merged parameters (query wins over body), the authenticated account, emulator time. */
export type RouteContext = {
  emu: BinanceEmulator
  params: Map<string, string>
  account: EmulatorAccount | null
  /** Emulator (market and account) time. */
  nowMs: number
  /** Request-check time: signed timestamps, listenKeys, server time (`BinanceEmulator.requestClock`). */
  requestNowMs: number
  ip: string
}

/** NONE: public; USER_STREAM: API key header only (listenKey); SIGNED: API key + timestamp + HMAC signature. */
export type RouteSecurity = 'NONE' | 'USER_STREAM' | 'SIGNED'

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  security: RouteSecurity
  /** IP request weight of this call. */
  weight: (params: Map<string, string>) => number
  /** Counts toward X-MBX-ORDER-COUNT-10S / -1M when it succeeds. */
  countsOrder?: boolean | undefined
  handler: (ctx: RouteContext) => unknown
}

export function requireParam(ctx: RouteContext, name: string): string {
  const value = ctx.params.get(name)
  if (value === undefined || value === '') throw binanceReject('MANDATORY_PARAM', [name])
  return value
}

export function requireAccount(ctx: RouteContext): EmulatorAccount {
  if (!ctx.account) throw binanceReject('API_KEY_FORMAT', [], 401)
  return ctx.account
}

/** Price string → ticks: more digits than the tick allows is -1111, off-tick is -4014 (futures) / -1013 PRICE_FILTER (spot). */
export function parsePriceTicks(value: string, inst: Instrument, spot: boolean): bigint {
  if (!/^\d{1,20}(\.\d{1,20})?$/.test(value)) {
    throw binanceReject('ILLEGAL_CHARS', ['price', '^([0-9]{1,20})(\\.[0-9]{1,20})?$'])
  }
  let units: bigint
  try {
    units = parseScaled(value, inst.priceDecimals, 'price')
  } catch (error) {
    if (error instanceof InvalidDecimalError) throw binanceReject('PRECISION')
    throw error
  }
  if (units <= 0n) throw binanceReject(spot ? 'SPOT_FILTER' : 'BAD_PARAMETER', spot ? ['PRICE_FILTER'] : ['price'])
  if (units % inst.tickUnits !== 0n)
    throw spot ? binanceReject('SPOT_FILTER', ['PRICE_FILTER']) : binanceReject('PRICE_NOT_BY_TICK')
  return units / inst.tickUnits
}

/** Quantity string → lots: -1111 on too many digits, -4023 off-step (futures) / -1013 LOT_SIZE (spot), -4003 on zero. */
export function parseQtyLots(value: string, inst: Instrument, spot: boolean): bigint {
  if (!/^\d{1,20}(\.\d{1,20})?$/.test(value)) {
    throw binanceReject('ILLEGAL_CHARS', ['quantity', '^([0-9]{1,20})(\\.[0-9]{1,20})?$'])
  }
  let units: bigint
  try {
    units = parseScaled(value, inst.qtyDecimals, 'quantity')
  } catch (error) {
    if (error instanceof InvalidDecimalError) throw binanceReject('PRECISION')
    throw error
  }
  if (units <= 0n) throw spot ? binanceReject('SPOT_FILTER', ['LOT_SIZE']) : binanceReject('QTY_LESS_THAN_ZERO')
  if (units % inst.stepUnits !== 0n)
    throw spot ? binanceReject('SPOT_FILTER', ['LOT_SIZE']) : binanceReject('QTY_NOT_BY_STEP')
  return units / inst.stepUnits
}

const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/

export function parseClientOrderId(ctx: RouteContext, name: string): string {
  const value = ctx.params.get(name)
  if (value === undefined || value === '') return `web_${ctx.emu.randomString(20)}`
  if (!CLIENT_ORDER_ID.test(value)) throw binanceReject('ILLEGAL_CHARS', [name, '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'])
  return value
}

/** Depth limits Binance accepts and their weights. */
export function depthWeight(params: Map<string, string>, spot: boolean): number {
  const limit = Number(params.get('limit') ?? (spot ? '100' : '500'))
  if (spot) return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20
}
