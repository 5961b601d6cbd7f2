import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The payload Binance signs for REST: the query string followed directly by the request body (no separator), each in the order sent,
 * with the `signature` parameter itself removed. Returns the signature found (query wins over body) or null.
 */
export function extractSignedPayload(rawQuery: string, rawBody: string): { payload: string; signature: string | null } {
  let signature: string | null = null
  const strip = (part: string): string => {
    if (part === '') return part
    const kept: string[] = []
    for (const pair of part.split('&')) {
      if (pair.startsWith('signature=')) {
        if (signature === null) signature = pair.slice('signature='.length)
        continue
      }
      kept.push(pair)
    }
    return kept.join('&')
  }
  const query = strip(rawQuery)
  const body = strip(rawBody)
  return { payload: query + body, signature }
}

/** HMAC-SHA256 of `payload` with `secret`, lower-case hex (Binance accepts either case on input). */
export function signPayload(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex')
}

/** Constant-time comparison of a received hex signature (any case) with the expected one. */
export function verifySignature(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, payload), 'utf8')
  const received = Buffer.from(signature.toLowerCase(), 'utf8')
  return expected.length === received.length && timingSafeEqual(expected, received)
}
