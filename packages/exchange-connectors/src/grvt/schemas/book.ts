import { MalformedFrameError } from '../../errors/transport.js'

/** One level of a GRVT book feed; decimals are strings, `size` "0" removes the level (deltas). */
export type GrvtBookLevelWire = { readonly price: string; readonly size: string; readonly num_orders: number }

/** A `v1.book.d` / `v1.book.s` feed message (JSON-RPC full form). Sequence numbers are uint64 strings on the wire. */
export type GrvtBookWire = {
  readonly stream: string
  readonly selector: string
  readonly sequence_number: bigint
  readonly prev_sequence_number: bigint | undefined
  readonly feed: {
    /** Unix nanoseconds. */
    readonly event_time: bigint
    readonly instrument: string
    readonly bids: readonly GrvtBookLevelWire[]
    readonly asks: readonly GrvtBookLevelWire[]
  }
}

const VENUE = 'grvt'
const DECIMAL_RE = /^\d+(\.\d+)?$/

function readUint(value: unknown, field: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value)
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  throw new MalformedFrameError({ venue: VENUE, field, reason: 'is not a uint64' })
}

function readLevels(value: unknown, field: string): GrvtBookLevelWire[] {
  if (!Array.isArray(value)) throw new MalformedFrameError({ venue: VENUE, field, reason: 'is not an array' })
  return value.map((level, i) => {
    if (level === null || typeof level !== 'object')
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}]`, reason: 'is not an object' })
    const { price, size, num_orders } = level as Record<string, unknown>
    if (typeof price !== 'string' || !DECIMAL_RE.test(price))
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}].price`, reason: 'is not a decimal string' })
    if (typeof size !== 'string' || !DECIMAL_RE.test(size))
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}].size`, reason: 'is not a decimal string' })
    if (typeof num_orders !== 'number' || !Number.isSafeInteger(num_orders))
      throw new MalformedFrameError({ venue: VENUE, field: `${field}[${i}].num_orders`, reason: 'is not an integer' })
    return { price, size, num_orders }
  })
}

/** Validates a book feed message (the JSON-RPC `params` object or a legacy-form frame with the same keys). */
export function parseGrvtBook(data: unknown): GrvtBookWire {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new MalformedFrameError({ venue: VENUE, field: 'params', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  if (typeof o.stream !== 'string')
    throw new MalformedFrameError({ venue: VENUE, field: 'stream', reason: 'is not a string' })
  if (typeof o.selector !== 'string')
    throw new MalformedFrameError({ venue: VENUE, field: 'selector', reason: 'is not a string' })
  const feed = o.feed
  if (feed === null || typeof feed !== 'object')
    throw new MalformedFrameError({ venue: VENUE, field: 'feed', reason: 'is not an object' })
  const f = feed as Record<string, unknown>
  if (typeof f.instrument !== 'string')
    throw new MalformedFrameError({ venue: VENUE, field: 'feed.instrument', reason: 'is not a string' })
  return {
    stream: o.stream,
    selector: o.selector,
    sequence_number: readUint(o.sequence_number, 'sequence_number'),
    prev_sequence_number:
      o.prev_sequence_number === undefined ? undefined : readUint(o.prev_sequence_number, 'prev_sequence_number'),
    feed: {
      event_time: readUint(f.event_time, 'feed.event_time'),
      instrument: f.instrument,
      bids: readLevels(f.bids, 'feed.bids'),
      asks: readLevels(f.asks, 'feed.asks'),
    },
  }
}
