import { checkConfigFiles } from '../config/loadConfig.js'
import { readControlToken } from '../control/controlFiles.js'
import type { DeploymentStatus, VenueStatus } from '../control/deploymentStatus.js'
import { findRunningDeployment, type RunningDeployment } from '../control/findRunningDeployment.js'
import { formatConfigIssue } from '../errors/config.js'
import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'
import { mainRoleOf } from './runStop.js'

export type RunStatusOptions = {
  readonly files: readonly string[]
  /** The same `--roles` as the `alp start` to reach. */
  readonly roles?: readonly string[] | undefined
  readonly json?: boolean | undefined
}

/**
 * `alp status`: the running deployment's status (`GET /status` of its control server, found through
 * `<DATA_DIR>/<PROCESS_NAME>.control.json`): per venue the book top, mid, reservation price and optimal spread, our
 * orders with price, size and age, the calibration warm-up; the LP range, holdings and uncollected fees; net exposure;
 * PnL by part; halts and why; recent errors. Exit 5 when nothing runs.
 */
export async function runStatus(io: CliIo, options: RunStatusOptions): Promise<ExitCode> {
  const running = resolveRunning(io, options)
  if (typeof running === 'number') return running
  // The token goes along when the token file is readable: a control server bound off loopback asks for it on /status.
  const token = readControlToken(running.paths)
  const res = await fetch(`${running.control.url}/status`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  })
  if (!res.ok) {
    io.stderr(`alp: GET /status answered ${res.status}: ${await res.text()}\n`)
    return EXIT.FAILURE
  }
  const status = (await res.json()) as DeploymentStatus
  io.stdout(options.json ? `${JSON.stringify(status)}\n` : formatStatus(status))
  return EXIT.OK
}

/**
 * The running `alp start` of the config (exit code when none: 3 bad config, 2 no role, 5 not running, printed).
 * @internal shared by alp status, kill and resume.
 */
export function resolveRunning(
  io: CliIo,
  options: {
    readonly files: readonly string[]
    readonly roles?: readonly string[] | undefined
    readonly json?: boolean | undefined
  },
): RunningDeployment | ExitCode {
  const checked = checkConfigFiles([...options.files], { env: io.env })
  if (checked.config === null) {
    io.stderr(`${checked.issues.map(formatConfigIssue).join('\n')}\n`)
    return EXIT.CONFIG_INVALID
  }
  const main = mainRoleOf(checked.config.roles, options.roles)
  if (main === undefined) {
    io.stderr('no role selected\n')
    return EXIT.USAGE
  }
  const running = findRunningDeployment(main)
  if ('notRunning' in running) {
    if (options.json) io.stdout(`${JSON.stringify({ running: false, reason: running.notRunning })}\n`)
    io.stderr(`not running: ${running.notRunning}\n`)
    return EXIT.NOT_RUNNING
  }
  return running
}

/**
 * Sends one control action (`POST /kill|/resume`) with the token of the token file. Returns the HTTP status and the
 * JSON answer.
 * @internal shared by alp kill and resume.
 */
