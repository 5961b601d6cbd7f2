import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  parseFaultKnobs,
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from '../src/binance/index.js'

const KEY = 'faultKey01'
const SECRET = 'faultSecret01'

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

async function connect(url: string) {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: string[] = []
  const waiters: Array<() => void> = []
  let closedCode: number | null = null
  const wake = () => {
    for (const w of waiters.splice(0)) w()
  }
  ws.on('message', (data) => {
    frames.push(data.toString())
    wake()
  })
  ws.on('close', (code) => {
    closedCode = code
    wake()
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
  return { frames, until, closedCode: () => closedCode }
}

/** Emits `n` depth events, each changing one bid level (event i sets 2000.00 − i ticks to 1 ETH). */
function emitDepth(e: RunningBinanceEmulator, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    e.engine.applyExternalDepth('ETHUSDT', [[200_000n - BigInt(i), 1000n]], [])
    e.tick()
  }
}

type Depth = { U: number; u: number; pu: number }
const depth = (frames: string[]) => frames.map((f) => JSON.parse(f) as Depth)

function signed(payload: string): string {
  return `${payload}&signature=${createHmac('sha256', SECRET).update(payload).digest('hex')}`
}

describe('depth fault knobs', () => {
  it('dropNext loses one event: the next event’s pu points at the lost u', async () => {
    const { emu } = await start({ faults: { depth: { dropNext: 1 } } })
    emitDepth(emu, 1) // the knob applies to the next published event, listened to or not: u=1 is dropped here
    const c = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth`)
    emitDepth(emu, 3, 1)
    await c.until(() => c.frames.length >= 3, '3 events')
    const d = depth(c.frames)
    // The knob was used up by u=1; the next three arrive chained.
    expect(d.map((x) => [x.U, x.u, x.pu])).toEqual([
      [2, 2, 1],
      [3, 3, 2],
      [4, 4, 3],
    ])
    emu.emulator.setFaults({ depth: { dropNext: 1 } })
    emitDepth(emu, 2, 4)
    await c.until(() => c.frames.length >= 4, '4 events')
    const last = depth(c.frames).at(-1)
    expect([last?.U, last?.u, last?.pu]).toEqual([6, 6, 5]) // u=5 never arrived: a gap the client must detect
  })

  it('duplicateNext repeats an event; reorderNext swaps it with the following one', async () => {
    const { emu } = await start()
    const c = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth@100ms`)
    emu.emulator.setFaults({ depth: { duplicateNext: 1 } })
    emitDepth(emu, 2)
    await c.until(() => c.frames.length >= 3, '3 frames')
    expect(depth(c.frames).map((x) => x.u)).toEqual([1, 1, 2])
    emu.emulator.setFaults({ depth: { reorderNext: 1 } })
    emitDepth(emu, 2, 2)
    await c.until(() => c.frames.length >= 5, '5 frames')
    expect(depth(c.frames).map((x) => x.u)).toEqual([1, 1, 2, 4, 3])
  })

  it('probabilities are seeded: the same seed drops the same events', async () => {
    const run = async () => {
      const { emu } = await start({ seed: 99, faults: { depth: { dropProbability: 0.3 } } })
      const c = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth`)
      emitDepth(emu, 40)
      emu.emulator.setFaults({ depth: { dropProbability: 0 } })
      emitDepth(emu, 1, 40) // a final marker event that is never dropped
      await c.until(() => depth(c.frames).at(-1)?.u === 41, 'marker event')
      const us = depth(c.frames).map((x) => x.u)
      await emu.close()
      return us
    }
    const a = await run()
    const b = await run()
    expect(a).toEqual(b)
    expect(a.length).toBeLessThan(41)
    expect(a.length).toBeGreaterThan(15)
  })
})

describe('WebSocket fault knobs', () => {
  it('malformedNext sends broken JSON (invalidJson and truncated) in place of the event', async () => {
    const { emu } = await start()
    const c = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth`)
    emu.emulator.setFaults({ ws: { malformedNext: 1, malformedKind: 'truncated' } })
    emitDepth(emu, 2)
    await c.until(() => c.frames.length >= 2, '2 frames')
    expect(() => JSON.parse(c.frames[0] as string)).toThrow()
    expect(JSON.parse(c.frames[1] as string).u).toBe(2)
    emu.emulator.setFaults({ ws: { malformedNext: 1, malformedKind: 'invalidJson' } })
    emitDepth(emu, 1, 2)
    await c.until(() => c.frames.length >= 3, '3 frames')
    expect(() => JSON.parse(c.frames[2] as string)).toThrow()
  })

  it('disconnectAfterMessages terminates sockets after N frames without a close frame (1006); disconnect now works too', async () => {
    const { emu } = await start()
    const c = await connect(`${emu.wsUrl}/public/ws/ethusdt@depth`)
    emu.emulator.setFaults({ ws: { disconnectAfterMessages: 2 } })
    emitDepth(emu, 5)
    await c.until(() => c.closedCode() !== null, 'close')
    expect(c.closedCode()).toBe(1006)
    expect(c.frames.length).toBe(2)
    const d = await connect(`${emu.wsUrl}/market/stream?streams=ethusdt@aggTrade`)
    const res = await fetch(`${emu.restUrl}/__admin/disconnect`, { method: 'POST', body: '{"scope":"market"}' })
    expect(await res.json()).toEqual({ disconnected: 1 })
    await d.until(() => d.closedCode() !== null, 'close')
    expect(d.closedCode()).toBe(1006)
  })
})

