import { describe, expect, it } from 'vitest'
import { createProgressReporter } from './createProgressReporter.js'

function sink() {
  const lines: string[] = []
  return { stream: { isTTY: false, write: (text: string) => lines.push(text) }, lines }
}

describe('createProgressReporter without a TTY', () => {
  it('prints a line at each 10 % step and a closing line', () => {
    const { stream, lines } = sink()
    let now = 0
    const progress = createProgressReporter({
      label: 'backtest',
      total: 1000,
      unit: 'events',
      stream,
      nowMs: () => now,
    })
    for (let n = 50; n <= 1000; n += 50) {
      now += 100
      progress.update(n)
    }
    progress.finish(1000)
    expect(lines).toEqual([
      'backtest: 10 % (100/1,000 events, 0.2 s)\n',
      'backtest: 20 % (200/1,000 events, 0.4 s)\n',
      'backtest: 30 % (300/1,000 events, 0.6 s)\n',
      'backtest: 40 % (400/1,000 events, 0.8 s)\n',
      'backtest: 50 % (500/1,000 events, 1.0 s)\n',
      'backtest: 60 % (600/1,000 events, 1.2 s)\n',
      'backtest: 70 % (700/1,000 events, 1.4 s)\n',
      'backtest: 80 % (800/1,000 events, 1.6 s)\n',
      'backtest: 90 % (900/1,000 events, 1.8 s)\n',
      'backtest: done, 1,000 events in 2.0 s\n',
    ])
  })

  it('between steps, a line at least every intervalMs (a slow run is never silent for long)', () => {
    const { stream, lines } = sink()
    let now = 0
    const progress = createProgressReporter({ label: 'sweep', total: 100, unit: 'events', stream, nowMs: () => now })
    for (let n = 1; n <= 9; n++) {
      now += 2_000 // 18 s for the first 9 %: no 10 % step, so the 5 s clock speaks
      progress.update(n)
    }
    expect(lines).toEqual([
      'sweep: 3 % (3/100 events, 6.0 s)\n',
      'sweep: 6 % (6/100 events, 12.0 s)\n',
      'sweep: 9 % (9/100 events, 18.0 s)\n',
    ])
  })

  it('an unknown total prints the count only', () => {
    const { stream, lines } = sink()
    let now = 0
    const progress = createProgressReporter({ label: 'x', total: undefined, unit: 'rows', stream, nowMs: () => now })
    now = 6_000
    progress.update(12_345)
    expect(lines).toEqual(['x: 12,345 rows (6.0 s)\n'])
  })
})
