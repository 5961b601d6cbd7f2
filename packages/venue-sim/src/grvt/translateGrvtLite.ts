import { GRVT_LITE_STRUCTS, type GrvtLiteStruct } from './grvtLiteSchema.js'

type FieldMap = ReadonlyMap<string, readonly [name: string, struct: GrvtLiteStruct | undefined]>

const fullToLite = new Map<GrvtLiteStruct, FieldMap>()
const liteToFull = new Map<GrvtLiteStruct, FieldMap>()
for (const [struct, fields] of Object.entries(GRVT_LITE_STRUCTS) as Array<
  [GrvtLiteStruct, Record<string, string | readonly [string, GrvtLiteStruct]>]
>) {
  const forward = new Map<string, readonly [string, GrvtLiteStruct | undefined]>()
  const backward = new Map<string, readonly [string, GrvtLiteStruct | undefined]>()
  for (const [full, entry] of Object.entries(fields)) {
    const [lite, nested] = typeof entry === 'string' ? [entry, undefined] : entry
    forward.set(full, [lite, nested])
    backward.set(lite, [full, nested])
  }
  fullToLite.set(struct, forward)
  liteToFull.set(struct, backward)
}

function rename(value: unknown, struct: GrvtLiteStruct, maps: ReadonlyMap<GrvtLiteStruct, FieldMap>): unknown {
  if (Array.isArray(value)) return value.map((item) => rename(item, struct, maps))
  if (value === null || typeof value !== 'object') return value
  const fields = maps.get(struct)
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    const field = fields?.get(key)
    // a key the struct does not name is not part of the protocol: it is left out
    if (field === undefined) continue
    out[field[0]] = field[1] === undefined ? inner : rename(inner, field[1], maps)
  }
  return out
}

/**
 * A full-protocol value of GRVT struct `struct` (an object, or an array of them) with every key renamed to its lite
 * name, nested structs included ({@link GRVT_LITE_STRUCTS}). Values are kept as they are; keys the struct does not
 * name are left out; anything that is not an object passes through.
 */
export function grvtFullToLite(value: unknown, struct: GrvtLiteStruct): unknown {
  return rename(value, struct, fullToLite)
}

/** The inverse of {@link grvtFullToLite}: a lite-protocol value of `struct` with the full field names. */
export function grvtLiteToFull(value: unknown, struct: GrvtLiteStruct): unknown {
  return rename(value, struct, liteToFull)
}
