import { InvalidParameterError } from '../errors/parameter.js'

const LOG_TICK_BASE = Math.log(1.0001)

/**
 * A relative price distance (0.02 = 2 %) → the number of ticks that covers it, rounded UP:
 * ceil(ln(1 + spread) / ln(1.0001)). BASE_SPREAD = 0.02 gives 199 ticks.
 * @throws InvalidParameterError when `spread` is not finite and > 0.
 */
export function spreadToTicks(spread: number): number {
  if (!Number.isFinite(spread) || spread <= 0) {
    throw new InvalidParameterError({ field: 'spread', value: spread, rule: 'a finite number > 0' })
  }
  return Math.ceil(Math.log1p(spread) / LOG_TICK_BASE - 1e-9)
}
