import ccxt from 'ccxt'
import { Signature, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningGrvtEmulator, startGrvtEmulator } from '../src/grvt/index.js'

// Third-party client acceptance: ccxt 4.5.84 `grvt` (wallet login signed as EIP-712 `WalletLogin`, builder
// authorization `AuthorizeBuilder`, orders signed as `OrderWithBuilderFee` or `Order`) and ccxt.pro `grvt`
// (watchOrderBook on `v1.book.d`) work unchanged against the emulator apart from their URLs.
//
// The two wallet keys below are the public anvil/hardhat development keys #1 and #2. They hold nothing anywhere and are
// used here for the emulator only.
const WALLET_A = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const WALLET_B = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'
const UNREGISTERED = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6' // anvil #3
const ADDRESS_A = new Wallet(WALLET_A).address.toLowerCase()
const ADDRESS_B = new Wallet(WALLET_B).address.toLowerCase()
const SUB_A = '8289849667772468'
const SUB_B = '4110889093865147'
const SYMBOL = 'BTC/USDT:USDT'
const INSTRUMENT = 'BTC_USDT_Perp'
/** ccxt 4.5.84 `options.builder`: the builder every ccxt order names unless `builderFee` is false. */
const CCXT_BUILDER = '0x21d2a053495994b1132a38cd1171acec40c6741e'
let emu: RunningGrvtEmulator
let a: InstanceType<typeof ccxt.grvt>
let b: InstanceType<typeof ccxt.grvt>

function pointAtEmulator<T extends InstanceType<typeof ccxt.grvt>>(client: T): T {
  client.setSandboxMode(true) // testnet: EIP-712 chain id 326, as the emulator
  client.urls.api = {
    privateEdge: `${emu.restUrl}/`,
    privateTrading: `${emu.restUrl}/`,
    publicMarket: `${emu.restUrl}/`,
    ws: { publicMarket: emu.wsUrl, privateTrading: emu.wsUrl },
  } as unknown as typeof client.urls.api
  return client
}

const makeClient = (privateKey: string, options: Record<string, unknown> = {}) =>
  // the rate limiter is the client's own pacing (up to 1 s per login): off, it changes no request
  pointAtEmulator(new ccxt.grvt({ privateKey, options, enableRateLimit: false }))

/** The venue order id ccxt parsed (GRVT ids are 0x-prefixed hex). */
function idOf(order: { id?: string | undefined }): string {
  expect(order.id).toMatch(/^0x[0-9a-f]+$/)
  return order.id as string
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setImmediate(resolve)) // let I/O run between polls (not a timed wait)
  }
}

