import { inspect } from 'node:util'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BinanceConnectorConfig } from '../src/binance/config.js'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { BinanceExecutionClient } from '../src/binance/execution.js'
import { BinanceHttpClient } from '../src/binance/http/client.js'
import { BinanceMarketDataClient } from '../src/binance/marketData.js'
import { BinanceSpotUserDataStream } from '../src/binance/ws/spotUserData.js'
import { BinanceUserDataStream } from '../src/binance/ws/userData.js'
import { BinanceWsApiClient } from '../src/binance/ws/wsApiClient.js'
import { RateLimiter } from '../src/common/rateLimiter.js'
import { ServerTimeOffset } from '../src/common/serverTimeOffset.js'
import { ConnectorError } from '../src/errors/base.js'
import { configFor, startEmulator } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// No Binance API key or secret (or listenKey) in any inspect/JSON output of a connector object, nor in any error
// raised with bad keys (message, details, cause chain, inspect). Random-looking canaries so any leaked fragment shows.
const KEY = 'kQ7vX2mP9wL4tR8zB3nC6yH1dF5gJ0sAeU'
const SECRET = 'sW3qE8rT1yU6iO0pA5dF9gH2jK7lZ4xCvB'
const CREDENTIALS = { apiKey: KEY, apiSecret: SECRET }
let emu: RunningBinanceEmulator
const opened: BinanceConnector[] = []

/** Every 6-character fragment of a credential (a leak of any part of it shows). */
function fragments(value: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 6 <= value.length; i++) out.push(value.slice(i, i + 6))
  return out
}

/** The text a careless log line could print about `x`: both inspect forms and JSON (when it serializes). */
function dump(x: unknown): string {
  const parts = [inspect(x, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }), inspect(x)]
  try {
    parts.push(JSON.stringify(x) ?? '')
  } catch (error) {
    // a circular structure cannot serialize: nothing is printed from it, but the thrown message could be
    parts.push(String(error))
  }
  return parts.join('\n')
}

function expectNoCredential(text: string, what: string, credentials: readonly string[] = [KEY, SECRET]): void {
  for (const credential of credentials)
    for (const fragment of fragments(credential))
      if (text.includes(fragment)) throw new Error(`${what} contains a fragment of a credential: ${fragment}`)
}

/** Everything an error exposes: message, shortMessage, details, metaMessages, the cause chain, inspect. */
function errorText(error: unknown): string {
  const parts: string[] = []
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 20; depth++) {
    parts.push(dump(e))
    if (e instanceof Error) {
      parts.push(e.message, String(e.stack))
      if (e instanceof ConnectorError) parts.push(e.shortMessage, String(e.details), ...e.metaMessages)
      e = e.cause
    } else break
  }
  return parts.join('\n')
}

beforeAll(async () => {
  emu = await startEmulator({
    accounts: [
      { ...CREDENTIALS, balances: { USDT: '10000' }, spotBalances: { USDT: '10000', ETH: '2' } },
      { apiKey: 'otherKey0002', apiSecret: 'other-secret', balances: { USDT: '10000' } },
    ],
  })
})
afterAll(async () => {
  for (const c of opened) await c.close()
  await emu?.close()
})

async function connect(overrides: Partial<BinanceConnectorConfig> = {}): Promise<BinanceConnector> {
  const connector = await createBinanceConnector(configFor(emu, { credentials: CREDENTIALS, ...overrides }), [
    'ETHUSDT',
  ])
  opened.push(connector)
  return connector
}

