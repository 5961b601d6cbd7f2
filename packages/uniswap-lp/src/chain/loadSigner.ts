import { type Provider, Wallet } from 'ethers'
import { SignerConfigError } from '../errors/chain.js'

export type LoadSignerErrorType = SignerConfigError

const PRIVATE_KEY_PATTERN = /^0x[0-9a-fA-F]{64}$/

/**
 * A Wallet from a private key held in an environment variable (0x + 64 hex digits). The key is never logged and never
 * appears in an error: errors name the variable, not its value.
 */
export function loadSignerFromEnv(
  variableName: string,
  provider?: Provider,
  env: NodeJS.ProcessEnv = process.env,
): Wallet {
  const value = env[variableName]
  const source = `environment variable ${variableName}`
  if (value === undefined || value === '') throw new SignerConfigError({ source, problem: 'it is not set' })
  const key = value.trim()
  if (!PRIVATE_KEY_PATTERN.test(key)) {
    throw new SignerConfigError({ source, problem: 'it is not a 0x-prefixed 32-byte hex private key' })
  }
  try {
    return new Wallet(key, provider ?? null)
  } catch {
    // The cause is dropped on purpose: ethers' message would echo the key.
    throw new SignerConfigError({ source, problem: 'it is not a valid secp256k1 private key' })
  }
}

/**
 * A Wallet decrypted from an encrypted JSON keystore (Web3 Secret Storage, as geth and ethers write it). A wrong
 * password or a malformed file gives `SignerConfigError` without the password or the file contents.
 */
export async function loadSignerFromKeystore(
  keystoreJson: string,
  password: string,
  provider?: Provider,
): Promise<Wallet> {
  let wallet: Wallet
  try {
    const decrypted = await Wallet.fromEncryptedJson(keystoreJson, password)
    wallet = decrypted instanceof Wallet ? decrypted : new Wallet(decrypted.privateKey)
  } catch {
    // The cause is dropped on purpose: it can carry the password or keystore fields.
    throw new SignerConfigError({
      source: 'the encrypted JSON keystore',
      problem: 'wrong password or malformed keystore',
    })
  }
  return provider === undefined ? wallet : wallet.connect(provider)
}
