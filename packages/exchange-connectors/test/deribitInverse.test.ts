import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import type { ReconciliationSnapshot } from '../src/common/privateStream.js'
import type { Balance } from '../src/common/types/account.js'
import type { Bbo, Trade } from '../src/common/types/marketData.js'
import { DeribitExecutionClient } from '../src/deribit/execution.js'
import { DeribitMarketDataClient } from '../src/deribit/marketData.js'
import type { DeribitOrder } from '../src/deribit/parse/parseOrder.js'
import type { DeribitPosition } from '../src/deribit/parse/parsePosition.js'
import type { DeribitFill } from '../src/deribit/parse/parseUserTrade.js'
import { DeribitRpcClient } from '../src/deribit/ws/client.js'
import { DeribitUserDataStream } from '../src/deribit/ws/userData.js'
import { DeribitAmountBelowMinimumError } from '../src/errors/deribit.js'
import { waitFor } from './src/waitFor.js'

// Deribit connector ↔ @alp/venue-sim Deribit emulator on an inverse instrument (BTC-PERPETUAL: amounts in USD, contract
// size 10 USD, settled in BTC), end to end over the JSON-RPC WebSocket. Expected values are computed by hand:
// USD = sizeBase · price rounded down to 10 USD; base = USD / price truncated at 12 decimals.
const INSTRUMENT = 'BTC-PERPETUAL'
const MAKER = { clientId: 'maker', clientSecret: 'maker-secret' }
const TAKER = { clientId: 'taker', clientSecret: 'taker-secret' }
let emu: RunningDeribitEmulator
let nonce = 0
const clients: DeribitRpcClient[] = []

function rpc(credentials: { clientId: string; clientSecret: string }): DeribitRpcClient {
  const client = new DeribitRpcClient({
    url: emu.wsUrl,
    clock: systemClock,
    random: () => 0.5,
    credentials,
    nonce: () => `i${++nonce}`,
    requestTimeoutMs: 5_000,
  })
  clients.push(client)
  return client
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.5', contractSize: '10' }],
    accounts: [
      { ...MAKER, balances: { BTC: '1' } },
      { ...TAKER, balances: { BTC: '1' } },
    ],
    market: { kind: 'none' },
  })
})

afterAll(async () => {
  for (const c of clients) c.close()
  await emu.close()
})

