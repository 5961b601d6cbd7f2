import { inspect } from 'node:util'

/**
 * A resolved secret (API key, API secret, wallet key). The value lives in a `#private` field: `util.inspect`,
 * `JSON.stringify`, template strings and loggers see only the reference it came from (`env:BINANCE_API_SECRET`).
 * `reveal()` is the one way to read it; call it where the value is used (signing), never to print.
 */
export class Secret {
  /** Where the value came from: `env:NAME` or `keystore:<file>#<name>` (safe to print). */
  readonly reference: string
  #value: string
  constructor(reference: string, value: string) {
    this.reference = reference
    this.#value = value
  }
  /** The secret value. */
  reveal(): string {
    return this.#value
  }
  toString(): string {
    return `[secret ${this.reference}]`
  }
  toJSON(): string {
    return this.toString()
  }
  [inspect.custom](): string {
    return `Secret(${this.reference})`
  }
}
