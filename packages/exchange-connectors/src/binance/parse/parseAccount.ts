import { formatScaled, parseDecimal, toScaled } from '../../common/decimal.js'
import type { Balance, Position } from '../../common/types/account.js'
import { asObject, readArray, readDecimal, readInteger, readString } from '../schemas/fields.js'

/** `GET /fapi/v3/positionRisk` → positions. */
export function parsePositionRisk(data: unknown, venue: string): Position[] {
  return readArray({ data }, 'data', venue).map((item) => {
    const o = asObject(item, 'positionRisk[]', venue)
    return {
      venue,
      symbol: readString(o, 'symbol', venue),
      sizeBase: readDecimal(o, 'positionAmt', venue),
      entryPrice: readDecimal(o, 'entryPrice', venue),
      unrealizedPnlQuote: readDecimal(o, 'unRealizedProfit', venue),
      tsExchangeMs: readInteger(o, 'updateTime', venue),
      raw: item,
    }
  })
}

/** `GET /fapi/v3/balance` → balances with `available` = `availableBalance` (never `crossWalletBalance`). */
export function parseFuturesBalances(data: unknown, venue: string): Balance[] {
  const items = readArray({ data }, 'data', venue)
  return items.map((item) => {
    const o = asObject(item, 'balance[]', venue)
    return {
      venue,
      asset: readString(o, 'asset', venue),
      wallet: readDecimal(o, 'balance', venue),
      available: readDecimal(o, 'availableBalance', venue),
      tsExchangeMs: readInteger(o, 'updateTime', venue),
      raw: item,
    }
  })
}

/** Spot `GET /api/v3/account` → balances (available = free, wallet = free + locked, exact). */
export function parseSpotBalances(data: unknown, venue: string): Balance[] {
  const account = asObject(data, 'account', venue)
  const ts = typeof account.updateTime === 'number' ? account.updateTime : 0
  return readArray(account, 'balances', venue).map((item) => {
    const o = asObject(item, 'balances[]', venue)
    const free = readDecimal(o, 'free', venue)
    const locked = readDecimal(o, 'locked', venue)
    return {
      venue,
      asset: readString(o, 'asset', venue),
      wallet: addDecimals(free, locked),
      available: free,
      tsExchangeMs: ts,
      raw: item,
    }
  })
}

/** Exact sum of two decimal strings, at the larger scale. */
function addDecimals(a: string, b: string): string {
  const x = parseDecimal(a)
  const y = parseDecimal(b)
  const scale = Math.max(x.scale, y.scale)
  return formatScaled(toScaled(x, scale) + toScaled(y, scale), scale)
}
