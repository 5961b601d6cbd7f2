import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGrvtClientOrderId, type Fill, type GrvtConnector } from '@alp/exchange-connectors'
import type { RunningGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment } from '../src/deployment/createDeployment.js'
import { readGrvtFills } from '../src/roles/readGrvtFills.js'
import { waitFor } from './deploymentVenue.js'
import {
  connectGrvt,
  GRVT_ENV,
  grvtRoleIni,
  GRVT_HEDGER as HEDGER,
  GRVT_SYMBOL as SYMBOL,
  startGrvtVenue,
  GRVT_TAKER as TAKER,
} from './helpers/grvtVenue.js'

// GRVT's fill-history reader of restart reconciliation against the GRVT emulator (`/full/v1/fill_history`): a fill read
// from the venue's history is the fill the private stream delivered (same trade id, client order id, side, price,
// size, venue time), a read from after it finds nothing, and another instrument's fills are not returned.
const OTHER = 'BTC_USDT_Perp'
const closers: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

const same = (fill: Fill) => ({
  tradeId: fill.tradeId,
  clientOrderId: fill.clientOrderId,
  side: fill.side,
  price: Number(fill.price),
  sizeBase: Number(fill.sizeBase),
  tsExchangeMs: fill.tsExchangeMs,
})

let emulator: RunningGrvtEmulator | undefined
async function startEmulator(): Promise<RunningGrvtEmulator> {
  const emu = await startGrvtVenue({
    extraInstruments: [{ instrument: OTHER, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    balanceUsdt: '1000000',
  })
  closers.push(() => emu.close())
  return emu
}
async function connect(emu: RunningGrvtEmulator, account: typeof HEDGER): Promise<GrvtConnector> {
  const connector = await connectGrvt(emu, account)
  closers.push(() => connector.close())
  return connector
}
let ids = 0n
/** Our sell of `size` at `price` lifted by the taker; our client order id. */
async function trade(maker: GrvtConnector, taker: GrvtConnector, symbol: string, price: string, size: string) {
  const clientOrderId = createGrvtClientOrderId(++ids)
  await maker.execution.placeOrder({ symbol, side: 'sell', price, sizeBase: size, timeInForce: 'gtc', clientOrderId })
  await taker.execution.placeOrder({
    symbol,
    side: 'buy',
    price,
    sizeBase: size,
    timeInForce: 'ioc',
    clientOrderId: createGrvtClientOrderId(100_000n + ids),
  })
  return clientOrderId
}

describe('GRVT fill history reader', () => {
  it('readGrvtFills (fill_history) returns the stream’s fill, of the symbol only, paging past the page size', async () => {
    const emu = await startEmulator()
    emulator = emu
    const maker = await connect(emu, HEDGER)
    const taker = await connect(emu, TAKER)
    const streamed: Fill[] = []
    maker.privateStream.on('fill', (fill: Fill) => streamed.push(fill))
    await maker.privateStream.start()
    const account = { http: maker.http, subAccountId: HEDGER.sub }
    const t0 = Date.now()
    expect(await readGrvtFills(account, SYMBOL, t0 - 60_000)).toEqual([])
    const first = await trade(maker, taker, SYMBOL, '2680.00', '0.05')
    await trade(maker, taker, OTHER, '60000.0', '0.010')
    await waitFor(() => streamed.length >= 2, 'the stream’s fills')
    const read = await readGrvtFills(account, SYMBOL, t0 - 1_000)
    const ours = streamed.filter((fill) => fill.symbol === SYMBOL)
    expect(read.map(same)).toEqual(ours.map(same))
    expect(read[0]?.clientOrderId).toBe(first)
    expect(read[0]?.side).toBe('sell')
    expect(await readGrvtFills(account, SYMBOL, (ours[0] as Fill).tsExchangeMs + 1)).toEqual([])
    // More fills than one page (pageSize 2): every one, oldest first, none twice.
    for (let i = 0; i < 4; i++) await trade(maker, taker, SYMBOL, `268${i}.00`, '0.01')
    await waitFor(() => streamed.filter((fill) => fill.symbol === SYMBOL).length >= 5, 'five fills')
    const all = await readGrvtFills(account, SYMBOL, t0 - 1_000, { pageSize: 2 })
    expect(all.map(same)).toEqual(streamed.filter((fill) => fill.symbol === SYMBOL).map(same))
  }, 60_000)

  it('the deployment’s GRVT trading engine answers venueHistory with the venue’s fills (no NO_FILL_HISTORY)', async () => {
    const emu = emulator ?? (await startEmulator())
    const maker = await connect(emu, HEDGER)
    const taker = await connect(emu, TAKER)
    const sinceMs = Date.now() - 60_000
    const expected = await readGrvtFills({ http: maker.http, subAccountId: HEDGER.sub }, SYMBOL, sinceMs)
    if (expected.length === 0) await trade(maker, taker, SYMBOL, '2690.00', '0.02')
    const want = await readGrvtFills({ http: maker.http, subAccountId: HEDGER.sub }, SYMBOL, sinceMs)
    expect(want.length).toBeGreaterThan(0)
    const dir = mkdtempSync(join(tmpdir(), 'alp-reconcile-grvt-'))
    const file = join(dir, 'alp.ini')
    writeFileSync(
      file,
      `${grvtRoleIni(emu, 'trading-engine', true)}[trader]
PROCESS_NAME = trader
DATA_DIR = ${join(dir, 'data')}
METRICS_PORT = 0
[trader.HEDGER.HEDGE]
ORDER_SIZE_BASE = 0.1
[trader.HEDGER.VENUE.grvt]
TICK_SIZE = 0.01
STEP_SIZE = 0.01
MIN_NOTIONAL_QUOTE = 20
MAX_POSITION_BASE = 2
MAX_ORDER_SIZE_BASE = 1
STALE_AFTER_MS = 600000
SUPPORTS_AMEND = false
`,
    )
    const errors: unknown[] = []
    const deployment = createDeployment(loadConfigFiles([file], { env: GRVT_ENV }), {
      roles: ['trading-engine'],
      transport: 'inproc',
      onError: (error) => errors.push(error),
    })
    closers.push(() => deployment.stop({ timeoutMs: 5_000 }))
    await deployment.start()
    const history = await deployment.bus.commandClient('venueHistory', { ackTimeoutMs: 2_000, maxAttempts: 3 })
    closers.push(() => history.close())
    const ack = await history.send({
      type: 'requestFills',
      venue: 'grvt',
      sinceMs,
      tsNs: String(process.hrtime.bigint()),
    })
    expect(ack.ok, ack.detail).toBe(true)
    const fills = (JSON.parse(ack.detail ?? '[]') as string[]).map((text) => JSON.parse(text) as { tradeId: string })
    expect(fills.map((fill) => fill.tradeId)).toEqual(want.map((fill) => fill.tradeId))
    expect(errors).toEqual([])
  }, 60_000)
})
