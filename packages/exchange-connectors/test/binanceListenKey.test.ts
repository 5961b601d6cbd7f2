import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import type { BinanceUserDataStream } from '../src/binance/ws/userData.js'
import { ListenKeyExpiredError } from '../src/errors/venue.js'
import { configFor, startEmulator } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// The keep-alive path of listenKey expiry: the `listenKeyExpired` frame is held back (ws.delayMs), so the only signal
// is `-1125` on the keep-alive PUT; the stream must re-create the key and reconcile without that frame.
let emu: RunningBinanceEmulator
let connector: BinanceConnector

beforeAll(async () => {
  emu = await startEmulator()
  connector = await createBinanceConnector(configFor(emu, { listenKeyKeepAliveMs: 50 }), ['ETHUSDT'])
})
afterAll(async () => {
  emu?.emulator.setFaults({ ws: { delayMs: 0 } })
  await connector?.close()
  await emu?.close()
})

describe('listenKey keep-alive answered -1125', () => {
  it('re-creates the key, reconnects and reconciles', async () => {
    const stream = connector.userData as BinanceUserDataStream
    const errors: unknown[] = []
    let reconciled = 0
    stream.on('health', (e) => {
      if (e.kind === 'error') errors.push(e.error)
    })
    stream.on('reconciled', () => reconciled++)
    await stream.start()
    expect(reconciled).toBe(1)
    const keys = stream.listenKeysCreated
    emu.emulator.setFaults({ ws: { delayMs: 60_000 } }) // the expiry frame will not arrive during this test
    emu.emulator.expireListenKeysNow()
    await waitFor(
      () =>
        errors.some((e) => e instanceof ListenKeyExpiredError) && stream.listenKeysCreated > keys && reconciled >= 2,
      'keep-alive -1125 → new key → reconciled',
    )
    expect((errors.find((e) => e instanceof ListenKeyExpiredError) as ListenKeyExpiredError).venueCode).toBe(-1125)
  })
})
