import { ReserveMathError } from './ReserveMathError.js'

/**
 * Cholesky factor `L` (lower triangular) of a symmetric positive semi-definite matrix: `L L^T = A`.
 * Semi-definite input (a zero-variance asset, perfectly correlated assets) is accepted: a pivot
 * that is zero up to rounding gives a zero column instead of a division by zero.
 *
 * Formula: Cholesky-Banachiewicz, `L_jj = sqrt(A_jj - sum_k L_jk^2)`,
 * `L_ij = (A_ij - sum_k L_ik L_jk) / L_jj`. Source: Golub & Van Loan, "Matrix Computations", 4.2.
 *
 * @param a - Symmetric PSD matrix (e.g. a covariance matrix).
 * @returns Lower-triangular `L` as rows.
 * @example
 * ```ts
 * cholesky([[4, 2], [2, 2]]) // [[2, 0], [1, 1]]
 * ```
 */
export function cholesky(a: readonly (readonly number[])[]): number[][] {
  const n = a.length
  const scale = Math.max(1e-300, ...a.map((row, i) => Math.abs(row[i] ?? 0)))
  const tol = 1e-12 * scale
  const l: number[][] = a.map(() => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    const row = a[i]!
    if (row.length !== n) {
      throw new ReserveMathError('Matrix is not square.', {
        details: `row ${i} has ${row.length} entries; expected ${n}.`,
        metaMessages: ['Pass one row per asset, each with one entry per asset.'],
      })
    }
    for (let j = 0; j <= i; j++) {
      const aij = row[j]!
      if (!Number.isFinite(aij) || Math.abs(aij - a[j]![i]!) > tol + 1e-9 * Math.abs(aij)) {
        throw new ReserveMathError('Matrix is not a finite symmetric matrix.', {
          details: `a[${i}][${j}] = ${String(aij)}, a[${j}][${i}] = ${String(a[j]![i])}.`,
          metaMessages: ['A covariance matrix is symmetric with finite entries.'],
        })
      }
      let sum = aij
      const li = l[i]!
      const lj = l[j]!
      for (let k = 0; k < j; k++) sum -= li[k]! * lj[k]!
      if (i === j) {
        if (sum < -tol) {
          throw new ReserveMathError('Matrix is not positive semi-definite.', {
            details: `pivot ${i} is ${sum}.`,
            metaMessages: ['Estimate the covariance from one aligned set of returns (ewmaCovariance does).'],
          })
        }
        li[i] = sum > tol ? Math.sqrt(sum) : 0
      } else {
        li[j] = lj[j]! > 0 ? sum / lj[j]! : 0
      }
    }
  }
  return l
}
