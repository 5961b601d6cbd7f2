// The ESM and the CJS build of @alp/hedger loaded in one process (as a dual-format app or a bundler can): an error
// thrown by one build must match the classes of the other. Needs the package built (tests import dist/).
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

const cjs: typeof esm = createRequire(import.meta.url)('../dist/index.cjs')

describe('errors across module formats', () => {
  test('the two builds hold two copies of each class', () => {
    expect(cjs.HedgerError).not.toBe(esm.HedgerError)
    expect(cjs.InvalidMessageError).not.toBe(esm.InvalidMessageError)
  })

  test('HedgerError and InvalidMessageError thrown by the CJS build match the ESM classes', () => {
    const root = new cjs.HedgerError('Failed.', { code: 'TEST' })
    const sub = new cjs.InvalidMessageError({ field: 'q', value: 'x', rule: 'a number' })
    expect(root instanceof esm.HedgerError).toBe(true)
    expect(sub instanceof esm.InvalidMessageError).toBe(true)
    expect(sub instanceof esm.HedgerError).toBe(true)
    expect(sub instanceof Error).toBe(true)
  })

  test('HedgerError and InvalidMessageError thrown by the ESM build match the CJS classes', () => {
    const root = new esm.HedgerError('Failed.', { code: 'TEST' })
    const sub = new esm.InvalidMessageError({ field: 'q', value: 'x', rule: 'a number' })
    expect(root instanceof cjs.HedgerError).toBe(true)
    expect(sub instanceof cjs.InvalidMessageError).toBe(true)
    expect(sub instanceof cjs.HedgerError).toBe(true)
  })

  test('unrelated classes still do not match', () => {
    const sibling = new cjs.InvalidConfigError({ field: 'venues', value: [], rule: 'non-empty' })
    const root = new cjs.HedgerError('Failed.', { code: 'TEST' })
    expect(root instanceof esm.InvalidMessageError).toBe(false)
    expect(sibling instanceof esm.InvalidMessageError).toBe(false)
    expect(sibling instanceof esm.HedgerError).toBe(true)
    expect(new Error('plain') instanceof esm.HedgerError).toBe(false)
    expect(new Error('plain') instanceof cjs.InvalidMessageError).toBe(false)
  })

  test('name, code and shortMessage are kept by the CJS build', () => {
    const sub = new cjs.InvalidMessageError({ field: 'q', value: 'x', rule: 'a number' })
    expect(sub.name).toBe('InvalidMessageError')
    expect(sub.code).toBe(new esm.InvalidMessageError({ field: 'q', value: 'x', rule: 'a number' }).code)
    expect(sub.shortMessage).toBe(
      new esm.InvalidMessageError({ field: 'q', value: 'x', rule: 'a number' }).shortMessage,
    )
  })
})
