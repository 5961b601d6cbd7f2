// The ESM and the CJS build of @alp/uniswap-lp loaded in one process (as a dual-format app or a bundler can): an error
// thrown by one build must match the classes of the other. Needs the package built (tests import dist/).
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

const cjs: typeof esm = createRequire(import.meta.url)('../dist/index.cjs')

describe('errors across module formats', () => {
  test('the two builds hold two copies of each class', () => {
    expect(cjs.UniswapLpError).not.toBe(esm.UniswapLpError)
    expect(cjs.TickOrderError).not.toBe(esm.TickOrderError)
  })

  test('UniswapLpError and TickOrderError thrown by the CJS build match the ESM classes', () => {
    const root = new cjs.UniswapLpError('Failed.', { code: 'TEST' })
    const sub = new cjs.TickOrderError({ tickLower: 10, tickUpper: 0 })
    expect(root instanceof esm.UniswapLpError).toBe(true)
    expect(sub instanceof esm.TickOrderError).toBe(true)
    expect(sub instanceof esm.UniswapLpError).toBe(true)
    expect(sub instanceof Error).toBe(true)
  })

  test('UniswapLpError and TickOrderError thrown by the ESM build match the CJS classes', () => {
    const root = new esm.UniswapLpError('Failed.', { code: 'TEST' })
    const sub = new esm.TickOrderError({ tickLower: 10, tickUpper: 0 })
    expect(root instanceof cjs.UniswapLpError).toBe(true)
    expect(sub instanceof cjs.TickOrderError).toBe(true)
    expect(sub instanceof cjs.UniswapLpError).toBe(true)
  })

  test('unrelated classes still do not match', () => {
    const sibling = new cjs.InvalidParameterError({ field: 'width', value: -1, rule: '> 0' })
    const root = new cjs.UniswapLpError('Failed.', { code: 'TEST' })
    expect(root instanceof esm.TickOrderError).toBe(false)
    expect(sibling instanceof esm.TickOrderError).toBe(false)
    expect(sibling instanceof esm.UniswapLpError).toBe(true)
    expect(new Error('plain') instanceof esm.UniswapLpError).toBe(false)
    expect(new Error('plain') instanceof cjs.TickOrderError).toBe(false)
  })

  test('name, code and shortMessage are kept by the CJS build', () => {
    const sub = new cjs.TickOrderError({ tickLower: 10, tickUpper: 0 })
    expect(sub.name).toBe('TickOrderError')
    expect(sub.code).toBe(new esm.TickOrderError({ tickLower: 10, tickUpper: 0 }).code)
    expect(sub.shortMessage).toBe(new esm.TickOrderError({ tickLower: 10, tickUpper: 0 }).shortMessage)
  })
})