describe('Binance connector objects never print credentials (item 14)', () => {
  it('USDⓈ-M with WebSocket-API order entry, user data stream and market data: inspect and JSON are clean', async () => {
    const c = await connect({ orderEntry: 'wsApi' })
    const stream = c.userData as BinanceUserDataStream
    await stream.start()
    await c.marketData.subscribeBbo('ETHUSDT')
    await c.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2600.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId: 'sec-1',
    })
    // the account's active listenKey (POST returns the existing one, as on Binance)
    const response = await fetch(`${emu.restUrl}/fapi/v1/listenKey`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': KEY },
    })
    const { listenKey } = (await response.json()) as { listenKey: string }
    expect(listenKey.length).toBeGreaterThan(20)
    for (const [name, value] of Object.entries({
      connector: c,
      http: c.http,
      execution: c.execution,
      wsApi: c.wsApi,
      userData: c.userData,
      marketData: c.marketData,
      instruments: c.instruments,
    })) {
      expect(value).toBeDefined()
      // a log line that serializes a client must not throw (no circular structure) and prints a useful summary
      expect(JSON.parse(JSON.stringify(value))).toMatchObject({ venue: 'binance-usdm' })
      expectNoCredential(dump(value), name, [KEY, SECRET, listenKey])
    }
  })

  it('spot user data stream (WebSocket-API subscription): inspect and JSON are clean', async () => {
    const c = await connect({ product: 'spot' })
    await (c.userData as BinanceSpotUserDataStream).start()
    expectNoCredential(dump(c.userData), 'spot userData')
    expectNoCredential(dump(c.execution), 'spot execution')
    expectNoCredential(dump(c), 'spot connector')
  })

  it('clients built directly from a config with plain credentials are clean too', () => {
    const config = configFor(emu, { credentials: { ...CREDENTIALS } })
    const http = new BinanceHttpClient({
      venue: 'binance-usdm',
      baseUrl: emu.restUrl,
      credentials: config.credentials,
      clock: config.clock,
      random: config.random,
      rateLimiter: new RateLimiter({ rules: [], clock: config.clock }),
      serverTime: new ServerTimeOffset(config.clock),
      timePath: '/fapi/v1/time',
    })
    const wsApi = new BinanceWsApiClient({
      venue: 'binance-usdm',
      url: config.urls.wsApiUrl,
      credentials: { ...CREDENTIALS },
      clock: config.clock,
      random: config.random,
      rateLimiter: http.rateLimiter,
      serverTime: http.serverTime,
    })
    const instruments = {} as ConstructorParameters<typeof BinanceExecutionClient>[2]
    const execution = new BinanceExecutionClient(config, http, instruments, wsApi)
    const marketData = new BinanceMarketDataClient({ config, http, instruments: instruments as never })
    const userData = new BinanceUserDataStream(config, http, execution, ['ETHUSDT'])
    const spotUserData = new BinanceSpotUserDataStream(config, http, execution, ['ETHUSDT'])
    for (const [name, value] of Object.entries({ http, wsApi, execution, marketData, userData, spotUserData }))
      expectNoCredential(dump(value), name)
    http.close()
  })
})

