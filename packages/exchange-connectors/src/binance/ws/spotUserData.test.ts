import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildSpotUserDataSubscribeRequest } from './spotUserData.js'

// Key pair of Binance's official signing examples (spot web-socket-api.md); not a real account.
const apiKey = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const apiSecret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'

describe('spot userDataStream.subscribe.signature request', () => {
  it('signs apiKey, recvWindow, timestamp sorted by name (WS-API rule), signature computed independently', () => {
    const request = buildSpotUserDataSubscribeRequest({ apiKey, apiSecret }, 'uds-1', 1645423376532, 5000)
    const payload = `apiKey=${apiKey}&recvWindow=5000&timestamp=1645423376532`
    const expected = createHmac('sha256', apiSecret).update(payload).digest('hex')
    expect(request).toEqual({
      id: 'uds-1',
      method: 'userDataStream.subscribe.signature',
      params: { apiKey, recvWindow: 5000, timestamp: 1645423376532, signature: expected },
    })
  })
})
