import { inspect } from 'node:util'
import { encryptKeystoreJson, Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import { loadSignerFromEnv, loadSignerFromKeystore } from '../src/chain/loadSigner.js'
import { SignerConfigError } from '../src/errors/chain.js'

// anvil's publicly known development account #4 (never a real key) and its address, as printed by `anvil`.
const TEST_KEY = '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a'
const TEST_ADDRESS = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65'

function expectNoSecret(error: unknown, secrets: readonly string[]): void {
  const texts = [String(error), (error as Error).message, inspect(error, { depth: 20 }), JSON.stringify(error)]
  for (const text of texts) {
    for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase())
  }
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('signer from an environment variable', () => {
  it('loads the wallet for the key', () => {
    expect(loadSignerFromEnv('ALP_PK', undefined, { ALP_PK: TEST_KEY }).address).toBe(TEST_ADDRESS)
    expect(loadSignerFromEnv('ALP_PK', undefined, { ALP_PK: `  ${TEST_KEY}\n` }).address).toBe(TEST_ADDRESS)
  })

  it('a missing variable names the variable only', () => {
    const error = errorOf(() => loadSignerFromEnv('ALP_PK', undefined, {}))
    expect(error).toBeInstanceOf(SignerConfigError)
    expect((error as SignerConfigError).message).toContain('ALP_PK')
  })

  it('a malformed key (too short, no 0x, out of the curve order) is refused without echoing any of it', () => {
    const malformed = [TEST_KEY.slice(0, 60), TEST_KEY.slice(2), `0x${'f'.repeat(64)}`, `0x${'0'.repeat(64)}`]
    for (const value of malformed) {
      const error = errorOf(() => loadSignerFromEnv('ALP_PK', undefined, { ALP_PK: value }))
      expect(error).toBeInstanceOf(SignerConfigError)
      expectNoSecret(error, [value.replace(/^0x/, '').slice(0, 40)])
    }
  })
})

describe('signer from an encrypted JSON keystore', () => {
  // Light scrypt parameters keep the test fast; real keystores use ethers' default (N = 2^17).
  const keystore = encryptKeystoreJson(
    { address: TEST_ADDRESS, privateKey: TEST_KEY },
    'correct horse battery staple',
    { scrypt: { N: 1 << 10 } },
  )

  it('decrypts to the same wallet', async () => {
    const wallet = await loadSignerFromKeystore(await keystore, 'correct horse battery staple')
    expect(wallet).toBeInstanceOf(Wallet)
    expect(wallet.address).toBe(TEST_ADDRESS)
  })

  it('a wrong password gives SignerConfigError without the password, the key or the keystore', async () => {
    const json = await keystore
    const error = await loadSignerFromKeystore(json, 'hunter2-not-it').then(
      () => {
        throw new Error('expected a rejection')
      },
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SignerConfigError)
    // Web3 Secret Storage: ethers writes the section as "Crypto", geth as "crypto".
    const parsed = JSON.parse(json) as { Crypto?: { ciphertext: string }; crypto?: { ciphertext: string } }
    const ciphertext = (parsed.Crypto ?? parsed.crypto)!.ciphertext
    expect(ciphertext).toMatch(/^[0-9a-f]{64}$/)
    expectNoSecret(error, ['hunter2-not-it', TEST_KEY.slice(2), ciphertext])
  })
})
