import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  type BinanceReplayMarket,
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from '../src/binance/index.js'

const CAPTURE = fileURLToPath(
  new URL('../../../data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz', import.meta.url),
)
const KEY = 'streamKey01'
const SECRET = 'streamSecret01'

let emu: RunningBinanceEmulator | undefined
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await emu?.close()
  emu = undefined
})

async function start(options: Partial<StartBinanceEmulatorOptions> = {}) {
  const clock = { t: 1_723_161_256_000, nowMs: () => clock.t }
  emu = await startBinanceEmulator({
    clock,
    pingIntervalMs: 0,
    accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: { USDT: '10000' } }],
    ...options,
  })
  return { emu, clock }
}

/** A WebSocket client that records raw frames and lets the test await a condition (with a deadline, never a sleep). */
async function connect(url: string) {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: string[] = []
  const waiters: Array<() => void> = []
  let closed: number | null = null
  ws.on('message', (data) => {
    frames.push(data.toString())
    for (const w of waiters.splice(0)) w()
  })
  ws.on('close', (code) => {
    closed = code
    for (const w of waiters.splice(0)) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const until = async (predicate: () => boolean, what: string, deadlineMs = 5000): Promise<void> => {
    const deadline = Date.now() + deadlineMs
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }
  return {
    ws,
    frames,
    until,
    closedCode: () => closed,
    json: () => frames.map((f) => JSON.parse(f) as Record<string, unknown>),
  }
}

type Depth = { e: string; U: number; u: number; pu: number; b: string[][]; a: string[][] }

async function rest(e: RunningBinanceEmulator, method: string, path: string, payload: string, signed = true) {
  const q = signed ? `${payload}&signature=${createHmac('sha256', SECRET).update(payload).digest('hex')}` : payload
  const res = await fetch(`${e.restUrl}${path}?${q}`, { method, headers: { 'X-MBX-APIKEY': KEY } })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/** Applies depth events to a snapshot with Binance's futures procedure; throws on a broken chain. */
function buildBook(snapshot: { lastUpdateId: number; bids: string[][]; asks: string[][] }, events: Depth[]) {
  const bids = new Map(snapshot.bids.map(([p, q]) => [p as string, q as string]))
  const asks = new Map(snapshot.asks.map(([p, q]) => [p as string, q as string]))
  let prevU: number | null = null
  for (const ev of events) {
    if (ev.u < snapshot.lastUpdateId) continue
    if (prevU === null) {
      if (!(ev.U <= snapshot.lastUpdateId && ev.u >= snapshot.lastUpdateId))
        throw new Error(`first event ${ev.U}..${ev.u} does not straddle ${snapshot.lastUpdateId}`)
    } else if (ev.pu !== prevU) throw new Error(`gap: pu ${ev.pu} != previous u ${prevU}`)
    for (const [p, q] of ev.b)
      if (Number(q) === 0) bids.delete(p as string)
      else bids.set(p as string, q as string)
    for (const [p, q] of ev.a)
      if (Number(q) === 0) asks.delete(p as string)
      else asks.set(p as string, q as string)
    prevU = ev.u
  }
  const top = (m: Map<string, string>, desc: boolean, n: number) =>
    [...m.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0]))).slice(0, n)
  return { bids: (n: number) => top(bids, true, n), asks: (n: number) => top(asks, false, n) }
}

