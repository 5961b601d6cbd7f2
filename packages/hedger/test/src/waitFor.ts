/** Polls `condition` until it is truthy or `deadlineMs` passes (then throws naming `what`). No fixed sleeps. */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, deadlineMs = 20_000): Promise<T> {
  const end = Date.now() + deadlineMs
  for (;;) {
    const value = await condition()
    if (value) return value
    if (Date.now() > end) throw new Error(`Timed out after ${deadlineMs} ms waiting for: ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}
