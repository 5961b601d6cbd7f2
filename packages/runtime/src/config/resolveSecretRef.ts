import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { Secret } from './Secret.js'
import { decryptSecretsKeystore } from './secretsKeystore.js'
import { WalletKeyRef } from './WalletKeyRef.js'

/** The environment variable that holds the password of the keystores (`keystore:` references). */
export const KEYSTORE_PASSWORD_ENV = 'ALP_KEYSTORE_PASSWORD'

export type ResolveSecretOptions = {
  /** Environment to read `env:` references and the keystore password from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Directory `keystore:` paths are relative to (the config file's). */
  readonly baseDir: string
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/

/**
 * Resolves a secret reference: `env:VAR` or `keystore:<file>#<name>` (an `alp-secrets` file) for API keys and secrets;
 * `env:VAR` (0x + 64 hex digits) or `keystore:<file>` (an ethers JSON keystore) for a wallet key. Anything else is a
 * literal secret written in the file, refused. Error texts name the variable or file, never a value.
 */
export function resolveSecretRef(
  text: string,
  kind: 'apiKey' | 'walletKey',
  options: ResolveSecretOptions,
): { secret: Secret | WalletKeyRef } | { error: string } {
  const env = options.env ?? process.env
  const refHelp = kind === 'walletKey' ? 'env:VAR or keystore:<file>' : 'env:VAR or keystore:<file>#<name>'
  if (text.trim() === '') return { error: `is empty: write a reference, ${refHelp}` }
  if (text.startsWith('env:')) {
    const name = text.slice(4)
    if (!ENV_NAME.test(name)) return { error: `env: reference names no valid variable (write ${refHelp})` }
    const value = env[name]
    if (value === undefined || value === '') return { error: `environment variable ${name} is not set` }
    if (kind === 'walletKey') {
      if (!PRIVATE_KEY.test(value.trim()))
        return { error: `environment variable ${name} is not a 0x-prefixed 32-byte hex private key` }
      return { secret: WalletKeyRef.fromSecret(new Secret(text, value.trim())) }
    }
    return { secret: new Secret(text, value) }
  }
  if (text.startsWith('keystore:')) {
    const [file = '', name, ...rest] = text.slice(9).split('#')
    if (file === '' || rest.length > 0) return { error: `malformed keystore reference (write ${refHelp})` }
    const path = isAbsolute(file) ? file : join(options.baseDir, file)
    if (!existsSync(path)) return { error: `keystore file ${file} does not exist (looked at ${path})` }
    const password = env[KEYSTORE_PASSWORD_ENV]
    if (password === undefined || password === '')
      return { error: `environment variable ${KEYSTORE_PASSWORD_ENV} is not set (the password of keystore ${file})` }
    const content = readFileSync(path, 'utf8')
    if (kind === 'walletKey') {
      if (name !== undefined)
        return { error: `a wallet keystore holds one key: write keystore:${file} without #${name}` }
      let json: { crypto?: unknown; Crypto?: unknown }
      try {
        json = JSON.parse(content)
      } catch {
        return { error: `keystore file ${file} is not JSON (expected an ethers JSON keystore)` }
      }
      if (json?.crypto === undefined && json?.Crypto === undefined)
        return { error: `keystore file ${file} is not an ethers JSON keystore (no crypto field)` }
      return { secret: WalletKeyRef.fromKeystore(text, content, password) }
    }
    if (name === undefined || name === '')
      return { error: `keystore reference needs an entry name: keystore:${file}#<name>` }
    try {
      return { secret: new Secret(text, decryptSecretsKeystore(content, name, password, file)) }
    } catch (error) {
      return {
        error:
          error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error),
      }
    }
  }
  return {
    error: `holds a literal secret, which a config file may not (the value is not shown): write a reference, ${refHelp}`,
  }
}