describe('diff-depth stream against the real capture (replay)', () => {
  it('re-emits the captured U/u/pu chain, stays consistent with /depth, and keeps the chain with our orders mixed in', async () => {
    const { emu } = await start({ market: { kind: 'replay', file: CAPTURE } })
    const replay = emu.emulator.drivers[0] as BinanceReplayMarket
    const client = await connect(`${emu.wsUrl}/public/stream?streams=ethusdt@depth@100ms`)
    // Independent reading of the capture: the depth events after the snapshot line, as Binance sent them.
    const lines = gunzipSync(readFileSync(CAPTURE)).toString('utf8').split('\n')
    const snapIndex = lines.findIndex((l) => l.includes('"lastUpdateId"'))
    const snapshotId = JSON.parse((lines[snapIndex] as string).slice((lines[snapIndex] as string).indexOf(' ') + 1))
      .lastUpdateId as number
    const captured = lines
      .filter((l, i) => i !== snapIndex && l.includes('@depth'))
      .map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)).data as Depth)
      .filter((d) => d.u >= snapshotId)
    let sent = 0
    for (let i = 0; i < 400; i++) {
      if (replay.stepEvents(1) === 0) break
      emu.tick()
    }
    await client.until(() => client.frames.length >= 20, '20 depth frames')
    sent = client.frames.length
    const got = client.json().map((f) => f.data as Depth)
    expect(client.json()[0]?.stream).toBe('ethusdt@depth@100ms')
    // The snapshot and the diffs buffered around it were loaded at start (before this client connected); every event re-emitted
    // after that carries the captured ids, the first one chaining (pu) to the last id of the start-up load.
    const k = captured.findIndex((c) => c.u === got[0]?.u)
    expect(k).toBeGreaterThan(0)
    expect(got[0]?.pu).toBe(captured[k - 1]?.u)
    expect(got.slice(0, 20).map((d) => [d.U, d.u, d.pu])).toEqual(
      captured.slice(k, k + 20).map((d) => [d.U, d.u, d.pu]),
    )
    // Snapshot, our own order, more replay; then rebuild the book from the snapshot and compare with a fresh snapshot.
    const snap = (await rest(emu, 'GET', '/fapi/v1/depth', 'symbol=ETHUSDT&limit=1000', false)).json as unknown as {
      lastUpdateId: number
      bids: string[][]
      asks: string[][]
    }
    const bestBid = Number(snap.bids[0]?.[0])
    const price = (bestBid - 0.5).toFixed(2)
    const placed = await rest(
      emu,
      'POST',
      '/fapi/v1/order',
      `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=1.000&price=${price}&timestamp=${emu.emulator.clock.nowMs()}`,
    )
    expect(placed.status).toBe(200)
    for (let i = 0; i < 200; i++) {
      replay.stepEvents(1)
      emu.tick()
    }
    const finalSnap = (await rest(emu, 'GET', '/fapi/v1/depth', 'symbol=ETHUSDT&limit=100', false)).json as unknown as {
      lastUpdateId: number
      bids: string[][]
      asks: string[][]
    }
    await client.until(() => {
      const last = client.json().at(-1)?.data as Depth | undefined
      return last !== undefined && last.u >= finalSnap.lastUpdateId
    }, 'all depth events up to the final snapshot')
    expect(client.frames.length).toBeGreaterThan(sent)
    const events = client.json().map((f) => f.data as Depth)
    const book = buildBook(snap, events)
    expect(book.bids(100)).toEqual(finalSnap.bids)
    expect(book.asks(100)).toEqual(finalSnap.asks)
  })
})

describe('simulated market, SUBSCRIBE protocol and other streams', () => {
  it('is deterministic for a seed and answers SUBSCRIBE / LIST_SUBSCRIPTIONS like Binance', async () => {
    const run = async () => {
      const { emu, clock } = await start({ market: { kind: 'simulated', midPrice: '2681.62', seed: 7 } })
      const client = await connect(`${emu.wsUrl}/public/ws`)
      client.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@depth', 'ethusdt@bookTicker'], id: 1 }))
      await client.until(() => client.frames.length >= 1, 'subscribe ack')
      expect(JSON.parse(client.frames[0] as string)).toEqual({ result: null, id: 1 })
      client.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }))
      await client.until(() => client.frames.length >= 2, 'list ack')
      expect(JSON.parse(client.frames[1] as string)).toEqual({ result: ['ethusdt@depth', 'ethusdt@bookTicker'], id: 2 })
      for (let i = 0; i < 20; i++) {
        clock.t += 100
        emu.tick()
      }
      // Frames on one socket arrive in order: once the answer to a request sent after the ticks is in, every tick frame is too.
      client.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }))
      await client.until(() => client.json().some((f) => f.id === 3), 'marker reply')
      expect(client.json().filter((f) => f.e === 'depthUpdate').length).toBeGreaterThanOrEqual(20)
      const out = client.json().filter((f) => f.e === 'depthUpdate' || f.e === 'bookTicker')
      const depth = out.filter((f) => f.e === 'depthUpdate') as unknown as Depth[]
      for (let i = 1; i < depth.length; i++) expect(depth[i]?.pu).toBe(depth[i - 1]?.u)
      const ticker = out.find((f) => f.e === 'bookTicker')
      expect(Object.keys(ticker ?? {}).sort()).toEqual(['A', 'B', 'E', 'T', 'a', 'b', 'e', 's', 'u'].sort())
      await emu.close()
      return out.map((f) => ({ ...f, E: 0, T: 0 }))
    }
    const first = await run()
    const second = await run()
    expect(second).toEqual(first)
  })
})

