import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'
import { postControl, resolveRunning } from './runStatus.js'

export type RunResumeOptions = {
  readonly files: readonly string[]
  readonly roles?: readonly string[] | undefined
  readonly json?: boolean | undefined
  /** The operator's reason (journaled with the resume). */
  readonly reason?: string | undefined
}

/**
 * `alp resume`: releases the kill switch (`POST /resume` with the token): the trader quotes again, the LP manager
 * steps again. The core refuses while a limit is still breached: exit 8 with its reason (also for a refused token);
 * 5 when nothing runs.
 */
export async function runResume(io: CliIo, options: RunResumeOptions): Promise<ExitCode> {
  const running = resolveRunning(io, options)
  if (typeof running === 'number') return running
  const { status, answer } = await postControl(running, 'resume', { reason: options.reason ?? 'alp resume' })
  if (options.json) io.stdout(`${JSON.stringify({ status, ...answer })}\n`)
  if (status === 200) {
    if (!options.json) io.stdout('resumed: quoting again\n')
    return EXIT.OK
  }
  if (status === 401 || status === 409) {
    if (!options.json) io.stderr(`alp: refused: ${String(answer.refused ?? answer.error)}\n`)
    return EXIT.REFUSED
  }
  if (!options.json) io.stderr(`alp: POST /resume answered ${status}: ${JSON.stringify(answer)}\n`)
  return EXIT.FAILURE
}
