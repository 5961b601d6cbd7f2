import { InvalidParameterError } from '../errors/parameter.js'

/** The domain of every AS input, by field name. */
const RULES = {
  midPrice: 'positive',
  q: 'finite',
  inventoryLots: 'finite',
  gammaPerPrice: 'positive',
  sigmaPerSqrtTime: 'nonNegative',
  kPerPrice: 'positive',
  timeToHorizon: 'nonNegative',
  omegaPerTime: 'positive',
  qMax: 'nonNegative',
} as const

export type AsParameterName = keyof typeof RULES

/**
 * Slow path of the AS validation: the hot functions run one combined comparison and, only when it fails, call this to
 * find the first bad field (in `fields` order) and throw `InvalidParameterError` naming it and its value.
 */
export function throwInvalidAsParameter(parameters: unknown, fields: readonly AsParameterName[]): never {
  if (parameters === null || typeof parameters !== 'object')
    throw new InvalidParameterError({ field: 'parameters', value: parameters, rule: 'an object' })
  const record = parameters as Record<string, unknown>
  for (const listed of fields) {
    // The inventory is `inventoryLots` (or its deprecated alias `q`): name the one the caller used.
    const field: AsParameterName = listed === 'q' && record.q === undefined ? 'inventoryLots' : listed
    const value = record[field]
    const rule = RULES[field]
    const finite = typeof value === 'number' && Number.isFinite(value)
    if (rule === 'finite' && !finite) throw new InvalidParameterError({ field, value, rule: 'a finite number' })
    if (rule === 'positive' && !(finite && value > 0)) throw new InvalidParameterError({ field, value, rule: '> 0' })
    if (rule === 'nonNegative' && !(finite && value >= 0))
      throw new InvalidParameterError({ field, value, rule: '>= 0' })
  }
  // Unreachable when the caller's combined check mirrors RULES; fail loudly rather than return a bad quote.
  throw new InvalidParameterError({ field: 'parameters', value: parameters, rule: `valid (${fields.join(', ')})` })
}