describe('REST fault knobs', () => {
  it('5xx after execution: the client sees 503 but the order WAS placed', async () => {
    const { emu, clock } = await start({
      faults: { rest: { http5xxNext: 1, http5xxMode: 'after', http5xxStatus: 503 } },
    })
    const res = await fetch(`${emu.restUrl}/fapi/v1/order`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': KEY },
      body: signed(
        `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000&newClientOrderId=u1&timestamp=${clock.t}`,
      ),
    })
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({
      code: -1008,
      msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
    })
    const query = await fetch(
      `${emu.restUrl}/fapi/v1/order?${signed(`symbol=ETHUSDT&origClientOrderId=u1&timestamp=${clock.t}`)}`,
      {
        headers: { 'X-MBX-APIKEY': KEY },
      },
    )
    expect(((await query.json()) as { status: string }).status).toBe('NEW')
  })

  it('timeout after execution: no response ever comes, yet the order exists; 5xx before execution places nothing', async () => {
    const { emu, clock } = await start({ faults: { rest: { timeoutNext: 1, timeoutMode: 'after' } } })
    const abort = new AbortController()
    let settled = false
    const pending = fetch(`${emu.restUrl}/fapi/v1/order`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': KEY },
      body: signed(
        `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000&newClientOrderId=t1&timestamp=${clock.t}`,
      ),
      signal: abort.signal,
    }).then(
      () => {
        settled = true
      },
      () => undefined,
    )
    const deadline = Date.now() + 5000
    while (emu.engine.getOrderByClientId('futures-0', 'ETHUSDT', 't1') === undefined) {
      if (Date.now() > deadline) throw new Error('order never placed')
      await new Promise((r) => setTimeout(r, 20))
    }
    // The next request is answered normally, proving the server processed the hung one and simply never replied.
    const time = await fetch(`${emu.restUrl}/fapi/v1/time`)
    expect(time.status).toBe(200)
    expect(settled).toBe(false)
    abort.abort()
    await pending
    emu.emulator.setFaults({ rest: { http5xxNext: 1, http5xxMode: 'before', http5xxStatus: 502 } })
    const res = await fetch(`${emu.restUrl}/fapi/v1/order`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': KEY },
      body: signed(
        `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000&newClientOrderId=t2&timestamp=${clock.t}`,
      ),
    })
    expect(res.status).toBe(502)
    expect(((await res.json()) as { code: number }).code).toBe(-1007)
    expect(emu.engine.getOrderByClientId('futures-0', 'ETHUSDT', 't2')).toBeUndefined()
  })

  it('rateLimitNext forces 429; calling again before Retry-After escalates to 418', async () => {
    const { emu } = await start()
    const res = await fetch(`${emu.restUrl}/__admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ rest: { rateLimitNext: 1 } }),
    })
    expect(res.status).toBe(200)
    const first = await fetch(`${emu.restUrl}/fapi/v1/time`)
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).not.toBeNull()
    const second = await fetch(`${emu.restUrl}/fapi/v1/time`)
    expect(second.status).toBe(418)
  })
})

describe('CLI fault knob syntax', () => {
  it('parses group.name=value pairs, keeping numbers numeric', () => {
    expect(
      parseFaultKnobs([
        'depth.dropNext=3',
        'depth.dropProbability=0.25',
        'ws.malformedKind=truncated',
        'rest.http5xxMode=after',
      ]),
    ).toEqual({
      depth: { dropNext: 3, dropProbability: 0.25 },
      ws: { malformedKind: 'truncated' },
      rest: { http5xxMode: 'after' },
    })
    expect(() => parseFaultKnobs(['drop=1'])).toThrow(/fault/)
  })
})
