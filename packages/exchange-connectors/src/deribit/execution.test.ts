import { describe, expect, it } from 'vitest'
import { systemClock } from '../common/clock.js'
import { InvalidDecimalError } from '../errors/decimal.js'
import { DeribitAmountBelowMinimumError } from '../errors/deribit.js'
import { DeribitExecutionClient } from './execution.js'
import type { DeribitRpcClient } from './ws/client.js'

// Deribit API: for inverse perpetuals/futures (BTC-PERPETUAL, ETH-27DEC24) `amount` is in USD, a multiple of
// contract_size (BTC 10 USD, ETH 1 USD); for linear USDC instruments it is in base coin. A recording stand-in for the
// RPC connection answers public/get_instrument like Deribit and captures what would go on the wire.
type Sent = { method: string; params: Record<string, unknown> }

function recordingRpc(instruments: Record<string, { contract_size: number; min_trade_amount: number }>) {
  const sent: Sent[] = []
  const rpc = {
    clock: systemClock,
    request: async (method: string, params: Record<string, unknown> = {}) => {
      sent.push({ method, params })
      if (method === 'public/get_instrument') {
        const name = String(params.instrument_name)
        const info = instruments[name]
        if (!info) throw new Error(`unknown instrument ${name}`)
        return {
          instrument_name: name,
          kind: 'future',
          instrument_type: 'reversed',
          settlement_period: 'perpetual',
          base_currency: name.split('-')[0],
          counter_currency: 'USD',
          quote_currency: 'USD',
          settlement_currency: name.split('-')[0],
          tick_size: 0.5,
          ...info,
        }
      }
      throw new Error('no order answer in this test')
    },
  } as unknown as DeribitRpcClient
  return { rpc, sent }
}

const order = { side: 'buy', timeInForce: 'postOnly', clientOrderId: 'q1' } as const

describe('DeribitExecutionClient sizes', () => {
  it('BTC-PERPETUAL: sizeBase 0.0123 at 60000.5 goes out as amount 730 USD (738.00615 rounded down to 10 USD)', async () => {
    const { rpc, sent } = recordingRpc({ 'BTC-PERPETUAL': { contract_size: 10, min_trade_amount: 10 } })
    const exec = new DeribitExecutionClient(rpc)
    await expect(
      exec.placeOrder({ ...order, symbol: 'BTC-PERPETUAL', price: '60000.5', sizeBase: '0.0123' }),
    ).rejects.toThrow('no order answer in this test')
    expect(sent.map((s) => s.method)).toEqual(['public/get_instrument', 'private/buy'])
    expect(sent[1]?.params).toMatchObject({ instrument_name: 'BTC-PERPETUAL', amount: 730, price: 60000.5 })
    // the venue may start it only within the default 10 s validity window
    const validUntil = sent[1]?.params.valid_until as number
    expect(validUntil - Date.now()).toBeGreaterThan(9_000)
    expect(validUntil - Date.now()).toBeLessThanOrEqual(10_000)
  })

  it('the instrument is loaded once per name', async () => {
    const { rpc, sent } = recordingRpc({ 'ETH-27DEC24': { contract_size: 1, min_trade_amount: 1 } })
    const exec = new DeribitExecutionClient(rpc)
    const place = (id: string) =>
      exec.placeOrder({ ...order, clientOrderId: id, symbol: 'ETH-27DEC24', price: '3000.05', sizeBase: '0.5' })
    await expect(place('a')).rejects.toThrow('no order answer')
    await expect(place('b')).rejects.toThrow('no order answer')
    // 0.5 · 3000.05 = 1500.025 → 1500 contracts of 1 USD
    expect(sent.filter((s) => s.method === 'private/buy').map((s) => s.params.amount)).toEqual([1500, 1500])
    expect(sent.filter((s) => s.method === 'public/get_instrument')).toHaveLength(1)
  })

  it('below min_trade_amount after rounding down: typed error, no order request', async () => {
    const { rpc, sent } = recordingRpc({ 'BTC-PERPETUAL': { contract_size: 10, min_trade_amount: 10 } })
    const exec = new DeribitExecutionClient(rpc)
    // 0.0001 BTC at 60000 = 6 USD < 10 USD
    await expect(
      exec.placeOrder({ ...order, symbol: 'BTC-PERPETUAL', price: '60000', sizeBase: '0.0001' }),
    ).rejects.toBeInstanceOf(DeribitAmountBelowMinimumError)
    expect(sent.map((s) => s.method)).toEqual(['public/get_instrument'])
  })

  it('a linear instrument sends sizeBase unchanged as the coin amount (BTC_USDC-PERPETUAL), with no instrument lookup', async () => {
    const { rpc, sent } = recordingRpc({})
    const exec = new DeribitExecutionClient(rpc)
    await expect(
      exec.placeOrder({ ...order, symbol: 'BTC_USDC-PERPETUAL', price: '60000', sizeBase: '0.01' }),
    ).rejects.toThrow('no order answer in this test')
    expect(sent).toEqual([
      expect.objectContaining({ method: 'private/buy', params: expect.objectContaining({ amount: 0.01 }) }),
    ])
  })

  it('an explicit sizeQuote (USD) is sent unchanged on an inverse instrument; a non-multiple or sub-minimum is refused', async () => {
    const { rpc, sent } = recordingRpc({ 'BTC-PERPETUAL': { contract_size: 10, min_trade_amount: 10 } })
    const exec = new DeribitExecutionClient(rpc)
    const base = { ...order, symbol: 'BTC-PERPETUAL', price: '60000.5', sizeBase: '0.01' }
    // 0.01 · 60000.5 = 600.005 would round down to 600; sizeQuote 610 overrides it
    await expect(exec.placeOrder({ ...base, sizeQuote: '610' })).rejects.toThrow('no order answer in this test')
    expect(sent.filter((s) => s.method === 'private/buy').map((s) => s.params.amount)).toEqual([610])
    await expect(exec.placeOrder({ ...base, clientOrderId: 'q2', sizeQuote: '605' })).rejects.toBeInstanceOf(
      InvalidDecimalError,
    )
    await expect(exec.placeOrder({ ...base, clientOrderId: 'q3', sizeQuote: '0' })).rejects.toBeInstanceOf(
      DeribitAmountBelowMinimumError,
    )
    expect(sent.filter((s) => s.method === 'private/buy')).toHaveLength(1)
  })

  it('sizeQuote on a linear instrument is refused (its amount is coin)', async () => {
    const { rpc, sent } = recordingRpc({})
    const exec = new DeribitExecutionClient(rpc)
    await expect(
      exec.placeOrder({ ...order, symbol: 'BTC_USDC-PERPETUAL', price: '60000', sizeBase: '0.01', sizeQuote: '600' }),
    ).rejects.toBeInstanceOf(InvalidDecimalError)
    expect(sent).toEqual([])
  })
})
