import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import { OrderNotPlacedError, OrderStatusUnknownError } from '../src/errors/order.js'
import { OrderNotFoundError } from '../src/errors/venue.js'
import { createGrvtClientOrderId } from '../src/grvt/clientOrderId.js'
import { GrvtExecutionClient } from '../src/grvt/execution.js'
import { GrvtHttpClient } from '../src/grvt/http/client.js'
import { waitFor } from './src/waitFor.js'

// Money safety of GRVT order entry (issue #11 items 3, 10, 11) against the venue-sim GRVT emulator, with no simulated
// market: only this file's orders are on the book.
const BTC = 'BTC_USDT_Perp'
const ETH = 'ETH_USDT_Perp'
const MAKER_KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // pysdk test key
const TAKER_KEY = '0xc0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0'
const MAKER_SUB = '8289849667772468'
const TAKER_SUB = '1111'
let emu: RunningGrvtEmulator
let seq = 1_000n
let nonce = 1
const cid = () => createGrvtClientOrderId(++seq)

function exec(
  apiKey: string,
  key: string,
  sub: string,
  extra: Partial<ConstructorParameters<typeof GrvtExecutionClient>[0]> = {},
): GrvtExecutionClient {
  return new GrvtExecutionClient({
    http: new GrvtHttpClient({
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      apiKey,
      clock: systemClock,
      timeoutMs: 400,
    }),
    signerPrivateKey: key,
    subAccountId: sub,
    chainId: 326,
    clock: systemClock,
    nextNonce: () => nonce++,
    ...extra,
  })
}

/** The maker's engine orders carrying client id `id` (the engine suffixes `#<n>` to each create). */
function engineOrders(id: string, state: 'open' | 'any' = 'any') {
  const all =
    state === 'open'
      ? emu.engine.listOpenOrders('grvt-0')
      : [...Array(200).keys()].map((n) => emu.engine.getOrder(n + 1)).filter((o) => o !== undefined)
  return all.filter((o) => o?.accountId === 'grvt-0' && o.clientOrderId.split('#')[0] === id)
}

/** Logs in and caches the instrument's signing data, so the next request sent is the create itself. */
async function warm(client: GrvtExecutionClient, symbol = BTC): Promise<void> {
  const id = cid()
  await client.placeOrder({
    symbol,
    side: 'buy',
    price: '1000.0',
    sizeBase: '0.001',
    timeInForce: 'postOnly',
    clientOrderId: id,
  })
  await client.cancelOrder({ symbol, clientOrderId: id })
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    port: 0,
    instruments: [
      { instrument: BTC, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' },
      { instrument: ETH, instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' },
    ],
    accounts: [
      { apiKey: 'maker', signerPrivateKeys: [MAKER_KEY], subAccountId: MAKER_SUB, balances: { USDT: '1000000' } },
      { apiKey: 'taker', signerPrivateKeys: [TAKER_KEY], subAccountId: TAKER_SUB, balances: { USDT: '1000000' } },
    ],
    market: { kind: 'none' },
    onInternalError: (error) => {
      throw error
    },
  })
})

afterAll(async () => {
  await emu.close()
})

beforeEach(() => {
  emu.emulator.faults.reset()
  emu.engine.cancelAll('grvt-0')
  emu.engine.cancelAll('grvt-1')
})

