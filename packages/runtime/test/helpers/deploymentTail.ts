import type { Deployment } from '../../src/deployment/createDeployment.js'
import { waitFor } from '../deploymentVenue.js'

/**
 * Waits until the deployment's trader quotes on its one venue (`until`: the check, which may move the book first),
 * failing with the venue's status and the deployment's errors so far when it does not.
 */
export async function waitForQuoting(
  deployment: Deployment,
  errors: readonly unknown[],
  until: () => boolean | Promise<boolean>,
  label: string,
): Promise<void> {
  const status = () => deployment.trader?.state.venues[0]?.status
  await waitFor(until, label).catch((error: unknown) => {
    throw new Error(`${String(error)}; status ${status()}; errors ${errors.map(String).join(' | ')}`)
  })
}

/** afterAll of a deployment test: the deployment stopped (5 s at most), then the test's own connections and emulator. */
export async function stopDeploymentAndClose(
  deployment: Deployment | undefined,
  closables: readonly ({ close(): Promise<unknown> } | undefined)[],
): Promise<void> {
  await deployment?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  for (const closable of closables) await closable?.close()
}
