// The ESM and the CJS build of @alp/venue-sim loaded in one process (as a dual-format app or a bundler can): an error
// thrown by one build must match the classes of the other. Needs the package built (tests import dist/).
// VenueSimError is not exported by name; it is reached as the parent class of ChainRpcError.
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import * as esm from '../dist/index.js'

const cjs: typeof esm = createRequire(import.meta.url)('../dist/index.cjs')
type RootClass = new (shortMessage: string, parameters: { code: string }) => Error & { code: string }
const esmRoot: RootClass = Object.getPrototypeOf(esm.ChainRpcError)
const cjsRoot: RootClass = Object.getPrototypeOf(cjs.ChainRpcError)

describe('errors across module formats', () => {
  test('the two builds hold two copies of each class', () => {
    expect(esmRoot.name).toBe('VenueSimError')
    expect(cjsRoot.name).toBe('VenueSimError')
    expect(cjsRoot).not.toBe(esmRoot)
    expect(cjs.ChainRpcError).not.toBe(esm.ChainRpcError)
  })

  test('VenueSimError and ChainRpcError thrown by the CJS build match the ESM classes', () => {
    const root = new cjsRoot('Failed.', { code: 'TEST' })
    const sub = new cjs.ChainRpcError({ method: 'eth_call' })
    expect(root instanceof esmRoot).toBe(true)
    expect(sub instanceof esm.ChainRpcError).toBe(true)
    expect(sub instanceof esmRoot).toBe(true)
    expect(sub instanceof Error).toBe(true)
  })

  test('VenueSimError and ChainRpcError thrown by the ESM build match the CJS classes', () => {
    const root = new esmRoot('Failed.', { code: 'TEST' })
    const sub = new esm.ChainRpcError({ method: 'eth_call' })
    expect(root instanceof cjsRoot).toBe(true)
    expect(sub instanceof cjs.ChainRpcError).toBe(true)
    expect(sub instanceof cjsRoot).toBe(true)
  })

  test('unrelated classes still do not match', () => {
    const sibling = new cjs.InvalidPoolParametersError({ field: 'fee', value: '7', reason: 'not a fee tier' })
    const root = new cjsRoot('Failed.', { code: 'TEST' })
    expect(root instanceof esm.ChainRpcError).toBe(false)
    expect(sibling instanceof esm.ChainRpcError).toBe(false)
    expect(sibling instanceof esmRoot).toBe(true)
    expect(new Error('plain') instanceof esmRoot).toBe(false)
    expect(new Error('plain') instanceof cjs.ChainRpcError).toBe(false)
  })

  test('name, code and shortMessage are kept by the CJS build', () => {
    const sub = new cjs.ChainRpcError({ method: 'eth_call' })
    expect(sub.name).toBe('ChainRpcError')
    expect(sub.code).toBe(new esm.ChainRpcError({ method: 'eth_call' }).code)
    expect(sub.shortMessage).toBe(new esm.ChainRpcError({ method: 'eth_call' }).shortMessage)
  })
})
