import { inspect } from 'node:util'
import { GrvtEmulator, type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import { InvalidGrvtSignerKeyError } from '../src/errors/grvt.js'
import { createGrvtClientOrderId } from '../src/grvt/clientOrderId.js'
import { createGrvtConnector, type GrvtConnector } from '../src/grvt/createGrvtConnector.js'
import { GrvtExecutionClient } from '../src/grvt/execution.js'
import { GrvtHttpClient } from '../src/grvt/http/client.js'
import { signGrvtOrder } from '../src/grvt/signing/signOrder.js'

// No GRVT secret (API key, signer private key, session cookie) in inspect / JSON.stringify of any connector object, nor
// in any error a bad signer key produces (message, details, cause chain, inspect), in the connector or the emulator.
const INSTRUMENT = 'BTC_USDT_Perp'
const API_KEY = 'grvtApiKey-7f3c9a1b2d4e5f60'
const KEY_HEX = 'f7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // pysdk test key
const KEY = `0x${KEY_HEX}`
const SUB = '8289849667772468'
let emu: RunningGrvtEmulator

/** Every 8-character window of a secret (lower case): no part of it may show up. */
function fragments(secret: string): string[] {
  const s = secret.toLowerCase()
  const out: string[] = []
  for (let i = 0; i + 8 <= s.length; i++) out.push(s.slice(i, i + 8))
  return out
}

function expectNoSecret(text: string, secrets: string[], what: string): void {
  const lower = text.toLowerCase()
  for (const secret of secrets)
    for (const part of fragments(secret))
      if (lower.includes(part)) throw new Error(`${what} contains part of a secret (at "${part.slice(0, 2)}…")`)
}

function renderings(x: unknown): string[] {
  let json: string
  try {
    json = JSON.stringify(x) ?? ''
  } catch (error) {
    json = String(error)
  }
  return [inspect(x, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: false }), json, String(x)]
}

/** message, details, shortMessage, metaMessages, the whole cause chain and inspect of each error in it. */
function errorTexts(error: unknown): string[] {
  const out: string[] = []
  let e: unknown = error
  for (let i = 0; e !== undefined && e !== null && i < 20; i++) {
    const o = e as Record<string, unknown>
    out.push(String(o.message), String(o.details), String(o.shortMessage), JSON.stringify(o.metaMessages ?? []))
    out.push(inspect(e, { showHidden: true, depth: Number.POSITIVE_INFINITY }))
    e = o.cause
  }
  return out
}

const badKeys: Array<[string, string]> = [
  ['trailing space', `${KEY} `],
  ['one character short', KEY.slice(0, -1)],
  ['one character short, no 0x', KEY_HEX.slice(0, -1)],
  ['non-hex character', `${KEY.slice(0, 20)}g${KEY.slice(21)}`],
  ['wrong length (66 digits)', `${KEY}ab`],
  ['upper case with a trailing newline', `${KEY.toUpperCase().replace('0X', '0x')}\n`],
  ['leading space', ` ${KEY_HEX}`],
]

beforeAll(async () => {
  emu = await startGrvtEmulator({
    port: 0,
    accounts: [{ apiKey: API_KEY, signerPrivateKeys: [KEY], subAccountId: SUB, balances: { USDT: '100000' } }],
    market: { kind: 'simulated', midPrice: '65000', seed: 3, stepMs: 50, levels: 5, tradeProbability: 0 },
  })
})

afterAll(async () => {
  await emu.close()
})

describe('GRVT secrets never leave their #private fields', () => {
  let connector: GrvtConnector

  afterAll(async () => {
    await connector?.close()
  })

  it('inspect / JSON.stringify of the connector, HTTP client, execution, private stream and market data show no secret', async () => {
    connector = await createGrvtConnector({
      urls: {
        edgeUrl: emu.restUrl,
        tradesUrl: emu.restUrl,
        marketDataUrl: emu.restUrl,
        marketDataWsUrl: emu.wsUrl,
        tradesWsUrl: emu.wsUrl,
      },
      apiKey: API_KEY,
      signerPrivateKey: KEY,
      subAccountId: SUB,
      chainId: 326,
      clock: systemClock,
      random: () => 0.5,
      nextNonce: () => 7,
    })
    await connector.marketData.subscribeBook(INSTRUMENT)
    await connector.privateStream.start()
    await connector.execution.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '40000.0',
      sizeBase: '0.001',
      timeInForce: 'postOnly',
      clientOrderId: createGrvtClientOrderId(1n),
    })
    const cookie = (await connector.http.getSession()).cookie.replace(/^gravity=/, '')
    expect(cookie.length).toBeGreaterThanOrEqual(16)
    const secrets = [API_KEY, KEY_HEX, cookie]
    const objects: Array<[string, unknown]> = [
      ['connector', connector],
      ['http', connector.http],
      ['execution', connector.execution],
      ['privateStream', connector.privateStream],
      ['marketData', connector.marketData],
    ]
    for (const [name, object] of objects) {
      const texts = renderings(object)
      // the renderings are real (inspect walks the whole object graph; JSON has the non-secret fields)
      expect(texts[0]?.length ?? 0).toBeGreaterThan(200)
      for (const [i, text] of texts.entries()) expectNoSecret(text, secrets, `${name} rendering ${i}`)
    }
    expect(JSON.stringify(connector.http)).toContain(emu.restUrl)
    expect(inspect(connector.privateStream, { depth: Number.POSITIVE_INFINITY })).toContain(emu.wsUrl)
    // the objects still work (the secrets are there, only hidden)
    await connector.execution.cancelAllOrders(INSTRUMENT)
  })

  it('a standalone HTTP client before and after login', async () => {
    const http = new GrvtHttpClient({
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      apiKey: API_KEY,
      clock: systemClock,
    })
    for (const text of renderings(http)) expectNoSecret(text, [API_KEY], 'http before login')
    const cookie = (await http.getSession()).cookie.replace(/^gravity=/, '')
    for (const text of renderings(http)) expectNoSecret(text, [API_KEY, cookie], 'http after login')
  })
})

