import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createHedger,
  type HedgerCommand,
  type HedgerConfigInput,
  type HedgerEvent,
  type HedgerState,
} from '@alp/hedger'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, test } from 'vitest'
import { Journal } from './Journal.js'
import { stepJournaled } from './stepJournaled.js'

const SEC = 1_000_000_000n
const dir = mkdtempSync(join(tmpdir(), 'alp-journal-'))
const open: Journal[] = []
afterEach(() => {
  for (const j of open.splice(0)) j.close()
})
function journalAt(name: string): Journal {
  const j = new Journal(join(dir, name))
  open.push(j)
  return j
}

/** Two venues, a fixed-intensity GLFT model and a volatility estimator ready after two mids. */
const CONFIG: HedgerConfigInput = {
  venues: [
    {
      venue: 'binance',
      tickSize: '0.01',
      stepSize: '0.001',
      makerFeeBps: 2,
      maxOrderSizeBase: 0.5,
      rateLimitCapacity: 20,
    },
    {
      venue: 'deribit',
      tickSize: '0.05',
      stepSize: '0.001',
      makerFeeBps: 0,
      maxOrderSizeBase: 0.5,
      rateLimitCapacity: 20,
    },
  ],
  calibration: {
    volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
    intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
  },
  hedge: { orderSizeBase: 0.1 },
}

/**
 * A live loop in miniature: the core's commands are answered by a venue that accepts every order and fills some of
 * them, and every step is journaled as it happens. Returns what the core emitted, in order.
 */
function runLive(journal: Journal, runId: string): { commands: HedgerCommand[]; state: HedgerState } {
  let state = createHedger(CONFIG, { runTag: runId })
  const emitted: HedgerCommand[] = []
  const queue: HedgerEvent[] = []
  let t = SEC
  let trade = 0
  const feed = (event: HedgerEvent) => {
    const result = stepJournaled(journal, runId, state, event)
    state = result.state
    emitted.push(...result.commands)
    for (const c of result.commands) {
      if (c.type === 'placeOrder' || c.type === 'amendOrder') {
        queue.push({
          type: 'orderUpdate',
          tsNs: event.tsNs,
          venue: c.venue,
          clientOrderId: c.clientOrderId,
          side: c.side,
          priceTicks: c.priceTicks,
          sizeLots: c.sizeLots,
          filledLots: 0,
          status: 'new',
        })
        // Every second placed sell is filled in full a moment later.
        if (c.type === 'placeOrder' && c.side === 'sell' && ++trade % 2 === 1)
          queue.push({
            type: 'fill',
            tsNs: event.tsNs + 1n,
            venue: c.venue,
            clientOrderId: c.clientOrderId,
            tradeId: `T${trade}`,
            side: c.side,
            priceTicks: c.priceTicks,
            sizeLots: c.sizeLots,
            feeQuote: '0.03',
          })
      } else if (c.type === 'requestOpenOrders')
        queue.push({ type: 'openOrders', tsNs: event.tsNs, venue: c.venue, requestedNs: c.tsNs, orders: [] })
    }
  }
  const drain = () => {
    while (queue.length > 0) feed(queue.shift() as HedgerEvent)
  }
  for (const venue of ['binance', 'deribit']) feed({ type: 'venueHealth', tsNs: t, venue, status: 'connected' })
  const mids = [300_000, 300_040, 299_980, 300_000, 300_120, 300_060, 299_900, 300_010]
  for (const [i, mid] of mids.entries()) {
    t += SEC
    feed({
      type: 'bbo',
      tsNs: t,
      venue: 'binance',
      bidPriceTicks: mid - 1,
      bidSizeLots: 10_000,
      askPriceTicks: mid + 1,
      askSizeLots: 10_000,
    })
    feed({
      type: 'bbo',
      tsNs: t,
      venue: 'deribit',
      bidPriceTicks: mid / 5 - 1,
      bidSizeLots: 10_000,
      askPriceTicks: mid / 5 + 1,
      askSizeLots: 10_000,
    })
    if (i === 3) feed({ type: 'lpInventory', tsNs: t, baseHeldBase: '1.5', baseTargetBase: '0', poolPrice: '3000' })
    drain()
    feed({ type: 'timer', tsNs: t + SEC / 2n })
    drain()
  }
  return { commands: emitted, state }
}

