import { createHmac } from 'node:crypto'
import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from '../src/binance/index.js'

// Funding on the USDⓈ-M emulator (issue 13): at every funding time (00:00, 08:00, 16:00 UTC on the emulator clock) each open
// position pays or receives size × mark × rate (Binance: "Funding Amount = Nominal Value of Positions × Funding Rate"; a positive
// rate means longs pay shorts). Expected amounts are computed here from the positions this test opens and the marks it sets.

const A = { apiKey: 'fundKeyA', secret: 'fundSecretA' }
const B = { apiKey: 'fundKeyB', secret: 'fundSecretB' }
const HOUR = 3_600_000
const DAY1 = Date.UTC(2026, 0, 1)
const F1 = DAY1 + 8 * HOUR
const F2 = DAY1 + 16 * HOUR
const F3 = DAY1 + 24 * HOUR

let emu: RunningBinanceEmulator | undefined
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await emu?.close()
  emu = undefined
})

async function start(options: Partial<StartBinanceEmulatorOptions>, startMs = DAY1 + 7 * HOUR) {
  const clock = { t: startMs, nowMs: () => clock.t }
  emu = await startBinanceEmulator({
    clock,
    pingIntervalMs: 0,
    // The clock jumps by many hours at once; keep the listenKey alive across the jumps.
    listenKeyTtlMs: 2 * 86_400_000,
    symbols: ['ETHUSDT', 'BTCUSDT'],
    accounts: [
      { apiKey: A.apiKey, apiSecret: A.secret, balances: { USDT: '10000' } },
      { apiKey: B.apiKey, apiSecret: B.secret, balances: { USDT: '10000' } },
    ],
    ...options,
  })
  // External book: bid 2681.00, ask 2681.05, 10 ETH each.
  emu.engine.applyExternalDepth('ETHUSDT', [[268100n, 10_000n]], [[268105n, 10_000n]])
  emu.tick()
  return { emu, clock }
}

async function rest(
  e: RunningBinanceEmulator,
  method: string,
  path: string,
  payload: string,
  who: typeof A | null = A,
): Promise<unknown> {
  const q = who ? `${payload}&signature=${createHmac('sha256', who.secret).update(payload).digest('hex')}` : payload
  const res = await fetch(`${e.restUrl}${path}?${q}`, { method, headers: who ? { 'X-MBX-APIKEY': who.apiKey } : {} })
  return res.json()
}

async function connect(url: string) {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>)
    for (const w of waiters.splice(0)) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const until = async (predicate: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 5000
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }
  return { ws, frames, until }
}

/** Decimal string → integer at `scale` decimals (test-side parsing, independent of the emulator's). */
function units(value: string, scale: number): bigint {
  const negative = value.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.')
  const n = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale))
  return negative ? -n : n
}

function fmt8(e8: bigint): string {
  const negative = e8 < 0n
  const digits = (negative ? -e8 : e8).toString().padStart(9, '0')
  return `${negative ? '-' : ''}${digits.slice(0, -8)}.${digits.slice(-8)}`
}

/**
 * The funding fee an account books for one position: −(signed size × mark × rate), rounded to 1e-8 half away from zero (Binance
 * prints income with 8 decimals and does not document the rounding; the emulator rounds to nearest).
 */
function fundingIncome(signedSize: string, mark: string, rate: string): string {
  const exact = units(signedSize, 3) * units(mark, 8) * units(rate, 8) // scale 10^19
  const divisor = 10n ** 11n
  const magnitude = exact < 0n ? -exact : exact
  const rounded = (magnitude + divisor / 2n) / divisor
  return fmt8(exact > 0n ? -rounded : rounded)
}

async function wallet(e: RunningBinanceEmulator, who: typeof A, t: number): Promise<bigint> {
  const info = (await rest(e, 'GET', '/fapi/v3/account', `timestamp=${t}`, who)) as { totalWalletBalance: string }
  return units(info.totalWalletBalance, 8)
}

