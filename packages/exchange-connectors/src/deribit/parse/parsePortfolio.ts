import type { Balance } from '../../common/types/account.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { numberToDecimalString } from './numberToDecimalString.js'

/** `user.portfolio.{currency}` data or private/get_account_summary → `Balance` (available = `available_funds`). */
export function parseDeribitPortfolio(data: unknown, tsMs: number): Balance {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new MalformedFrameError({ venue: 'deribit', field: 'portfolio', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  if (typeof o.currency !== 'string')
    throw new MalformedFrameError({ venue: 'deribit', field: 'currency', reason: 'is not a string' })
  for (const key of ['balance', 'available_funds'])
    if (typeof o[key] !== 'number' || !Number.isFinite(o[key]))
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a finite number' })
  return {
    venue: 'deribit',
    asset: o.currency.toUpperCase(),
    wallet: numberToDecimalString(o.balance as number, 'balance'),
    available: numberToDecimalString(o.available_funds as number, 'available_funds'),
    tsExchangeMs: tsMs,
    raw: data,
  }
}
