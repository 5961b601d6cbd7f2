import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { GrvtEmulator } from './GrvtEmulator.js'

// A malformed configured key is refused with what is wrong and where, never with the key (ethers would echo it).
const KEY_HEX = 'c0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0' // pysdk test key
const bad: Array<[string, string, string]> = [
  ['trailing space', `0x${KEY_HEX} `, 'contains whitespace'],
  ['one character short', `0x${KEY_HEX.slice(0, -1)}`, 'has 63 hex digits, 64 expected'],
  ['non-hex', `${KEY_HEX.slice(0, 10)}z${KEY_HEX.slice(11)}`, 'not a hex digit (at 11)'],
  ['too long', `0x${KEY_HEX}00`, 'has 66 hex digits, 64 expected'],
  ['zero', `0x${'0'.repeat(64)}`, 'is zero or not below the secp256k1 order'],
]

function texts(error: unknown): string {
  const parts: string[] = []
  for (let e = error as { message?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message), inspect(e, { showHidden: true, depth: Number.POSITIVE_INFINITY }))
  return parts.join('\n').toLowerCase()
}

describe('GrvtEmulator configured keys', () => {
  for (const [what, key, problem] of bad)
    it(`${what}: InvalidEmulatorConfigError naming the option and the problem, without the key`, () => {
      let caught: unknown
      try {
        new GrvtEmulator({
          accounts: [{ apiKey: 'k', signerPrivateKeys: [`0x${KEY_HEX}`, key], subAccountId: '1', balances: {} }],
          market: { kind: 'none' },
        })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(InvalidEmulatorConfigError)
      expect((caught as Error).message).toContain('accounts[0].signerPrivateKeys[1]')
      expect((caught as Error).message).toContain(problem)
      const all = texts(caught)
      for (let i = 0; i + 8 <= KEY_HEX.length; i++) expect(all).not.toContain(KEY_HEX.slice(i, i + 8))
    })

  it('a valid key with or without 0x is accepted', () => {
    expect(
      () =>
        new GrvtEmulator({
          accounts: [{ apiKey: 'k', signerPrivateKeys: [KEY_HEX, `0x${KEY_HEX}`], subAccountId: '1', balances: {} }],
          market: { kind: 'none' },
        }),
    ).not.toThrow()
  })
})
