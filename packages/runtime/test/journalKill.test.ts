import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { Journal } from '../src/journal/Journal.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-journal-kill-'))

/**
 * A child process appends steps as fast as it can (each: one fill event and three commands, in one transaction) from the
 * built package, until it is SIGKILLed. The journal it leaves must hold whole steps only, no fill twice, and open again.
 */
const CHILD = `
import { Journal } from ${JSON.stringify(join(import.meta.dirname, '..', 'dist', 'index.js'))}
const journal = new Journal(process.argv[1])
const runId = journal.startRun({ processName: 'trader', startedMs: 1 })
for (let i = 1; ; i++) {
  const tsNs = BigInt(i) * 1000n
  journal.appendStep(runId, { type: 'fill', tsNs, venue: 'binance', clientOrderId: 'c' + i, tradeId: 'T' + (i % 50), side: 'buy', priceTicks: 300000, sizeLots: 1, feeQuote: '0.01' }, [
    { type: 'cancelOrder', tsNs, venue: 'binance', clientOrderId: 'a' + i },
    { type: 'requestOpenOrders', tsNs, venue: 'binance' },
    { type: 'lookupOrder', tsNs, venue: 'binance', clientOrderId: 'b' + i },
  ])
  if (i === 300) process.stdout.write('300\\n')
}
`

describe('journal under SIGKILL', () => {
  test('a writer killed mid-stream leaves whole steps only and a journal that opens and appends again', async () => {
    const path = join(dir, 'journal.sqlite')
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('300')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)))
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const raw = new Database(path, { readonly: true })
    const perStep = raw
      .prepare(
        `SELECT step, SUM(direction = 'event') AS events, SUM(direction = 'command') AS commands FROM messages GROUP BY step ORDER BY step`,
      )
      .all() as { step: number; events: number; commands: number }[]
    raw.close()
    expect(perStep.length).toBeGreaterThanOrEqual(300)
    expect(perStep.every((s, i) => s.step === i + 1 && s.events === 1 && s.commands === 3)).toBe(true)
    const journal = new Journal(path)
    try {
      // Trade ids repeat every 50 steps: each counted once.
      expect(journal.fills().length).toBe(50)
      const [run] = journal.runs()
      expect(journal.steps(run?.runId as string)).toHaveLength(perStep.length)
      const next = journal.appendStep(run?.runId as string, { type: 'timer', tsNs: 1n }, [])
      expect(next).toBe(perStep.length + 1)
    } finally {
      journal.close()
    }
  })
})
