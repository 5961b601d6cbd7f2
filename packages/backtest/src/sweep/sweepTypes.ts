import type { RunConfig } from '../config/runConfig.js'

/** One sweep job: a backtest with config overrides, or one γ of the AS 2008 reproduction. JSON-safe (crosses threads). */
export type SweepJob =
  | { readonly kind: 'backtest'; readonly label: string; readonly config: RunConfig }
  | {
      readonly kind: 'as2008'
      readonly label: string
      readonly gammaPerPrice: number
      readonly seed: number
      readonly paths: number
    }

/** One row of the sweep's result table: the job label and named numeric columns. */
export type SweepRow = { readonly label: string; readonly values: Readonly<Record<string, number>> }
