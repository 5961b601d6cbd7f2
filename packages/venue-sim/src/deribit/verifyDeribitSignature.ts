import { createHmac, timingSafeEqual } from 'node:crypto'

/** True when `signatureHex` is HMAC-SHA256(secret, `ts\nnonce\ndata`), compared in constant time. */
export function verifyDeribitSignature(
  secret: string,
  timestampMs: number | string,
  nonce: string,
  data: string,
  signatureHex: string,
): boolean {
  const expected = createHmac('sha256', secret).update(`${timestampMs}\n${nonce}\n${data}`).digest()
  if (!/^[0-9a-f]{64}$/i.test(signatureHex)) return false
  return timingSafeEqual(expected, Buffer.from(signatureHex, 'hex'))
}
