import {
  AS2008_PUBLISHED_TABLES,
  type As2008Acceptance,
  type As2008PublishedRow,
  type As2008StrategyResult,
  checkAs2008Reproduction,
  simulateAs2008,
} from '@alp/models'

export type ReproductionRow = {
  published: As2008PublishedRow
  simulated: As2008StrategyResult
  acceptance: As2008Acceptance
}

export type Reproduction = { seed: number; paths: number; rows: ReproductionRow[]; elapsedMs: number }

/**
 * Runs the AS 2008 simulation for every γ of the published Tables 1–3 (0.1, 0.01, 1) with the paper's parameters
 * and checks each strategy's row with the §1.4 acceptance rule. `now` is injected (milliseconds) for the timing line.
 */
export function runReproduction({
  seed,
  paths,
  now,
  onProgress,
}: {
  seed: number
  paths: number
  now: () => number
  onProgress?: (done: number, total: number, gammaPerPrice: number) => void
}): Reproduction {
  const started = now()
  const gammas = [...new Set(AS2008_PUBLISHED_TABLES.rows.map((row) => row.gammaPerPrice))]
  const rows: ReproductionRow[] = []
  gammas.forEach((gammaPerPrice, index) => {
    const result = simulateAs2008({ gammaPerPrice, seed, paths })
    for (const published of AS2008_PUBLISHED_TABLES.rows.filter((row) => row.gammaPerPrice === gammaPerPrice)) {
      const simulated = result[published.strategy]
      rows.push({ published, simulated, acceptance: checkAs2008Reproduction(simulated, published, paths) })
    }
    onProgress?.(index + 1, gammas.length, gammaPerPrice)
  })
  return { seed, paths, rows, elapsedMs: now() - started }
}
