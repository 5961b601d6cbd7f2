import { AS2008_PUBLISHED_TABLES, checkAs2008Reproduction } from '@alp/models'
import { describe, expect, it } from 'vitest'
import type { Reproduction } from './runReproduction.js'
import { summarizeReproduction } from './summarizeReproduction.js'

// Rows built from the published table itself: "simulated = published" passes every check; moving one metric past its
// tolerance (computed by hand below) must fail exactly that row.
function reproductionWith(patch: (gamma: number, strategy: string) => Partial<Record<string, number>>): Reproduction {
  const rows = AS2008_PUBLISHED_TABLES.rows.map((published) => {
    const simulated = { ...published, ...patch(published.gammaPerPrice, published.strategy) }
    return { published, simulated, acceptance: checkAs2008Reproduction(simulated, published, 1000) }
  })
  return { seed: 1, paths: 1000, rows, elapsedMs: 0 }
}

describe('summarizeReproduction', () => {
  it('exit 0 and no lines when every row matches', () => {
    expect(summarizeReproduction(reproductionWith(() => ({})))).toEqual({
      lines: [],
      inventoryFailures: 0,
      exitCode: 0,
    })
  })

  it('exit 1 when an inventory row misses, with the metric, values and tolerance in the line', () => {
    // γ = 1 inventory: profit tolerance 3 · 5.0 / √1000 = 0.4743; 31.4 − 0.5 = 30.9 misses by 0.5.
    const summary = summarizeReproduction(
      reproductionWith((g, s) => (g === 1 && s === 'inventory' ? { meanProfit: 30.9 } : {})),
    )
    expect(summary.exitCode).toBe(1)
    expect(summary.inventoryFailures).toBe(1)
    expect(summary.lines).toHaveLength(1)
    expect(summary.lines[0]).toMatch(
      /^FAIL: γ = 1 inventory: meanProfit 30\.9000 vs paper 31\.4 \(\|Δ\| 0\.5000 > 0\.4743/,
    )
  })

  it('a symmetric-row miss is a note and keeps exit 0', () => {
    // γ = 0.01 symmetric: std(profit) tolerance 0.15 · 12.8 = 1.92; 15.0 is 2.2 above.
    const summary = summarizeReproduction(
      reproductionWith((g, s) => (g === 0.01 && s === 'symmetric' ? { stdProfit: 15 } : {})),
    )
    expect(summary.exitCode).toBe(0)
    expect(summary.lines).toEqual([
      expect.stringMatching(/^note: γ = 0\.01 symmetric: stdProfit 15\.0000 vs paper 12\.8/),
    ])
  })
})
