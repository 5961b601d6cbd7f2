import { inspect } from 'node:util'
import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import type { ConnectionHealthEvent } from '../src/common/types/health.js'
import { createDeribitConnector } from '../src/deribit/createDeribitConnector.js'
import { createDeribitCredentials, signDeribitWsAuth } from '../src/deribit/credentials.js'
import { DeribitRpcClient } from '../src/deribit/ws/client.js'
import { DeribitAuthError, DeribitInvalidCredentialsError } from '../src/errors/deribit.js'
import { waitFor } from './src/waitFor.js'

// No Deribit client secret and no access/refresh token appears in util.inspect (hidden properties, full depth),
// JSON.stringify, error messages, details, cause chains or health events, for every connector object and every
// bad-credentials path; nor in the emulator's error answers.
const INSTRUMENT = 'BTC_USDC-PERPETUAL'
const SECRET = 'maker-SECRET-5b0f9e1d7c'
const WRONG = 'wrong-SECRET-a7d3c2e980'
let emu: RunningDeribitEmulator
let nonce = 0

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.5', stepSize: '0.001' }],
    accounts: [{ clientId: 'maker', clientSecret: SECRET, balances: { USDC: '100000' } }],
    market: { kind: 'none' },
    tokenTtlSec: 2,
  })
})

afterAll(async () => {
  await emu.close()
})

