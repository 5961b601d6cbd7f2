import { describe, expect, it } from 'vitest'
import { buildWsApiFrame } from './wsApiClient.js'

// Binance's published WebSocket-API HMAC example (spot WebSocket API docs, "SIGNED request example (HMAC)"):
// key vmPUZE6m…, secret NhqPtmdS…, params below; expected signature aa1b5712…
const apiKey = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const apiSecret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'

describe('buildWsApiFrame', () => {
  it('signs the params exactly as the official example (sorted by name) and sends every one of them', () => {
    const text = buildWsApiFrame({
      id: '4885f793-e5ad-4c3b-8f6c-55d891472b71',
      method: 'order.place',
      // deliberately unsorted: the signing rule sorts
      params: [
        ['symbol', 'BTCUSDT'],
        ['side', 'SELL'],
        ['type', 'LIMIT'],
        ['timeInForce', 'GTC'],
        ['quantity', '0.01000000'],
        ['price', '52000.00'],
      ],
      credentials: { apiKey, apiSecret },
      recvWindowMs: 100,
      timestampMs: 1645423376532,
    })
    const frame = JSON.parse(text) as { id: string; method: string; params: Record<string, string | number> }
    expect(frame.id).toBe('4885f793-e5ad-4c3b-8f6c-55d891472b71')
    expect(frame.method).toBe('order.place')
    expect(frame.params.signature).toBe('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24')
    expect(Object.keys(frame.params).sort()).toEqual([
      'apiKey',
      'price',
      'quantity',
      'recvWindow',
      'side',
      'signature',
      'symbol',
      'timeInForce',
      'timestamp',
      'type',
    ])
    expect([frame.params.timestamp, frame.params.recvWindow]).toEqual([1645423376532, 100])
  })
})