describe('errors with bad keys say what is wrong, never the key (item 14)', () => {
  it('REST: unknown API key (-2015) and wrong secret (-1022) on orders, reads and the listenKey', async () => {
    const badKey = await connect({ credentials: { apiKey: `${KEY}X`, apiSecret: SECRET } })
    const badSecret = await connect({ credentials: { apiKey: KEY, apiSecret: `${SECRET}X` } })
    const order = {
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2600.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId: 'sec-bad',
    } as const
    const errors = [
      await badKey.execution.placeOrder(order).catch((e: unknown) => e),
      await badKey.execution.getOpenOrders('ETHUSDT').catch((e: unknown) => e),
      await badKey.execution.armDeadManSwitch('ETHUSDT', 5_000).catch((e: unknown) => e),
      await badSecret.execution.placeOrder(order).catch((e: unknown) => e),
      await badSecret.execution.getBalances().catch((e: unknown) => e),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectorError)
      expectNoCredential(errorText(error), `error ${(error as Error).name}`, [KEY, SECRET, `${KEY}X`, `${SECRET}X`])
    }
    // the errors say what is wrong
    expect((errors[0] as ConnectorError).venueCode).toBe(-2015)
    expect((errors[3] as ConnectorError).venueCode).toBe(-1022)
    expect((errors[3] as Error).message).toMatch(/signature/i)

    // listenKey with a bad key: the stream reports the failure as a health error without the key
    const stream = badKey.userData as BinanceUserDataStream
    const health: unknown[] = []
    stream.on('health', (event) => {
      if (event.kind === 'error') health.push(event.error)
    })
    void stream.start().catch((e: unknown) => health.push(e))
    await waitFor(() => health.length > 0, 'a listenKey failure', 5_000)
    await stream.close()
    for (const error of health) expectNoCredential(errorText(error), 'listenKey error', [KEY, SECRET, `${KEY}X`])
  })

  it('WebSocket API and spot user data: a wrong secret is reported without it', async () => {
    const ws = await connect({ orderEntry: 'wsApi', credentials: { apiKey: KEY, apiSecret: `${SECRET}X` } })
    const error = await ws.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2600.00',
        sizeBase: '0.010',
        timeInForce: 'gtc',
        clientOrderId: 'sec-ws',
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectorError)
    expect((error as ConnectorError).venueCode).toBe(-1022)
    expectNoCredential(errorText(error), 'ws-api error', [KEY, SECRET, `${SECRET}X`])

    const spot = await connect({ product: 'spot', credentials: { apiKey: KEY, apiSecret: `${SECRET}X` } })
    const stream = spot.userData as BinanceSpotUserDataStream
    const health: unknown[] = []
    stream.on('health', (event) => {
      if (event.kind === 'error') health.push(event.error)
    })
    void stream.start()
    await waitFor(() => health.length > 0, 'a spot subscribe failure', 5_000)
    await stream.close()
    for (const e of health) expectNoCredential(errorText(e), 'spot subscribe error', [KEY, SECRET, `${SECRET}X`])
  })

  it('a key or secret that cannot be right (empty, whitespace, line break, non-ASCII) fails at once, naming the field only', async () => {
    const cases: [Partial<{ apiKey: unknown; apiSecret: unknown }>, string][] = [
      [{ apiKey: `${KEY}\n`, apiSecret: SECRET }, 'apiKey'],
      [{ apiKey: KEY, apiSecret: ` ${SECRET}` }, 'apiSecret'],
      [{ apiKey: KEY, apiSecret: `${SECRET}é` }, 'apiSecret'],
      [{ apiKey: '', apiSecret: SECRET }, 'apiKey'],
      [{ apiKey: KEY }, 'apiSecret'],
      [{ apiKey: KEY, apiSecret: 42 }, 'apiSecret'],
    ]
    for (const [credentials, field] of cases) {
      const error = await createBinanceConnector(
        configFor(emu, { credentials: credentials as { apiKey: string; apiSecret: string } }),
        ['ETHUSDT'],
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectorError)
      expect((error as ConnectorError).code).toBe('INVALID_CREDENTIALS')
      expect((error as ConnectorError).shortMessage).toContain(field)
      expectNoCredential(errorText(error), `credentials error (${field})`)
    }
  })

  it('a user-data URL the WebSocket client refuses is reported without the listenKey in it', async () => {
    const config = configFor(emu, { credentials: CREDENTIALS })
    const c = await connect({ urls: { ...config.urls, wsPrivateUrl: 'ws://[not-a-host' } })
    const stream = c.userData as BinanceUserDataStream
    const health: unknown[] = []
    stream.on('health', (event) => {
      if (event.kind === 'error') health.push(event.error)
    })
    void stream.start()
    await waitFor(() => health.length > 0, 'the refused URL reported', 5_000)
    await stream.close()
    const response = await fetch(`${emu.restUrl}/fapi/v1/listenKey`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': KEY },
    })
    const { listenKey } = (await response.json()) as { listenKey: string }
    for (const error of health) {
      expect(error).toBeInstanceOf(ConnectorError)
      expectNoCredential(errorText(error), 'refused URL error', [KEY, SECRET, listenKey])
    }
  })

  it('the emulator answers bad keys and signatures without any credential', async () => {
    const answers: string[] = []
    for (const headers of [{ 'X-MBX-APIKEY': `${KEY}X` }, { 'X-MBX-APIKEY': KEY }]) {
      const response = await fetch(
        `${emu.restUrl}/fapi/v1/openOrders?symbol=ETHUSDT&timestamp=${Date.now()}&signature=${'0'.repeat(64)}`,
        { headers },
      )
      answers.push(`${response.status} ${await response.text()}`)
    }
    expect(answers[0]).toMatch(/-2015/)
    expect(answers[1]).toMatch(/-1022/)
    for (const answer of answers) expectNoCredential(answer, 'emulator answer')
  })
})
