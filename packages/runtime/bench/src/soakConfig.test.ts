import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import * as soakConfig from './soakConfig.js'

const source = readFileSync(new URL('./soakConfig.ts', import.meta.url), 'utf8')

describe('the soak’s emulator credentials', () => {
  test('the source commits no key: no literal of 48 or more key characters', () => {
    // API keys and secrets (Binance: 64 characters), wallet keys (64 hex digits, with or without 0x); the INI's
    // placeholder contract addresses (40 hex digits) are no secret.
    expect(source.match(/[A-Za-z0-9]{48,}/g) ?? []).toEqual([])
  })

  test('generated per run, passed to the child processes as the INI’s env references', () => {
    const { createSoakCredentials } = soakConfig as Partial<Record<string, unknown>> as {
      createSoakCredentials?: () => { env(): Record<string, string> }
    }
    expect(typeof createSoakCredentials).toBe('function')
    const make = createSoakCredentials as () => { env(): Record<string, string> }
    const a = make().env()
    const b = make().env()
    expect(Object.keys(a).sort()).toEqual(['SOAK_BN_KEY', 'SOAK_BN_SECRET', 'SOAK_LP_KEY'])
    // Binance's format: 64 letters and digits; a wallet key: 0x and 64 hex digits.
    expect(a.SOAK_BN_KEY).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(a.SOAK_BN_SECRET).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(a.SOAK_LP_KEY).toMatch(/^0x[0-9a-f]{64}$/)
    for (const name of Object.keys(a)) expect(a[name]).not.toBe(b[name])
    expect(a.SOAK_BN_KEY).not.toBe(a.SOAK_BN_SECRET)
    // The INI names them only by reference.
    const ini = soakConfig.writeSoakIni.toString()
    expect(ini).toContain('env:SOAK_BN_SECRET')
    for (const value of Object.values(a)) expect(ini).not.toContain(value)
  })

  test('the credentials object shows no secret (inspect, JSON)', () => {
    const { createSoakCredentials } = soakConfig as unknown as {
      createSoakCredentials: () => { env(): Record<string, string> }
    }
    const credentials = createSoakCredentials()
    const env = credentials.env()
    for (const shown of [inspect(credentials, { showHidden: true, depth: 5 }), JSON.stringify(credentials)])
      for (const value of Object.values(env)) expect(shown).not.toContain(value)
  })
})