describe('a bad GRVT signer key: typed errors that never contain the key', () => {
  for (const [what, bad] of badKeys) {
    const body = bad.trim().replace(/^0x/i, '')
    it(`${what}: execution client, signGrvtOrder and createGrvtConnector`, async () => {
      const errors: unknown[] = []
      try {
        new GrvtExecutionClient({
          http: new GrvtHttpClient({
            edgeUrl: emu.restUrl,
            tradesUrl: emu.restUrl,
            marketDataUrl: emu.restUrl,
            apiKey: API_KEY,
            clock: systemClock,
          }),
          signerPrivateKey: bad,
          subAccountId: SUB,
          chainId: 326,
          clock: systemClock,
          nextNonce: () => 1,
        })
      } catch (error) {
        errors.push(error)
      }
      try {
        signGrvtOrder(
          bad,
          {
            subAccountId: SUB,
            isMarket: false,
            timeInForce: 'GOOD_TILL_TIME',
            postOnly: false,
            reduceOnly: false,
            legs: [{ instrumentHash: '0x030501', baseDecimals: 9, size: '1', limitPrice: '1', isBuyingAsset: true }],
            nonce: 1,
            expirationNs: 1_800_000_000_000_000_000n,
          },
          326,
        )
      } catch (error) {
        errors.push(error)
      }
      errors.push(
        await createGrvtConnector({
          urls: {
            edgeUrl: emu.restUrl,
            tradesUrl: emu.restUrl,
            marketDataUrl: emu.restUrl,
            marketDataWsUrl: emu.wsUrl,
            tradesWsUrl: emu.wsUrl,
          },
          apiKey: API_KEY,
          signerPrivateKey: bad,
          subAccountId: SUB,
          chainId: 326,
          clock: systemClock,
          random: () => 0.5,
          nextNonce: () => 1,
        }).then(
          async (c) => {
            await c.close()
            return new Error('createGrvtConnector accepted a bad key')
          },
          (error: unknown) => error,
        ),
      )
      expect(errors).toHaveLength(3)
      for (const error of errors) {
        expect(error).toBeInstanceOf(InvalidGrvtSignerKeyError)
        for (const text of errorTexts(error)) expectNoSecret(text, [body, KEY_HEX], what)
      }
    })
  }

  it('the message says what is wrong (length, characters)', () => {
    const messageOf = (key: string) => {
      try {
        signGrvtOrder(
          key,
          {
            subAccountId: SUB,
            isMarket: false,
            timeInForce: 'GOOD_TILL_TIME',
            postOnly: false,
            reduceOnly: false,
            legs: [{ instrumentHash: '0x030501', baseDecimals: 9, size: '1', limitPrice: '1', isBuyingAsset: true }],
            nonce: 1,
            expirationNs: 1_800_000_000_000_000_000n,
          },
          326,
        )
      } catch (error) {
        return (error as Error).message
      }
      return 'no error'
    }
    expect(messageOf(KEY.slice(0, -1))).toContain('63 hex digits, 64 expected')
    expect(messageOf(`${KEY} `)).toContain('whitespace')
    expect(messageOf(`${KEY.slice(0, 20)}g${KEY.slice(21)}`)).toContain(
      'character 19 after any 0x prefix is not a hex digit',
    )
  })

  for (const [what, bad] of badKeys) {
    const body = bad.trim().replace(/^0x/i, '')
    it(`${what}: the GRVT emulator's configuration error does not contain the key`, () => {
      let caught: unknown
      try {
        new GrvtEmulator({
          accounts: [{ apiKey: 'k', signerPrivateKeys: [bad], subAccountId: SUB, balances: { USDT: '1' } }],
          market: { kind: 'none' },
        })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(Error)
      for (const text of errorTexts(caught)) expectNoSecret(text, [body, KEY_HEX], `emulator ${what}`)
      let mainCaught: unknown
      try {
        new GrvtEmulator({
          accounts: [
            { apiKey: 'k', signerPrivateKeys: [KEY], mainAccountPrivateKey: bad, subAccountId: SUB, balances: {} },
          ],
          market: { kind: 'none' },
        })
      } catch (error) {
        mainCaught = error
      }
      expect(mainCaught).toBeInstanceOf(Error)
      for (const text of errorTexts(mainCaught)) expectNoSecret(text, [body, KEY_HEX], `emulator main key ${what}`)
    })
  }
})
