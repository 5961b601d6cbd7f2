import type { DeploymentStatus } from '../control/deploymentStatus.js'
import type { WebhookAlerter } from './createWebhookAlerter.js'

export type WatchDeploymentAlertsParameters = {
  /** The running deployment's status (`DeploymentControl.status`), read every `intervalMs`. */
  readonly status: () => DeploymentStatus
  readonly alerter: Pick<WebhookAlerter, 'alert'>
  /** A venue disconnected, or the LP manager failing every step (RPC down), this long → one alert. Default 60 000 ms. */
  readonly downAfterMs?: number | undefined
  /** PnL below −lossUsd → one alert (again only after it recovered). 0 = off. Default 0. */
  readonly lossUsd?: number | undefined
  /** The status poll, ms. Default 1000. */
  readonly intervalMs?: number | undefined
  /** Two LP-manager failures further apart than this end a streak (its steps run every few seconds). Default 15 000 ms. */
  readonly lpStreakGapMs?: number | undefined
}

export type DeploymentAlertWatch = {
  /** One poll now (the timer calls it; tests call it with their own clock in the status). */
  check(): void
  stop(): void
}

// An LP-manager failure that is a rebalance going wrong (rather than a read of the chain).
const REBALANCE_FAILURE = /rebalanc|plan|mint|burn|collect|swap|GAS_EXCEEDS_GAIN|MAX_FEE|STUCK|REVERT/i

/**
 * Turns what `alp status` shows into alerts (docs/deployment.md, "Alerts"): the kill switch latched and released, every
 * new halt, a venue disconnected for `downAfterMs`, the LP manager failing for `downAfterMs` (RPC down), a failed
 * rebalance, PnL below `−lossUsd`. Each condition alerts once when it starts (the alerter deduplicates and rate-limits
 * on top); a condition that clears and comes back alerts again. Times are the status's `nowMs`.
 */
export function watchDeploymentAlerts(parameters: WatchDeploymentAlertsParameters): DeploymentAlertWatch {
  const downAfterMs = parameters.downAfterMs ?? 60_000
  const lossUsd = parameters.lossUsd ?? 0
  const streakGapMs = parameters.lpStreakGapMs ?? 15_000
  const { alerter } = parameters
  let killed = false
  let halts = new Set<string>()
  const downSince = new Map<string, number>()
  const downAlerted = new Set<string>()
  let losing = false
  let lpStreak: { startMs: number; lastMs: number; alerted: boolean } | null = null
  let errorsSeen: number | null = null

  const check = (): void => {
    const s = parameters.status()
    const now = s.nowMs
    // The kill switch.
    if (s.killed !== null && !killed)
      alerter.alert({
        kind: 'kill',
        severity: 'critical',
        title: `kill switch latched: ${s.killed.reason}${s.killed.detail === null ? '' : ` (${s.killed.detail})`}; every order is being cancelled`,
        key: 'kill',
        details: { reason: s.killed.reason },
      })
    if (s.killed === null && killed)
      alerter.alert({ kind: 'resume', severity: 'info', title: 'kill switch released: quoting again', key: 'resume' })
    killed = s.killed !== null
    // Halts other than the kill switch.
    const nowHalts = new Set<string>()
    for (const halt of s.halts) {
      const scope = halt.scope
      const reason = halt.reason
      if (scope === 'all' && s.killed !== null) continue
      const key = `${scope}:${reason}`
      nowHalts.add(key)
      if (!halts.has(key))
        alerter.alert({
          kind: 'halt',
          severity: scope === 'all' ? 'critical' : 'warning',
          title: `${scope}: quoting halted (${reason})`,
          key: `halt:${key}`,
          details: { scope, reason },
        })
    }
    halts = nowHalts
    // Venues down for longer than the threshold.
    for (const venue of s.venues) {
      if (venue.connected) {
        downSince.delete(venue.venue)
        downAlerted.delete(venue.venue)
        continue
      }
      const since = downSince.get(venue.venue) ?? now
      downSince.set(venue.venue, since)
      if (now - since >= downAfterMs && !downAlerted.has(venue.venue)) {
        downAlerted.add(venue.venue)
        alerter.alert({
          kind: 'venue-down',
          severity: 'critical',
          title: `${venue.venue}: disconnected for ${Math.round((now - since) / 1000)} s (${venue.quoting})`,
          key: `venue-down:${venue.venue}`,
          details: { venue: venue.venue, downForMs: now - since },
        })
      }
    }
    // The LP manager's failures: a streak as long as the threshold is the chain (RPC) down; a rebalance that failed.
    const fresh =
      errorsSeen === null ? [] : s.recentErrors.slice(Math.max(0, s.recentErrors.length - (s.errorsTotal - errorsSeen)))
    errorsSeen = s.errorsTotal
    for (const error of fresh) {
      if (error.role !== 'lp-manager') continue
      if (lpStreak === null || error.atMs - lpStreak.lastMs > streakGapMs)
        lpStreak = { startMs: error.atMs, lastMs: error.atMs, alerted: false }
      else lpStreak.lastMs = error.atMs
      if (REBALANCE_FAILURE.test(error.message))
        alerter.alert({
          kind: 'rebalance-failed',
          severity: 'critical',
          title: `LP rebalance failed: ${error.message}`,
          key: 'rebalance-failed',
        })
    }
    if (lpStreak !== null && now - lpStreak.lastMs > streakGapMs) lpStreak = null
    if (lpStreak !== null && !lpStreak.alerted && lpStreak.lastMs - lpStreak.startMs >= downAfterMs) {
      lpStreak.alerted = true
      alerter.alert({
        kind: 'rpc-down',
        severity: 'critical',
        title: `LP manager failing every step for ${Math.round((lpStreak.lastMs - lpStreak.startMs) / 1000)} s (RPC or chain down?): the LP inventory is stale`,
        key: 'rpc-down',
      })
    }
    // Loss.
    if (lossUsd > 0) {
      const below = s.pnl.totalUsd < -lossUsd
      if (below && !losing)
        alerter.alert({
          kind: 'loss',
          severity: 'critical',
          title: `PnL ${s.pnl.totalUsd.toFixed(2)} USD, beyond the −${lossUsd} USD threshold`,
          key: 'loss',
          details: { totalUsd: Number(s.pnl.totalUsd.toFixed(2)) },
        })
      losing = below
    }
  }
  const timer = setInterval(() => {
    try {
      check()
    } catch {
      // A status that cannot be built now (a role stopping) is read again on the next poll.
    }
  }, parameters.intervalMs ?? 1_000)
  timer.unref()
  return { check, stop: () => clearInterval(timer) }
}
