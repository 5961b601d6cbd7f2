// Issue #12: a name exported by two packages must be the same object, or one side renamed with a deprecated alias.
// Here: @alp/models ↔ @alp/uniswap-lp and @alp/exchange-connectors ↔ @alp/venue-sim (backtest/test has hedger ↔ backtest).
// Imports the built packages (dist/), as a user does.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as connectors from '@alp/exchange-connectors'
import * as models from '@alp/models'
import * as lp from '@alp/uniswap-lp'
import * as sim from '@alp/venue-sim'
import { describe, expect, test } from 'vitest'

const require = createRequire(import.meta.url)

/** Names both modules export, bound to different objects. */
function clashes(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a)
    .filter((name) => name in b && a[name] !== b[name])
    .sort()
}

/** Any text that does not close the JSDoc block. */
const notEnd = '(?:(?!\\*/)[\\s\\S])*'

/** The published declarations of a package's root entry. */
function rootDeclarations(pkg: string): string {
  return readFileSync(require.resolve(pkg).replace(/index\.cjs$/, 'index.d.ts'), 'utf8')
}

const cases = [
  {
    pair: ['@alp/models', '@alp/uniswap-lp'],
    a: models,
    b: lp,
    renamed: {
      pkg: '@alp/uniswap-lp',
      module: lp as Record<string, unknown>,
      aliases: { InvalidParameterError: 'InvalidLpParameterError' },
    },
  },
  {
    pair: ['@alp/exchange-connectors', '@alp/venue-sim'],
    a: connectors,
    b: sim,
    renamed: {
      pkg: '@alp/venue-sim',
      module: sim as Record<string, unknown>,
      aliases: { RateLimiter: 'SimRateLimiter', formatScaled: 'formatSimScaled', signPayload: 'signSimPayload' },
    },
  },
] as const

describe.each(cases)('$pair.0 and $pair.1', ({ a, b, renamed }) => {
  const aliases: Record<string, string> = renamed.aliases
  const other = (renamed.module === b ? a : b) as Record<string, unknown>

  test('every name exported by both as different objects is a deprecated alias of a renamed export', () => {
    expect(clashes(a, b)).toEqual(Object.keys(aliases).sort())
  })

  test('each deprecated alias is the renamed export itself, and the new name is not taken by the other package', () => {
    for (const [old, renamedTo] of Object.entries(aliases)) {
      expect(typeof renamed.module[renamedTo], renamedTo).toBe('function')
      expect(renamed.module[old], old).toBe(renamed.module[renamedTo])
      expect(other[renamedTo], renamedTo).toBeUndefined()
    }
  })

  test('the published declarations mark each alias @deprecated and name the new export', () => {
    const dts = rootDeclarations(renamed.pkg)
    for (const [old, renamedTo] of Object.entries(aliases)) {
      const doc = new RegExp(
        `/\\*\\*${notEnd}@deprecated${notEnd}\`${renamedTo}\`${notEnd}\\*/\\s*export declare const ${old}\\b`,
      )
      expect(dts, old).toMatch(doc)
    }
  })
})

describe('same-named error classes of two packages stay apart', () => {
  test('an @alp/uniswap-lp InvalidLpParameterError is not an @alp/models InvalidParameterError, and back', () => {
    const fromLp = new lp.InvalidLpParameterError({ field: 'width', value: -1, rule: '> 0' })
    const fromModels = new models.InvalidParameterError({ field: 'gamma', value: -1, rule: '> 0' })
    expect(fromLp.name).toBe(fromModels.name)
    expect(fromLp instanceof lp.UniswapLpError).toBe(true)
    expect(fromLp instanceof models.InvalidParameterError).toBe(false)
    expect(fromLp instanceof models.ModelsError).toBe(false)
    expect(fromModels instanceof lp.InvalidLpParameterError).toBe(false)
    expect(fromModels instanceof lp.UniswapLpError).toBe(false)
  })
})
