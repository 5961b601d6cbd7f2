import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildDeribitStringToSign, signDeribitRestRequest, signDeribitWsAuth } from './credentials.js'

// Vectors from /work/shared/reference/exchange-protocols.md §2.2: the Deribit docs' example secret, signed with the
// documented formula; the REST vector is identical to ccxt 4.5.84 `deribit.sign()` output.
const credentials = { clientId: 'fo7WAPRm4P', clientSecret: 'W0H6FJW4IRPZ1MOQ8FP6KMC5RZDUUKXS' }

describe('Deribit HMAC signing', () => {
  it('WS client_signature: ts 1700000000000, nonce abcd1234, empty data', () => {
    const params = signDeribitWsAuth(credentials, 1_700_000_000_000, 'abcd1234')
    expect(params).toEqual({
      grant_type: 'client_signature',
      client_id: 'fo7WAPRm4P',
      timestamp: 1_700_000_000_000,
      nonce: 'abcd1234',
      data: '',
      signature: '4936bf20172e26e4e34fd8a11a4f7e49796a948285c8d487834bf0b31b209c54',
    })
  })

  it('REST deri-hmac-sha256 header for GET private/buy (ccxt 4.5.84 gives the same signature)', () => {
    const header = signDeribitRestRequest(credentials, {
      method: 'get',
      pathAndQuery: '/api/v2/private/buy?instrument_name=BTC-PERPETUAL&amount=10&type=limit&price=30000',
      body: '',
      timestampMs: 1_700_000_000_000,
      nonce: '1700000000000',
    })
    expect(header).toBe(
      'deri-hmac-sha256 id=fo7WAPRm4P,ts=1700000000000,sig=27e307099ac92ce7a71817ad7c6667f24259511f91bff69933d01e7835046df6,nonce=1700000000000',
    )
  })

  it('string to sign is timestamp, nonce and data joined by newlines', () => {
    expect(buildDeribitStringToSign(1, 'n', 'd')).toBe('1\nn\nd')
    // and the signature is an HMAC keyed by the secret over exactly that string
    const expected = createHmac('sha256', 'k').update('5\nx\ny').digest('hex')
    expect(signDeribitWsAuth({ clientId: 'i', clientSecret: 'k' }, 5, 'x', 'y').signature).toBe(expected)
  })
})
