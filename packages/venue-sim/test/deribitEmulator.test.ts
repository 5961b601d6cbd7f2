import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'

// Deribit emulator over its real wire protocol (JSON-RPC 2.0 on /ws/api/v2), driven by a bare `ws` client.
// Signatures are computed here with node:crypto per the Deribit docs (ts\nnonce\ndata), not by emulator code.
const CLIENT = { id: 'maker-id', secret: 'maker-secret' }
let emu: RunningDeribitEmulator

type Frame = Record<string, unknown>

class RpcClient {
  readonly frames: Frame[] = []
  private nextId = 1
  private waiters: Array<{ test: (f: Frame) => boolean; resolve: (f: Frame) => void }> = []
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame
      this.frames.push(frame)
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true
        w.resolve(frame)
        return false
      })
    })
  }
  static async open(url: string): Promise<RpcClient> {
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    return new RpcClient(ws)
  }
  waitFor(test: (f: Frame) => boolean): Promise<Frame> {
    const found = this.frames.find(test)
    if (found) return Promise.resolve(found)
    return new Promise((resolve) => this.waiters.push({ test, resolve }))
  }
  async call(method: string, params: Record<string, unknown> = {}): Promise<Frame> {
    const id = this.nextId++
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    return this.waitFor((f) => f.id === id)
  }
  async auth(): Promise<void> {
    const ts = Date.now()
    const nonce = 'n0nce'
    const signature = createHmac('sha256', CLIENT.secret).update(`${ts}\n${nonce}\n`).digest('hex')
    const answer = await this.call('public/auth', {
      grant_type: 'client_signature',
      client_id: CLIENT.id,
      timestamp: ts,
      nonce,
      data: '',
      signature,
    })
    expect(answer.result).toMatchObject({ token_type: 'bearer', expires_in: 900 })
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.terminate()
    })
  }
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: 'BTC_USDC-PERPETUAL', tickSize: '0.5', stepSize: '0.001' }],
    accounts: [{ clientId: CLIENT.id, clientSecret: CLIENT.secret, balances: { USDC: '100000' } }],
  })
  // external liquidity: bids 60000.0, 59999.5; asks 60001.0, 60001.5 (ticks of 0.5), 1 BTC each (1000 lots)
  emu.engine.applyExternalDepth(
    'BTC_USDC-PERPETUAL',
    [
      [120000n, 1000n],
      [119999n, 1000n],
    ],
    [
      [120002n, 1000n],
      [120003n, 1000n],
    ],
  )
  emu.tick()
})

afterAll(async () => {
  await emu.close()
})

