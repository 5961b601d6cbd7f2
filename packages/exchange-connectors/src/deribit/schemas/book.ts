import { MalformedFrameError } from '../../errors/transport.js'

/** One level change of a Deribit `book.{instrument}.{interval}` message: `[action, price, amount]`, numbers as sent. */
export type DeribitBookLevelWire = readonly [action: 'new' | 'change' | 'delete', price: number, amount: number]

/** `params.data` of a `book.{instrument}.100ms` notification. */
export type DeribitBookWire = {
  readonly type: 'snapshot' | 'change'
  readonly timestamp: number
  readonly instrument_name: string
  readonly change_id: number
  /** Absent on the first (snapshot) message. */
  readonly prev_change_id: number | undefined
  readonly bids: readonly DeribitBookLevelWire[]
  readonly asks: readonly DeribitBookLevelWire[]
}

const VENUE = 'deribit'

function readLevels(value: unknown, field: string): DeribitBookLevelWire[] {
  if (!Array.isArray(value)) throw new MalformedFrameError({ venue: VENUE, field, reason: 'is not an array' })
  return value.map((level, i) => {
    if (!Array.isArray(level) || level.length !== 3)
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}]`, reason: 'is not [action, price, amount]' })
    const [action, price, amount] = level as [unknown, unknown, unknown]
    if (action !== 'new' && action !== 'change' && action !== 'delete')
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}][0]`, reason: 'is not new|change|delete' })
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0)
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}][1]`, reason: 'is not a positive number' })
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0)
      throw new MalformedFrameError({
        venue: VENUE,
        field: `${field}[${i}][2]`,
        reason: 'is not a non-negative number',
      })
    return [action, price, amount] as const
  })
}

function readSafeInteger(o: Record<string, unknown>, key: string): number {
  const value = o[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new MalformedFrameError({ venue: VENUE, field: key, reason: 'is not a safe integer' })
  return value
}

/** Validates the `data` of a book notification. */
export function parseDeribitBook(data: unknown): DeribitBookWire {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new MalformedFrameError({ venue: VENUE, field: 'data', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  const type = o.type
  if (type !== 'snapshot' && type !== 'change')
    throw new MalformedFrameError({ venue: VENUE, field: 'type', reason: 'is not snapshot|change' })
  if (typeof o.instrument_name !== 'string')
    throw new MalformedFrameError({ venue: VENUE, field: 'instrument_name', reason: 'is not a string' })
  const prev = o.prev_change_id === undefined ? undefined : readSafeInteger(o, 'prev_change_id')
  if (type === 'change' && prev === undefined)
    throw new MalformedFrameError({ venue: VENUE, field: 'prev_change_id', reason: 'is missing on a change' })
  return {
    type,
    timestamp: readSafeInteger(o, 'timestamp'),
    instrument_name: o.instrument_name,
    change_id: readSafeInteger(o, 'change_id'),
    prev_change_id: prev,
    bids: readLevels(o.bids, 'bids'),
    asks: readLevels(o.asks, 'asks'),
  }
}
