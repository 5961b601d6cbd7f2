import { InvalidParameterError } from '../errors/parameter.js'
import { assertInteger } from '../internal/assert.js'
import type { As2008PublishedRow } from './as2008PublishedTables.js'
import type { As2008StrategyResult } from './simulateAs2008.js'

/** One metric of the §1.4 acceptance rule. */
export type As2008Check = {
  metric: 'meanProfit' | 'averageSpread' | 'stdProfit' | 'stdFinalQ'
  simulated: number
  published: number
  /** |simulated − published| */
  difference: number
  /** The largest allowed |simulated − published|, same unit as the metric. */
  tolerance: number
  /** How the tolerance is defined, e.g. "3·std/√paths". */
  rule: string
  ok: boolean
}

export type As2008Acceptance = { ok: boolean; checks: As2008Check[] }

/** What checkAs2008Reproduction can throw. */
export type CheckAs2008ReproductionErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * The acceptance rule of docs/models.md, "The AS 2008 reproduction" (as used by a public JS reproduction), for one row:
 * - |mean profit − paper| ≤ 3·std/√paths, with std the PUBLISHED std(Profit) (a fixed, external number);
 * - |average spread − paper| ≤ 0.02;
 * - std(Profit) and std(q_T) within ±15 % of the paper.
 * The mean final q is not part of the rule (its printed values are within sampling noise of 0).
 *
 * @throws InvalidParameterError when `paths` is not an integer ≥ 2.
 */
export function checkAs2008Reproduction(
  simulated: As2008StrategyResult,
  published: As2008PublishedRow,
  paths: number,
): As2008Acceptance {
  assertInteger('paths', paths, 2)
  for (const field of ['meanProfit', 'stdProfit', 'averageSpread', 'stdFinalQ'] as const)
    if (!Number.isFinite(simulated[field]))
      throw new InvalidParameterError({ field: `simulated.${field}`, value: simulated[field], rule: 'a finite number' })
  const check = (metric: As2008Check['metric'], tolerance: number, rule: string): As2008Check => {
    const difference = Math.abs(simulated[metric] - published[metric])
    return {
      metric,
      simulated: simulated[metric],
      published: published[metric],
      difference,
      tolerance,
      rule,
      ok: difference <= tolerance,
    }
  }
  const checks = [
    check('meanProfit', (3 * published.stdProfit) / Math.sqrt(paths), '3·std(Profit)/√paths'),
    check('averageSpread', 0.02, '0.02'),
    check('stdProfit', 0.15 * published.stdProfit, '±15 %'),
    check('stdFinalQ', 0.15 * published.stdFinalQ, '±15 %'),
  ]
  return { ok: checks.every((c) => c.ok), checks }
}
