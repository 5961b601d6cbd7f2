import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { DeploymentStatus } from '../src/control/deploymentStatus.js'
import { startControlServer } from '../src/control/startControlServer.js'
import { buildDashboardSample, tickToBasePrice } from '../src/dashboard/buildDashboardSample.js'
import { createDashboard } from '../src/dashboard/createDashboard.js'
import { createJournalReader } from '../src/dashboard/createJournalReader.js'
import { Journal } from '../src/journal/Journal.js'

// The dashboard's routes on the control server, without a deployment: a status document made by hand.
const TOKEN = 'dashboard-test-token-0123456789abcdef'
let nowMs = 1_700_000_000_000
const status = (): DeploymentStatus =>
  ({
    version: 1,
    nowMs,
    process: { name: 'trader', pid: 1, startedMs: 0, uptimeMs: nowMs, runId: 'r1', roles: [] },
    killed: null,
    halts: [],
    venues: [],
    lp: {
      instance: 'lp-manager',
      killed: false,
      rangeHintBps: null,
      ranges: [
        { tokenId: '1', tickLower: -200_000, tickUpper: -197_000, liquidity: '1', role: 'base' },
        { tokenId: '2', tickLower: -199_000, tickUpper: -198_500, liquidity: '1', role: 'limit' },
      ],
      holdings: {
        baseToken: 'token1',
        base: '10',
        quote: '26800',
        valueUsd: '53600',
        baseShare: 0.5,
        targetBaseShare: 0.5,
        deviation: 0,
        atMs: 0,
      },
      uncollectedFees: null,
      lastBlock: null,
      managerError: null,
    },
    exposure: {
      lpDeviationBase: 0.2,
      cexPositionBase: -0.1,
      targetNetBase: 0,
      netBase: 0.1,
      netUsd: 268,
      lpSeen: true,
      lpInventory: { baseHeldBase: '10', baseTargetBase: '9.8', poolPrice: '2680.5', atMs: 0 },
    },
    pnl: { lpFeesUsd: 3, impermanentLossUsd: -1, gasUsd: 0.5, hedgeUsd: 0.25, feesPaidUsd: 0.1, totalUsd: 1.65 },
    recentErrors: [],
    errorsTotal: 0,
  }) as DeploymentStatus

async function readEvents(url: string, headers: Record<string, string>, updates: number): Promise<string> {
  const res = await fetch(url, { headers })
  expect(res.status).toBe(200)
  const reader = res.body?.getReader()
  let text = ''
  while ((text.match(/event: update/g) ?? []).length < updates) {
    const chunk = await reader?.read()
    if (chunk === undefined || chunk.done) break
    text += Buffer.from(chunk.value).toString('utf8')
  }
  await reader?.cancel()
  return text
}

const handlers = {
  status,
  kill: async () => ({ ok: true }),
  resume: async () => ({ ok: true }),
  stop: async () => ({ ok: true }),
}

