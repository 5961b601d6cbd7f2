import { createReplayClock } from '@alp/venue-sim'
import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import type { Fill } from '../src/common/types/account.js'
import { DeribitExecutionClient } from '../src/deribit/execution.js'
import { DeribitRpcClient } from '../src/deribit/ws/client.js'
import { DeribitUserDataStream } from '../src/deribit/ws/userData.js'
import { waitFor } from './src/waitFor.js'

// Deribit's positions carry no time of their own. A consumer (the hedger core) orders a position report against the
// fills' venue timestamps: fills stamped at or before the report's time are taken as inside it. The connector used to
// stamp a position read with its local clock — on an emulator replaying 2024-01-05 that is years after every fill, so
// each fill after a read was taken as already in it and the hedger's position did not move until the next read (the
// two-venue paper run sold 2 ETH against 0.78). Here the venue clock differs from the connector's (a replay clock).
const INSTRUMENT = 'ETH_USDC-PERPETUAL'
const T0 = Date.UTC(2024, 0, 5)
const DAY_END = Date.UTC(2024, 0, 6)
const MAKER = { clientId: 'maker', clientSecret: 'maker-secret' }
const TAKER = { clientId: 'taker', clientSecret: 'taker-secret' }
let emu: RunningDeribitEmulator
let nonce = 0
const clients: DeribitRpcClient[] = []

async function rpc(credentials: { clientId: string; clientSecret: string }): Promise<DeribitRpcClient> {
  const client = new DeribitRpcClient({
    url: emu.wsUrl,
    clock: systemClock,
    random: () => 0.5,
    credentials,
    nonce: () => `t${++nonce}`,
    requestTimeoutMs: 5_000,
  })
  clients.push(client)
  await client.start()
  return client
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    clock: createReplayClock({ startMs: T0, speed: 1 }),
    instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.05', stepSize: '0.001' }],
    accounts: [
      { ...MAKER, balances: { USDC: '1000000' } },
      { ...TAKER, balances: { USDC: '1000000' } },
    ],
    market: { kind: 'none' },
  })
})

afterAll(async () => {
  for (const c of clients) c.close()
  await emu.close()
})

describe('Deribit position reads carry the venue time', () => {
  it('a read is stamped on the venue clock (usIn), so a fill after it is later and a fill before it is not', async () => {
    const makerRpc = await rpc(MAKER)
    const user = new DeribitUserDataStream(makerRpc)
    const fills: Fill[] = []
    user.on('fill', (fill) => fills.push(fill))
    await user.subscribe([INSTRUMENT], ['USDC'])
    const maker = new DeribitExecutionClient(makerRpc)
    const taker = new DeribitExecutionClient(await rpc(TAKER))
    const trade = async (id: string): Promise<Fill> => {
      await maker.placeOrder({
        symbol: INSTRUMENT,
        side: 'sell',
        price: '2400',
        sizeBase: '0.1',
        timeInForce: 'postOnly',
        clientOrderId: id,
      })
      await taker.placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '2400',
        sizeBase: '0.1',
        timeInForce: 'ioc',
        clientOrderId: `lift-${id}`,
      })
      await waitFor(() => fills.some((f) => f.clientOrderId === id), `maker fill of ${id}`)
      return fills.find((f) => f.clientOrderId === id) as Fill
    }

    const before = await trade('ask-1')
    const [read] = (await user.getPositions('USDC')).filter((p) => p.symbol === INSTRUMENT)
    expect(read?.sizeBase).toBe('-0.1')
    // the venue's time: the replayed day, not the connector's clock (2026)
    expect(read?.tsExchangeMs).toBeGreaterThanOrEqual(T0)
    expect(read?.tsExchangeMs).toBeLessThan(DAY_END)
    // the fill it holds is at or before it …
    expect(before.tsExchangeMs).toBeLessThanOrEqual(read?.tsExchangeMs as number)
    await new Promise((resolve) => setTimeout(resolve, 20))
    // … and a fill made after the read is after it (so the hedger adds it on top of the report)
    const after = await trade('ask-2')
    expect(after.tsExchangeMs).toBeGreaterThan(read?.tsExchangeMs as number)
    const [next] = (await user.getPositions('USDC')).filter((p) => p.symbol === INSTRUMENT)
    expect(next?.sizeBase).toBe('-0.2')
    expect(next?.tsExchangeMs).toBeGreaterThanOrEqual(after.tsExchangeMs)
    // the reconciliation snapshot (after subscribe and every reconnect) is stamped the same way
    const snapshot = await user.reconcile()
    const position = snapshot.positions.find((p) => p.symbol === INSTRUMENT)
    expect(position?.tsExchangeMs).toBeGreaterThanOrEqual(after.tsExchangeMs)
    expect(position?.tsExchangeMs).toBeLessThan(DAY_END)
  })
})