describe('Journal (better-sqlite3, WAL)', () => {
  test('journaled input events replayed through the hedger core reproduce the journaled commands exactly', () => {
    const journal = journalAt('replay.sqlite')
    expect(journal.journalMode).toBe('wal')
    const runId = journal.startRun({ processName: 'trader', startedMs: 1_704_412_800_000, hedgerConfig: CONFIG })
    const live = runLive(journal, runId)
    const types = new Set(live.commands.map((c) => c.type))
    expect(types.has('placeOrder')).toBe(true)
    expect(journal.fills().length).toBeGreaterThan(0)
    const placed = live.commands.filter((c) => c.type === 'placeOrder')
    expect(
      journal
        .orders()
        .map((o) => o.clientOrderId)
        .sort(),
    ).toEqual(placed.map((c) => c.clientOrderId).sort())
    expect(journal.orders().filter((o) => o.status === 'new').length).toBeGreaterThan(0)
    const replay = journal.replay(runId)
    expect(replay.mismatches).toEqual([])
    expect(replay.commands).toBe(live.commands.length)
    expect(replay.steps).toBe(journal.steps(runId).length)
    // The journaled commands are the live ones, bigints included.
    expect(journal.steps(runId).flatMap((s) => s.commands)).toEqual(live.commands)
  })

  test('replay reports a journaled command that the core would not have sent', () => {
    const journal = journalAt('tampered.sqlite')
    const runId = journal.startRun({ processName: 'trader', startedMs: 1_704_412_800_000, hedgerConfig: CONFIG })
    runLive(journal, runId)
    const raw = new Database(join(dir, 'tampered.sqlite'))
    const row = raw
      .prepare(`SELECT seq, step, body FROM messages WHERE type = 'placeOrder' ORDER BY seq LIMIT 1`)
      .get() as { seq: number; step: number; body: string }
    raw.prepare('UPDATE messages SET body = ? WHERE seq = ?').run(
      row.body.replace(/"priceTicks":(\d+)/, (_, ticks) => `"priceTicks":${Number(ticks) + 1}`),
      row.seq,
    )
    raw.close()
    const replay = journal.replay(runId)
    expect(replay.mismatches.map((m) => m.step)).toEqual([row.step])
  })

  test('fills: a repeated trade id counts once; lastFill per venue survives a reopen; run ids are unique', () => {
    const path = 'fills.sqlite'
    let journal = journalAt(path)
    const run1 = journal.startRun({ processName: 'trader', startedMs: 1_000 })
    const fill = (venue: string, tradeId: string, tsNs: bigint, feeQuote: string): HedgerEvent => ({
      type: 'fill',
      tsNs,
      venue,
      clientOrderId: 'alp0x1',
      tradeId,
      side: 'buy',
      priceTicks: 300_000,
      sizeLots: 10,
      feeQuote,
      venueTimeMs: Number(tsNs / 1_000_000n),
    })
    journal.appendStep(run1, fill('binance', 'B1', 5n * SEC, '0.5'), [])
    journal.appendStep(run1, fill('deribit', 'D1', 6n * SEC, '-0.1'), [])
    journal.appendStep(run1, fill('binance', 'B1', 7n * SEC, '0.5'), []) // the same fill, delivered again
    journal.appendStep(run1, fill('binance', 'B2', 8n * SEC, '0.25'), [])
    journal.close()
    open.pop()
    journal = journalAt(path)
    const run2 = journal.startRun({ processName: 'trader', startedMs: 1_000 })
    expect(run2).not.toBe(run1)
    expect(journal.runs().map((r) => r.runId)).toEqual([run1, run2])
    expect(journal.fills().map((f) => f.tradeId)).toEqual(['B1', 'D1', 'B2'])
    expect(journal.lastFill('binance')).toMatchObject({
      tradeId: 'B2',
      tsNs: 8n * SEC,
      venueTimeMs: 8_000,
      runId: run1,
    })
    expect(journal.lastFill('deribit')?.tradeId).toBe('D1')
    expect(journal.lastFill('grvt')).toBeNull()
    // Steps continue after the reopen: run1 had 4 steps.
    expect(journal.steps(run1).map((s) => s.step)).toEqual([1, 2, 3, 4])
    expect(journal.history().cexFeesQuote).toBe('0.65') // 0.5 − 0.1 + 0.25
  })

  test('history: rebalances, fees paid, PnL vs hold and return % from LP actions and PnL snapshots', () => {
    const journal = journalAt('history.sqlite')
    const runId = journal.startRun({ processName: 'lp', startedMs: 2_000 })
    journal.appendLpAction(runId, {
      tsNs: 1n,
      action: 'mint',
      tokenId: '7',
      tickLower: -200,
      tickUpper: 200,
      amount0Raw: '1000000',
      gasCostWei: '300000000000000',
    })
    journal.appendLpAction(runId, {
      tsNs: 2n,
      action: 'rebalance',
      tokenId: '8',
      gasCostWei: '500000000000000',
      detail: { reason: 'out of range', liquidity: 12n },
    })
    journal.appendLpAction(runId, { tsNs: 3n, action: 'rebalance', tokenId: '9', gasCostWei: '200000000000000' })
    journal.appendPnlSnapshot(runId, {
      tsNs: 1n,
      valueUsd: '5000',
      holdValueUsd: '5000',
      lpFeesUsd: '0',
      hedgePnlUsd: '0',
      feesPaidUsd: '0',
      netExposureBase: '0',
    })
    journal.appendPnlSnapshot(runId, {
      tsNs: 2n,
      valueUsd: '5100',
      holdValueUsd: '5050',
      lpFeesUsd: '120.5',
      hedgePnlUsd: '-10',
      feesPaidUsd: '10.5',
      netExposureBase: '0.01',
    })
    const h = journal.history()
    expect(h).toMatchObject({
      runs: 1,
      rebalances: 2,
      gasCostWei: '1000000000000000',
      startValueUsd: '5000',
      endValueUsd: '5100',
      pnlUsd: '100',
      pnlVsHoldUsd: '50',
      feesPaidUsd: '10.5',
      returnPct: '2',
    })
    expect(journal.lpActions({ action: 'rebalance' }).map((a) => [a.tokenId, a.detail])).toEqual([
      ['8', { reason: 'out of range', liquidity: '12' }],
      ['9', undefined],
    ])
  })
})
