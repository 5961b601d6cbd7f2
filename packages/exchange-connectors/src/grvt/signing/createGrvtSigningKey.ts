import { SigningKey } from 'ethers'
import { InvalidGrvtSignerKeyError } from '../../errors/grvt.js'

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/**
 * Validates a GRVT signer private key (64 hex digits, optional `0x`) and wraps it in an ethers `SigningKey` (which keeps
 * it in a `#private` field). Errors describe the problem (length, kind of character, range) without any part of the key;
 * ethers' own error (which echoes the value) is never reached or chained.
 */
export function createGrvtSigningKey(privateKey: string): SigningKey {
  if (typeof privateKey !== 'string')
    throw new InvalidGrvtSignerKeyError({ problem: `it is a ${typeof privateKey}, not a string` })
  const body = privateKey.startsWith('0x') || privateKey.startsWith('0X') ? privateKey.slice(2) : privateKey
  if (/\s/.test(body)) {
    const at = body.search(/\s/)
    throw new InvalidGrvtSignerKeyError({
      problem: `it contains whitespace (first at character ${at + 1} after any 0x prefix; ${body.length} characters in all, 64 expected)`,
    })
  }
  const nonHex = body.search(/[^0-9a-fA-F]/)
  if (nonHex >= 0)
    throw new InvalidGrvtSignerKeyError({
      problem: `character ${nonHex + 1} after any 0x prefix is not a hex digit (${body.length} characters in all, 64 expected)`,
    })
  if (body.length !== 64)
    throw new InvalidGrvtSignerKeyError({ problem: `it has ${body.length} hex digits, 64 expected (32 bytes)` })
  const value = BigInt(`0x${body}`)
  if (value === 0n || value >= CURVE_ORDER)
    throw new InvalidGrvtSignerKeyError({ problem: 'it is zero or not below the secp256k1 curve order' })
  return new SigningKey(`0x${body.toLowerCase()}`)
}