describe('Deribit emulator', () => {
  it('rejects a wrong signature with 13004 and a private call without auth with 13009', async () => {
    const c = await RpcClient.open(emu.wsUrl)
    const bad = await c.call('public/auth', {
      grant_type: 'client_signature',
      client_id: CLIENT.id,
      timestamp: Date.now(),
      nonce: 'x',
      data: '',
      signature: '00'.repeat(32),
    })
    expect(bad.error).toMatchObject({ code: 13004, message: 'invalid_credentials' })
    const unauth = await c.call('private/get_positions', {})
    expect(unauth.error).toMatchObject({ code: 13009 })
    await c.close()
  })

  it('book.{instrument}.100ms: snapshot then changes chained by prev_change_id', async () => {
    const c = await RpcClient.open(emu.wsUrl)
    const sub = await c.call('public/subscribe', { channels: ['book.BTC_USDC-PERPETUAL.100ms'] })
    expect(sub.result).toEqual(['book.BTC_USDC-PERPETUAL.100ms'])
    const snap = (await c.waitFor((f) => f.method === 'subscription')) as { params: { data: Record<string, unknown> } }
    expect(snap.params.data).toMatchObject({
      type: 'snapshot',
      bids: [
        ['new', 60000, 1],
        ['new', 59999.5, 1],
      ],
      asks: [
        ['new', 60001, 1],
        ['new', 60001.5, 1],
      ],
    })
    emu.engine.applyExternalDepth('BTC_USDC-PERPETUAL', [[120000n, 0n]], [])
    emu.tick()
    const change = (await c.waitFor(
      (f) => f.method === 'subscription' && (f.params as { data: { type: string } }).data.type === 'change',
    )) as { params: { data: Record<string, unknown> } }
    expect(change.params.data).toMatchObject({
      prev_change_id: snap.params.data.change_id,
      bids: [['delete', 60000, 0]],
    })
    emu.engine.applyExternalDepth('BTC_USDC-PERPETUAL', [[120000n, 1000n]], [])
    emu.tick()
    await c.close()
  })

  it('post_only + reject_post_only crossing the book → 11054 post_only_reject; without reject it is moved inside', async () => {
    const c = await RpcClient.open(emu.wsUrl)
    await c.auth()
    const rejected = await c.call('private/buy', {
      instrument_name: 'BTC_USDC-PERPETUAL',
      amount: 0.01,
      type: 'limit',
      price: 60001,
      post_only: true,
      reject_post_only: true,
      label: 'q1',
    })
    expect(rejected.error).toMatchObject({ code: 11054, message: 'post_only_reject' })
    const moved = (await c.call('private/buy', {
      instrument_name: 'BTC_USDC-PERPETUAL',
      amount: 0.01,
      type: 'limit',
      price: 60001,
      post_only: true,
      label: 'q2',
    })) as { result: { order: Record<string, unknown> } }
    // best ask 60001.0 → one tick (0.5) below it
    expect(moved.result.order).toMatchObject({ price: 60000.5, order_state: 'open', label: 'q2', amount: 0.01 })
    const cancelled = await c.call('private/cancel', { order_id: moved.result.order.order_id })
    expect(cancelled.result).toMatchObject({ order_state: 'cancelled' })
    await c.close()
  })

  it('cancel-on-disconnect cancels the orders created on the dropped connection only', async () => {
    const a = await RpcClient.open(emu.wsUrl)
    await a.auth()
    const b = await RpcClient.open(emu.wsUrl)
    await b.auth()
    expect((await a.call('private/enable_cancel_on_disconnect', { scope: 'connection' })).result).toBe('ok')
    const onA = (await a.call('private/sell', {
      instrument_name: 'BTC_USDC-PERPETUAL',
      amount: 0.002,
      type: 'limit',
      price: 61000,
      post_only: true,
      reject_post_only: true,
      label: 'cod-a',
    })) as { result: { order: { order_id: string } } }
    const onB = (await b.call('private/sell', {
      instrument_name: 'BTC_USDC-PERPETUAL',
      amount: 0.002,
      type: 'limit',
      price: 61000.5,
      label: 'cod-b',
    })) as { result: { order: { order_id: string } } }
    await a.close()
    // the server sees the TCP close a little after the client: poll the order state with a deadline
    let stateA = await b.call('private/get_order_state', { order_id: onA.result.order.order_id })
    for (const deadline = Date.now() + 5000; (stateA.result as { order_state: string }).order_state === 'open'; ) {
      if (Date.now() > deadline) break
      stateA = await b.call('private/get_order_state', { order_id: onA.result.order.order_id })
    }
    expect(stateA.result).toMatchObject({ order_state: 'cancelled', cancel_reason: 'cancel_on_disconnect' })
    const stateB = await b.call('private/get_order_state', { order_id: onB.result.order.order_id })
    expect(stateB.result).toMatchObject({ order_state: 'open' })
    expect((await b.call('private/cancel_all_by_instrument', { instrument_name: 'BTC_USDC-PERPETUAL' })).result).toBe(1)
    await b.close()
  })

  it('set_heartbeat sends test_request; public/test answers it', async () => {
    const c = await RpcClient.open(emu.wsUrl)
    expect((await c.call('public/set_heartbeat', { interval: 9 })).error).toMatchObject({ code: -32602 })
    expect((await c.call('public/set_heartbeat', { interval: 10 })).result).toBe('ok')
    expect((await c.call('public/test', {})).result).toEqual({ version: '1.2.26' })
    await c.close()
  })

  it('malformed JSON is answered with a parse error and the connection lives on', async () => {
    const c = await RpcClient.open(emu.wsUrl)
    c.ws.send('{not json')
    const err = await c.waitFor((f) => f.error !== undefined && f.id === null)
    expect(err.error).toMatchObject({ code: -32700 })
    expect((await c.call('public/get_time')).result).toEqual(expect.any(Number))
    await c.close()
  })
})
