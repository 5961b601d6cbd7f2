// Issue #12: a name exported by two packages must be the same object, or one side renamed with a deprecated alias.
// Here: @alp/hedger ↔ @alp/backtest (hedger/test covers models ↔ uniswap-lp and exchange-connectors ↔ venue-sim).
// Imports the built packages (dist/), as a user does.
import { readFileSync } from 'node:fs'
import * as hedger from '@alp/hedger'
import { describe, expect, test } from 'vitest'
import * as backtest from '../dist/index.js'

describe('@alp/hedger and @alp/backtest', () => {
  test('the only name exported by both as different objects is the deprecated InvalidConfigError of backtest', () => {
    const clashes = Object.keys(hedger).filter(
      (name) =>
        name in backtest && (hedger as Record<string, unknown>)[name] !== (backtest as Record<string, unknown>)[name],
    )
    expect(clashes).toEqual(['InvalidConfigError'])
  })

  test('backtest InvalidConfigError is InvalidBacktestConfigError, a BacktestError; hedger has no InvalidBacktestConfigError', () => {
    expect(backtest.InvalidBacktestConfigError).toBe(backtest.InvalidConfigError)
    const error = new backtest.InvalidBacktestConfigError({ field: 'pool.feePips', value: '7', rule: 'a fee tier' })
    expect(error instanceof backtest.BacktestError).toBe(true)
    expect(error instanceof hedger.InvalidConfigError).toBe(false)
    expect(error.code).toBe('INVALID_CONFIG')
    expect('InvalidBacktestConfigError' in hedger).toBe(false)
  })

  test('the published declarations mark InvalidConfigError @deprecated and name the new export', () => {
    const dts = readFileSync(new URL('../dist/index.d.ts', import.meta.url), 'utf8')
    expect(dts).toMatch(
      /\/\*\*(?:(?!\*\/)[\s\S])*@deprecated(?:(?!\*\/)[\s\S])*`InvalidBacktestConfigError`(?:(?!\*\/)[\s\S])*\*\/\s*export declare const InvalidConfigError\b/,
    )
  })
})
