// The ESM and the CJS build of @alp/backtest loaded in one process (as a dual-format app or a bundler can): an error
// thrown by one build must match the classes of the other. Needs the package built (tests import dist/).
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

const cjs: typeof esm = createRequire(import.meta.url)('../dist/index.cjs')

describe('errors across module formats', () => {
  test('the two builds hold two copies of each class', () => {
    expect(cjs.BacktestError).not.toBe(esm.BacktestError)
    expect(cjs.MissingModelError).not.toBe(esm.MissingModelError)
  })

  test('BacktestError and MissingModelError thrown by the CJS build match the ESM classes', () => {
    const root = new cjs.BacktestError('Failed.', { code: 'TEST' })
    const sub = new cjs.MissingModelError({ field: 'models.queue', choices: ['riskAverse'] })
    expect(root instanceof esm.BacktestError).toBe(true)
    expect(sub instanceof esm.MissingModelError).toBe(true)
    expect(sub instanceof esm.BacktestError).toBe(true)
    expect(sub instanceof Error).toBe(true)
  })

  test('BacktestError and MissingModelError thrown by the ESM build match the CJS classes', () => {
    const root = new esm.BacktestError('Failed.', { code: 'TEST' })
    const sub = new esm.MissingModelError({ field: 'models.queue', choices: ['riskAverse'] })
    expect(root instanceof cjs.BacktestError).toBe(true)
    expect(sub instanceof cjs.MissingModelError).toBe(true)
    expect(sub instanceof cjs.BacktestError).toBe(true)
  })

  test('unrelated classes still do not match', () => {
    const sibling = new cjs.InvalidConfigError({ field: 'pool.feePips', value: '7', rule: 'a fee tier' })
    const root = new cjs.BacktestError('Failed.', { code: 'TEST' })
    expect(root instanceof esm.MissingModelError).toBe(false)
    expect(sibling instanceof esm.MissingModelError).toBe(false)
    expect(sibling instanceof esm.BacktestError).toBe(true)
    expect(new Error('plain') instanceof esm.BacktestError).toBe(false)
    expect(new Error('plain') instanceof cjs.MissingModelError).toBe(false)
  })

  test('name, code and shortMessage are kept by the CJS build', () => {
    const sub = new cjs.MissingModelError({ field: 'models.queue', choices: ['riskAverse'] })
    expect(sub.name).toBe('MissingModelError')
    expect(sub.code).toBe(new esm.MissingModelError({ field: 'models.queue', choices: ['riskAverse'] }).code)
    expect(sub.shortMessage).toBe(
      new esm.MissingModelError({ field: 'models.queue', choices: ['riskAverse'] }).shortMessage,
    )
  })
})