describe('user data stream', () => {
  it('sends ORDER_TRADE_UPDATE and ACCOUNT_UPDATE with Binance field names; cw is the wallet, not the available balance', async () => {
    const { emu, clock } = await start()
    emu.engine.applyExternalDepth('ETHUSDT', [[200_000n, 5000n]], [[200_010n, 5000n]])
    emu.tick()
    const key = (await rest(emu, 'POST', '/fapi/v1/listenKey', '', false)).json.listenKey as string
    const client = await connect(`${emu.wsUrl}/private/ws?listenKey=${key}`)
    await rest(
      emu,
      'POST',
      '/fapi/v1/order',
      `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.000&price=2000.10&newClientOrderId=ut-1&timestamp=${clock.t}`,
    )
    await client.until(() => client.json().some((f) => f.e === 'ACCOUNT_UPDATE'), 'ACCOUNT_UPDATE')
    const events = client.json()
    const [neu, trade] = events.filter((f) => f.e === 'ORDER_TRADE_UPDATE').map((f) => f.o as Record<string, unknown>)
    expect(neu).toMatchObject({
      s: 'ETHUSDT',
      c: 'ut-1',
      S: 'BUY',
      o: 'LIMIT',
      f: 'GTC',
      q: '1.000',
      p: '2000.10',
      x: 'NEW',
      X: 'NEW',
      z: '0.000',
    })
    // Taker 1 ETH @ 2000.10: commission 0.05 % = 1.00005 USDT.
    expect(trade).toMatchObject({
      x: 'TRADE',
      X: 'FILLED',
      l: '1.000',
      z: '1.000',
      L: '2000.10',
      N: 'USDT',
      n: '1.00005000',
      m: false,
      rp: '0.00000000',
      ps: 'BOTH',
    })
    const account = events.find((f) => f.e === 'ACCOUNT_UPDATE')?.a as {
      m: string
      B: Array<Record<string, string>>
      P: Array<Record<string, string>>
    }
    expect(account.m).toBe('ORDER')
    expect(account.B).toEqual([{ a: 'USDT', wb: '9998.99995000', cw: '9998.99995000', bc: '0.00000000' }])
    expect(account.P[0]).toMatchObject({ s: 'ETHUSDT', pa: '1.000', ep: '2000.10000000', mt: 'cross', ps: 'BOTH' })
    // Available = wallet + uPnL − IM: mark = mid(2000.00, 2000.10) = 2000.05 → uPnL −0.05, IM 2000.05 / 20 = 100.0025.
    const info = (await rest(emu, 'GET', '/fapi/v3/account', `timestamp=${clock.t}`)).json
    expect(info.availableBalance).toBe('9898.94745000')
    expect(info.totalWalletBalance).toBe('9998.99995000')
  })

  it('listenKey expiry now sends listenKeyExpired and stops account events', async () => {
    const { emu, clock } = await start()
    const key = (await rest(emu, 'POST', '/fapi/v1/listenKey', '', false)).json.listenKey as string
    const client = await connect(`${emu.wsUrl}/ws/${key}`) // legacy path
    emu.emulator.expireListenKeysNow()
    await client.until(() => client.frames.length >= 1, 'listenKeyExpired')
    expect(client.json()[0]).toEqual({ e: 'listenKeyExpired', E: clock.t, listenKey: key })
    await rest(
      emu,
      'POST',
      '/fapi/v1/order',
      `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.000&price=2000&timestamp=${clock.t}`,
    )
    expect((await rest(emu, 'PUT', '/fapi/v1/listenKey', '', false)).json.code).toBe(-1125)
    expect(client.frames).toHaveLength(1)
  })
})

