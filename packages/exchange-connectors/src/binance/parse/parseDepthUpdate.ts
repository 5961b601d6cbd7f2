import { MalformedFrameError } from '../../errors/transport.js'
import type { DepthSnapshotWire, DepthUpdateWire } from '../schemas/depth.js'
import { asObject, readArray, readInteger, readString } from '../schemas/fields.js'

/**
 * Validates a `depthUpdate` event's envelope (ids, symbol, level arrays). Level strings are checked when applied to
 * the book (`BinanceDepthBook`), where they are parsed straight to integer ticks/lots.
 */
export function parseDepthUpdate(data: unknown, venue: string): DepthUpdateWire {
  const o = asObject(data, 'data', venue)
  if (o.e !== 'depthUpdate') throw new MalformedFrameError({ venue, field: 'e', reason: 'is not "depthUpdate"' })
  readString(o, 's', venue)
  readInteger(o, 'E', venue)
  const U = readInteger(o, 'U', venue)
  const u = readInteger(o, 'u', venue)
  if (U > u) throw new MalformedFrameError({ venue, field: 'U', reason: `is greater than u (${U} > ${u})` })
  if (o.pu !== undefined) readInteger(o, 'pu', venue)
  readArray(o, 'b', venue)
  readArray(o, 'a', venue)
  return o as unknown as DepthUpdateWire
}

/** Validates a REST depth snapshot. */
export function parseDepthSnapshot(data: unknown, venue: string): DepthSnapshotWire {
  const o = asObject(data, 'body', venue)
  readInteger(o, 'lastUpdateId', venue)
  readArray(o, 'bids', venue)
  readArray(o, 'asks', venue)
  return o as unknown as DepthSnapshotWire
}
