import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { Secret } from '../config/Secret.js'
import type { RuntimeError } from '../errors/base.js'
import { createWebhookAlerter } from './createWebhookAlerter.js'

type Received = { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }

/** A local webhook receiver: records every POST; `reply` answers each one (default 200). */
async function startReceiver(
  reply: (n: number) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 200 }),
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = []
  const server = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: JSON.parse(text) })
      const answer = reply(received.length)
      response.writeHead(answer.status, answer.headers).end(answer.body ?? 'ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  servers.push(server)
  return { url: `http://127.0.0.1:${port}`, received, server }
}
const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

const halt = { kind: 'halt', severity: 'critical', title: 'binance-perp: halted (stale feed, 12 s)' } as const

describe('createWebhookAlerter against a local receiver', () => {
  it('posts the generic JSON body, Slack’s { text } and Telegram’s { chat_id, text }', async () => {
    const receiver = await startReceiver()
    let nowMs = Date.UTC(2026, 11, 7, 12, 0, 0)
    const generic = createWebhookAlerter({ url: `${receiver.url}/hook`, source: 'alp-paper', nowMs: () => nowMs })
    expect(generic.alert({ ...halt, details: { venue: 'binance-perp', lagMs: 12_000 } })).toBe('sent')
    await generic.flush()
    const slack = createWebhookAlerter({
      url: `${receiver.url}/slack`,
      format: 'slack',
      source: 'alp-paper',
      nowMs: () => nowMs,
    })
    slack.alert({ kind: 'kill', severity: 'warning', title: 'kill from the dashboard', details: { by: 'operator' } })
    await slack.flush()
    nowMs += 1
    const telegram = createWebhookAlerter({
      url: new Secret('env:ALERT_WEBHOOK_URL', `${receiver.url}/bot123:SECRET/sendMessage`),
      format: 'telegram',
      telegramChatId: '-1001234',
      source: 'alp-paper',
      nowMs: () => nowMs,
    })
    telegram.alert({ kind: 'rpc-down', severity: 'critical', title: 'RPC down for 65 s' })
    await telegram.flush()

    expect(receiver.received.map((r) => r.path)).toEqual(['/hook', '/slack', '/bot123:SECRET/sendMessage'])
    expect(receiver.received.every((r) => r.headers['content-type'] === 'application/json')).toBe(true)
    expect(receiver.received[0]?.body).toEqual({
      source: 'alp-paper',
      kind: 'halt',
      severity: 'critical',
      title: 'binance-perp: halted (stale feed, 12 s)',
      key: 'halt',
      details: { venue: 'binance-perp', lagMs: 12_000 },
      atMs: Date.UTC(2026, 11, 7, 12, 0, 0),
      repeated: 0,
    })
    expect(receiver.received[1]?.body).toEqual({
      text: '🟠 [alp-paper] kill from the dashboard\nby=operator\n2026-12-07T12:00:00.000Z',
    })
    expect(receiver.received[2]?.body).toEqual({
      chat_id: '-1001234',
      text: '🔴 [alp-paper] RPC down for 65 s\n2026-12-07T12:00:00.001Z',
      disable_web_page_preview: true,
    })
    expect(generic.stats).toEqual({ sent: 1, deduplicated: 0, rateLimited: 0, failed: 0 })
    // The Telegram token is in the URL: never in a dump of the alerter.
    expect(inspect(telegram, { depth: 10 })).not.toContain('SECRET')
  })

  it('deduplicates one key inside the window and says how many were folded into the next message', async () => {
    const receiver = await startReceiver()
    let nowMs = 1_000_000
    const alerter = createWebhookAlerter({ url: receiver.url, source: 's', dedupWindowMs: 60_000, nowMs: () => nowMs })
    const venueDown = {
      kind: 'venue-down',
      severity: 'critical',
      title: 'binance-perp down',
      key: 'venue-down:binance-perp',
    } as const
    expect(alerter.alert(venueDown)).toBe('sent')
    nowMs += 10_000
    expect(alerter.alert(venueDown)).toBe('deduplicated')
    nowMs += 10_000
    expect(alerter.alert(venueDown)).toBe('deduplicated')
    // Another key is not held back by this one.
    expect(alerter.alert({ ...venueDown, key: 'venue-down:deribit-perp', title: 'deribit-perp down' })).toBe('sent')
    nowMs += 40_000 // 60 s after the first: the window is over
    expect(alerter.alert(venueDown)).toBe('sent')
    await alerter.flush()
    expect(receiver.received.map((r) => [r.body.title, r.body.repeated])).toEqual([
      ['binance-perp down', 0],
      ['deribit-perp down', 0],
      ['binance-perp down', 2],
    ])
    expect(alerter.stats).toMatchObject({ sent: 3, deduplicated: 2 })
  })

  it('sends at most maxPerWindow messages per window, then one summary of the alerts it held back', async () => {
    const receiver = await startReceiver()
    let nowMs = 0
    const alerter = createWebhookAlerter({
      url: receiver.url,
      source: 's',
      maxPerWindow: 3,
      rateWindowMs: 60_000,
      nowMs: () => nowMs,
    })
    const outcomes = ['a', 'b', 'c', 'd', 'e'].map((venue, i) =>
      alerter.alert({
        kind: i < 4 ? 'venue-down' : 'loss',
        severity: i < 4 ? 'warning' : 'critical',
        title: venue,
        key: venue,
      }),
    )
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'rate-limited', 'rate-limited'])
    await alerter.flush() // the window is still full: no summary yet
    expect(receiver.received).toHaveLength(3)
    nowMs = 60_000
    await alerter.flush()
    expect(receiver.received).toHaveLength(4)
    expect(receiver.received[3]?.body).toMatchObject({
      kind: 'rate-limited',
      severity: 'critical',
      title: '2 more alerts held back by the rate limit: venue-down ×1, loss ×1',
    })
    expect(alerter.stats).toMatchObject({ sent: 4, rateLimited: 2 })
  })

  it('retries 429 after the receiver’s Retry-After and 5xx with backoff; gives up on 4xx; the error never has the URL', async () => {
    const waits: number[] = []
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms)
    }
    const limited = await startReceiver((n) =>
      n === 1
        ? { status: 429, body: JSON.stringify({ ok: false, error_code: 429, parameters: { retry_after: 7 } }) }
        : n === 2
          ? { status: 503, headers: { 'retry-after': '2' } }
          : { status: 200 },
    )
    const errors: RuntimeError[] = []
    const alerter = createWebhookAlerter({
      url: `${limited.url}/bot42:TOKEN/sendMessage`,
      format: 'telegram',
      telegramChatId: '1',
      source: 's',
      sleep,
      onDeliveryError: (error) => errors.push(error),
    })
    alerter.alert(halt)
    await alerter.flush()
    expect(limited.received).toHaveLength(3)
    expect(waits).toEqual([7_000, 2_000])
    expect(alerter.stats).toMatchObject({ sent: 1, failed: 0 })

    const broken = await startReceiver(() => ({ status: 500 }))
    const rejected = await startReceiver(() => ({ status: 403 }))
    for (const receiver of [broken, rejected]) {
      waits.length = 0
      const failing = createWebhookAlerter({
        url: `${receiver.url}/services/T000/B000/XXXXSECRET`,
        format: 'slack',
        source: 's',
        retries: 2,
        sleep,
        onDeliveryError: (error) => errors.push(error),
      })
      failing.alert(halt)
      await failing.flush()
      expect(failing.stats).toMatchObject({ sent: 0, failed: 1 })
    }
    expect(broken.received).toHaveLength(3) // 1 + 2 retries
    expect(rejected.received).toHaveLength(1) // 403 is not retried
    expect(errors.map((e) => e.code)).toEqual(['ALERT_NOT_DELIVERED', 'ALERT_NOT_DELIVERED'])
    expect(errors.map((e) => e.shortMessage)).toEqual([
      'An alert could not be delivered to the webhook (HTTP 500).',
      'An alert could not be delivered to the webhook (HTTP 403).',
    ])
    for (const error of errors) expect(`${error.message} ${inspect(error)}`).not.toContain('SECRET')
  })

  it('a receiver that is down: network errors are retried, then reported without the URL', async () => {
    const { url, server } = await startReceiver()
    await new Promise((resolve) => server.close(resolve))
    servers.length = 0
    const errors: RuntimeError[] = []
    const alerter = createWebhookAlerter({
      url: `${url}/hook/SECRET-TOKEN`,
      source: 's',
      retries: 1,
      sleep: async () => undefined,
      onDeliveryError: (error) => errors.push(error),
    })
    alerter.alert(halt)
    await alerter.flush()
    expect(errors).toHaveLength(1)
    expect(errors[0]?.shortMessage).toMatch(/could not be delivered to the webhook \(TypeError: fetch failed/)
    expect(inspect(errors[0])).not.toContain('SECRET-TOKEN')
  })

  it('a Telegram webhook without the chat id is a typed error naming what to set', () => {
    expect(() => createWebhookAlerter({ url: 'http://127.0.0.1:1/x', format: 'telegram', source: 's' })).toThrow(
      expect.objectContaining({
        code: 'ALERT_CONFIG_INVALID',
        message: expect.stringContaining('ALERT_TELEGRAM_CHAT_ID'),
      }),
    )
  })
})
