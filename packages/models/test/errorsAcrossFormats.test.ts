// The ESM and the CJS build of @alp/models loaded in one process (as a dual-format app or a bundler can): an error
// thrown by one build must match the classes of the other. Needs the package built (tests import dist/).
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

const cjs: typeof esm = createRequire(import.meta.url)('../dist/index.cjs')

describe('errors across module formats', () => {
  test('the two builds hold two copies of each class', () => {
    expect(cjs.ModelsError).not.toBe(esm.ModelsError)
    expect(cjs.InvalidParameterError).not.toBe(esm.InvalidParameterError)
  })

  test('ModelsError and InvalidParameterError thrown by the CJS build match the ESM classes', () => {
    const root = new cjs.ModelsError('Failed.', { code: 'TEST' })
    const sub = new cjs.InvalidParameterError({ field: 'gamma', value: -1, rule: '> 0' })
    expect(root instanceof esm.ModelsError).toBe(true)
    expect(sub instanceof esm.InvalidParameterError).toBe(true)
    expect(sub instanceof esm.ModelsError).toBe(true)
    expect(sub instanceof Error).toBe(true)
  })

  test('ModelsError and InvalidParameterError thrown by the ESM build match the CJS classes', () => {
    const root = new esm.ModelsError('Failed.', { code: 'TEST' })
    const sub = new esm.InvalidParameterError({ field: 'gamma', value: -1, rule: '> 0' })
    expect(root instanceof cjs.ModelsError).toBe(true)
    expect(sub instanceof cjs.InvalidParameterError).toBe(true)
    expect(sub instanceof cjs.ModelsError).toBe(true)
  })

  test('unrelated classes still do not match', () => {
    const sibling = new cjs.QuoteCrossesMidError({ side: 'bid', depth: -1 })
    const root = new cjs.ModelsError('Failed.', { code: 'TEST' })
    expect(root instanceof esm.InvalidParameterError).toBe(false)
    expect(sibling instanceof esm.InvalidParameterError).toBe(false)
    expect(sibling instanceof esm.ModelsError).toBe(true)
    expect(new Error('plain') instanceof esm.ModelsError).toBe(false)
    expect(new Error('plain') instanceof cjs.InvalidParameterError).toBe(false)
  })

  test('name, code and shortMessage are kept by the CJS build', () => {
    const sub = new cjs.InvalidParameterError({ field: 'gamma', value: -1, rule: '> 0' })
    expect(sub.name).toBe('InvalidParameterError')
    expect(sub.code).toBe(new esm.InvalidParameterError({ field: 'gamma', value: -1, rule: '> 0' }).code)
    expect(sub.shortMessage).toBe(
      new esm.InvalidParameterError({ field: 'gamma', value: -1, rule: '> 0' }).shortMessage,
    )
  })
})
