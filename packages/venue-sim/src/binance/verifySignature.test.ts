import { describe, expect, it } from 'vitest'
import { extractSignedPayload, signPayload, verifySignature } from './verifySignature.js'

// Binance spot rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order" (official key and vectors).
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const PAYLOAD =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'

describe('REST signature', () => {
  it('reproduces the official REST-1 signature and accepts it in either case', () => {
    expect(signPayload(SECRET, PAYLOAD)).toBe(SIGNATURE)
    expect(verifySignature(SECRET, PAYLOAD, SIGNATURE.toUpperCase())).toBe(true)
    expect(verifySignature(SECRET, PAYLOAD.replace('price=0.1', 'price=0.2'), SIGNATURE)).toBe(false)
    expect(verifySignature(SECRET, PAYLOAD, SIGNATURE.slice(1))).toBe(false)
  })

  it('signs the query followed by the body (Binance example 3: mixed) with the signature parameter removed', () => {
    // Official example 3 splits the same parameters between query and body; the payload is their plain concatenation
    // ("…timeInForce=GTCquantity=1…"), whose documented signature is 0fd168b8….
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC'
    const body = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
    const mixed = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77'
    const extracted = extractSignedPayload(query, `${body}&signature=${mixed}`)
    expect(extracted).toEqual({ payload: `${query}${body}`, signature: mixed })
    expect(verifySignature(SECRET, extracted.payload, mixed)).toBe(true)
    expect(extractSignedPayload(`${PAYLOAD}&signature=${SIGNATURE}`, '')).toEqual({
      payload: PAYLOAD,
      signature: SIGNATURE,
    })
    expect(extractSignedPayload(PAYLOAD, '')).toEqual({ payload: PAYLOAD, signature: null })
  })
})
