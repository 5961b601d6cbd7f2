import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'
import { postControl, resolveRunning } from './runStatus.js'

export type RunKillOptions = {
  readonly files: readonly string[]
  readonly roles?: readonly string[] | undefined
  readonly json?: boolean | undefined
  /** The operator's reason (journaled with the kill, shown by `alp status`). */
  readonly reason?: string | undefined
  /** How long the process waits for every venue to confirm none of our orders is open, ms. Default 30 000. */
  readonly timeoutMs?: number | undefined
}

/**
 * `alp kill`: the running deployment's kill switch (`POST /kill` with the token of `<DATA_DIR>/<PROCESS_NAME>.token`):
 * the trader latches the halt, cancels everything and repeats until every venue confirms none of our orders is open;
 * the LP manager stops stepping. Exit 0 once confirmed, 1 when a venue did not confirm within the timeout, 8 when the
 * token was refused, 5 when nothing runs.
 */
export async function runKill(io: CliIo, options: RunKillOptions): Promise<ExitCode> {
  const running = resolveRunning(io, options)
  if (typeof running === 'number') return running
  const { status, answer } = await postControl(running, 'kill', {
    reason: options.reason ?? 'alp kill',
    timeoutMs: options.timeoutMs,
  })
  if (options.json) io.stdout(`${JSON.stringify({ status, ...answer })}\n`)
  if (status === 401) {
    if (!options.json) io.stderr(`alp: refused: ${String(answer.error)}\n`)
    return EXIT.REFUSED
  }
  const venues = (answer.venues as { venue: string; confirmed: boolean; openOrders: number }[] | undefined) ?? []
  const lps = (answer.lp as { instance: string; killed: boolean | null; error?: string }[] | undefined) ?? []
  if (!options.json)
    io.stdout(
      `killed (${String(answer.killed)}): ${venues.map((v) => `${v.venue} ${v.confirmed ? 'confirmed no open order' : `${v.openOrders} open`}`).join(', ') || 'no venue'}${lps.map((lp) => `, ${lp.instance} ${lp.killed === true ? 'stopped stepping' : `NOT stopped (${lp.error ?? 'still stepping'})`}`).join('')}\n`,
    )
  if (status === 200) return EXIT.OK
  if (!options.json && status !== 409) io.stderr(`alp: POST /kill answered ${status}: ${JSON.stringify(answer)}\n`)
  return EXIT.FAILURE
}