/** Every text a secret could leak through: inspect (hidden, full depth), JSON, and for errors the whole cause chain. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true })]
  out.push(JSON.stringify(value) ?? '')
  for (let e: unknown = value; e instanceof Error; e = e.cause) {
    out.push(e.message, String(e.stack), inspect(e, { showHidden: true, depth: Number.POSITIVE_INFINITY }))
    const fields = e as { shortMessage?: unknown; details?: unknown; metaMessages?: unknown }
    out.push(String(fields.shortMessage), String(fields.details), JSON.stringify(fields.metaMessages ?? null))
  }
  return out
}

function expectNoSecret(label: string, value: unknown, secrets: readonly string[]): void {
  for (const text of renderings(value))
    for (const secret of secrets)
      if (text.includes(secret)) throw new Error(`${label}: a secret (${secret.length} chars) appears in its rendering`)
}

const rpcFor = (clientSecret: unknown, clientId = 'maker') =>
  new DeribitRpcClient({
    url: emu.wsUrl,
    clock: systemClock,
    random: () => 0.5,
    credentials: { clientId, clientSecret } as { clientId: string; clientSecret: string },
    nonce: () => `k${++nonce}`,
    requestTimeoutMs: 3_000,
  })

describe('Deribit secrets', () => {
  it('connector, rpc clients, execution, user data, market data, instruments and credentials print no secret or token', async () => {
    const credentials = createDeribitCredentials({ clientId: 'maker', clientSecret: SECRET })
    const connector = await createDeribitConnector({
      wsUrl: emu.wsUrl,
      credentials,
      clock: systemClock,
      random: () => 0.5,
      nonce: () => `c${++nonce}`,
    })
    try {
      await connector.userData?.subscribe([INSTRUMENT], ['USDC'])
      await connector.execution?.placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '50000',
        sizeBase: '0.01',
        timeInForce: 'postOnly',
        clientOrderId: 'secret-1',
      })
      // lifetime 2 s: the refresh_token grant has run at least once (the client holds a refreshed token)
      const grants = emu.emulator.refreshGrantCount
      await waitFor(() => emu.emulator.refreshGrantCount > grants, 'a refresh_token grant', 10_000)
      const secrets = [SECRET, ...emu.emulator.issuedTokens()]
      expect(secrets.length).toBeGreaterThanOrEqual(5)
      const objects: Record<string, unknown> = {
        connector,
        marketRpc: connector.marketRpc,
        tradingRpc: connector.tradingRpc,
        execution: connector.execution,
        userData: connector.userData,
        marketData: connector.marketData,
        instruments: connector.instruments,
        credentials,
      }
      for (const [label, value] of Object.entries(objects)) {
        expect(value).toBeDefined()
        expectNoSecret(label, value, secrets)
      }
      // the credentials still sign (the secret is usable, just never printed)
      const signed = signDeribitWsAuth(credentials, 1, 'n')
      expect(signed.signature).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.parse(JSON.stringify(credentials))).toEqual({ clientId: 'maker', clientSecret: '[redacted]' })
    } finally {
      await connector.close()
    }
  })

  it('a wrong secret: start() rejects with DeribitAuthError 13004 (what is wrong, never the key); health events too', async () => {
    const client = rpcFor(WRONG)
    const health: ConnectionHealthEvent[] = []
    client.on('health', (event) => health.push(event))
    const error = await client.start().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DeribitAuthError)
    expect(error).toMatchObject({ code: 'AUTH_FAILED', venueCode: 13004, retryable: false })
    expect((error as Error).message).toMatch(/client_id \/ client_secret/)
    expectNoSecret('start() error', error, [WRONG, SECRET])
    expect(health.some((e) => e.kind === 'error' && e.error instanceof DeribitAuthError)).toBe(true)
    for (const event of health) expectNoSecret(`health ${event.kind}`, event, [WRONG, SECRET])
    expectNoSecret('failed client', client, [WRONG, SECRET])
    client.close()
  })

  it('createDeribitConnector with a wrong secret or an unknown client id rejects with a typed auth error', async () => {
    for (const credentials of [
      { clientId: 'maker', clientSecret: WRONG },
      { clientId: 'nobody', clientSecret: WRONG },
    ]) {
      const error = await createDeribitConnector({
        wsUrl: emu.wsUrl,
        credentials,
        clock: systemClock,
        random: () => 0.5,
        nonce: () => `b${++nonce}`,
      }).then(
        (c) => c.close(),
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(DeribitAuthError)
      expectNoSecret('connector error', error, [WRONG, SECRET])
    }
  })

  it('unusable credentials are refused before any connection, naming the field, never the value', () => {
    for (const [secret, field] of [
      ['', 'clientSecret'],
      [123456789, 'clientSecret'],
      [undefined, 'clientSecret'],
    ] as const) {
      let error: unknown
      try {
        rpcFor(secret)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(DeribitInvalidCredentialsError)
      expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', field })
      expectNoSecret('config error', error, ['123456789'])
    }
    expect(() => rpcFor(SECRET, '')).toThrow(DeribitInvalidCredentialsError)
    expect(() => createDeribitCredentials({ clientId: 'maker', clientSecret: ' ' })).toThrow(
      DeribitInvalidCredentialsError,
    )
  })

  it('the emulator refuses an account whose secret is not a string, naming the field, never the value', async () => {
    const error = await startDeribitEmulator({
      accounts: [{ clientId: 'odd', clientSecret: 987654321 as unknown as string, balances: {} }],
      market: { kind: 'none' },
    }).then(
      (e) => e.close(),
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'InvalidEmulatorConfigError' })
    expect((error as Error).message).toContain('accounts[0].clientSecret')
    expectNoSecret('emulator config error', error, ['987654321'])
  })

  it('the emulator answers bad credentials without echoing a secret', async () => {
    const url = `${emu.restUrl}/api/v2/public/auth?grant_type=client_credentials&client_id=maker&client_secret=${WRONG}`
    const response = await fetch(url)
    const body = await response.text()
    expect(response.status).toBe(401)
    expect(JSON.parse(body)).toMatchObject({ error: { code: 13004, message: 'invalid_credentials' } })
    expect(body).not.toContain(WRONG)
    expect(body).not.toContain(SECRET)
    const bad = await fetch(`${emu.restUrl}/api/v2/private/get_positions?currency=USDC`, {
      headers: { authorization: `deri-hmac-sha256 id=maker,ts=${Date.now()},sig=${'0'.repeat(64)},nonce=x` },
    })
    const badBody = await bad.text()
    expect(bad.status).toBe(401)
    expect(badBody).not.toContain(SECRET)
  })
})
