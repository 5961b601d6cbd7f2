import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { KeystoreError } from '../errors/config.js'

/**
 * The encrypted file for API keys and secrets (`keystore:<file>#<name>` references). Format `alp-secrets` v1, JSON:
 *
 * ```json
 * { "format": "alp-secrets", "version": 1,
 *   "kdf": { "name": "scrypt", "N": 32768, "r": 8, "p": 1, "salt": "<32 hex bytes>" },
 *   "entries": { "<name>": { "iv": "<12 hex bytes>", "ciphertext": "<hex>", "tag": "<16 hex bytes>" } } }
 * ```
 *
 * One key per file: scrypt(password, salt) → 32 bytes; each entry is AES-256-GCM with its own random 96-bit IV and the
 * entry's name as additional authenticated data (an entry copied under another name does not decrypt). Only node:crypto.
 * Wallet keys use ethers' JSON keystore instead (`loadSignerFromKeystore` of @alp/uniswap-lp).
 */
export type SecretsKeystoreFile = {
  readonly format: 'alp-secrets'
  readonly version: 1
  readonly kdf: {
    readonly name: 'scrypt'
    readonly N: number
    readonly r: number
    readonly p: number
    readonly salt: string
  }
  readonly entries: Readonly<Record<string, { readonly iv: string; readonly ciphertext: string; readonly tag: string }>>
}

const SCRYPT_N = 32_768
const KEY_BYTES = 32

function deriveKey(password: string, kdf: SecretsKeystoreFile['kdf']): Buffer {
  return scryptSync(password, Buffer.from(kdf.salt, 'hex'), KEY_BYTES, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.N * kdf.r,
  })
}

/** Encrypts `entries` (name → secret) under `password` into the text of an `alp-secrets` file. */
export function encryptSecretsKeystore(entries: Readonly<Record<string, string>>, password: string): string {
  if (password.length === 0) throw new KeystoreError({ file: '(new)', problem: 'the password is empty' })
  const kdf = { name: 'scrypt' as const, N: SCRYPT_N, r: 8, p: 1, salt: randomBytes(32).toString('hex') }
  const key = deriveKey(password, kdf)
  const out: Record<string, { iv: string; ciphertext: string; tag: string }> = {}
  for (const [name, value] of Object.entries(entries)) out[name] = encryptEntry(key, name, value)
  const file: SecretsKeystoreFile = { format: 'alp-secrets', version: 1, kdf, entries: out }
  return `${JSON.stringify(file, null, 2)}\n`
}

function encryptEntry(key: Buffer, name: string, value: string): { iv: string; ciphertext: string; tag: string } {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(name, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return { iv: iv.toString('hex'), ciphertext: ciphertext.toString('hex'), tag: cipher.getAuthTag().toString('hex') }
}

/**
 * Adds or replaces the entry `name` of an `alp-secrets` file's text (a new file when `text` is null), under the file's
 * password: the password is proven first by decrypting an existing entry, so one file never mixes two passwords.
 * @throws KeystoreError (wrong password, malformed file).
 */
export function setSecretsKeystoreEntry(
  text: string | null,
  name: string,
  value: string,
  password: string,
  file = '(keystore)',
): string {
  if (text === null) return encryptSecretsKeystore({ [name]: value }, password)
  const parsed = parseKeystore(text, file)
  const first = Object.keys(parsed.entries)[0]
  if (first !== undefined) decryptSecretsKeystore(text, first, password, file)
  const key = deriveKey(password, parsed.kdf)
  const next: SecretsKeystoreFile = {
    ...parsed,
    entries: { ...parsed.entries, [name]: encryptEntry(key, name, value) },
  }
  return `${JSON.stringify(next, null, 2)}\n`
}

/** The entry names of an `alp-secrets` file (no password needed: names are not secret). */
export function listSecretsKeystoreEntries(text: string, file = '(keystore)'): string[] {
  return Object.keys(parseKeystore(text, file).entries)
}

function parseKeystore(text: string, file: string): SecretsKeystoreFile {
  let parsed: SecretsKeystoreFile
  try {
    parsed = JSON.parse(text) as SecretsKeystoreFile
  } catch {
    throw new KeystoreError({ file, problem: 'not JSON' })
  }
  if (
    parsed?.format !== 'alp-secrets' ||
    parsed.version !== 1 ||
    parsed.kdf?.name !== 'scrypt' ||
    typeof parsed.entries !== 'object' ||
    parsed.entries === null
  )
    throw new KeystoreError({ file, problem: 'not an alp-secrets v1 file (format, version or kdf)' })
  return parsed
}

export type DecryptSecretsKeystoreErrorType = KeystoreError

/**
 * Decrypts the entry `name` of an `alp-secrets` file's text. `file` only names the file in errors.
 * @throws KeystoreError (malformed file, missing entry, wrong password or tampered entry), never with a secret in it.
 */
export function decryptSecretsKeystore(text: string, name: string, password: string, file = '(keystore)'): string {
  const parsed = parseKeystore(text, file)
  const entry = parsed.entries?.[name]
  if (entry === undefined) {
    const names = Object.keys(parsed.entries ?? {})
    throw new KeystoreError({ file, problem: `no entry "${name}" (entries: ${names.join(', ') || 'none'})` })
  }
  try {
    const key = deriveKey(password, parsed.kdf)
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'hex'))
    decipher.setAAD(Buffer.from(name, 'utf8'))
    decipher.setAuthTag(Buffer.from(entry.tag, 'hex'))
    return Buffer.concat([decipher.update(Buffer.from(entry.ciphertext, 'hex')), decipher.final()]).toString('utf8')
  } catch {
    // The cause is dropped: it carries nothing useful and could carry key material.
    throw new KeystoreError({ file, problem: `entry "${name}" does not decrypt (wrong password or tampered file)` })
  }
}