describe('partial book depth', () => {
  it('sends the top 5 levels on <sym>@depth5@100ms after each change', async () => {
    const { emu } = await start()
    const client = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth5@100ms`)
    const bids: Array<[bigint, bigint]> = []
    for (let i = 0n; i < 7n; i++) bids.push([200_000n - i, 1000n + i])
    emu.engine.applyExternalDepth('ETHUSDT', bids, [[200_010n, 500n]])
    emu.tick()
    await client.until(() => client.frames.length >= 1, 'partial depth')
    const frame = client.json()[0] as { b: string[][]; a: string[][]; U: number; u: number }
    expect(frame.b).toEqual([
      ['2000.00', '1.000'],
      ['1999.99', '1.001'],
      ['1999.98', '1.002'],
      ['1999.97', '1.003'],
      ['1999.96', '1.004'],
    ])
    expect(frame.a).toEqual([['2000.10', '0.500']])
    expect([frame.U, frame.u]).toEqual([1, 8])
  })
})

describe('market streams on /market', () => {
  it('sends aggTrade for trades and markPriceUpdate every emulator second (mark = mid)', async () => {
    const { emu, clock } = await start()
    const client = await connect(`${emu.wsUrl}/market/stream?streams=ethusdt@aggTrade/ethusdt@markPrice@1s`)
    emu.engine.applyExternalDepth('ETHUSDT', [[200_000n, 1000n]], [[200_010n, 1000n]])
    emu.engine.applyExternalTrade('ETHUSDT', 200_010n, 250n, 'BUY')
    clock.t += 1000
    emu.tick()
    await client.until(() => client.frames.length >= 2, 'aggTrade and markPrice')
    const byStream = new Map(client.json().map((f) => [f.stream as string, f.data as Record<string, unknown>]))
    expect(byStream.get('ethusdt@aggTrade')).toMatchObject({
      e: 'aggTrade',
      s: 'ETHUSDT',
      p: '2000.10',
      q: '0.250',
      m: false,
    })
    // mid of 2000.00 / 2000.10
    expect(byStream.get('ethusdt@markPrice@1s')).toMatchObject({
      e: 'markPriceUpdate',
      s: 'ETHUSDT',
      p: '2000.05000000',
    })
  })
})

describe('spot streams and the klines driver', () => {
  it('serves spot diff depth (U/u, no pu) on /spot/ws and keeps it off the futures streams', async () => {
    const { emu } = await start()
    const spot = await connect(`${emu.wsUrl}/spot/ws/ethusdt@depth@100ms`)
    const futures = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth@100ms`)
    emu.engine.applyExternalDepth('spot:ETHUSDT', [[200_000n, 10_000n]], [])
    emu.tick()
    emu.engine.applyExternalDepth('ETHUSDT', [[200_000n, 1000n]], [])
    emu.tick()
    await spot.until(() => spot.frames.length >= 1, 'spot depth')
    await futures.until(() => futures.frames.length >= 1, 'futures depth')
    const s = spot.json()[0] as Record<string, unknown>
    expect(s).toMatchObject({ e: 'depthUpdate', s: 'ETHUSDT', U: 1, u: 1, b: [['2000.00', '1.0000']], a: [] })
    expect('pu' in s).toBe(false)
    expect(futures.json()).toHaveLength(1)
    expect(futures.json()[0]).toMatchObject({ b: [['2000.00', '1.000']], pu: 0 })
  })

  it('klines: the mid follows each minute’s open → close (speed 60 = one kline minute per emulator second)', async () => {
    const file = fileURLToPath(
      new URL(
        '../../../data/binance-ethusdt-klines-2024-01-05/ETHUSDT-1m-2024-01-05.futures-um.reduced.csv',
        import.meta.url,
      ),
    )
    const { emu, clock } = await start({ market: { kind: 'klines', file, speed: 60, seed: 3 } })
    const mark = async () => {
      const res = await fetch(`${emu.restUrl}/fapi/v1/premiumIndex?symbol=ETHUSDT`)
      return ((await res.json()) as { markPrice: string }).markPrice
    }
    // Row 1 (00:00): open 2267.85; the simulated ladder sits ±1 tick around the mid, so the mark is the mid itself.
    expect(await mark()).toBe('2267.85000000')
    // 10 emulator seconds = 10 kline minutes: row 11 (00:10) open.
    clock.t += 10_000
    emu.tick()
    const rows = readFileSync(file, 'utf8').trim().split('\n')
    const open10 = Number((rows[11] as string).split(',')[1]).toFixed(2)
    expect(await mark()).toBe(`${open10}000000`)
  })
})
