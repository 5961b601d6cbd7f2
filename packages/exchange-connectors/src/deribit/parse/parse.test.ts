import { describe, expect, it } from 'vitest'
import { MalformedFrameError } from '../../errors/transport.js'
import { parseDeribitInstrument } from './parseInstrument.js'
import { parseDeribitOrder } from './parseOrder.js'
import { parseDeribitPosition } from './parsePosition.js'
import { parseDeribitUserTrade } from './parseUserTrade.js'

// Payload shapes and values from Deribit's documentation examples (as quoted in ccxt 4.5.84 deribit.js comments).
// Inverse instruments: amounts in USD; base sizes are USD / price, truncated toward zero at 12 decimals.
const orderBase = {
  order_id: 'BTC-1',
  label: 'q1',
  direction: 'buy',
  time_in_force: 'good_til_cancelled',
  post_only: true,
  reduce_only: false,
  last_update_timestamp: 1_700_000_000_000,
}

describe('Deribit parsers on inverse instruments', () => {
  it('get_instruments BTC-PERPETUAL (docs example): reversed, USD amounts, contract 10, settles in BTC', () => {
    const instrument = parseDeribitInstrument({
      tick_size: 0.5,
      taker_commission: 0.0005,
      settlement_period: 'perpetual',
      settlement_currency: 'BTC',
      quote_currency: 'USD',
      min_trade_amount: 10.0,
      max_leverage: 50,
      maker_commission: 0.0,
      kind: 'future',
      is_active: true,
      instrument_name: 'BTC-PERPETUAL',
      future_type: 'reversed',
      expiration_timestamp: 32503708800000,
      creation_timestamp: 1534242287000,
      counter_currency: 'USD',
      contract_size: 10.0,
      base_currency: 'BTC',
    })
    expect(instrument).toMatchObject({
      instrumentName: 'BTC-PERPETUAL',
      kind: 'future',
      instrumentType: 'reversed',
      amountUnit: 'usd',
      base: 'BTC',
      quote: 'USD',
      settle: 'BTC',
      tickSize: '0.5',
      contractSize: '10',
      minTradeAmount: '10',
      expirationTsMs: undefined,
    })
    expect(instrument.amountGrid.increment).toBe('10')
  })

  it('a BTC option (docs example) sizes in coin: amountUnit base, min 0.1', () => {
    const option = parseDeribitInstrument({
      tick_size: 0.0005,
      settlement_period: 'month',
      settlement_currency: 'BTC',
      quote_currency: 'BTC',
      min_trade_amount: 0.1,
      kind: 'option',
      instrument_name: 'BTC-24JUN22-52000-P',
      expiration_timestamp: 1656057600000,
      counter_currency: 'USD',
      contract_size: 1.0,
      base_currency: 'BTC',
    })
    expect(option).toMatchObject({ amountUnit: 'base', minTradeAmount: '0.1', expirationTsMs: 1656057600000 })
  })

  it('an inverse order: sizeBase = 730 / 60000.5 = 0.012166565278|62… (truncated), USD kept in sizeQuote', () => {
    const order = parseDeribitOrder({
      ...orderBase,
      instrument_name: 'BTC-PERPETUAL',
      order_state: 'open',
      amount: 730,
      filled_amount: 0,
      price: 60000.5,
      average_price: 0,
    })
    expect(order).toMatchObject({
      sizeBase: '0.012166565278',
      filledSizeBase: '0',
      sizeQuote: '730',
      filledSizeQuote: '0',
      state: 'new',
    })
  })

  it('a partly filled inverse order: filledSizeBase = filled USD / average price (300 / 60000 = 0.005)', () => {
    const order = parseDeribitOrder({
      ...orderBase,
      instrument_name: 'BTC-27DEC24',
      order_state: 'open',
      amount: 1000,
      filled_amount: 300,
      price: 50000,
      average_price: 60000,
    })
    expect(order).toMatchObject({
      sizeBase: '0.02',
      filledSizeBase: '0.005',
      filledSizeQuote: '300',
      state: 'partiallyFilled',
    })
  })

  it('a linear order keeps coin amounts and has no sizeQuote', () => {
    const order = parseDeribitOrder({
      ...orderBase,
      instrument_name: 'BTC_USDC-PERPETUAL',
      order_state: 'open',
      amount: 0.01,
      filled_amount: 0,
      price: 60000,
      average_price: 0,
    })
    expect(order).toMatchObject({ sizeBase: '0.01', sizeQuote: undefined })
  })

  it('an inverse market order with no fills has no base size: malformed, not guessed', () => {
    expect(() =>
      parseDeribitOrder({
        ...orderBase,
        instrument_name: 'BTC-PERPETUAL',
        order_state: 'open',
        amount: 10,
        filled_amount: 0,
        price: 'market_price',
        average_price: 0,
      }),
    ).toThrow(MalformedFrameError)
  })

  it('get_positions BTC-PERPETUAL (docs example: size 50 USD, size_currency 0.006687487 BTC)', () => {
    const position = parseDeribitPosition(
      {
        average_price: 7440.18,
        delta: 0.006687487,
        direction: 'buy',
        floating_profit_loss: 0,
        instrument_name: 'BTC-PERPETUAL',
        kind: 'future',
        mark_price: 7476.65,
        size: 50,
        size_currency: 0.006687487,
        total_profit_loss: 0.000032781,
      },
      1,
    )
    expect(position).toMatchObject({
      sizeBase: '0.006687487',
      sizeQuote: '50',
      entryPrice: '7440.18',
      pnlAsset: 'BTC',
    })
    expect(() =>
      parseDeribitPosition(
        { instrument_name: 'BTC-PERPETUAL', size: 50, average_price: 7440.18, floating_profit_loss: 0 },
        1,
      ),
    ).toThrow(/size_currency/)
  })

  it('user.trades on BTC-PERPETUAL: 10 USD at 60000 = 0.000166666666 BTC (truncated), fee in BTC', () => {
    const fill = parseDeribitUserTrade({
      trade_id: '7',
      order_id: 'BTC-1',
      label: 'q1',
      instrument_name: 'BTC-PERPETUAL',
      direction: 'sell',
      amount: 10,
      price: 60000,
      fee: 8.3e-8,
      fee_currency: 'BTC',
      liquidity: 'T',
      timestamp: 1,
    })
    expect(fill).toMatchObject({
      sizeBase: '0.000166666666',
      sizeQuote: '10',
      fee: '0.000000083',
      feeAsset: 'BTC',
      isMaker: false,
    })
  })

  it('bad enums and non-finite or out-of-range numbers are malformed, naming the field (never a silent sell)', () => {
    const open = {
      ...orderBase,
      instrument_name: 'BTC_USDC-PERPETUAL',
      order_state: 'open',
      order_type: 'limit',
      amount: 0.01,
      filled_amount: 0,
      price: 60000,
      average_price: 0,
    }
    expect(parseDeribitOrder(open)).toMatchObject({ side: 'buy', state: 'new' })
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ direction: 'BUY' }, 'direction'],
      [{ direction: 'Sell' }, 'direction'],
      [{ order_state: 'OPEN' }, 'order_state'],
      [{ order_type: 'iceberg' }, 'order_type'],
      [{ time_in_force: 'gtc' }, 'time_in_force'],
      [{ price: Number.POSITIVE_INFINITY }, 'price'],
      [{ price: -1 }, 'price'],
      [{ amount: Number.NaN }, 'amount'],
      [{ filled_amount: 0.02 }, 'filled_amount'],
      [{ average_price: Number.NEGATIVE_INFINITY }, 'average_price'],
      [{ last_update_timestamp: 1.5 }, 'last_update_timestamp'],
      [{ post_only: 'true' }, 'post_only'],
    ]
    for (const [patch, field] of cases) {
      let error: unknown
      try {
        parseDeribitOrder({ ...open, ...patch })
      } catch (e) {
        error = e
      }
      expect(error, JSON.stringify(patch)).toBeInstanceOf(MalformedFrameError)
      expect((error as MalformedFrameError).field).toBe(field)
    }
    const trade = {
      trade_id: '7',
      order_id: 'BTC-1',
      instrument_name: 'BTC_USDC-PERPETUAL',
      direction: 'sell',
      amount: 0.01,
      price: 60000,
      fee: -0.01,
      fee_currency: 'USDC',
      liquidity: 'M',
      timestamp: 1,
    }
    expect(parseDeribitUserTrade(trade)).toMatchObject({ side: 'sell', fee: '-0.01', isMaker: true })
    for (const [patch, field] of [
      [{ direction: 'BUY' }, 'direction'],
      [{ liquidity: 'maker' }, 'liquidity'],
      [{ amount: Number.POSITIVE_INFINITY }, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ fee: Number.NaN }, 'fee'],
      [{ timestamp: -1 }, 'timestamp'],
    ] as Array<[Record<string, unknown>, string]>)
      expect(() => parseDeribitUserTrade({ ...trade, ...patch })).toThrow(
        expect.objectContaining({ name: 'MalformedFrameError', field }),
      )
  })
})
