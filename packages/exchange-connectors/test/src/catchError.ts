/** Runs `fn` and returns what it threw; fails the test if it did not throw. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw, it returned normally')
}
