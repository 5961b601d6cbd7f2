import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'

// Inverse (coin-margined) Deribit instruments over the emulator's HTTP API, as a REST client sees them.
// Deribit facts: BTC-PERPETUAL contract_size 10 (USD), ETH-PERPETUAL 1; amounts of inverse futures are USD; fees,
// PnL and margin are in the coin; `size_currency` = size / mark. Expected coin values are computed by hand below.
let emu: RunningDeribitEmulator
const A = { id: 'alice', secret: 'alice-secret' }
const B = { id: 'bob', secret: 'bob-secret' }
const tokens = new Map<string, string>()

type Answer = { result?: unknown; error?: { code: number; message: string; data?: unknown } }

async function call(method: string, params: Record<string, string | number | boolean>, who?: typeof A) {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))
  const headers: Record<string, string> = {}
  if (who) headers.authorization = `Bearer ${tokens.get(who.id)}`
  const res = await fetch(`${emu.restUrl}/api/v2/${method}?${query}`, { headers })
  return (await res.json()) as Answer
}

async function login(who: typeof A): Promise<void> {
  const answer = await call('public/auth', {
    grant_type: 'client_credentials',
    client_id: who.id,
    client_secret: who.secret,
  })
  tokens.set(who.id, (answer.result as { access_token: string }).access_token)
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [
      'BTC-PERPETUAL',
      { instrumentName: 'BTC-27DEC24', tickSize: '2.5' },
      { instrumentName: 'ETH-PERPETUAL', tickSize: '0.05' },
      'ETH_USDC-PERPETUAL',
    ],
    accounts: [
      { clientId: A.id, clientSecret: A.secret, balances: { BTC: '1', ETH: '10', USDC: '100000' } },
      { clientId: B.id, clientSecret: B.secret, balances: { BTC: '1', ETH: '10', USDC: '100000' } },
    ],
    market: { kind: 'none' },
    tickIntervalMs: null,
    clock: { nowMs: () => 1_700_000_000_000 },
  })
  await login(A)
  await login(B)
})

afterAll(async () => {
  await emu.close()
})

