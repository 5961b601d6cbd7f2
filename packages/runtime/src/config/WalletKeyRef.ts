import { inspect } from 'node:util'
import { loadSignerFromKeystore } from '@alp/uniswap-lp'
import { type Provider, Wallet } from 'ethers'
import type { Secret } from './Secret.js'

/**
 * The LP wallet of a config: a private key from the environment, or an ethers JSON keystore decrypted on demand (scrypt
 * is slow: only the LP manager pays it, at start). Key, keystore text and password are `#private`.
 */
export class WalletKeyRef {
  /** `env:VAR` or `keystore:<file>` (safe to print). */
  readonly reference: string
  #secret: Secret | null
  #keystoreJson: string | null
  #password: string | null
  private constructor(reference: string, secret: Secret | null, keystoreJson: string | null, password: string | null) {
    this.reference = reference
    this.#secret = secret
    this.#keystoreJson = keystoreJson
    this.#password = password
  }
  static fromSecret(secret: Secret): WalletKeyRef {
    return new WalletKeyRef(secret.reference, secret, null, null)
  }
  static fromKeystore(reference: string, keystoreJson: string, password: string): WalletKeyRef {
    return new WalletKeyRef(reference, null, keystoreJson, password)
  }
  /** The signer (ethers Wallet), connected to `provider` when given. @throws SignerConfigError of @alp/uniswap-lp. */
  async loadSigner(provider?: Provider): Promise<Wallet> {
    if (this.#secret !== null) return new Wallet(this.#secret.reveal(), provider ?? null)
    return loadSignerFromKeystore(this.#keystoreJson as string, this.#password as string, provider)
  }
  /** The private key when it came from the environment (for the log-leak check); null for a keystore. */
  revealIfEnv(): string | null {
    return this.#secret?.reveal() ?? null
  }
  toString(): string {
    return `[wallet ${this.reference}]`
  }
  toJSON(): string {
    return this.toString()
  }
  [inspect.custom](): string {
    return `WalletKeyRef(${this.reference})`
  }
}
