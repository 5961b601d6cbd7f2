import { InvalidParameterError } from '../../errors/parameter.js'

// Padé(13) coefficients b₀…b₁₃ of exp (Higham 2005, "The scaling and squaring method for the matrix exponential
// revisited", SIAM J. Matrix Anal. Appl. 26(4), Table 2.3 / eq. 2.1): bⱼ = (26 − j)! 13! / (26! (13 − j)! j!) scaled so b₁₃ = 1.
const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
] as const
/** θ₁₃: largest ‖A‖₁ for which Padé(13) alone is accurate to double precision (Higham 2005, Table 2.3). */
const THETA13 = 5.371920351148152

/**
 * Dense matrix exponential exp(A) of an n×n row-major matrix by scaling and squaring with a Padé(13) approximant
 * (Higham 2005). O(n³) with about 6 + s multiplications (s = ⌈log₂(‖A‖₁/θ₁₃)⌉) and one LU solve.
 *
 * A reference implementation: `@alp/models` uses it to cross-check the eigendecomposition route of the exact GLFT
 * solution in tests and benchmarks. Written by hand because the package has no runtime dependencies.
 *
 * @throws InvalidParameterError when the length is not n² or an entry is not finite.
 */
export function expmDense(matrix: ArrayLike<number>, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new InvalidParameterError({ field: 'n', value: n, rule: 'an integer >= 1' })
  if (matrix.length !== n * n)
    throw new InvalidParameterError({ field: 'matrix.length', value: matrix.length, rule: `= ${n * n}` })
  const a = new Float64Array(n * n)
  let norm1 = 0
  for (let j = 0; j < n; j++) {
    let column = 0
    for (let i = 0; i < n; i++) {
      const value = matrix[i * n + j]!
      if (!Number.isFinite(value))
        throw new InvalidParameterError({ field: `matrix[${i * n + j}]`, value, rule: 'finite' })
      a[i * n + j] = value
      column += Math.abs(value)
    }
    if (column > norm1) norm1 = column
  }
  const squarings = norm1 > THETA13 ? Math.ceil(Math.log2(norm1 / THETA13)) : 0
  const scale = 2 ** -squarings
  for (let i = 0; i < n * n; i++) a[i] = a[i]! * scale

  const a2 = multiply(a, a, n)
  const a4 = multiply(a2, a2, n)
  const a6 = multiply(a4, a2, n)
  const b = PADE13
  const uInner = new Float64Array(n * n)
  const vInner = new Float64Array(n * n)
  const uOuter = new Float64Array(n * n)
  const vOuter = new Float64Array(n * n)
  for (let i = 0; i < n * n; i++) {
    uInner[i] = b[13] * a6[i]! + b[11] * a4[i]! + b[9] * a2[i]!
    vInner[i] = b[12] * a6[i]! + b[10] * a4[i]! + b[8] * a2[i]!
    uOuter[i] = b[7] * a6[i]! + b[5] * a4[i]! + b[3] * a2[i]!
    vOuter[i] = b[6] * a6[i]! + b[4] * a4[i]! + b[2] * a2[i]!
  }
  for (let i = 0; i < n; i++) {
    uOuter[i * n + i] = uOuter[i * n + i]! + b[1]
    vOuter[i * n + i] = vOuter[i * n + i]! + b[0]
  }
  const a6u = multiply(a6, uInner, n)
  for (let i = 0; i < n * n; i++) a6u[i] = a6u[i]! + uOuter[i]!
  const u = multiply(a, a6u, n)
  const v = multiply(a6, vInner, n)
  for (let i = 0; i < n * n; i++) v[i] = v[i]! + vOuter[i]!
  // Solve (V − U) X = (V + U).
  const lhs = new Float64Array(n * n)
  const rhs = new Float64Array(n * n)
  for (let i = 0; i < n * n; i++) {
    lhs[i] = v[i]! - u[i]!
    rhs[i] = v[i]! + u[i]!
  }
  let x = solveInPlace(lhs, rhs, n)
  for (let s = 0; s < squarings; s++) x = multiply(x, x, n)
  return x
}

/** C = A·B for n×n row-major matrices (i-k-j order so the inner loop is contiguous). */
function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const rowC = i * n
    for (let k = 0; k < n; k++) {
      const aik = a[rowC + k]!
      if (aik === 0) continue
      const rowB = k * n
      for (let j = 0; j < n; j++) c[rowC + j] = c[rowC + j]! + aik * b[rowB + j]!
    }
  }
  return c
}

/** Solves A X = B (both n×n) by LU with partial pivoting; overwrites both and returns B holding X. */
function solveInPlace(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col
    let best = Math.abs(a[col * n + col]!)
    for (let r = col + 1; r < n; r++) {
      const value = Math.abs(a[r * n + col]!)
      if (value > best) {
        best = value
        pivot = r
      }
    }
    if (best === 0)
      throw new InvalidParameterError({ field: 'matrix', value: 'singular Padé denominator', rule: 'non-singular' })
    if (pivot !== col) {
      for (let j = 0; j < n; j++) {
        const ta = a[col * n + j]!
        a[col * n + j] = a[pivot * n + j]!
        a[pivot * n + j] = ta
        const tb = b[col * n + j]!
        b[col * n + j] = b[pivot * n + j]!
        b[pivot * n + j] = tb
      }
    }
    const diag = a[col * n + col]!
    for (let r = col + 1; r < n; r++) {
      const factor = a[r * n + col]! / diag
      if (factor === 0) continue
      for (let j = col; j < n; j++) a[r * n + j] = a[r * n + j]! - factor * a[col * n + j]!
      for (let j = 0; j < n; j++) b[r * n + j] = b[r * n + j]! - factor * b[col * n + j]!
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    const diag = a[r * n + r]!
    for (let j = 0; j < n; j++) {
      let sum = b[r * n + j]!
      for (let k = r + 1; k < n; k++) sum -= a[r * n + k]! * b[k * n + j]!
      b[r * n + j] = sum / diag
    }
  }
  return b
}