export async function postControl(
  running: RunningDeployment,
  action: 'kill' | 'resume' | 'stop',
  body: { reason?: string | undefined; timeoutMs?: number | undefined },
): Promise<{ status: number; answer: Record<string, unknown> }> {
  const token = readControlToken(running.paths)
  const res = await fetch(`${running.control.url}/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, answer: (await res.json()) as Record<string, unknown> }
}

const num = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits)

const age = (ms: number | null): string =>
  ms === null
    ? '-'
    : ms < 10_000
      ? `${Math.round(ms)}ms`
      : ms < 600_000
        ? `${(ms / 1000).toFixed(1)}s`
        : `${(ms / 60_000).toFixed(1)}m`

/** The status as text, one block per part. */
export function formatStatus(status: DeploymentStatus): string {
  const lines: string[] = []
  const p = status.process
  lines.push(
    `${p.name} (pid ${p.pid}, run ${p.runId ?? '-'}, up ${age(p.uptimeMs)}): ${p.roles.map((r) => r.instance).join(', ')}`,
  )
  if (status.killed !== null)
    lines.push(`KILLED: ${status.killed.reason}${status.killed.detail === null ? '' : ` (${status.killed.detail})`}`)
  for (const halt of status.halts)
    if (halt.scope !== 'all')
      lines.push(
        `halt ${halt.scope}: ${halt.reason} since ${new Date(halt.sinceMs).toISOString()}${halt.detail === null ? '' : ` (${halt.detail})`}`,
      )
  for (const venue of status.venues) lines.push('', ...formatVenue(venue))
  const lp = status.lp
  if (lp !== null) {
    lines.push('', `LP ${lp.instance}${lp.killed ? ' (KILLED: not stepping)' : ''}`)
    for (const range of lp.ranges)
      lines.push(
        `  range ${range.role} #${range.tokenId}: ticks [${range.tickLower}, ${range.tickUpper}] liquidity ${range.liquidity}`,
      )
    if (lp.rangeHintBps !== null) lines.push(`  range hint ±${num(lp.rangeHintBps, 0)} bps`)
    if (lp.holdings !== null)
      lines.push(
        `  holdings ${lp.holdings.base} base + ${lp.holdings.quote} quote = ${lp.holdings.valueUsd} USD, base share ${num(lp.holdings.baseShare, 4)} (target ${num(lp.holdings.targetBaseShare, 4)})`,
      )
    if (lp.uncollectedFees !== null)
      lines.push(`  uncollected fees ${lp.uncollectedFees.base} base, ${lp.uncollectedFees.quote} quote`)
    if (lp.managerError !== null) lines.push(`  manager: ${lp.managerError}`)
  }
  const e = status.exposure
  if (e !== null)
    lines.push(
      '',
      `net exposure ${num(e.netBase, 4)} base (${num(e.netUsd)} USD): LP deviation ${num(e.lpDeviationBase, 4)}, CEX ${num(e.cexPositionBase, 4)}, target ${num(e.targetNetBase, 4)}${e.lpSeen ? '' : ' — no LP inventory yet'}`,
    )
  const pnl = status.pnl
  lines.push(
    `PnL ${num(pnl.totalUsd)} USD: LP fees ${num(pnl.lpFeesUsd)}, IL ${num(pnl.impermanentLossUsd)}, gas ${num(pnl.gasUsd)}, hedge ${num(pnl.hedgeUsd)}, fees paid ${num(pnl.feesPaidUsd)}`,
  )
  if (status.recentErrors.length > 0) {
    lines.push('', `recent errors (${status.errorsTotal} in all):`)
    for (const error of status.recentErrors.slice(-10))
      lines.push(
        `  ${new Date(error.atMs).toISOString()} ${error.role}${error.venue === null ? '' : `/${error.venue}`}: ${error.message}`,
      )
  }
  return `${lines.join('\n')}\n`
}

function formatVenue(venue: VenueStatus): string[] {
  const lines = [
    `${venue.venue}${venue.symbol === null ? '' : ` ${venue.symbol}`}: ${venue.connected ? '' : 'DISCONNECTED, '}${venue.quoting}`,
  ]
  const book = venue.book
  lines.push(
    book === null
      ? '  book: none yet'
      : `  bid ${book.bidPrice} x ${book.bidSize} | ask ${book.askPrice} x ${book.askSize} | mid ${num(book.midPrice, 4)}`,
  )
  if (venue.market !== null)
    lines.push(
      `  market without our orders: bid ${venue.market.bidPrice} | ask ${venue.market.askPrice} (last update ${age(venue.market.ageMs)} ago)`,
    )
  lines.push(
    venue.model === null
      ? `  model: ${venue.modelStatus ?? '-'}`
      : `  reservation price ${num(venue.model.reservationPrice, 4)}, optimal spread ${num(venue.model.optimalSpread, 4)} (${num(venue.model.optimalSpreadBps, 1)} bps)`,
  )
  const w = venue.warmUp
  if (!w.ready)
    lines.push(
      `  warm-up: volatility ${w.volatility.ready ? 'ready' : `${w.volatility.increments}/${w.volatility.neededIncrements} increments, ${age(w.volatility.historyMs)}/${age(w.volatility.neededHistoryMs)}`}; intensity ${w.intensity.ready ? 'ready' : w.intensity.status}`,
    )
  lines.push(
    `  position ${num(venue.positionBase, 4)} base; fills ${venue.hedge.fills}, quotes ${venue.hedge.quotes}, hedge PnL ${num(venue.hedge.pnlQuote)}`,
  )
  if (venue.halt !== null) lines.push(`  halted: ${venue.halt}`)
  if (venue.orders.length === 0) lines.push('  orders: none')
  for (const order of venue.orders)
    lines.push(
      `  ${order.side.padEnd(4)} ${order.size} @ ${order.price}${order.filled === '0' || /^0\.?0*$/.test(order.filled) ? '' : ` (filled ${order.filled})`} age ${age(order.ageMs)}${order.pending === null ? '' : ` [${order.pending} pending]`}${order.unknown ? ' [unknown]' : ''} ${order.clientOrderId}`,
    )
  return lines
}
