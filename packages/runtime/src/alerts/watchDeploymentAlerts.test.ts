import { describe, expect, it } from 'vitest'
import type { DeploymentStatus } from '../control/deploymentStatus.js'
import type { Alert } from './createWebhookAlerter.js'
import { watchDeploymentAlerts } from './watchDeploymentAlerts.js'

type Mutable = {
  nowMs: number
  killed: DeploymentStatus['killed']
  halts: { scope: string; reason: string; sinceMs: number; detail: string | null }[]
  venues: { venue: string; connected: boolean; quoting: string }[]
  pnl: { totalUsd: number }
  recentErrors: { atMs: number; role: string; venue: string | null; message: string }[]
  errorsTotal: number
}

/** A status the test moves by hand (only the fields the watch reads). */
function fakeStatus(): { s: Mutable; read: () => DeploymentStatus; error(role: string, message: string): void } {
  const s: Mutable = {
    nowMs: 1_000_000,
    killed: null,
    halts: [],
    venues: [{ venue: 'binance-usdm', connected: true, quoting: 'quoting' }],
    pnl: { totalUsd: 0 },
    recentErrors: [],
    errorsTotal: 0,
  }
  return {
    s,
    read: () => s as unknown as DeploymentStatus,
    error(role, message) {
      s.recentErrors.push({ atMs: s.nowMs, role, venue: null, message })
      s.errorsTotal += 1
    },
  }
}

function watch(options: { downAfterMs?: number; lossUsd?: number } = {}) {
  const status = fakeStatus()
  const alerts: Alert[] = []
  const w = watchDeploymentAlerts({
    status: status.read,
    alerter: { alert: (alert) => (alerts.push(alert), 'sent') },
    intervalMs: 3_600_000,
    ...options,
  })
  return { ...status, alerts, check: w.check, stop: w.stop, kinds: () => alerts.map((a) => a.kind) }
}

describe('watchDeploymentAlerts', () => {
  it('the kill switch alerts once when latched and once when released', () => {
    const t = watch()
    t.check()
    t.s.killed = { reason: 'operatorKill', sinceMs: t.s.nowMs, detail: 'alp kill' }
    t.s.halts = [{ scope: 'all', reason: 'operatorKill', sinceMs: t.s.nowMs, detail: null }]
    t.check()
    t.check()
    t.s.killed = null
    t.s.halts = []
    t.check()
    expect(t.alerts.map((a) => [a.kind, a.severity, a.title])).toEqual([
      ['kill', 'critical', 'kill switch latched: operatorKill (alp kill); every order is being cancelled'],
      ['resume', 'info', 'kill switch released: quoting again'],
    ])
    t.stop()
  })

  it('a venue halt alerts when it starts, and again only after it cleared and came back', () => {
    const t = watch()
    t.check()
    const halt = { scope: 'binance-usdm', reason: 'staleMarketData', sinceMs: 0, detail: null }
    t.s.halts = [halt]
    t.check()
    t.check()
    t.s.halts = []
    t.check()
    t.s.halts = [halt]
    t.check()
    expect(t.alerts.map((a) => [a.kind, a.key, a.title])).toEqual([
      ['halt', 'halt:binance-usdm:staleMarketData', 'binance-usdm: quoting halted (staleMarketData)'],
      ['halt', 'halt:binance-usdm:staleMarketData', 'binance-usdm: quoting halted (staleMarketData)'],
    ])
    t.stop()
  })

  it('a venue disconnected alerts once it has been down for downAfterMs, not before', () => {
    const t = watch({ downAfterMs: 60_000 })
    t.s.venues[0] = { venue: 'binance-usdm', connected: false, quoting: 'disconnected' }
    t.check()
    t.s.nowMs += 59_000
    t.check()
    expect(t.alerts).toEqual([])
    t.s.nowMs += 1_000
    t.check()
    t.s.nowMs += 30_000
    t.check()
    expect(t.alerts.map((a) => [a.kind, a.title])).toEqual([
      ['venue-down', 'binance-usdm: disconnected for 60 s (disconnected)'],
    ])
    // Back, then down again briefly: nothing more.
    t.s.venues[0] = { venue: 'binance-usdm', connected: true, quoting: 'quoting' }
    t.check()
    t.s.venues[0] = { venue: 'binance-usdm', connected: false, quoting: 'disconnected' }
    t.s.nowMs += 10_000
    t.check()
    expect(t.alerts).toHaveLength(1)
    t.stop()
  })

  it('the LP manager failing every step for downAfterMs is an RPC-down alert; a failed rebalance alerts at once', () => {
    const t = watch({ downAfterMs: 30_000 })
    t.check()
    for (let i = 0; i < 20; i++) {
      t.s.nowMs += 2_000
      t.error('lp-manager', 'JsonRpcError: connect ECONNREFUSED 127.0.0.1:8545')
      t.check()
    }
    expect(t.kinds()).toEqual(['rpc-down'])
    expect(t.alerts[0]?.title).toBe(
      'LP manager failing every step for 30 s (RPC or chain down?): the LP inventory is stale',
    )
    // A gap in the failures ends the streak; a rebalance failure alerts by itself.
    t.s.nowMs += 60_000
    t.check()
    t.error('lp-manager', 'MAX_FEE_EXCEEDED: the rebalance would pay 250 gwei per gas, above the 100 gwei cap')
    t.check()
    t.error('trader', 'rebalance of something else') // another role: not an LP failure
    t.check()
    expect(t.kinds()).toEqual(['rpc-down', 'rebalance-failed'])
    t.stop()
  })

  it('PnL below −lossUsd alerts once per excursion; lossUsd 0 never alerts', () => {
    const t = watch({ lossUsd: 100 })
    t.s.pnl.totalUsd = -99
    t.check()
    t.s.pnl.totalUsd = -101.234
    t.check()
    t.s.pnl.totalUsd = -150
    t.check()
    t.s.pnl.totalUsd = -50
    t.check()
    t.s.pnl.totalUsd = -120
    t.check()
    expect(t.alerts.map((a) => a.title)).toEqual([
      'PnL -101.23 USD, beyond the −100 USD threshold',
      'PnL -120.00 USD, beyond the −100 USD threshold',
    ])
    const off = watch()
    off.s.pnl.totalUsd = -1e9
    off.check()
    expect(off.alerts).toEqual([])
    t.stop()
    off.stop()
  })
})