/** A `POST /auth/wallet/login` body signed by `signerKey` (ethers, independent of ccxt) claiming `address`. */
async function walletLoginBody(signerKey: string, address: string, nonce: number, lifetimeSec: number) {
  const expiration = (BigInt(Date.now()) * 1_000_000n + BigInt(lifetimeSec) * 1_000_000_000n).toString()
  const domain = { name: 'GRVT Exchange', version: '0', chainId: 326 }
  const types = {
    WalletLogin: [
      { name: 'signer', type: 'address' },
      { name: 'nonce', type: 'uint32' },
      { name: 'expiration', type: 'int64' },
    ],
  }
  const wallet = new Wallet(signerKey)
  const signature = await wallet.signTypedData(domain, types, { signer: address, nonce, expiration })
  const { r, s, v } = Signature.from(signature)
  return { address, signature: { signer: address, r, s, v, nonce, expiration, chain_id: '326' } }
}

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown; cookie: string | null }> {
  const res = await fetch(`${emu.restUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json(), cookie: res.headers.get('set-cookie') }
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [
      { instrument: INSTRUMENT, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' },
      { instrument: 'ETH_USDT_Perp', instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' },
    ],
    accounts: [
      { mainAccountPrivateKey: WALLET_A, signerPrivateKeys: [], subAccountId: SUB_A, balances: { USDT: '100000' } },
      { mainAccountPrivateKey: WALLET_B, signerPrivateKeys: [], subAccountId: SUB_B, balances: { USDT: '100000' } },
    ],
  })
  // resting liquidity of other participants: 1.5 BTC bid at 64000.0 and offered at 66000.0
  emu.engine.applyExternalDepth(INSTRUMENT, [[640000n, 1500n]], [[660000n, 1500n]])
  emu.tick()
  // ccxt's builder fee cap and order fee: 0.02 % (signed as 0.02 × 10^4 = 200)
  a = makeClient(WALLET_A, { builderRate: 0.02 })
  // B says it already approved the builder, so ccxt skips authorize_builder: its builder orders must be refused
  b = makeClient(WALLET_B, { approvedBuilderFee: true })
})

afterAll(async () => {
  await emu.close()
})

describe('ccxt.grvt against the emulator', () => {
  it('loadMarkets logs in with the wallet, finds the one sub-account and authorizes ccxt’s builder', async () => {
    const markets = await a.loadMarkets()
    const m = markets[SYMBOL]
    expect(m).toMatchObject({ id: INSTRUMENT, swap: true, linear: true, settle: 'USDT', base: 'BTC', quote: 'USDT' })
    expect(m?.precision.price).toBe(0.1)
    expect(m?.precision.amount).toBe(0.001)
    expect(a.options.AuthCookieValue).toMatch(/^gravity=[0-9a-f]{64}$/)
    expect(a.options.AuthAccountId).toBe(ADDRESS_A)
    expect(a.options.userMainAccountId).toBe(ADDRESS_A) // aggregated_account_summary.main_account_id
    expect(a.options.accountId).toBe(SUB_A) // get_sub_accounts → the only sub-account
    expect(a.options.builder).toBe(CCXT_BUILDER)
    expect(a.options.approvedBuilderFee).toBe(true)
    expect(a.options.builderFee).toBe(true) // ccxt turns this off silently when authorize_builder fails
    expect(emu.emulator.authorizedBuilders(ADDRESS_A).get(CCXT_BUILDER)).toEqual({
      maxFuturesFeeRate: '0.02',
      maxSpotFeeRate: '0.02',
      maxFuturesFeeE4: 200n,
    })
    await b.loadMarkets()
    expect(b.options.accountId).toBe(SUB_B)
    expect(emu.emulator.authorizedBuilders(ADDRESS_B).size).toBe(0)
  })

  it('fetchOrderBook and fetchTicker show the emulator book', async () => {
    const book = await a.fetchOrderBook(SYMBOL)
    expect(book.bids[0]).toEqual([64000, 1.5])
    expect(book.asks[0]).toEqual([66000, 1.5])
    const ticker = await a.fetchTicker(SYMBOL)
    expect(ticker).toMatchObject({ symbol: SYMBOL, bid: 64000, ask: 66000, bidVolume: 1.5, askVolume: 1.5 })
    expect((ticker.info as Record<string, unknown>).mid_price).toBe('65000.00')
  })

  it('a post-only limit order rests at the scaled price; fetchOpenOrders, fetchOrder and cancelOrder follow it', async () => {
    const order = await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 65000.1, { postOnly: true })
    expect(order).toMatchObject({ status: 'open', price: 65000.1, amount: 0.01, side: 'buy', postOnly: true })
    expect(order.info).toMatchObject({ builder: CCXT_BUILDER, builder_fee: '0.02' })
    // 65000.1 / tick 0.1 = 650001 ticks; 0.01 / step 0.001 = 10 lots
    expect(emu.engine.snapshot(INSTRUMENT, 1).bids).toEqual([[650001n, 10n]])
    const open = await a.fetchOpenOrders(SYMBOL)
    expect(open.map((o) => o.id)).toEqual([order.id])
    expect(await a.fetchOrder(idOf(order))).toMatchObject({ id: order.id, status: 'open', price: 65000.1 })
    await a.cancelOrder(idOf(order))
    expect(emu.engine.listOpenOrders('grvt-0')).toEqual([])
    expect(emu.engine.snapshot(INSTRUMENT, 1).bids).toEqual([[640000n, 1500n]])
    expect(await a.fetchOrder(idOf(order))).toMatchObject({ id: order.id, status: 'canceled' })
    // a post-only buy at the best offer would take: GRVT answers with the order REJECTED (FAIL_POST_ONLY)
    const crossing = await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 66000, { postOnly: true })
    expect(crossing.status).toBe('rejected')
    expect((crossing.info as { state: { reject_reason: string } }).state.reject_reason).toBe('FAIL_POST_ONLY')
    expect(emu.engine.listOpenOrders('grvt-0')).toEqual([])
  })

  it('cancelAllOrders(symbol) and fetchPositions(symbols) are filtered by base/quote as GRVT filters them', async () => {
    const eth = await a.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.5, 2500.05, { postOnly: true })
    await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 63000, { postOnly: true })
    await a.cancelAllOrders(SYMBOL)
    // only the BTC order went: the ETH bid (2500.05 / 0.01 = 250005 ticks, 0.5 / 0.01 = 50 lots) still rests
    expect(emu.engine.listOpenOrders('grvt-0').map((o) => [o.symbol, o.priceTicks, o.origLots])).toEqual([
      ['ETH_USDT_Perp', 250005n, 50n],
    ])
    expect((await a.fetchOpenOrders()).map((o) => o.id)).toEqual([idOf(eth)])
    await a.cancelAllOrders()
    expect(emu.engine.listOpenOrders('grvt-0')).toEqual([])
  })

  it('builder orders need the main account’s approval, within its cap (GRVT 1001 → ccxt PermissionDenied)', async () => {
    // B never authorized ccxt's builder
    await expect(b.createOrder(SYMBOL, 'limit', 'sell', 0.01, 65100, { postOnly: true })).rejects.toBeInstanceOf(
      ccxt.PermissionDenied,
    )
    // A authorized 0.02 %: 0.05 % is above the cap
    a.options.builderRate = 0.05
    try {
      await expect(a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 64900, { postOnly: true })).rejects.toBeInstanceOf(
        ccxt.PermissionDenied,
      )
    } finally {
      a.options.builderRate = 0.02
    }
    expect(emu.engine.listOpenOrders('grvt-0')).toEqual([])
    expect(emu.engine.listOpenOrders('grvt-1')).toEqual([])
    // without a builder, B's orders are signed as plain `Order` and accepted
    b.options.builderFee = false
  })

  it('a fill against a second account: positions and balances (maker rebate, taker fee, builder fee)', async () => {
    const bid = await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 65000.1, { postOnly: true })
    expect(bid.status).toBe('open')
    const sell = await b.createOrder(SYMBOL, 'limit', 'sell', 0.01, 65000.1)
    expect(sell).toMatchObject({ status: 'closed', filled: 0.01, average: 65000.1 })
    expect(sell.info).toMatchObject({ builder: '0x00', builder_fee: '0.0' })
    expect(await a.fetchOrder(idOf(bid))).toMatchObject({ status: 'closed', filled: 0.01 })

    // ccxt also filters by symbol itself: ask the venue directly (ccxt's raw endpoint) to see its own filter
    const positions = (body: Record<string, unknown>) =>
      a.privateTradingPostFullV1Positions({ sub_account_id: SUB_A, ...body }) as Promise<{ result: unknown[] }>
    expect((await positions({ base: ['ETH'], quote: ['USDT'] })).result).toEqual([])
    expect((await positions({ base: ['BTC'], quote: ['USDT'] })).result).toMatchObject([{ instrument: INSTRUMENT }])
    const [longA] = await a.fetchPositions([SYMBOL])
    expect(longA).toMatchObject({ symbol: SYMBOL, side: 'long', contracts: 0.01, entryPrice: 65000.1 })
    const [shortB] = await b.fetchPositions([SYMBOL])
    expect(shortB).toMatchObject({ symbol: SYMBOL, side: 'short', contracts: 0.01, entryPrice: 65000.1 })

    // notional 0.01 × 65000.1 = 650.001 USDT.
    // A (maker, builder order): + 650.001 × 100 ppm rebate = 0.0650001; − 650.001 × 0.02 % builder fee = 0.1300002
    //   → 100000 + 0.0650001 − 0.1300002 = 99999.9349999
    // B (taker, no builder): − 650.001 × 450 ppm = 0.29250045 → 99999.70749955
    const balanceA = await a.fetchBalance()
    expect((balanceA.info as { spot_balances: Array<{ balance: string }> }).spot_balances[0]?.balance).toBe(
      '99999.93499990',
    )
    expect(balanceA.USDT?.total).toBe(99999.9349999)
    const balanceB = await b.fetchBalance()
    expect((balanceB.info as { spot_balances: Array<{ balance: string }> }).spot_balances[0]?.balance).toBe(
      '99999.70749955',
    )
    expect(balanceB.USDT?.total).toBe(99999.70749955)
  })

  it('watchOrderBook (ccxt.pro, v1.book.d) follows the emulator book', async () => {
    const pro = pointAtEmulator(new ccxt.pro.grvt({}))
    await pro.loadHttpProxyAgent() // ccxt needs its agent loaded before it will open a plain ws:// URL
    try {
      const first = await pro.watchOrderBook(SYMBOL)
      expect(first.asks[0]).toEqual([66000, 1.5])
      const resting = await a.createOrder(SYMBOL, 'limit', 'sell', 0.02, 65500.5, { postOnly: true })
      const book = await until(
        () => pro.watchOrderBook(SYMBOL),
        (ob) => ob.asks[0]?.[0] === 65500.5,
        'the new best offer',
      )
      expect(book.asks[0]).toEqual([65500.5, 0.02])
      await a.cancelOrder(idOf(resting))
    } finally {
      await pro.close()
    }
  })

  it('watchOrders (ccxt.pro, v1.order on the session cookie) sees an order open and then canceled', async () => {
    // a second ccxt client on A's session: a fresh wallet login in the same second would reuse ccxt's seconds() nonce
    const session = ['signInExpiration', 'AuthCookieValue', 'AuthAccountId', 'userMainAccountId', 'accountId']
    const options = Object.fromEntries(session.map((k) => [k, a.options[k]]))
    const pro = pointAtEmulator(
      new ccxt.pro.grvt({
        privateKey: WALLET_A,
        enableRateLimit: false,
        options: { ...options, approvedBuilderFee: true, builderRate: 0.02 },
      }),
    )
    await pro.loadHttpProxyAgent()
    try {
      const subscribed = emu.emulator.subscriptionCount('v1.order')
      const first = pro.watchOrders(SYMBOL)
      await until(
        async () => emu.emulator.subscriptionCount('v1.order'),
        (n) => n > subscribed,
        'the v1.order subscription',
      )
      const order = await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 62000.5, { postOnly: true })
      const seen = await first
      expect(seen.find((o) => o.id === idOf(order))).toMatchObject({ status: 'open', price: 62000.5, amount: 0.01 })
      // ccxt resolves a watch with the messages that arrive after the call: watch first, then cancel
      const next = pro.watchOrders(SYMBOL)
      await a.cancelOrder(idOf(order))
      const canceled = await next
      expect(canceled.find((o) => o.id === order.id)).toMatchObject({ status: 'canceled' })
    } finally {
      await pro.close()
    }
  })
})

describe('GRVT wallet login (what ccxt relies on), refused the way GRVT refuses', () => {
  it('signature by another key → 401 2002; replayed nonce → 401; lifetime over 5 min → 400 2008; unknown wallet → 401', async () => {
    const forged = await post('/auth/wallet/login', await walletLoginBody(WALLET_B, ADDRESS_A, 7, 60))
    expect(forged).toMatchObject({ status: 401, body: { code: 2002, status: 401 }, cookie: null })

    const good = await walletLoginBody(WALLET_A, ADDRESS_A, 8, 60)
    const first = await post('/auth/wallet/login', good)
    expect(first).toMatchObject({ status: 200, body: { funding_account_address: ADDRESS_A } })
    expect(first.cookie).toMatch(/^gravity=[0-9a-f]{64};/)
    expect(await post('/auth/wallet/login', good)).toMatchObject({ status: 401, body: { code: 1000 } })

    const tooLong = await post('/auth/wallet/login', await walletLoginBody(WALLET_A, ADDRESS_A, 9, 301))
    expect(tooLong).toMatchObject({ status: 400, body: { code: 2008 } })

    const unknownAddress = new Wallet(UNREGISTERED).address
    const unknown = await post('/auth/wallet/login', await walletLoginBody(UNREGISTERED, unknownAddress, 10, 60))
    expect(unknown).toMatchObject({ status: 401, body: { code: 1000 } })
    await expect(makeClient(UNREGISTERED).loadMarkets()).rejects.toBeInstanceOf(ccxt.AuthenticationError)
  })
})
