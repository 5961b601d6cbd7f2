import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EigenSolverConvergenceError } from '../../errors/glft.js'
import { InvalidParameterError } from '../../errors/parameter.js'
import { eighSymmetricTridiagonal } from './eighSymmetricTridiagonal.js'

/** ‖T v − λ v‖∞ for the tridiagonal T(diagonal, offDiagonal). */
function residual(diagonal: number[], offDiagonal: number[], lambda: number, v: Float64Array): number {
  const n = diagonal.length
  let worst = 0
  for (let i = 0; i < n; i++) {
    let tv = diagonal[i]! * v[i]!
    if (i > 0) tv += offDiagonal[i - 1]! * v[i - 1]!
    if (i < n - 1) tv += offDiagonal[i]! * v[i + 1]!
    worst = Math.max(worst, Math.abs(tv - lambda * v[i]!))
  }
  return worst
}

describe('eighSymmetricTridiagonal', () => {
  it('matches the analytic spectrum of the Toeplitz tridiagonal (a on the diagonal, b off it)', () => {
    // Known result: eigenvalues a + 2b·cos(jπ/(n+1)), eigenvectors ∝ sin(i·j·π/(n+1)), j = 1…n.
    const n = 25
    const a = 0.7
    const b = -0.3
    const { eigenvalues, eigenvectors } = eighSymmetricTridiagonal(new Array(n).fill(a), new Array(n - 1).fill(b))
    const expected = Array.from({ length: n }, (_, j) => a + 2 * b * Math.cos(((j + 1) * Math.PI) / (n + 1))).sort(
      (x, y) => x - y,
    )
    for (let j = 0; j < n; j++) expect(eigenvalues[j]).toBeCloseTo(expected[j]!, 13)
    // b < 0: the smallest eigenvalue belongs to j = 1, whose eigenvector sin(iπ/(n+1)) has one sign.
    const first = eigenvectors.slice(0, n)
    const norm = Math.sqrt(
      Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)) ** 2).reduce((s, x) => s + x, 0),
    )
    const sign = Math.sign(first[0]!)
    for (let i = 0; i < n; i++) expect(sign * first[i]!).toBeCloseTo(Math.sin(((i + 1) * Math.PI) / (n + 1)) / norm, 12)
  })

  it('returns ascending eigenpairs with small residuals and orthonormal vectors (random matrices)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 30 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
              fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n - 1, maxLength: n - 1 }),
            ),
          ),
        ([diagonal, offDiagonal]) => {
          const n = diagonal.length
          const { eigenvalues, eigenvectors } = eighSymmetricTridiagonal(diagonal, offDiagonal)
          const scale = 1 + Math.max(...diagonal.map(Math.abs), ...offDiagonal.map(Math.abs))
          let trace = 0
          for (let i = 0; i < n; i++) trace += diagonal[i]!
          let sum = 0
          for (let j = 0; j < n; j++) {
            sum += eigenvalues[j]!
            if (j > 0) expect(eigenvalues[j]!).toBeGreaterThanOrEqual(eigenvalues[j - 1]!)
            const v = eigenvectors.slice(j * n, (j + 1) * n)
            expect(residual(diagonal, offDiagonal, eigenvalues[j]!, v)).toBeLessThan(1e-12 * scale * n)
            for (let k = 0; k <= j; k++) {
              let dot = 0
              for (let i = 0; i < n; i++) dot += v[i]! * eigenvectors[k * n + i]!
              expect(Math.abs(dot - (k === j ? 1 : 0))).toBeLessThan(1e-12 * n)
            }
          }
          expect(Math.abs(sum - trace)).toBeLessThan(1e-12 * scale * n)
        },
      ),
      { numRuns: 200, seed: 20130701 },
    )
  })

  it('handles a 1×1 matrix and an already-diagonal matrix', () => {
    expect(Array.from(eighSymmetricTridiagonal([4], []).eigenvalues)).toEqual([4])
    const { eigenvalues, eigenvectors } = eighSymmetricTridiagonal([3, 1, 2], [0, 0])
    expect(Array.from(eigenvalues)).toEqual([1, 2, 3])
    expect(Array.from(eigenvectors)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0])
  })

  it('rejects bad shapes and non-finite entries with InvalidParameterError', () => {
    expect(() => eighSymmetricTridiagonal([], [])).toThrow(InvalidParameterError)
    expect(() => eighSymmetricTridiagonal([1, 2], [])).toThrow(/offDiagonal.length: 0/)
    expect(() => eighSymmetricTridiagonal([1, Number.NaN], [1])).toThrow(/diagonal\[1\]: NaN/)
    expect(() => eighSymmetricTridiagonal([1, 2], [Number.POSITIVE_INFINITY])).toThrow(/offDiagonal\[0\]/)
  })

  it('exposes a typed convergence error', () => {
    const error = new EigenSolverConvergenceError({ index: 3, iterations: 60 })
    expect(error.code).toBe('EIGEN_SOLVER_NO_CONVERGENCE')
    expect(error.metaMessages.at(-1)).toMatch(/^Next: /)
  })
})
