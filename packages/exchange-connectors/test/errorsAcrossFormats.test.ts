// The ESM and the CJS build of @alp/exchange-connectors loaded in one process (as a dual-format app or a bundler can): an error
// thrown by one build must match the classes of the other. Needs the package built (tests import dist/).
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

const cjs: typeof esm = createRequire(import.meta.url)('../dist/index.cjs')

describe('errors across module formats', () => {
  test('the two builds hold two copies of each class', () => {
    expect(cjs.ConnectorError).not.toBe(esm.ConnectorError)
    expect(cjs.SequenceGapError).not.toBe(esm.SequenceGapError)
  })

  test('ConnectorError and SequenceGapError thrown by the CJS build match the ESM classes', () => {
    const root = new cjs.ConnectorError('Failed.', { code: 'TEST', venue: 'binance', retryable: false })
    const sub = new cjs.SequenceGapError({ venue: 'deribit', symbol: 'BTC-PERPETUAL', expected: 2, got: 5 })
    expect(root instanceof esm.ConnectorError).toBe(true)
    expect(sub instanceof esm.SequenceGapError).toBe(true)
    expect(sub instanceof esm.ConnectorError).toBe(true)
    expect(sub instanceof Error).toBe(true)
  })

  test('ConnectorError and SequenceGapError thrown by the ESM build match the CJS classes', () => {
    const root = new esm.ConnectorError('Failed.', { code: 'TEST', venue: 'binance', retryable: false })
    const sub = new esm.SequenceGapError({ venue: 'deribit', symbol: 'BTC-PERPETUAL', expected: 2, got: 5 })
    expect(root instanceof cjs.ConnectorError).toBe(true)
    expect(sub instanceof cjs.SequenceGapError).toBe(true)
    expect(sub instanceof cjs.ConnectorError).toBe(true)
  })

  test('unrelated classes still do not match', () => {
    const sibling = new cjs.BookInvariantError({
      venue: 'binance',
      symbol: 'BTCUSDT',
      invariant: 'crossed',
      detail: 'bid 2 > ask 1',
    })
    const root = new cjs.ConnectorError('Failed.', { code: 'TEST', venue: 'binance', retryable: false })
    expect(root instanceof esm.SequenceGapError).toBe(false)
    expect(sibling instanceof esm.SequenceGapError).toBe(false)
    expect(sibling instanceof esm.ConnectorError).toBe(true)
    expect(new Error('plain') instanceof esm.ConnectorError).toBe(false)
    expect(new Error('plain') instanceof cjs.SequenceGapError).toBe(false)
  })

  test('name, code and shortMessage are kept by the CJS build', () => {
    const sub = new cjs.SequenceGapError({ venue: 'deribit', symbol: 'BTC-PERPETUAL', expected: 2, got: 5 })
    expect(sub.name).toBe('SequenceGapError')
    expect(sub.code).toBe(
      new esm.SequenceGapError({ venue: 'deribit', symbol: 'BTC-PERPETUAL', expected: 2, got: 5 }).code,
    )
    expect(sub.shortMessage).toBe(
      new esm.SequenceGapError({ venue: 'deribit', symbol: 'BTC-PERPETUAL', expected: 2, got: 5 }).shortMessage,
    )
  })
})
