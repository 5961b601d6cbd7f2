import { describe, expect, it } from 'vitest'
import { DeribitInverseInstrumentError } from '../errors/deribit.js'
import { DeribitExecutionClient } from './execution.js'
import type { DeribitRpcClient } from './ws/client.js'

// Deribit API: for inverse perpetuals/futures (BTC-PERPETUAL, ETH-27DEC24) `amount` is in USD (BTC contract size 10
// USD); for linear USDC instruments it is in base coin. sizeBase must never travel as a USD amount.
const requests: string[] = []
const rpc = {
  request: async (method: string) => {
    requests.push(method)
    throw new Error('no request expected in this test')
  },
} as unknown as DeribitRpcClient

describe('DeribitExecutionClient on inverse instruments', () => {
  it('refuses placeOrder and amendOrder on BTC-PERPETUAL / ETH-27DEC24 with a typed error naming the instrument, before any request', async () => {
    const exec = new DeribitExecutionClient(rpc)
    const order = {
      side: 'buy',
      price: '60000',
      sizeBase: '0.01',
      timeInForce: 'postOnly',
      clientOrderId: 'q1',
    } as const
    await expect(exec.placeOrder({ ...order, symbol: 'BTC-PERPETUAL' })).rejects.toThrow(DeribitInverseInstrumentError)
    await expect(exec.placeOrder({ ...order, symbol: 'ETH-27DEC24' })).rejects.toThrow(/ETH-27DEC24/)
    await expect(
      exec.amendOrder({ symbol: 'BTC-PERPETUAL', clientOrderId: 'q1', side: 'buy', price: '60000', sizeBase: '0.01' }),
    ).rejects.toThrow(DeribitInverseInstrumentError)
    expect(requests).toEqual([])
  })

  it('lets a linear instrument through to the venue (BTC_USDC-PERPETUAL: amount in BTC)', async () => {
    const exec = new DeribitExecutionClient(rpc)
    await expect(
      exec.placeOrder({
        symbol: 'BTC_USDC-PERPETUAL',
        side: 'buy',
        price: '60000',
        sizeBase: '0.01',
        timeInForce: 'postOnly',
        clientOrderId: 'q2',
      }),
    ).rejects.toThrow('no request expected in this test')
    expect(requests).toEqual(['private/buy'])
  })
})
