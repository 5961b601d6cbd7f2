import Table from 'cli-table3'
import type { Reproduction } from './runReproduction.js'

const METRIC_LABELS = {
  meanProfit: 'profit',
  averageSpread: 'avg spread',
  stdProfit: 'std(profit)',
  stdFinalQ: 'std(q_T)',
} as const

/** The reproduction as a table: for each γ and strategy, our Monte Carlo row above the published row. */
export function formatReproductionTable(reproduction: Reproduction, { color }: { color: boolean }): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[39m` : text)
  const table = new Table({
    head: ['γ', 'strategy', 'source', 'avg spread', 'profit', 'std(profit)', 'mean q_T', 'std(q_T)', '§1.4 check'],
    colAligns: ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  })
  for (const { published, simulated, acceptance } of reproduction.rows) {
    const failed = acceptance.checks.filter((c) => !c.ok).map((c) => METRIC_LABELS[c.metric])
    const mark = acceptance.ok ? paint(32, '✓ within') : paint(31, `✗ ${failed.join(', ')}`)
    table.push(
      [
        String(published.gammaPerPrice),
        published.strategy,
        `ours (seed ${reproduction.seed})`,
        simulated.averageSpread.toFixed(4),
        simulated.meanProfit.toFixed(2),
        simulated.stdProfit.toFixed(2),
        simulated.meanFinalQ.toFixed(2),
        simulated.stdFinalQ.toFixed(2),
        mark,
      ],
      [
        '',
        '',
        'QF 2008',
        published.averageSpread.toFixed(2),
        published.meanProfit.toFixed(1),
        published.stdProfit.toFixed(1),
        published.meanFinalQ.toFixed(2),
        published.stdFinalQ.toFixed(1),
        '',
      ],
    )
  }
  return table.toString()
}
