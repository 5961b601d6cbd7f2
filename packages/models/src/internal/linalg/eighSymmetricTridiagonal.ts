import { EigenSolverConvergenceError } from '../../errors/glft.js'
import { InvalidParameterError } from '../../errors/parameter.js'

/** Eigen-decomposition of a real symmetric matrix, eigenvalues ascending. */
export type SymmetricEigenDecomposition = {
  /** Matrix order n. */
  readonly size: number
  /** Eigenvalues λ₀ ≤ λ₁ ≤ … ≤ λₙ₋₁. */
  readonly eigenvalues: Float64Array
  /**
   * Orthonormal eigenvectors, one per row: component k of the eigenvector of `eigenvalues[i]` is `eigenvectors[i·n + k]`.
   * The sign of each vector is whatever the iteration produced; callers fix it when it matters.
   */
  readonly eigenvectors: Float64Array
}

const MAX_ITERATIONS_PER_EIGENVALUE = 60
const NEGLIGIBLE = 2 ** -500

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix with main diagonal `diagonal` (length n) and
 * sub/super-diagonal `offDiagonal` (length n − 1; `offDiagonal[i]` couples rows i and i + 1).
 *
 * Implicit QL with Wilkinson-type shifts (the EISPACK `tql2` scheme: Givens rotations chase the bulge from the bottom
 * of each unreduced block to the top, the shift being the eigenvalue of the leading 2×2 block closer to its first
 * entry). Cost O(n²) for the values plus O(n³) for accumulating the vectors; quadratic convergence is typical, cubic
 * near convergence. Written by hand because `@alp/models` has no runtime dependencies.
 *
 * @throws InvalidParameterError when a length is wrong or an entry is not finite.
 * @throws EigenSolverConvergenceError when an eigenvalue needs more than 60 QL sweeps.
 */
export function eighSymmetricTridiagonal(
  diagonal: ArrayLike<number>,
  offDiagonal: ArrayLike<number>,
): SymmetricEigenDecomposition {
  const n = diagonal.length
  if (n < 1) throw new InvalidParameterError({ field: 'diagonal.length', value: n, rule: '>= 1' })
  if (offDiagonal.length !== n - 1)
    throw new InvalidParameterError({ field: 'offDiagonal.length', value: offDiagonal.length, rule: `= ${n - 1}` })
  const d = new Float64Array(n)
  const e = new Float64Array(n) // e[i] couples i and i + 1; e[n − 1] stays 0
  for (let i = 0; i < n; i++) {
    const value = diagonal[i]!
    if (!Number.isFinite(value)) throw new InvalidParameterError({ field: `diagonal[${i}]`, value, rule: 'finite' })
    d[i] = value
  }
  for (let i = 0; i < n - 1; i++) {
    const value = offDiagonal[i]!
    if (!Number.isFinite(value)) throw new InvalidParameterError({ field: `offDiagonal[${i}]`, value, rule: 'finite' })
    e[i] = value
  }
  const z = new Float64Array(n * n)
  for (let i = 0; i < n; i++) z[i * n + i] = 1
  // Scale to max |entry| = 1 (undone at the end) so the rotations never meet overflow or subnormal numbers.
  let scale = 0
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]!), Math.abs(e[i]!))
  if (scale === 0) return { size: n, eigenvalues: d, eigenvectors: z }
  for (let i = 0; i < n; i++) {
    d[i] = d[i]! / scale
    e[i] = e[i]! / scale
  }

  for (let l = 0; l < n; l++) {
    let iterations = 0
    for (;;) {
      // Find the first negligible off-diagonal entry at or below l: the block l..m is unreduced.
      let m = l
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!)
        const em = Math.abs(e[m]!)
        // Negligible next to its neighbours, or absolutely (≤ 2⁻⁵⁰⁰ of the norm, as LAPACK dsteqr's safe-minimum test: moves no eigenvalue visibly).
        if (em + dd === dd || em <= NEGLIGIBLE) break
      }
      if (m === l) break
      if (iterations === MAX_ITERATIONS_PER_EIGENVALUE) throw new EigenSolverConvergenceError({ index: l, iterations })
      iterations++
      // Shift: eigenvalue of the leading 2×2 block closest to d[l], folded into the first rotation.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!)
      let r = Math.hypot(g, 1)
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r))
      let s = 1
      let c = 1
      let p = 0
      let deflated = false
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i]!
        const b = c * e[i]!
        r = Math.hypot(f, g)
        e[i + 1] = r
        if (r === 0) {
          // Exact underflow of the bulge: the block splits; restart the sweep on the smaller block.
          d[i + 1] = d[i + 1]! - p
          e[m] = 0
          deflated = true
          break
        }
        s = f / r
        c = g / r
        g = d[i + 1]! - p
        r = (d[i]! - g) * s + 2 * c * b
        p = s * r
        d[i + 1] = g + p
        g = c * r - b
        // Apply the rotation to eigenvector rows i and i + 1 (contiguous).
        const rowI = i * n
        const rowJ = (i + 1) * n
        for (let k = 0; k < n; k++) {
          const zj = z[rowJ + k]!
          const zi = z[rowI + k]!
          z[rowJ + k] = s * zi + c * zj
          z[rowI + k] = c * zi - s * zj
        }
      }
      if (deflated) continue
      d[l] = d[l]! - p
      e[l] = g
      e[m] = 0
    }
  }

  for (let i = 0; i < n; i++) d[i] = d[i]! * scale
  // Selection sort, ascending, swapping vector rows along.
  for (let i = 0; i < n - 1; i++) {
    let min = i
    for (let j = i + 1; j < n; j++) if (d[j]! < d[min]!) min = j
    if (min !== i) {
      const t = d[i]!
      d[i] = d[min]!
      d[min] = t
      const rowI = i * n
      const rowM = min * n
      for (let k = 0; k < n; k++) {
        const zt = z[rowI + k]!
        z[rowI + k] = z[rowM + k]!
        z[rowM + k] = zt
      }
    }
  }
  return { size: n, eigenvalues: d, eigenvectors: z }
}
