import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../src/observability/metrics.js'

// examples/monitoring: the Prometheus alert rules and the Grafana dashboard name only metrics `alp start` serves, with
// functions that fit their types (rate/increase on counters and histogram buckets, histogram_quantile on buckets).
const dir = join(import.meta.dirname, '..', '..', '..', 'examples', 'monitoring')
const defined = new Map<string, string>()
for (const metric of await createMetrics().registry.getMetricsAsJSON()) defined.set(metric.name, String(metric.type))

type Use = { expr: string; metric: string; series: string }
function usesOf(expr: string): Use[] {
  return [...expr.matchAll(/\balp_[a-z0-9_]+/g)].map((m) => {
    const series = m[0]
    return { expr, series, metric: series.replace(/_(bucket|sum|count)$/, '') }
  })
}
function check(exprs: readonly string[]): string[] {
  const problems: string[] = []
  for (const expr of exprs)
    for (const use of usesOf(expr)) {
      const type = defined.get(use.metric) ?? defined.get(use.series)
      if (type === undefined) {
        problems.push(`${use.series}: not a metric of createMetrics() (in ${expr})`)
        continue
      }
      const inRate = new RegExp(`(rate|increase)\\(${use.series}[{\\[]`).test(expr)
      if (inRate && !(type === 'counter' || (type === 'histogram' && use.series.endsWith('_bucket'))))
        problems.push(`${use.series}: rate/increase of a ${type} (in ${expr})`)
      if (use.series.endsWith('_bucket') && type !== 'histogram') problems.push(`${use.series}: _bucket of a ${type}`)
      if (type === 'histogram' && use.series === use.metric)
        problems.push(`${use.series}: a histogram needs _bucket/_sum/_count`)
    }
  return problems
}

describe('examples/monitoring', () => {
  it('every alert rule names metrics the runtime defines, with functions that fit their types', () => {
    const text = readFileSync(join(dir, 'alerts.yml'), 'utf8')
    const exprs = [...text.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1] as string)
    const alerts = [...text.matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1])
    expect(alerts).toEqual([
      'AlpProcessDown',
      'AlpKillSwitch',
      'AlpVenueHalted',
      'AlpFeedLagHigh',
      'AlpBusLagHigh',
      'AlpNetExposureHigh',
      'AlpLoss',
      'AlpNoQuotes',
      'AlpRoleErrors',
    ])
    expect(exprs).toHaveLength(alerts.length)
    expect(check(exprs)).toEqual([])
    expect(readFileSync(join(dir, 'prometheus.yml'), 'utf8')).toMatch(/rule_files:\n\s+- alerts\.yml/)
  })

  it('the Grafana dashboard is valid JSON whose every panel query names metrics the runtime defines', () => {
    const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[]
    }
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10)
    expect(check(exprs)).toEqual([])
    // Every metric of the runtime is on the dashboard.
    const shown = new Set(exprs.flatMap((expr) => usesOf(expr).map((use) => use.metric)))
    expect([...defined.keys()].filter((name) => !shown.has(name))).toEqual([])
  })

  it('the checker catches a misspelled metric and a rate of a gauge', () => {
    expect(check(['alp_net_exposur_base > 1', 'rate(alp_open_orders[5m]) > 0'])).toEqual([
      'alp_net_exposur_base: not a metric of createMetrics() (in alp_net_exposur_base > 1)',
      'alp_open_orders: rate/increase of a gauge (in rate(alp_open_orders[5m]) > 0)',
    ])
  })
})