describe('Deribit connector ↔ emulator on BTC-PERPETUAL (inverse)', () => {
  const orders: DeribitOrder[] = []
  const fills: DeribitFill[] = []
  const snapshots: ReconciliationSnapshot[] = []
  const balances: Balance[] = []
  let makerRpc: DeribitRpcClient
  let exec: DeribitExecutionClient
  let user: DeribitUserDataStream

  it('place (sizeBase → USD rounded down), fill against a second account, position in BTC and USD, cancel', async () => {
    makerRpc = rpc(MAKER)
    await makerRpc.start()
    exec = new DeribitExecutionClient(makerRpc)
    user = new DeribitUserDataStream(makerRpc)
    user.on('order', (o) => orders.push(o))
    user.on('fill', (f) => fills.push(f))
    user.on('reconciled', (s) => snapshots.push(s))
    user.on('balance', (b) => balances.push(b))
    await user.subscribe([INSTRUMENT], ['BTC'])
    // the first reconciliation: nothing open, flat, 1 BTC
    expect(snapshots).toHaveLength(1)
    expect(snapshots[0]?.openOrders).toEqual([])
    expect(snapshots[0]?.balances.map((b) => [b.asset, b.wallet])).toEqual([['BTC', '1']])

    // 0.0123 BTC at 60000.5 = 738.00615 USD → 730 USD (73 contracts); back in BTC: 730 / 60000.5 = 0.012166565278…
    const ask = await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'sell',
      price: '60000.5',
      sizeBase: '0.0123',
      timeInForce: 'postOnly',
      clientOrderId: 'inv-ask',
    })
    expect(ask).toMatchObject({ state: 'new', sizeQuote: '730', sizeBase: '0.012166565278', price: '60000.5' })
    await expect(
      exec.placeOrder({
        symbol: INSTRUMENT,
        side: 'sell',
        price: '60000.5',
        sizeBase: '0.0001', // 6 USD < 10 USD
        timeInForce: 'postOnly',
        clientOrderId: 'inv-tiny',
      }),
    ).rejects.toBeInstanceOf(DeribitAmountBelowMinimumError)

    // the taker lifts 0.01 BTC at 60000.5 = 600.005 USD → 600 USD
    const takerRpc = rpc(TAKER)
    await takerRpc.start()
    const taker = new DeribitExecutionClient(takerRpc)
    const lift = await taker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '60000.5',
      sizeBase: '0.01',
      timeInForce: 'ioc',
      clientOrderId: 'inv-lift',
    })
    expect(lift).toMatchObject({ state: 'filled', sizeQuote: '600', filledSizeQuote: '600', avgFillPrice: '60000.5' })

    await waitFor(() => fills.some((f) => f.clientOrderId === 'inv-ask'), 'maker fill on user.trades')
    // user.portfolio.btc follows the fill (coin margin at 50×, each rounded up to 10^-8 BTC):
    // short 600 USD at mark 60000.5 = 0.00999991 BTC → IM 0.0002; open ask 130 USD = 0.00216664 BTC → 0.00004334;
    // available = 1 − 0.0002 − 0.00004334 = 0.99975666
    const portfolio = await waitFor(
      () => balances.find((b) => b.asset === 'BTC' && b.available === '0.99975666'),
      'user.portfolio.btc after the fill',
    )
    expect(portfolio?.wallet).toBe('1')
    // 600 / 60000.5 = 0.009999916667|36… BTC; maker fee 0
    expect(fills.find((f) => f.clientOrderId === 'inv-ask')).toMatchObject({
      side: 'sell',
      price: '60000.5',
      sizeQuote: '600',
      sizeBase: '0.009999916667',
      feeAsset: 'BTC',
      fee: '0',
      isMaker: true,
    })
    const position = (await user.getPositions('BTC')).find((p) => p.symbol === INSTRUMENT) as DeribitPosition
    // mark = last trade 60000.5 (no bid left): size_currency = −600 / 60000.5 = −0.00999991|6… (Deribit's coin value)
    expect(position).toMatchObject({
      sizeQuote: '-600',
      sizeBase: '-0.00999991',
      entryPrice: '60000.5',
      pnlAsset: 'BTC',
    })
    // the taker paid 0.05 % of 0.0099999166… BTC = 0.00000499995… → 0.000005 BTC (rounded up by the venue)
    const takerUser = new DeribitUserDataStream(takerRpc)
    expect((await takerUser.getAccountSummary('BTC')).wallet).toBe('0.999995')

    const cancelled = await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'inv-ask' })
    expect(cancelled).toMatchObject({ state: 'canceled', sizeQuote: '730', filledSizeQuote: '600' })
    await waitFor(
      () => orders.some((o) => o.clientOrderId === 'inv-ask' && o.state === 'canceled'),
      'user.orders cancel of the inverse ask',
    )
  })

  it('after the socket drops, the private stream re-reads open orders, positions and balances and emits reconciled', async () => {
    // a resting bid: 0.002 BTC at 50000 = 100 USD (cancel-on-disconnect is off on this connection)
    const bid = await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '50000',
      sizeBase: '0.002',
      timeInForce: 'postOnly',
      clientOrderId: 'rc-bid',
    })
    expect(bid).toMatchObject({ sizeQuote: '100', sizeBase: '0.002' })
    const before = snapshots.length
    const connections = makerRpc.socket.connectionCount
    emu.emulator.disconnectAll()
    // while the maker is away the taker sells 40 USD into the bid (the maker's socket is gone: no user.trades for it)
    const taker = emu.emulator.accountIdOf(TAKER.clientId)
    const sold = emu.engine.placeOrder({
      accountId: taker,
      symbol: INSTRUMENT,
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'IOC',
      priceTicks: 100_000n, // 50000 / 0.5
      lots: 4n, // 4 contracts of 10 USD
      clientOrderId: 'away-sell',
    })
    expect(sold.ok).toBe(true)
    await waitFor(() => makerRpc.socket.connectionCount > connections, 'maker reconnected')
    await waitFor(() => snapshots.length > before, 'reconciled after the reconnect')
    const snapshot = snapshots[snapshots.length - 1] as ReconciliationSnapshot
    expect(snapshot.openOrders).toHaveLength(1)
    // 40 of 100 USD filled at 50000: 0.0008 BTC of 0.002
    expect(snapshot.openOrders[0]).toMatchObject({
      clientOrderId: 'rc-bid',
      state: 'partiallyFilled',
      sizeQuote: '100',
      filledSizeQuote: '40',
      sizeBase: '0.002',
      filledSizeBase: '0.0008',
    })
    // short 600 then bought 40 → short 560 USD; mark = last trade 50000 → −560 / 50000 = −0.0112 BTC
    expect(snapshot.positions.find((p) => p.symbol === INSTRUMENT)).toMatchObject({
      sizeQuote: '-560',
      sizeBase: '-0.0112',
    })
    expect(snapshot.balances.map((b) => b.asset)).toEqual(['BTC'])
    await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'rc-bid' })
  })

  it('amend on an inverse order: 0.003 BTC at 45000.5 = 135.0015 USD → amount 130 (private/edit)', async () => {
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '40000',
      sizeBase: '0.001', // 40 USD
      timeInForce: 'postOnly',
      clientOrderId: 'am-bid',
    })
    const amended = await exec.amendOrder({
      symbol: INSTRUMENT,
      clientOrderId: 'am-bid',
      side: 'buy',
      price: '45000.5',
      sizeBase: '0.003',
    })
    // 130 / 45000.5 = 0.002888856790|48… BTC
    expect(amended).toMatchObject({ price: '45000.5', sizeQuote: '130', sizeBase: '0.00288885679', state: 'new' })
    await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'am-bid' })
  })

  it('market data: BBO and trade sizes are USD / price in BTC (30 USD at 50000 = 0.0006 BTC)', async () => {
    const publicRpc = new DeribitRpcClient({
      url: emu.wsUrl,
      clock: systemClock,
      random: () => 0.5,
      nonce: () => `m${++nonce}`,
      requestTimeoutMs: 5_000,
    })
    clients.push(publicRpc)
    await publicRpc.start()
    const md = new DeribitMarketDataClient(publicRpc)
    const bbos: Bbo[] = []
    const trades: Trade[] = []
    md.on('bbo', (b) => bbos.push(b))
    md.on('trade', (t) => trades.push(t))
    await md.subscribeBbo(INSTRUMENT)
    await md.subscribeTrades(INSTRUMENT)
    // external depth: bid 3 contracts (30 USD) at 49000, ask 6 contracts (60 USD) at 60000 (ticks of 0.5)
    emu.engine.applyExternalDepth(INSTRUMENT, [[98_000n, 3n]], [[120_000n, 6n]])
    emu.tick()
    const bbo = await waitFor(
      () => bbos.find((b) => b.bidPrice === '49000' && b.askPrice === '60000'),
      'a ticker with the external depth',
    )
    // 30 / 49000 = 0.000612244897|95… → 0.000612244897; 60 / 60000 = 0.001
    expect(bbo).toMatchObject({ bidSizeBase: '0.000612244897', askSizeBase: '0.001' })
    emu.engine.applyExternalTrade(INSTRUMENT, 120_000n, 2n, 'BUY')
    emu.tick()
    const trade = await waitFor(() => trades.find((t) => t.price === '60000'), 'the external trade')
    // 20 USD at 60000 = 0.000333333333|33… BTC
    expect(trade).toMatchObject({ sizeBase: '0.000333333333', side: 'buy' })
  })
})
