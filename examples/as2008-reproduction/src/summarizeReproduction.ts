import type { Reproduction } from './runReproduction.js'

export type ReproductionSummary = {
  /** One line per row outside the tolerances: `FAIL` for the inventory strategy, `note` for the symmetric one. */
  lines: string[]
  /** Number of INVENTORY-strategy rows outside the tolerances. */
  inventoryFailures: number
  /** 1 when an inventory-strategy row is outside the tolerances, else 0. */
  exitCode: 0 | 1
}

/**
 * Says why each row missed the §1.4 rule (metric, our value, the paper's, |Δ| and the tolerance) and decides the exit
 * code: only the inventory strategy can fail the run (the paper's symmetric benchmark is the less specified one).
 */
export function summarizeReproduction(reproduction: Reproduction): ReproductionSummary {
  const lines: string[] = []
  let inventoryFailures = 0
  for (const row of reproduction.rows) {
    if (row.acceptance.ok) continue
    const why = row.acceptance.checks
      .filter((c) => !c.ok)
      .map(
        (c) =>
          `${c.metric} ${c.simulated.toFixed(4)} vs paper ${c.published} (|Δ| ${c.difference.toFixed(4)} > ${c.tolerance.toFixed(4)}, ${c.rule})`,
      )
      .join('; ')
    const inventory = row.published.strategy === 'inventory'
    if (inventory) inventoryFailures++
    lines.push(`${inventory ? 'FAIL' : 'note'}: γ = ${row.published.gammaPerPrice} ${row.published.strategy}: ${why}`)
  }
  return { lines, inventoryFailures, exitCode: inventoryFailures > 0 ? 1 : 0 }
}