describe('GRVT create with an indefinite outcome (item 3)', () => {
  it('500 on a create the venue executed: the order is found by client id, returned, and never sent twice', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB)
    await warm(maker)
    const id = cid()
    emu.emulator.faults.set({ rest: { http5xxNext: 1, http5xxMode: 'after' } })
    const placed = await maker.placeOrder({
      symbol: BTC,
      side: 'buy',
      price: '43000.0',
      sizeBase: '0.300',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    expect(placed).toMatchObject({ clientOrderId: id, state: 'new', sizeBase: '0.300', side: 'buy' })
    // exactly one order with this id reached the engine, and it is the open one
    expect(engineOrders(id)).toHaveLength(1)
    expect(engineOrders(id, 'open')).toHaveLength(1)
    expect(emu.engine.listOpenOrders('grvt-0')).toHaveLength(1)
  })

  it('503 on a create the venue did not execute: absent once the signature expired → OrderNotPlacedError, nothing on the book', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB, { signatureTtlMs: 1_500, reconcileTimeoutMs: 5_000 })
    await warm(maker)
    const id = cid()
    emu.emulator.faults.set({ rest: { http5xxNext: 1, http5xxMode: 'before', http5xxStatus: 503 } })
    const started = Date.now()
    const error = await maker
      .placeOrder({
        symbol: BTC,
        side: 'buy',
        price: '43000.0',
        sizeBase: '0.300',
        timeInForce: 'postOnly',
        clientOrderId: id,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderNotPlacedError)
    // "absent" is only final once the signed order can no longer be accepted (its expiration has passed)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500)
    expect(engineOrders(id)).toHaveLength(0)
  })

  it('500 and the signature still valid when the lookup budget ends → OrderStatusUnknownError (not retryable)', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB, { reconcileTimeoutMs: 300 })
    await warm(maker)
    const id = cid()
    emu.emulator.faults.set({ rest: { http5xxNext: 1, http5xxMode: 'before' } })
    const error = await maker
      .placeOrder({
        symbol: BTC,
        side: 'sell',
        price: '90000.0',
        sizeBase: '0.300',
        timeInForce: 'postOnly',
        clientOrderId: id,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderStatusUnknownError)
    expect(error).toMatchObject({ retryable: false, clientOrderId: id, symbol: BTC })
  })

  it('a reused client id: the old cancelled order found by the lookup is not taken for the new create', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB, { signatureTtlMs: 1_200, reconcileTimeoutMs: 5_000 })
    await warm(maker)
    const id = cid()
    await maker.placeOrder({
      symbol: BTC,
      side: 'buy',
      price: '41000.0',
      sizeBase: '0.001',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    await maker.cancelOrder({ symbol: BTC, clientOrderId: id })
    emu.emulator.faults.set({ rest: { http5xxNext: 1, http5xxMode: 'before' } })
    const error = await maker
      .placeOrder({
        symbol: BTC,
        side: 'buy',
        price: '42000.0',
        sizeBase: '0.002',
        timeInForce: 'postOnly',
        clientOrderId: id,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderNotPlacedError)
    expect(engineOrders(id, 'open')).toHaveLength(0)
  })

  it('a create that times out and whose lookups fail too → OrderStatusUnknownError, no second create', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB, { reconcileTimeoutMs: 600 })
    await warm(maker)
    const id = cid()
    // the create is executed but never answered; every lookup answers 500
    emu.emulator.faults.set({ rest: { timeoutNext: 1, timeoutMode: 'after' } })
    const pending = maker.placeOrder({
      symbol: BTC,
      side: 'buy',
      price: '43000.0',
      sizeBase: '0.300',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    await waitFor(() => engineOrders(id).length === 1, 'the create executed by the venue')
    emu.emulator.faults.set({ rest: { http5xxNext: 1_000, http5xxMode: 'before' } })
    const error = await pending.catch((e: unknown) => e)
    emu.emulator.faults.reset()
    expect(error).toBeInstanceOf(OrderStatusUnknownError)
    expect(engineOrders(id)).toHaveLength(1)
  })

  it('lookupOrder: the venue view of an order by client id; null when the venue has no such order', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB)
    const id = cid()
    expect(await maker.lookupOrder({ symbol: BTC, clientOrderId: id })).toBeNull()
    await maker.placeOrder({
      symbol: BTC,
      side: 'sell',
      price: '91000.0',
      sizeBase: '0.004',
      timeInForce: 'gtc',
      clientOrderId: id,
    })
    expect(await maker.lookupOrder({ symbol: BTC, clientOrderId: id })).toMatchObject({
      clientOrderId: id,
      state: 'new',
      sizeBase: '0.004',
      price: '91000.0',
    })
    // another instrument: not that order
    expect(await maker.lookupOrder({ symbol: ETH, clientOrderId: id })).toBeNull()
    await maker.cancelOrder({ symbol: BTC, clientOrderId: id })
    expect((await maker.lookupOrder({ symbol: BTC, clientOrderId: id }))?.state).toBe('canceled')
    // a transport failure is thrown, never turned into null
    emu.emulator.faults.set({ rest: { http5xxNext: 1 } })
    await expect(maker.lookupOrder({ symbol: BTC, clientOrderId: id })).rejects.toMatchObject({ httpStatus: 500 })
  })
})

