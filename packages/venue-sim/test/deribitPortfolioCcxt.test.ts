import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'

// ccxt.pro `deribit` watchBalance subscribes `user.portfolio.BTC`, `…ETH`, `…SOL`, `…USDC` (upper case, as ccxt spells
// currency codes); Deribit matches the currency case-insensitively and notifies on `user.portfolio.usdc`.
const apiKey = 'portfolio-client'
const secret = 'portfolio-secret'
let emu: RunningDeribitEmulator

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: 'BTC_USDC-PERPETUAL', tickSize: '0.5', stepSize: '0.001', takerFeePpm: 500 }],
    accounts: [{ clientId: apiKey, clientSecret: secret, balances: { USDC: '100000' } }],
  })
  emu.engine.applyExternalDepth('BTC_USDC-PERPETUAL', [[120000n, 1000n]], [[120002n, 1500n]])
  emu.tick()
})

afterAll(async () => {
  await emu?.close()
})

describe('ccxt.pro deribit watchBalance against the emulator', () => {
  it('user.portfolio.USDC (upper case) delivers the USDC portfolio after a fill', async () => {
    const ws = new ccxt.pro.deribit({ apiKey, secret })
    ws.urls.api = { rest: emu.restUrl, ws: emu.wsUrl } as typeof ws.urls.api
    await ws.loadHttpProxyAgent()
    const rest = new ccxt.deribit({ apiKey, secret })
    rest.urls.api = { rest: emu.restUrl } as typeof rest.urls.api
    try {
      await ws.loadMarkets()
      const watching = ws.watchBalance()
      // let the subscription land before the fill
      await new Promise((resolve) => setTimeout(resolve, 300))
      // take 1 BTC at 60001: taker fee 60001 · 0.0005 = 30.0005 USDC
      await rest.createOrder('BTC/USDC:USDC', 'limit', 'buy', 1, 60001)
      const balance = await Promise.race([
        watching,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no user.portfolio notification')), 5000)),
      ])
      // ccxt 4.5.84 stores the parsed portfolio message under the currency: its `info` is the notification's data
      const usdc = balance.USDC as unknown as { info: Record<string, unknown>; total: Record<string, number> }
      // wallet 100000 − fee 30.0005; equity adds the uPnL of 1 BTC bought at 60001 marked at the mid 60000.5 (−0.5)
      expect(usdc.info).toMatchObject({ currency: 'USDC', balance: 99969.9995, equity: 99969.4995 })
      expect(usdc.total.USDC).toBe(99969.4995)
    } finally {
      await ws.close()
    }
  })
})
