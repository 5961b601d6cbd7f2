/**
 * A running sum with Neumaier compensation, so that adding and later subtracting the same terms (a rolling window) does not
 * accumulate rounding drift. Internal helper of the streaming estimators.
 */
export type CompensatedSum = {
  add(value: number): void
  reset(): void
  value(): number
}

export function createCompensatedSum(): CompensatedSum {
  let sum = 0
  let compensation = 0
  return {
    add(value: number): void {
      const t = sum + value
      if (Math.abs(sum) >= Math.abs(value)) compensation += sum - t + value
      else compensation += value - t + sum
      sum = t
    },
    reset(): void {
      sum = 0
      compensation = 0
    },
    value(): number {
      return sum + compensation
    },
  }
}
