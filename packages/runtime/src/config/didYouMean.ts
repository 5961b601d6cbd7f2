/** The closest candidate within a small edit distance (case-insensitive), for "did you mean" hints; null when none. */
export function didYouMean(input: string, candidates: Iterable<string>): string | null {
  const target = input.toUpperCase()
  let best: string | null = null
  let bestDistance = Math.max(2, Math.floor(target.length / 3)) + 1
  for (const candidate of candidates) {
    const d = editDistance(target, candidate.toUpperCase())
    if (d < bestDistance) {
      bestDistance = d
      best = candidate
    }
  }
  return best
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