describe('the dashboard on the control server', () => {
  it('serves the page and the stream (history, then updates) without the token on loopback; the page holds no data', async () => {
    const dashboard = createDashboard({ status, sample: (s) => buildDashboardSample(s, null), intervalMs: 0 })
    const server = await startControlServer({ handlers, token: TOKEN, dashboard })
    try {
      const page = await fetch(`${server.url}/`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'")
      const html = await page.text()
      expect(html).toContain('AlpCharts')
      expect(html).not.toContain('26800')
      expect((await fetch(`${server.url}/dashboard`)).status).toBe(200)
      expect((await fetch(`${server.url}/events`, { method: 'POST' })).status).toBe(405)
      const streamed = readEvents(`${server.url}/events`, {}, 2)
      // The second update: pushed once the page is connected.
      while (dashboard.clients === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      nowMs += 1_000
      dashboard.publish()
      const text = await streamed
      const events = text
        .split('\n\n')
        .filter((block) => block.startsWith('event:'))
        .map((block) => ({
          event: /^event: (\w+)/.exec(block)?.[1],
          data: JSON.parse(block.slice(block.indexOf('data: ') + 6)) as Record<string, unknown>,
        }))
      expect(events.map((e) => e.event)).toEqual(['history', 'update', 'update'])
      expect(events[0]?.data.samples).toHaveLength(1)
      const [first, second] = [events[1]?.data, events[2]?.data] as { seq: number; status: DeploymentStatus }[]
      expect(second?.seq).toBe((first?.seq ?? 0) + 1)
      expect(second?.status.nowMs).toBe((first?.status.nowMs ?? 0) + 1_000)
      expect(second?.status.exposure?.netBase).toBe(0.1)
    } finally {
      dashboard.close()
      await server.close()
    }
  })

  it('takes a chart point every interval from the start, watched or not: a page opening later gets them as history', async () => {
    let calls = 0
    const dashboard = createDashboard({
      status: () => {
        calls++
        return status()
      },
      sample: (s) => buildDashboardSample(s, null),
      intervalMs: 10,
    })
    const server = await startControlServer({ handlers, token: TOKEN, dashboard })
    try {
      while (calls < 3) await new Promise((resolve) => setTimeout(resolve, 10))
      const text = await readEvents(`${server.url}/events`, {}, 1)
      const history = JSON.parse(/event: history\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as { samples: unknown[] }
      // The points taken before the page came, and the one of its first update.
      expect(history.samples.length).toBeGreaterThanOrEqual(4)
    } finally {
      dashboard.close()
      await server.close()
    }
  })

  it('off loopback the stream and the status need the bearer token (401 without); without a dashboard / stays 404', async () => {
    const dashboard = createDashboard({ status, sample: (s) => buildDashboardSample(s, null), intervalMs: 0 })
    const open = await startControlServer({ handlers, token: TOKEN, dashboard, host: '0.0.0.0' })
    const bare = await startControlServer({ handlers, token: TOKEN })
    try {
      const at = `http://127.0.0.1:${open.port}`
      expect((await fetch(`${at}/events`)).status).toBe(401)
      expect(
        (await fetch(`${at}/events`, { headers: { authorization: 'Bearer wrong-token-0000000000000' } })).status,
      ).toBe(401)
      expect(await readEvents(`${at}/events`, { authorization: `Bearer ${TOKEN}` }, 1)).toContain('event: update')
      // The status document (positions, PnL, orders) is no more public than the stream that carries it.
      expect((await fetch(`${at}/status`)).status).toBe(401)
      expect((await fetch(`${at}/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
      expect((await fetch(`${bare.url}/status`)).status).toBe(200) // loopback: read-only views need no token
      expect((await fetch(`${bare.url}/`)).status).toBe(404)
      expect((await fetch(`${bare.url}/events`)).status).toBe(404)
    } finally {
      dashboard.close()
      await open.close()
      await bare.close()
    }
  })

  it('a chart point: pool and venue price, the LP ranges as prices, inventory, PnL parts (gas as a cost)', () => {
    // USDC (6 decimals) is token0, WETH (18) token1: price of WETH in USDC = 1 / (1.0001^tick · 10^(6 − 18)).
    expect(tickToBasePrice(-198_000, 'token1', { decimals0: 6, decimals1: 18 })).toBeCloseTo(
      1 / (1.0001 ** -198_000 * 1e-12),
      6,
    )
    expect(tickToBasePrice(-198_000, 'token1', { decimals0: 6, decimals1: 18 })).toBeGreaterThan(2500)
    const sample = buildDashboardSample(status(), { decimals0: 6, decimals1: 18 })
    const price = (tick: number) => 1 / (1.0001 ** tick * 1e-12)
    expect(sample.price[0]).toBe(2680.5)
    expect(sample.price[1]).toBeNull()
    // Ticks ascending are prices descending when the base is token1: lower bound = the upper tick's price.
    expect(sample.price[2]).toBeCloseTo(price(-197_000), 6)
    expect(sample.price[3]).toBeCloseTo(price(-200_000), 6)
    expect(sample.price[4]).toBeCloseTo(price(-198_500), 6)
    expect(sample.price[5]).toBeCloseTo(price(-199_000), 6)
    expect(sample.inventory).toEqual([10, -0.1, 0.1])
    expect(sample.pnl).toEqual([3, -1, 0.25, -0.5, 1.65])
    expect(buildDashboardSample(status(), null).price.slice(2)).toEqual([null, null, null, null])
  })

  it('the journal rows: the newest fills (grid units) and rebalances first, read-only, null before the file exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alp-dashboard-journal-'))
    const path = join(dir, 'journal.sqlite')
    const reader = createJournalReader(path, (venue) =>
      venue === 'binance-usdm' ? { tickSizePrice: 0.01, stepSizeBase: 0.001 } : undefined,
    )
    try {
      expect(reader.recent(10)).toBeNull()
      const journal = new Journal(path)
      const runId = journal.startRun({ processName: 'trader', startedMs: 1_700_000_000_000 })
      journal.appendLpAction(runId, {
        tsNs: 1_700_000_001_000_000_000n,
        action: 'rebalance',
        tickLower: -199_020,
        tickUpper: -196_620,
        detail: { reason: 'outOfRange' },
      })
      journal.appendLpAction(runId, { tsNs: 1_700_000_002_000_000_000n, action: 'collect' })
      const db = new Database(path)
      const insert = db.prepare(
        'INSERT INTO fills (run_id, venue, trade_id, client_order_id, side, price_ticks, size_lots, fee_quote, ts_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      insert.run(runId, 'binance-usdm', 't1', 'alp-a', 'sell', 268_054, 100, '0.0536', '1700000003000000000')
      insert.run(runId, 'other', 't2', 'alp-b', 'buy', 5, 7, '0', '1700000004000000000')
      db.close()
      const recent = reader.recent(10)
      expect(recent?.fills).toEqual([
        {
          tsMs: 1_700_000_004_000,
          venue: 'other',
          side: 'buy',
          price: null,
          sizeBase: null,
          feeQuote: '0',
          clientOrderId: 'alp-b',
        },
        {
          tsMs: 1_700_000_003_000,
          venue: 'binance-usdm',
          side: 'sell',
          price: 268_054 * 0.01,
          sizeBase: 100 * 0.001,
          feeQuote: '0.0536',
          clientOrderId: 'alp-a',
        },
      ])
      expect(recent?.rebalances).toEqual([
        {
          tsMs: 1_700_000_001_000,
          action: 'rebalance',
          tickLower: -199_020,
          tickUpper: -196_620,
          txHash: null,
          reason: 'outOfRange',
        },
      ])
      expect(reader.recent(1)?.fills).toHaveLength(1)
      journal.close()
    } finally {
      reader.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
