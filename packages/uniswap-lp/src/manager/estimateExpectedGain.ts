/** One sample of cumulative fees earned (collected + uncollected), USD. */
export type FeeSample = { readonly tsMs: number; readonly feesUsd: number }

export const EXPECTED_GAIN_WINDOW_MS = 3_600_000

/**
 * The backtester's expected-gain heuristic, in one place: the fees earned over the trailing hour, extrapolated to a day
 * (× 24). With less than an hour of samples it uses what there is (as the backtester's trailing sum does). Pure.
 */
export function estimateExpectedGainUsd(samples: readonly FeeSample[], nowMs: number): number {
  const last = samples[samples.length - 1]
  if (last === undefined) return 0
  const from = nowMs - EXPECTED_GAIN_WINDOW_MS
  // The latest sample at or before the window start, else the first one.
  let start = samples[0]!
  for (const s of samples) {
    if (s.tsMs <= from) start = s
    else break
  }
  return Math.max(0, last.feesUsd - start.feesUsd) * 24
}

/** Keeps the samples one window needs (plus the one just before it). Pure. */
export function pruneFeeSamples(samples: readonly FeeSample[], nowMs: number): FeeSample[] {
  const from = nowMs - EXPECTED_GAIN_WINDOW_MS
  let first = 0
  for (let i = 0; i < samples.length; i++) if (samples[i]!.tsMs <= from) first = i
  return samples.slice(first)
}
