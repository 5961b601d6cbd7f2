import { MalformedFrameError } from '../../errors/transport.js'

/** A parsed JSON object whose fields have not been checked yet. */
export type WireObject = Record<string, unknown>

/** Runtime field readers used by every Binance schema: each names the field it rejects. */
export function asObject(value: unknown, field: string, venue: string): WireObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new MalformedFrameError({ venue, field, reason: 'is not an object' })
  return value as WireObject
}

export function readString(object: WireObject, key: string, venue: string): string {
  const value = object[key]
  if (typeof value !== 'string') throw new MalformedFrameError({ venue, field: key, reason: 'is not a string' })
  return value
}

export function readOptionalString(object: WireObject, key: string, venue: string): string | undefined {
  const value = object[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new MalformedFrameError({ venue, field: key, reason: 'is not a string' })
  return value
}

/** Reads an integer field (ids, timestamps); must be a safe integer. */
export function readInteger(object: WireObject, key: string, venue: string): number {
  const value = object[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new MalformedFrameError({ venue, field: key, reason: 'is not a safe integer' })
  return value
}

export function readBoolean(object: WireObject, key: string, venue: string): boolean {
  const value = object[key]
  if (typeof value !== 'boolean') throw new MalformedFrameError({ venue, field: key, reason: 'is not a boolean' })
  return value
}

export function readArray(object: WireObject, key: string, venue: string): unknown[] {
  const value = object[key]
  if (!Array.isArray(value)) throw new MalformedFrameError({ venue, field: key, reason: 'is not an array' })
  return value
}

/** Reads a decimal-string field (prices, sizes); rejects anything that is not a plain decimal. */
export function readDecimal(object: WireObject, key: string, venue: string): string {
  const value = readString(object, key, venue)
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new MalformedFrameError({ venue, field: key, reason: 'is not a decimal' })
  return value
}

/** Reads a decimal-string field that can never be negative (prices, order and trade sizes); `-0` is refused too. */
export function readUnsignedDecimal(object: WireObject, key: string, venue: string): string {
  const value = readString(object, key, venue)
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new MalformedFrameError({ venue, field: key, reason: 'is not an unsigned decimal' })
  return value
}

/** Parses a frame's text as JSON, turning a syntax error into `MalformedFrameError`. */
export function parseJson(text: string, venue: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new MalformedFrameError({ venue, field: '<frame>', reason: 'is not valid JSON', cause: error })
  }
}
