import type { ExchangeName } from '../config/keys.js'

/**
 * The shape each venue gives its credentials (checked by `alp doctor` before any request): Binance API key and secret are
 * 64 letters and digits (HMAC keys; Ed25519/RSA keys are PEM, accepted too); Deribit client id and secret are letters,
 * digits, `_` and `-`; GRVT's API key is letters and digits and its API_SECRET is the trading key, 0x + 64 hex digits.
 * Returns the problem, or null. Never echoes the value.
 */
export function checkKeyFormat(exchange: ExchangeName, key: 'API_KEY' | 'API_SECRET', value: string): string | null {
  const pem = /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----\s*$/
  switch (exchange) {
    case 'binance':
      if (key === 'API_SECRET' && pem.test(value)) return null
      return /^[A-Za-z0-9]{8,128}$/.test(value)
        ? null
        : `not a Binance ${key} (letters and digits, 8–128; Binance issues 64)`
    case 'deribit':
      return /^[A-Za-z0-9_-]{4,128}$/.test(value)
        ? null
        : `not a Deribit ${key === 'API_KEY' ? 'client id' : 'client secret'} (letters, digits, _ and -)`
    case 'grvt':
      if (key === 'API_SECRET')
        return /^(0x)?[0-9a-fA-F]{64}$/.test(value) ? null : 'not a GRVT trading key (0x + 64 hex digits)'
      return /^[A-Za-z0-9]{8,128}$/.test(value) ? null : 'not a GRVT API key (letters and digits, 8–128)'
  }
}