describe('GRVT amend = cancel + re-place (item 10)', () => {
  it('after a partial fill the replacement rests only the remaining part of the total size', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB)
    const taker = exec('taker', TAKER_KEY, TAKER_SUB)
    const id = cid()
    await maker.placeOrder({
      symbol: BTC,
      side: 'sell',
      price: '70000.0',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    const take = await taker.placeOrder({
      symbol: BTC,
      side: 'buy',
      price: '70000.0',
      sizeBase: '0.004',
      timeInForce: 'ioc',
      clientOrderId: cid(),
    })
    expect(take.state).toBe('filled')
    // sizeBase is the order's TOTAL size (0.010, of which 0.004 already filled)
    const amended = await maker.amendOrder({
      symbol: BTC,
      clientOrderId: id,
      side: 'sell',
      price: '70001.0',
      sizeBase: '0.010',
    })
    expect(amended).toMatchObject({ clientOrderId: id, state: 'new', price: '70001.0', sizeBase: '0.006' })
    const open = engineOrders(id, 'open')
    expect(open).toHaveLength(1)
    // 0.006 BTC = 6 lots of 0.001 resting on the venue
    expect(open[0]?.origLots).toBe(6n)
    expect(open[0]?.executedLots).toBe(0n)
  })

  it('an order already fully filled: nothing is placed, OrderNotFoundError', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB)
    const taker = exec('taker', TAKER_KEY, TAKER_SUB)
    const id = cid()
    await maker.placeOrder({
      symbol: BTC,
      side: 'sell',
      price: '70000.0',
      sizeBase: '0.003',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    await taker.placeOrder({
      symbol: BTC,
      side: 'buy',
      price: '70000.0',
      sizeBase: '0.003',
      timeInForce: 'ioc',
      clientOrderId: cid(),
    })
    const error = await maker
      .amendOrder({ symbol: BTC, clientOrderId: id, side: 'sell', price: '70001.0', sizeBase: '0.003' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderNotFoundError)
    expect(engineOrders(id, 'open')).toHaveLength(0)
    expect(engineOrders(id)).toHaveLength(1)
  })
})

describe('GRVT cancel-all is scoped to the instrument (item 11)', () => {
  it('cancelAllOrders(BTC) cancels the BTC orders and leaves the ETH order working', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB)
    const btc = [cid(), cid()]
    for (const id of btc)
      await maker.placeOrder({
        symbol: BTC,
        side: 'buy',
        price: '40000.0',
        sizeBase: '0.001',
        timeInForce: 'postOnly',
        clientOrderId: id,
      })
    const eth = cid()
    await maker.placeOrder({
      symbol: ETH,
      side: 'buy',
      price: '2000.00',
      sizeBase: '0.10',
      timeInForce: 'postOnly',
      clientOrderId: eth,
    })
    await maker.cancelAllOrders(BTC)
    const open = emu.engine.listOpenOrders('grvt-0')
    expect(open.map((o) => o.symbol)).toEqual([ETH])
    expect(open[0]?.clientOrderId.split('#')[0]).toBe(eth)
    expect((await maker.getOpenOrders()).map((o) => o.clientOrderId)).toEqual([eth])
  })
})
