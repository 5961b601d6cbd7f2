import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningGrvtEmulator, startGrvtEmulator } from '../src/grvt/index.js'

// Issue 13 acceptance, the unified methods no other test exercised: ccxt 4.5.84 `grvt` (REST and pro), unchanged apart
// from its URLs. Expectations are computed here from the fills this file makes (GRVT emulator fees: maker −0.01 % rebate,
// taker 0.045 % of the notional; no builder fee: `builderFee: false`).
//
// The wallet keys are the public anvil/hardhat development keys #1 and #2 (they hold nothing anywhere).
const WALLET_A = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const WALLET_B = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'
const SUB_A = '8289849667772468'
const SUB_B = '4110889093865147'
const SYMBOL = 'BTC/USDT:USDT'
const INSTRUMENT = 'BTC_USDT_Perp'
let emu: RunningGrvtEmulator
let a: InstanceType<typeof ccxt.grvt>
let b: InstanceType<typeof ccxt.grvt>

function pointAtEmulator<T extends InstanceType<typeof ccxt.grvt>>(client: T): T {
  client.setSandboxMode(true) // testnet: EIP-712 chain id 326, as the emulator
  client.urls.api = {
    privateEdge: `${emu.restUrl}/`,
    privateTrading: `${emu.restUrl}/`,
    publicMarket: `${emu.restUrl}/`,
    // Two sockets, as GRVT's two hosts: ccxt keeps one client per URL, and the public one carries no session cookie.
    // The emulator routes by path and ignores the query.
    ws: { publicMarket: emu.wsUrl, privateTrading: `${emu.wsUrl}?trading` },
  } as unknown as typeof client.urls.api
  return client
}

const makeClient = (privateKey: string) =>
  pointAtEmulator(new ccxt.grvt({ privateKey, options: { builderFee: false }, enableRateLimit: false }))

/** A ccxt.pro client on `rest`'s session (a second wallet login in the same second would reuse ccxt's seconds() nonce). */
function proOn(rest: InstanceType<typeof ccxt.grvt>, privateKey: string) {
  const session = ['signInExpiration', 'AuthCookieValue', 'AuthAccountId', 'userMainAccountId', 'accountId']
  const options = Object.fromEntries(session.map((k) => [k, rest.options[k]]))
  return pointAtEmulator(
    new ccxt.pro.grvt({ privateKey, enableRateLimit: false, options: { ...options, builderFee: false } }),
  )
}

/** `p`, or a rejection naming what never arrived. */
function within<T>(what: string, p: Promise<T>, ms = 5_000): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)),
  ])
}

async function waitFor(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [{ instrument: INSTRUMENT, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    accounts: [
      { mainAccountPrivateKey: WALLET_A, signerPrivateKeys: [], subAccountId: SUB_A, balances: { USDT: '100000' } },
      { mainAccountPrivateKey: WALLET_B, signerPrivateKeys: [], subAccountId: SUB_B, balances: { USDT: '100000' } },
    ],
  })
  // other participants: 1.5 BTC bid at 64000.0 and offered at 66000.0
  emu.engine.applyExternalDepth(INSTRUMENT, [[640000n, 1500n]], [[660000n, 1500n]])
  emu.tick()
  a = makeClient(WALLET_A)
  b = makeClient(WALLET_B)
  await a.loadMarkets()
  await b.loadMarkets()
})

afterAll(async () => {
  await emu?.close()
})

describe('ccxt.pro grvt: streams', () => {
  it('watchTrades (v1.trade), watchMyTrades (v1.fill) and watchPositions (v1.position) see a fill made here', async () => {
    const pro = proOn(b, WALLET_B)
    await pro.loadHttpProxyAgent()
    try {
      await pro.loadMarkets()
      const counts = () => ['v1.trade', 'v1.fill', 'v1.position'].map((s) => emu.emulator.subscriptionCount(s))
      const before = counts()
      const trades = pro.watchTrades(SYMBOL)
      const mine = pro.watchMyTrades(SYMBOL)
      const positions = pro.watchPositions([SYMBOL])
      await waitFor('v1.trade, v1.fill and v1.position subscriptions', () =>
        counts().every((n, i) => n > (before[i] as number)),
      )
      // A rests 0.02 @ 65000.0 (maker), B lifts it (taker).
      await a.createOrder(SYMBOL, 'limit', 'sell', 0.02, 65000, { postOnly: true })
      const bought = await b.createOrder(SYMBOL, 'limit', 'buy', 0.02, 65000)

      const printed = await within('v1.trade feed', trades)
      expect(printed.map((t) => [t.symbol, t.price, t.amount, t.side])).toEqual([[SYMBOL, 65000, 0.02, 'buy']])
      const fills = await within('v1.fill feed', mine)
      expect(fills.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker])).toEqual([
        [bought.id, 'buy', 65000, 0.02, 'taker'],
      ])
      // 0.045 % × 0.02 × 65000 = 0.585 USDT.
      expect(fills[0]?.fee?.cost).toBeCloseTo(0.585, 10)
      const held = (await within('v1.position feed', positions)).find((p) => p.symbol === SYMBOL)
      expect([held?.contracts, held?.side, held?.entryPrice]).toEqual([0.02, 'long', 65000])
    } finally {
      await pro.close()
    }
  })

  it('watchTickers (v1.ticker.s) reports the print and the book', async () => {
    const pro = pointAtEmulator(new ccxt.pro.grvt({}))
    await pro.loadHttpProxyAgent()
    try {
      const tickers = await within('v1.ticker.s feed', pro.watchTickers([SYMBOL]))
      expect(tickers[SYMBOL]).toMatchObject({ symbol: SYMBOL, bid: 64000, ask: 66000, last: 65000 })
    } finally {
      await pro.close()
    }
  })

  it('watchOHLCV (v1.candle) has the candle of a print made here, as kline reports it', async () => {
    const pro = pointAtEmulator(new ccxt.pro.grvt({}))
    await pro.loadHttpProxyAgent()
    try {
      await pro.loadMarkets()
      const before = emu.emulator.subscriptionCount('v1.candle')
      const candles = pro.watchOHLCV(SYMBOL, '1m')
      await waitFor('v1.candle subscription', () => emu.emulator.subscriptionCount('v1.candle') > before)
      await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 65010, { postOnly: true })
      await b.createOrder(SYMBOL, 'limit', 'sell', 0.01, 65010)
      const last = (await within('v1.candle feed', candles)).at(-1)
      const printedAt = emu.emulator.history.trades(INSTRUMENT).at(-1)?.tsMs as number
      const minute = Math.floor(printedAt / 60_000) * 60_000
      expect([last?.[0], last?.[4]]).toEqual([minute, 65010])
      const kline = await a.fetchOHLCV(SYMBOL, '1m', minute)
      expect(last).toEqual(kline.find((c) => c[0] === minute))
    } finally {
      await pro.close()
    }
  })
})

describe('ccxt grvt: REST on the issue-13 endpoints', () => {
  it('fetchMarginModes (get_all_initial_leverage): cross on every instrument', async () => {
    const modes = await a.fetchMarginModes()
    expect(Object.values(modes).map((m) => [m.symbol, m.marginMode])).toEqual([[SYMBOL, 'cross']])
  })
})
