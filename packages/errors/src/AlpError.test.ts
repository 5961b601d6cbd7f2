import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import { AlpError, sourceName } from './AlpError.js'

// A second copy of the class, as the other module format (or a second bundle) loads it: the built CJS file.
// Needs `pnpm --filter @alp/internal-errors build` (tests of every package import built dist/).
function loadCopy(): typeof import('./AlpError.js') {
  return createRequire(import.meta.url)('../dist/index.cjs')
}

function makeClasses(Base: typeof AlpError, scope: string) {
  class RootError extends Base {
    static override readonly errorScope = scope
    override name = 'RootError'
  }
  class LeafError extends RootError {
    override name = 'LeafError'
  }
  class SiblingError extends RootError {
    override name = 'SiblingError'
  }
  return { RootError, LeafError, SiblingError }
}

describe('AlpError', () => {
  test('message assembled from shortMessage, metaMessages, details and docsPath; cause kept', () => {
    const cause = new Error('socket hang up')
    const { RootError } = makeClasses(AlpError, '@alp/test')
    const error = new RootError('Request failed.', {
      code: 'REQUEST_FAILED',
      metaMessages: ['url: /x', 'Next: retry.'],
      docsPath: 'docs/x.md',
      cause,
    })
    expect(error.message).toBe('Request failed.\n\nurl: /x\nNext: retry.\n\nDetails: socket hang up\nDocs: docs/x.md')
    expect(error.name).toBe('RootError')
    expect(error.code).toBe('REQUEST_FAILED')
    expect(error.details).toBe('socket hang up')
    expect(error.cause).toBe(cause)
    expect(error.walk()).toBe(cause)
    expect(error.walk((e) => e === error)).toBe(error)
    expect(error.walk(() => false)).toBe(null)
  })

  test('details of a cause from the same package root are its details, not its whole message', () => {
    const { RootError, LeafError } = makeClasses(AlpError, '@alp/test')
    const inner = new LeafError('Inner failed.', { code: 'INNER', details: 'the reason', metaMessages: ['Next: x.'] })
    expect(new RootError('Outer.', { code: 'OUTER', cause: inner }).details).toBe('the reason')
    const other = makeClasses(AlpError, '@alp/other')
    const foreign = new other.LeafError('Foreign failed.', { code: 'F', details: 'why' })
    expect(new RootError('Outer.', { code: 'OUTER', cause: foreign }).details).toBe('Foreign failed.\n\nDetails: why')
  })

  test('instanceof across two copies of the module, both ways; false for siblings and other scopes', () => {
    const copy = loadCopy()
    expect(copy.AlpError).not.toBe(AlpError)
    const a = makeClasses(AlpError, '@alp/test')
    const b = makeClasses(copy.AlpError, '@alp/test')
    const fromB = new b.LeafError('B.', { code: 'B' })
    const fromA = new a.LeafError('A.', { code: 'A' })
    expect(fromB instanceof a.LeafError).toBe(true)
    expect(fromB instanceof a.RootError).toBe(true)
    expect(fromB instanceof AlpError).toBe(true)
    expect(fromA instanceof b.LeafError).toBe(true)
    expect(fromA instanceof b.RootError).toBe(true)
    expect(fromA instanceof copy.AlpError).toBe(true)
    expect(fromB instanceof a.SiblingError).toBe(false)
    expect(new b.RootError('R.', { code: 'R' }) instanceof a.LeafError).toBe(false)
    const other = makeClasses(AlpError, '@alp/other')
    expect(fromB instanceof other.LeafError).toBe(false)
    expect(fromB instanceof other.RootError).toBe(false)
    expect(new Error('plain') instanceof a.RootError).toBe(false)
    expect((null as unknown) instanceof a.RootError).toBe(false)
    expect({ [Symbol.for('alp.error')]: 'not a list' } instanceof a.RootError).toBe(false)
  })

  test('a class renamed by a bundler (_X, X2) in one copy still matches the other copy', () => {
    const copy = loadCopy()
    const a = makeClasses(AlpError, '@alp/test')
    const b = makeClasses(copy.AlpError, '@alp/test')
    Object.defineProperty(b.LeafError, 'name', { value: '_LeafError' })
    Object.defineProperty(b.RootError, 'name', { value: 'RootError2' })
    expect(new b.LeafError('B.', { code: 'B' }) instanceof a.LeafError).toBe(true)
    expect(new b.LeafError('B.', { code: 'B' }) instanceof a.RootError).toBe(true)
    expect(new a.LeafError('A.', { code: 'A' }) instanceof b.LeafError).toBe(true)
    expect(new a.LeafError('A.', { code: 'A' }) instanceof b.RootError).toBe(true)
    expect(new b.LeafError('B.', { code: 'B' }) instanceof a.SiblingError).toBe(false)
  })

  test('the brand is invisible to JSON.stringify, Object.keys and util.inspect', async () => {
    const { inspect } = await import('node:util')
    const { RootError } = makeClasses(AlpError, '@alp/test')
    const error = new RootError('R.', { code: 'R' })
    expect(Object.keys(error)).not.toContain(String(Symbol.for('alp.error')))
    expect(JSON.stringify(error)).not.toContain('alp.error')
    expect(inspect(error)).not.toContain('alp.error')
  })
})

describe('sourceName', () => {
  test('undoes the renames bundlers make to avoid clashes, keeps other names', () => {
    expect(sourceName('_VenueSimError')).toBe('VenueSimError')
    expect(sourceName('__VenueSimError')).toBe('VenueSimError')
    expect(sourceName('VenueSimError2')).toBe('VenueSimError')
    expect(sourceName('VenueSimError$1')).toBe('VenueSimError')
    expect(sourceName('Erc20TransferError')).toBe('Erc20TransferError')
    expect(sourceName('InvalidParameterError')).toBe('InvalidParameterError')
    expect(sourceName('a')).toBe('a')
    expect(sourceName('ErrorBoundary')).toBe('ErrorBoundary')
  })
})
