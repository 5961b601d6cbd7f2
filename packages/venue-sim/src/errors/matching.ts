import { VenueSimError } from './base.js'

export type InvalidDecimalErrorType = InvalidDecimalError & { name: 'InvalidDecimalError' }

/** A decimal string (price, size, fee rate) is not a plain non-negative decimal or has more digits than its scale allows. */
export class InvalidDecimalError extends VenueSimError {
  override name = 'InvalidDecimalError' as const
  readonly field: string
  readonly value: string
  readonly rule: string

  constructor({ field, value, rule }: { field: string; value: string; rule: string }) {
    super(`Invalid ${field}: "${value}" (must be ${rule}).`, {
      code: 'INVALID_DECIMAL',
      metaMessages: [`Next: pass ${field} as a decimal string that is ${rule}.`],
    })
    this.field = field
    this.value = value
    this.rule = rule
  }
}

export type InvalidInstrumentErrorType = InvalidInstrumentError & { name: 'InvalidInstrumentError' }

/** An instrument specification cannot be represented exactly (scale too large, zero tick, …). */
export class InvalidInstrumentError extends VenueSimError {
  override name = 'InvalidInstrumentError' as const
  readonly symbol: string
  readonly field: string

  constructor({ symbol, field, reason }: { symbol: string; field: string; reason: string }) {
    super(`Instrument ${symbol} has an invalid ${field}: ${reason}.`, {
      code: 'INVALID_INSTRUMENT',
      metaMessages: [`Next: fix ${field} in the instrument specification of ${symbol}.`],
    })
    this.symbol = symbol
    this.field = field
  }
}

export type UnknownSymbolErrorType = UnknownSymbolError & { name: 'UnknownSymbolError' }

/** The matching engine has no book for this symbol. */
export class UnknownSymbolError extends VenueSimError {
  override name = 'UnknownSymbolError' as const
  readonly symbol: string

  constructor({ symbol }: { symbol: string }) {
    super(`Unknown symbol: "${symbol}".`, {
      code: 'UNKNOWN_SYMBOL',
      metaMessages: ['Next: add the instrument to the engine before sending orders or market data for it.'],
    })
    this.symbol = symbol
  }
}

export type UnknownAccountErrorType = UnknownAccountError & { name: 'UnknownAccountError' }

/** The matching engine has no account with this id. */
export class UnknownAccountError extends VenueSimError {
  override name = 'UnknownAccountError' as const
  readonly accountId: string

  constructor({ accountId }: { accountId: string }) {
    super(`Unknown account: "${accountId}".`, {
      code: 'UNKNOWN_ACCOUNT',
      metaMessages: ['Next: create the account with engine.addAccount() first.'],
    })
    this.accountId = accountId
  }
}
