import type { Position } from '../../common/types/account.js'
import { asObject, readArray, readDecimal, readInteger, readString } from '../schemas/fields.js'

/** What an `ACCOUNT_UPDATE` tells us. Wallet balances only: `cw` is NOT available balance (see `BalanceRefresh`). */
export type AccountUpdate = {
  readonly reason: string
  readonly eventTimeMs: number
  readonly walletBalances: readonly { asset: string; wallet: string }[]
  readonly positions: readonly Position[]
}

/** Futures `ACCOUNT_UPDATE` → positions (one-way `BOTH` and hedge-mode legs as sent) and wallet balances. */
export function parseAccountUpdate(data: unknown, venue: string): AccountUpdate {
  const envelope = asObject(data, 'data', venue)
  const a = asObject(envelope.a, 'a', venue)
  const eventTimeMs = readInteger(envelope, 'E', venue)
  // The positions are stamped with the transaction time T (the time of the change, on the clock of the fills' trade
  // times), not the event time E (when the event was pushed, later): the hedger core takes a position report as holding
  // every fill stamped at or before it, and one stamped E would claim fills in (T, E] it does not hold, then make the
  // REST reads (stamped updateTime, ≤ E) look older than it. E when T is absent.
  const transactionTimeMs = envelope.T === undefined ? eventTimeMs : readInteger(envelope, 'T', venue)
  return {
    reason: readString(a, 'm', venue),
    eventTimeMs,
    walletBalances: readArray(a, 'B', venue).map((b) => {
      const o = asObject(b, 'B[]', venue)
      return { asset: readString(o, 'a', venue), wallet: readDecimal(o, 'wb', venue) }
    }),
    positions: readArray(a, 'P', venue).map((p) => {
      const o = asObject(p, 'P[]', venue)
      return {
        venue,
        symbol: readString(o, 's', venue),
        sizeBase: readDecimal(o, 'pa', venue),
        entryPrice: readDecimal(o, 'ep', venue),
        unrealizedPnlQuote: readDecimal(o, 'up', venue),
        tsExchangeMs: transactionTimeMs,
        raw: p,
      }
    }),
  }
}
