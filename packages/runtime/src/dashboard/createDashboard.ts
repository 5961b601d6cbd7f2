import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DeploymentStatus } from '../control/deploymentStatus.js'
import type { DashboardSample } from './buildDashboardSample.js'
import type { DashboardJournal } from './createJournalReader.js'
import { renderDashboardHtml } from './renderDashboardHtml.js'

/** One server-sent `update` event: the status document (as `alp status --json`), the chart point, the journal. */
export type DashboardUpdate = {
  /** 1, 2, 3, … per dashboard. */
  readonly seq: number
  /** When the server sent it (UNIX ms): the page measures its render lag against it. */
  readonly sentMs: number
  readonly status: DeploymentStatus
  readonly sample: DashboardSample
  readonly journal: DashboardJournal | null
}

export type CreateDashboardParameters = {
  /** The status document, as `GET /status` serves it. */
  readonly status: () => DeploymentStatus
  /** The chart point of a status. */
  readonly sample: (status: DeploymentStatus) => DashboardSample
  /** The journal's last fills and rebalances (null without a journal). */
  readonly journal?: (() => DashboardJournal | null) | undefined
  /** How often a chart point is taken and an update sent, ms (default 1000). 0: only on {@link Dashboard.publish}. */
  readonly intervalMs?: number | undefined
  /** Chart points kept for a page that connects later (default 900: 15 min at 1 s). */
  readonly historySize?: number | undefined
  readonly nowMs?: (() => number) | undefined
}

/** What the control server serves of the dashboard. */
export type DashboardRoutes = {
  /** `GET /` and `GET /dashboard`: the page (static; no data, no token in it). */
  servePage(req: IncomingMessage, res: ServerResponse): void
  /** `GET /events`: the server-sent event stream (`history` once, then one `update` per interval). */
  serveEvents(req: IncomingMessage, res: ServerResponse): void
}

export type Dashboard = DashboardRoutes & {
  /** Builds an update now and sends it to every page connected. Returns it. */
  publish(): DashboardUpdate
  /** Pages connected now. */
  readonly clients: number
  /** Updates not sent to a page because it had not read the previous ones yet (it fell behind), or not built. */
  readonly skipped: number
  /** Ends every stream and stops the timer. */
  close(): void
}

/** A page that has not read this much of the stream is behind: updates to it are skipped until it catches up. */
const MAX_BUFFERED_BYTES = 1 << 20

/**
 * The operator's dashboard of a running deployment: the page ({@link renderDashboardHtml}) and its server-sent event
 * stream. Every `intervalMs` an update is built from the status (from the start, watched or not: a timer that does not
 * keep the process alive) and sent to the pages connected, with the journal's last rows; the chart points are kept
 * (`historySize`) and sent once to a page that connects, so its charts start with the recent past. The stream carries
 * the status document and journal rows only: no key, no token. {@link Dashboard.close} stops the timer.
 */
export function createDashboard(parameters: CreateDashboardParameters): Dashboard {
  const nowMs = parameters.nowMs ?? Date.now
  const intervalMs = parameters.intervalMs ?? 1_000
  const historySize = parameters.historySize ?? 900
  const history: DashboardSample[] = []
  const clients = new Set<ServerResponse>()
  let seq = 0
  let skipped = 0
  let timer: NodeJS.Timeout | null = null
  let page: string | null = null

  const build = (): DashboardUpdate => {
    const status = parameters.status()
    const sample = parameters.sample(status)
    history.push(sample)
    if (history.length > historySize) history.splice(0, history.length - historySize)
    seq++
    // The journal is read only for a page that shows it.
    const journal = clients.size > 0 || parameters.journal === undefined ? (parameters.journal?.() ?? null) : null
    return { seq, sentMs: nowMs(), status, sample, journal }
  }
  const write = (res: ServerResponse, event: string, data: unknown): void => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      skipped++
      return
    }
    res.write(`event: ${event}\ndata: ${stringify(data)}\n\n`)
  }
  const publish = (): DashboardUpdate => {
    const update = build()
    for (const res of clients) write(res, 'update', { ...update, sentMs: nowMs() })
    return update
  }
  // Sampled from the start, watched or not: a page that opens later gets the charts' recent past.
  if (intervalMs > 0) {
    timer = setInterval(() => {
      try {
        publish()
      } catch {
        // The status could not be built (roles stopping): this point is skipped, never the process's end.
        skipped++
      }
    }, intervalMs)
    timer.unref()
  }

  return {
    servePage(_req, res) {
      page ??= renderDashboardHtml()
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // Inline script and style only; the page talks to its own origin and nothing else.
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      })
      res.end(page)
    },
    serveEvents(req, res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
      })
      res.write('retry: 1000\n\n')
      clients.add(res)
      const update = build()
      write(res, 'history', { samples: history })
      write(res, 'update', update)
      const drop = (): void => {
        clients.delete(res)
      }
      req.on('close', drop)
      res.on('close', drop)
    },
    publish,
    get clients() {
      return clients.size
    },
    get skipped() {
      return skipped
    },
    close() {
      if (timer !== null) clearInterval(timer)
      timer = null
      for (const res of clients) res.end()
      clients.clear()
    },
  }
}

/** JSON with bigints as decimal strings (as the control server answers). */
function stringify(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
}
