// node --test scripts/jobPool.test.mjs: the test run's job pool on small shell jobs.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { runJobPool } from './jobPool.mjs'

const work = mkdtempSync(join(tmpdir(), 'alp-job-pool-test-'))
after(() => rmSync(work, { recursive: true, force: true }))

const shell = (name, script) => ({ name, key: name, cmd: 'sh', args: ['-c', script] })

test('starts the longest expected job first, never runs more than `slots` at once, keeps the jobs order in results', async () => {
  const trace = join(work, 'trace')
  writeFileSync(trace, '')
  // Each job appends "+name" when it starts and "-name" when it ends; the file shows the overlap.
  const job = (name, sleep) => shell(name, `echo +${name} >> ${trace}; sleep ${sleep}; echo -${name} >> ${trace}`)
  const durationsFile = join(work, 'durations.json')
  writeFileSync(durationsFile, JSON.stringify({ short: 1, long: 50, middle: 10 }))
  const lines = []
  const results = await runJobPool([job('short', 0.05), job('middle', 0.1), job('long', 0.2)], {
    slots: 2,
    env: process.env,
    cwd: work,
    durationsFile,
    log: (l) => lines.push(l),
  })
  assert.deepEqual(
    results.map((r) => r.name),
    ['short', 'middle', 'long'],
  )
  const events = readFileSync(trace, 'utf8').trim().split('\n')
  assert.deepEqual(events.slice(0, 2), ['+long', '+middle'])
  let running = 0
  for (const e of events) {
    running += e.startsWith('+') ? 1 : -1
    assert.ok(running <= 2, `more than 2 jobs at once: ${events.join(' ')}`)
  }
  // The measured durations replace the hints for the next run.
  const next = JSON.parse(readFileSync(durationsFile, 'utf8'))
  assert.deepEqual(Object.keys(next).sort(), ['long', 'middle', 'short'])
  assert.ok(next.long < 50)
})

test('a failing job reports its status and its whole output; the others still run', async () => {
  const results = await runJobPool(
    [shell('bad', 'echo one; echo two >&2; exit 3'), shell('good', 'echo fine'), shell('missing', 'exit 127')],
    { slots: 1, env: process.env, cwd: work, log: () => {} },
  )
  assert.equal(results[0].ok, false)
  assert.equal(results[0].status, 3)
  assert.match(results[0].output, /one/)
  assert.match(results[0].output, /two/)
  assert.equal(results[1].ok, true)
  assert.equal(results[1].output.trim(), 'fine')
  assert.equal(results[2].status, 127)
})
