import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  buildQueryString,
  buildWsApiSignaturePayload,
  protectCredentials,
  signRestRequest,
  signWsApiParams,
} from './credentials.js'

// Binance's OFFICIAL test vectors: spot rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order" and
// web-socket-api.md (key pair published there; not a real account). Hex values copied from the docs.
const apiKey = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const apiSecret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'

describe('Binance HMAC signing (official vectors)', () => {
  it('REST-1: query string signed as sent', () => {
    const query = buildQueryString([
      ['symbol', 'LTCBTC'],
      ['side', 'BUY'],
      ['type', 'LIMIT'],
      ['timeInForce', 'GTC'],
      ['quantity', '1'],
      ['price', '0.1'],
      ['recvWindow', '5000'],
      ['timestamp', '1499827319559'],
    ])
    expect(query).toBe(
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
    )
    expect(signRestRequest(apiSecret, query)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71')
  })

  it('USDⓈ-M general-info Example 3: mixed query + body are concatenated with no separator', () => {
    // Futures docs key pair (dbefbc…/2b5eb11e…). The docs' echo command literally contains "timestamp= 1591702613943"
    // (with a space) and the published hex is the HMAC of that exact string; we sign it byte for byte.
    const futuresSecret = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9'
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC'
    const body = 'quantity=1&price=9000&recvWindow=5000&timestamp= 1591702613943'
    expect(signRestRequest(futuresSecret, query, body)).toBe(
      'f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2',
    )
  })

  it('REST-2: non-ASCII symbol is percent-encoded before signing', () => {
    const query = buildQueryString([
      ['symbol', '１２３４５６'],
      ['side', 'BUY'],
      ['type', 'LIMIT'],
      ['timeInForce', 'GTC'],
      ['quantity', '1'],
      ['price', '0.1'],
      ['recvWindow', '5000'],
      ['timestamp', '1499827319559'],
    ])
    expect(query.startsWith('symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&')).toBe(true)
    expect(signRestRequest(apiSecret, query)).toBe('e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3')
  })

  it('WS-API-1: params sorted by name, apiKey included', () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: 1645423376532,
      apiKey,
    }
    expect(buildWsApiSignaturePayload(params)).toBe(
      `apiKey=${apiKey}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
    )
    expect(signWsApiParams(apiSecret, params)).toBe('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24')
  })

  it('WS-API-2: non-ASCII value signed as UTF-8, not percent-encoded; an existing signature param is ignored', () => {
    const params = {
      symbol: '１２３４５６',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '1.00000000',
      price: '0.10000000',
      recvWindow: 5000,
      timestamp: 1645423376532,
      apiKey,
      signature: 'ignored',
    }
    expect(signWsApiParams(apiSecret, params)).toBe('b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd')
  })
})

describe('protectCredentials', () => {
  it('reads like the plain pair, prints as [redacted] (inspect with showHidden, JSON), and is idempotent', () => {
    const plain = { apiKey, apiSecret }
    const pair = protectCredentials(plain)
    expect([pair.apiKey, pair.apiSecret]).toEqual([apiKey, apiSecret])
    expect(protectCredentials(pair)).toBe(pair)
    const printed = [
      inspect(pair, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
      inspect({ config: { credentials: pair } }, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      JSON.stringify({ credentials: pair }),
      String(Object.keys(pair)),
    ].join('\n')
    expect(printed).toContain('[redacted]')
    for (const secret of [apiKey, apiSecret]) expect(printed).not.toContain(secret.slice(0, 8))
    // the REST-1 vector still signs the same through the protected pair
    expect(signRestRequest(pair.apiSecret, 'a=1')).toBe(signRestRequest(apiSecret, 'a=1'))
  })
})