describe('Deribit emulator: inverse instruments', () => {
  it('get_instruments lists inverse perpetual and dated future as Deribit does (reversed, USD contracts, coin settled)', async () => {
    const btc = (await call('public/get_instruments', { currency: 'BTC' })).result as Array<Record<string, unknown>>
    expect(btc.map((i) => i.instrument_name)).toEqual(['BTC-PERPETUAL', 'BTC-27DEC24'])
    expect(btc[0]).toMatchObject({
      kind: 'future',
      instrument_type: 'reversed',
      settlement_period: 'perpetual',
      settlement_currency: 'BTC',
      base_currency: 'BTC',
      quote_currency: 'USD',
      counter_currency: 'USD',
      contract_size: 10,
      min_trade_amount: 10,
      tick_size: 0.5,
    })
    // 27 Dec 2024 08:00 UTC = 1 Jan 2025 00:00 UTC (1735689600 s) − 5 days + 8 h
    expect(btc[1]).toMatchObject({
      settlement_period: 'month',
      tick_size: 2.5,
      contract_size: 10,
      expiration_timestamp: (1_735_689_600 - 5 * 86_400 + 8 * 3_600) * 1000,
    })
    const eth = (await call('public/get_instrument', { instrument_name: 'ETH-PERPETUAL' })).result
    expect(eth).toMatchObject({ contract_size: 1, min_trade_amount: 1, settlement_currency: 'ETH', tick_size: 0.05 })
    // the linear instrument is listed under USDC, unchanged
    const usdc = (await call('public/get_instruments', { currency: 'USDC' })).result as Array<Record<string, unknown>>
    expect(usdc.map((i) => [i.instrument_name, i.instrument_type, i.settlement_currency])).toEqual([
      ['ETH_USDC-PERPETUAL', 'linear', 'USDC'],
    ])
  })

  it('rejects an amount that is not a multiple of the contract size with Deribit -32602 "must be a multiple of contract size"', async () => {
    const answer = await call(
      'private/buy',
      { instrument_name: 'BTC-PERPETUAL', amount: 15, type: 'limit', price: 50000, label: 'odd' },
      A,
    )
    expect(answer.error).toEqual({
      code: -32602,
      message: 'Invalid params',
      data: { reason: 'must be a multiple of contract size', param: 'amount' },
    })
    const fractional = await call(
      'private/buy',
      { instrument_name: 'BTC-PERPETUAL', amount: 10.5, type: 'limit', price: 50000 },
      A,
    )
    expect(fractional.error?.code).toBe(-32602)
  })

  it('accepts `contracts` instead of `amount`: 3 contracts of ETH-PERPETUAL (1 USD) = amount 3', async () => {
    const answer = await call(
      'private/buy',
      { instrument_name: 'ETH-PERPETUAL', contracts: 3, type: 'limit', price: 2000, label: 'by-contracts' },
      A,
    )
    expect(answer.result).toMatchObject({
      order: { amount: 3, contracts: 3, order_id: expect.stringMatching(/^ETH-/) },
    })
    const id = (answer.result as { order: { order_id: string } }).order.order_id
    expect((await call('private/cancel', { order_id: id }, A)).result).toMatchObject({ order_state: 'cancelled' })
  })

  it('USD amounts match; positions report size in USD and size_currency in BTC; fees, PnL and balances in BTC', async () => {
    const ask = await call(
      'private/sell',
      {
        instrument_name: 'BTC-PERPETUAL',
        amount: 1000,
        type: 'limit',
        price: 50000,
        post_only: true,
        reject_post_only: true,
        label: 'a-ask',
      },
      A,
    )
    expect(ask.result).toMatchObject({
      order: { order_state: 'open', amount: 1000, contracts: 100, price: 50000, label: 'a-ask' },
    })
    expect((ask.result as { order: { order_id: string } }).order.order_id).toMatch(/^BTC-\d+$/)
    const lift = await call(
      'private/buy',
      {
        instrument_name: 'BTC-PERPETUAL',
        amount: 1000,
        type: 'limit',
        price: 50000,
        time_in_force: 'immediate_or_cancel',
      },
      B,
    )
    // taker fee 0.05 % of 1000/50000 = 0.02 BTC → 0.00001 BTC
    expect(lift.result).toMatchObject({
      order: { order_state: 'filled', filled_amount: 1000, average_price: 50000 },
      trades: [{ amount: 1000, price: 50000, fee: 0.00001, fee_currency: 'BTC', liquidity: 'T' }],
    })
    const shortA = (await call('private/get_position', { instrument_name: 'BTC-PERPETUAL' }, A)).result
    // mark = last trade 50000 (empty book): size_currency = −1000/50000 = −0.02; IM = 0.02 / 50 = 0.0004
    expect(shortA).toMatchObject({
      direction: 'sell',
      size: -1000,
      size_currency: -0.02,
      average_price: 50000,
      floating_profit_loss: 0,
      initial_margin: 0.0004,
    })
    const summaryA = (await call('private/get_account_summary', { currency: 'BTC' }, A)).result
    expect(summaryA).toMatchObject({ currency: 'BTC', balance: 1, equity: 1, available_funds: 0.9996 })
    const summaryB = (await call('private/get_account_summary', { currency: 'BTC' }, B)).result
    expect(summaryB).toMatchObject({ balance: 0.99999 })

    // the short is bought back at 62 500: realized 1000/62500 − 1000/50000 = −0.004 BTC, taker fee 0.016 · 0.0005
    await call(
      'private/sell',
      { instrument_name: 'BTC-PERPETUAL', amount: 1000, type: 'limit', price: 62500, post_only: true, label: 'b-ask' },
      B,
    )
    const cover = await call(
      'private/buy',
      {
        instrument_name: 'BTC-PERPETUAL',
        amount: 1000,
        type: 'limit',
        price: 62500,
        time_in_force: 'immediate_or_cancel',
      },
      A,
    )
    expect(cover.result).toMatchObject({ trades: [{ fee: 0.000008, fee_currency: 'BTC', profit_loss: -0.004 }] })
    const flat = (await call('private/get_position', { instrument_name: 'BTC-PERPETUAL' }, A)).result
    expect(flat).toMatchObject({ size: 0, size_currency: 0, realized_profit_loss: -0.004, direction: 'zero' })
    // 1 − 0.004 − 0.000008
    expect((await call('private/get_account_summary', { currency: 'BTC' }, A)).result).toMatchObject({
      balance: 0.995992,
    })
    // B is flat too (bought 1000 at 50000, sold 1000 at 62500): +0.004 BTC − 0.00001 taker fee (maker fee 0)
    expect((await call('private/get_account_summary', { currency: 'BTC' }, B)).result).toMatchObject({
      balance: 1.00399,
    })
  })

  it('refuses an inverse order whose coin margin exceeds the wallet (10009 not_enough_funds)', async () => {
    // 1 BTC at 50× covers ≈ 50 BTC of orders: 10 000 000 USD at 50 000 is 200 BTC
    const answer = await call(
      'private/buy',
      { instrument_name: 'BTC-PERPETUAL', amount: 10_000_000, type: 'limit', price: 50000, label: 'big' },
      A,
    )
    expect(answer.error?.code).toBe(10009)
    // the same through private/edit: a 100 USD bid raised to 10 000 000 USD is refused and stays as it was
    const small = await call(
      'private/buy',
      { instrument_name: 'BTC-PERPETUAL', amount: 100, type: 'limit', price: 50000, label: 'small' },
      A,
    )
    const id = (small.result as { order: { order_id: string } }).order.order_id
    const edit = await call('private/edit', { order_id: id, amount: 10_000_000, price: 50000 }, A)
    expect(edit.error?.code).toBe(10009)
    expect((await call('private/get_order_state', { order_id: id }, A)).result).toMatchObject({ amount: 100 })
    await call('private/cancel', { order_id: id }, A)
  })
})
