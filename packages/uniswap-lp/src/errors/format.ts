/** Renders an offending value for an error message: bigint with an `n` suffix, strings quoted, the rest via JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (value === undefined) return 'undefined'
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)
  } catch {
    // Circular structures cannot be JSON-encoded; String() is the documented rendering for them.
    return String(value)
  }
}