describe('Binance USDⓈ-M funding at the funding times', () => {
  it('charges every open position at 08:00, 16:00 and 00:00 once each, in order, with the scheduled rate and the mark', async () => {
    const { emu, clock } = await start({
      fundingRates: {
        // A schedule: the rate of each funding time; the 16:00 entry is printed 3 ms late, as Binance prints funding times.
        ETHUSDT: [
          { fundingTimeMs: F1, rate: '0.0001' },
          { fundingTimeMs: F2 + 3, rate: '-0.00025' },
          { fundingTimeMs: F3, rate: '0.00037' },
        ],
      },
    })
    // Before any funding time: premiumIndex shows the 08:00 rate, and BTCUSDT (not configured) the default 0.01 %.
    const before = (await rest(emu, 'GET', '/fapi/v1/premiumIndex', '', null)) as Array<Record<string, unknown>>
    expect(before.map((p) => [p.symbol, p.lastFundingRate, p.nextFundingTime])).toEqual([
      ['ETHUSDT', '0.00010000', F1],
      ['BTCUSDT', '0.00010000', F1],
    ])
    // A buys 0.123 at market (long), B sells 0.050 at market (short).
    await rest(emu, 'POST', '/fapi/v1/order', `symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.123&timestamp=${clock.t}`)
    await rest(
      emu,
      'POST',
      '/fapi/v1/order',
      `symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.050&timestamp=${clock.t}`,
      B,
    )
    const positions = (await rest(emu, 'GET', '/fapi/v3/positionRisk', `timestamp=${clock.t}`)) as Array<{
      positionAmt: string
    }>
    expect(positions.map((p) => p.positionAmt)).toEqual(['0.123'])
    const keyRes = await fetch(`${emu.restUrl}/fapi/v1/listenKey`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': A.apiKey },
    })
    const key = ((await keyRes.json()) as { listenKey: string }).listenKey
    const user = await connect(`${emu.wsUrl}/private/ws?listenKey=${key}`)
    const market = await connect(`${emu.wsUrl}/market/ws/ethusdt@markPrice@1s`)
    const walletA0 = await wallet(emu, A, clock.t)
    const walletB0 = await wallet(emu, B, clock.t)

    // 07:00 → 09:00 with the mark at 2681.625: the 08:00 funding at 0.01 %.
    emu.engine.setMarkPrice('ETHUSDT', units('2681.625', 8))
    clock.t = DAY1 + 9 * HOUR
    emu.tick()
    // Long 0.123 × 2681.625 × 0.0001 = 0.0329839875 → A pays 0.03298399; short 0.05 → B receives 0.013408125 → 0.01340813.
    const a1 = fundingIncome('0.123', '2681.625', '0.0001')
    const b1 = fundingIncome('-0.050', '2681.625', '0.0001')
    expect([a1, b1]).toEqual(['-0.03298399', '0.01340813'])
    await user.until(() => user.frames.some((f) => f.e === 'ACCOUNT_UPDATE'), 'ACCOUNT_UPDATE FUNDING_FEE')
    const update = user.frames.find((f) => f.e === 'ACCOUNT_UPDATE') as { a: Record<string, unknown> }
    // Cross margin: only the balance, no position (Binance: "only the balance B ... without any position P message").
    expect(update.a).toEqual({
      m: 'FUNDING_FEE',
      B: [{ a: 'USDT', wb: fmt8(walletA0 + units(a1, 8)), cw: fmt8(walletA0 + units(a1, 8)), bc: a1 }],
      P: [],
    })
    await market.until(() => market.frames.some((f) => f.T === F2), 'markPriceUpdate after 08:00')
    const mark = market.frames.find((f) => f.T === F2) as Record<string, unknown>
    expect([mark.r, mark.p]).toEqual(['-0.00025000', '2681.62500000'])
    const mid = (await rest(emu, 'GET', '/fapi/v1/premiumIndex', 'symbol=ETHUSDT', null)) as Record<string, unknown>
    expect([mid.lastFundingRate, mid.nextFundingTime]).toEqual(['-0.00025000', F2])

    // 09:00 → 01:00 next day in one jump with the mark at 2702.37: 16:00 (−0.025 %) then 00:00 (0.037 %).
    emu.engine.setMarkPrice('ETHUSDT', units('2702.37', 8))
    clock.t = DAY1 + 25 * HOUR
    emu.tick()
    emu.tick()
    // 0.123 × 2702.37 = 332.39151: × 0.00025 = 0.0830978775 (A receives); × 0.00037 = 0.1229848587 (A pays).
    // 0.05 × 2702.37 = 135.1185: × 0.00025 = 0.033779625 (B pays); × 0.00037 = 0.049993845 (B receives).
    const a2 = fundingIncome('0.123', '2702.37', '-0.00025')
    const a3 = fundingIncome('0.123', '2702.37', '0.00037')
    const b2 = fundingIncome('-0.050', '2702.37', '-0.00025')
    const b3 = fundingIncome('-0.050', '2702.37', '0.00037')
    expect([a2, a3, b2, b3]).toEqual(['0.08309788', '-0.12298486', '-0.03377963', '0.04999385'])

    const incomeA = (await rest(emu, 'GET', '/fapi/v1/income', `incomeType=FUNDING_FEE&timestamp=${clock.t}`)) as Array<
      Record<string, unknown>
    >
    expect(incomeA.map((r) => [r.symbol, r.incomeType, r.income, r.asset, r.time, r.info, r.tradeId])).toEqual([
      ['ETHUSDT', 'FUNDING_FEE', a1, 'USDT', F1, 'FUNDING_FEE', ''],
      ['ETHUSDT', 'FUNDING_FEE', a2, 'USDT', F2, 'FUNDING_FEE', ''],
      ['ETHUSDT', 'FUNDING_FEE', a3, 'USDT', F3, 'FUNDING_FEE', ''],
    ])
    const incomeB = (await rest(
      emu,
      'GET',
      '/fapi/v1/income',
      `symbol=ETHUSDT&incomeType=FUNDING_FEE&timestamp=${clock.t}`,
      B,
    )) as Array<Record<string, unknown>>
    expect(incomeB.map((r) => [r.income, r.time])).toEqual([
      [b1, F1],
      [b2, F2],
      [b3, F3],
    ])
    // Without the filter, the commission of the opening trade comes first.
    const allA = (await rest(emu, 'GET', '/fapi/v1/income', `timestamp=${clock.t}`)) as Array<Record<string, unknown>>
    expect(allA.map((r) => r.incomeType)).toEqual(['COMMISSION', 'FUNDING_FEE', 'FUNDING_FEE', 'FUNDING_FEE'])
    // Wallets moved by exactly the funding.
    expect(await wallet(emu, A, clock.t)).toBe(walletA0 + units(a1, 8) + units(a2, 8) + units(a3, 8))
    expect(await wallet(emu, B, clock.t)).toBe(walletB0 + units(b1, 8) + units(b2, 8) + units(b3, 8))
    // One ACCOUNT_UPDATE per funding, in order.
    await user.until(() => user.frames.filter((f) => f.e === 'ACCOUNT_UPDATE').length >= 3, 'three funding updates')
    const bcs = user.frames
      .filter((f) => f.e === 'ACCOUNT_UPDATE')
      .map((f) => (f.a as { m: string; B: Array<{ bc: string }> }).B[0]?.bc)
    expect(bcs).toEqual([a1, a2, a3])

    const history = (await rest(emu, 'GET', '/fapi/v1/fundingRate', 'symbol=ETHUSDT', null)) as Array<unknown>
    expect(history).toEqual([
      { symbol: 'ETHUSDT', fundingRate: '0.00010000', fundingTime: F1, markPrice: '2681.62500000' },
      { symbol: 'ETHUSDT', fundingRate: '-0.00025000', fundingTime: F2, markPrice: '2702.37000000' },
      { symbol: 'ETHUSDT', fundingRate: '0.00037000', fundingTime: F3, markPrice: '2702.37000000' },
    ])
    const window = (await rest(
      emu,
      'GET',
      '/fapi/v1/fundingRate',
      `symbol=ETHUSDT&startTime=${F2}&limit=1`,
      null,
    )) as Array<{
      fundingTime: number
    }>
    expect(window.map((r) => r.fundingTime)).toEqual([F2])
    const after = (await rest(emu, 'GET', '/fapi/v1/premiumIndex', 'symbol=ETHUSDT', null)) as Record<string, unknown>
    // The last schedule entry holds from then on.
    expect([after.lastFundingRate, after.nextFundingTime]).toEqual(['0.00037000', F3 + 8 * HOUR])
  })

  it('a constant rate; a position opened after a funding time the clock already passed is not charged for it', async () => {
    const { emu, clock } = await start({ fundingRates: { ETHUSDT: '-0.0003' } })
    // The clock passes 08:00 without a tick; the order reaches the emulator at 08:30, so A was flat at 08:00.
    clock.t = DAY1 + 8 * HOUR + 30 * 60_000
    await rest(emu, 'POST', '/fapi/v1/order', `symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.200&timestamp=${clock.t}`)
    emu.engine.setMarkPrice('ETHUSDT', units('2690.11', 8))
    // Then two funding times at once (16:00 and 00:00).
    clock.t = DAY1 + 24 * HOUR + 1
    emu.tick()
    const rows = (await rest(emu, 'GET', '/fapi/v1/income', `incomeType=FUNDING_FEE&timestamp=${clock.t}`)) as Array<
      Record<string, unknown>
    >
    // 0.2 × 2690.11 × 0.0003 = 0.161406600: a negative rate, so the long receives it.
    const expected = fundingIncome('0.200', '2690.11', '-0.0003')
    expect(expected).toBe('0.16140660')
    expect(rows.map((r) => [r.income, r.time])).toEqual([
      [expected, F2],
      [expected, F3],
    ])
    const history = (await rest(emu, 'GET', '/fapi/v1/fundingRate', 'symbol=ETHUSDT', null)) as Array<{
      fundingRate: string
      fundingTime: number
    }>
    expect(history.map((h) => [h.fundingTime, h.fundingRate])).toEqual([
      [F1, '-0.00030000'],
      [F2, '-0.00030000'],
      [F3, '-0.00030000'],
    ])
    // The rate can be changed at run time; premiumIndex shows it for the next funding time.
    emu.emulator.setFundingRate('ETHUSDT', '0.0002')
    const p = (await rest(emu, 'GET', '/fapi/v1/premiumIndex', 'symbol=ETHUSDT', null)) as Record<string, unknown>
    expect([p.lastFundingRate, p.nextFundingTime]).toEqual(['0.00020000', F3 + 8 * HOUR])
  })

  it('ccxt binanceusdm: fetchFundingRate, fetchFundingRateHistory and fetchFundingHistory', async () => {
    const { emu, clock } = await start({
      fundingRates: {
        ETHUSDT: [
          { fundingTimeMs: F1, rate: '0.0001' },
          { fundingTimeMs: F2, rate: '-0.0002' },
        ],
      },
    })
    const ex = new ccxt.binanceusdm({ apiKey: A.apiKey, secret: A.secret })
    ex.urls.api = {
      ...(ex.urls.api as Record<string, unknown>),
      fapiPublic: `${emu.restUrl}/fapi/v1`,
      fapiPublicV2: `${emu.restUrl}/fapi/v2`,
      fapiPublicV3: `${emu.restUrl}/fapi/v3`,
      fapiPrivate: `${emu.restUrl}/fapi/v1`,
      fapiPrivateV2: `${emu.restUrl}/fapi/v2`,
      fapiPrivateV3: `${emu.restUrl}/fapi/v3`,
      sapi: `${emu.restUrl}/sapi/v1`,
    } as typeof ex.urls.api
    // The emulator clock is a replay clock, not the wall clock: ccxt signs with the server time it measured.
    await ex.loadTimeDifference()
    await ex.loadMarkets()
    await ex.createOrder('ETH/USDT:USDT', 'market', 'sell', 0.3)
    emu.engine.setMarkPrice('ETHUSDT', units('2677.77', 8))
    clock.t = DAY1 + 17 * HOUR
    emu.tick()
    await ex.loadTimeDifference()

    const rate = await ex.fetchFundingRate('ETH/USDT:USDT')
    // After 16:00 the next funding is 00:00; the last schedule entry (−0.02 %) applies to it.
    expect([rate.fundingRate, rate.fundingTimestamp, rate.markPrice]).toEqual([-0.0002, F3, 2677.77])

    const rates = await ex.fetchFundingRateHistory('ETH/USDT:USDT')
    expect(rates.map((r) => [r.timestamp, r.fundingRate])).toEqual([
      [F1, 0.0001],
      [F2, -0.0002],
    ])

    const paid = await ex.fetchFundingHistory('ETH/USDT:USDT')
    // Short 0.3 × 2677.77 = 803.331: × 0.0001 = 0.0803331 received at 08:00; × 0.0002 = 0.1606662 paid at 16:00.
    expect([fundingIncome('-0.300', '2677.77', '0.0001'), fundingIncome('-0.300', '2677.77', '-0.0002')]).toEqual([
      '0.08033310',
      '-0.16066620',
    ])
    expect(paid.map((p) => [p.timestamp, p.amount, p.code, p.symbol])).toEqual([
      [F1, 0.0803331, 'USDT', 'ETH/USDT:USDT'],
      [F2, -0.1606662, 'USDT', 'ETH/USDT:USDT'],
    ])
  })
})
