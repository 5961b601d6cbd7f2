import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { LpActionMessage, LpPnlMessage } from '../transport/topics.js'
import { createPnlSnapshotter, journalLpMessage, type PnlSnapshotter } from './createPnlSnapshotter.js'
import { Journal } from './Journal.js'
import { lpActionRecords } from './lpActionRecords.js'

/*
 * Model-based test of the trader's LP journaling (journalLpMessage + createPnlSnapshotter on a journal file) over
 * random programs: the lp-manager's `lp.action` and `lp.pnl` messages delivered in any order, each any number of times
 * (a bus snapshot replays them, a late join, a ZeroMQ gap recovery), interleaved with trader restarts (journal closed
 * and reopened, a new run and a new snapshotter, as startTrader does), timer ticks and stops. The model: the set of
 * plan ids delivered, and per trader instance the newest `lp.pnl` delivered (by its tsMs). Invariants after every step:
 *  J1  every delivered plan id has its rows journaled exactly once (one `rebalance` row, and as many rows in all as
 *      lpActionRecords gives), a plan never delivered has none;
 *  J2  PnL snapshots are monotone in time: journal order = time order, across restarts;
 *  J3  a snapshot values the LP with the newest lp.pnl this trader received, never an older one delivered late;
 *  J4  every lp.pnl is journaled once per source and instant (lp_pnl), in time order.
 * The seed is printed on failure (fast-check's message); rerun one with LP_JOURNAL_MODEL_SEED=<seed>.
 */
const T0 = 1_704_412_800_000
const SOURCE = 'uniswap-v3:31337:0xpool'
const dir = mkdtempSync(join(tmpdir(), 'alp-lp-journal-model-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const planArb = (k: number) =>
  fc
    .record({
      closed: fc.integer({ min: 0, max: 2 }),
      skipped: fc.boolean(),
      swap: fc.boolean(),
      minted: fc.integer({ min: 1, max: 2 }),
    })
    .map(
      ({ closed, skipped, swap, minted }): LpActionMessage => ({
        type: 'lp.action',
        id: `plan-${k}`,
        source: SOURCE,
        tsMs: T0 + k * 60_000,
        reason: 'PRICE_OUT_OF_RANGE',
        decidedAtBlock: 100 + k,
        closed: Array.from({ length: closed }, (_, i) => ({
          tokenId: `${k * 10 + i}`,
          tickLower: -600,
          tickUpper: 600,
          liquidity: '1000',
          collected0Raw: '10',
          collected1Raw: '20',
          fees0Raw: '1',
          fees1Raw: '2',
          skipped: skipped && i === 0,
          txHash: `0x${k}${i}`,
          gasCostWei: '1000',
        })),
        swap: swap ? { amount0Raw: '-5', amount1Raw: '7', txHash: `0x${k}s`, gasCostWei: '500' } : null,
        minted: Array.from({ length: minted }, (_, i) => ({
          role: i === 0 ? ('base' as const) : ('limit' as const),
          tokenId: `${k * 10 + 5 + i}`,
          tickLower: -1200,
          tickUpper: 1200,
          liquidity: '5000',
          amount0Raw: '100',
          amount1Raw: '200',
          txHash: `0x${k}m${i}`,
          gasCostWei: '2000',
        })),
        gasPaidWei: '3500',
        expectedGainUsd: 1,
        gasCostUsd: 0.5,
      }),
    )

const pnlMessage = (i: number): LpPnlMessage => ({
  type: 'lp.pnl',
  source: SOURCE,
  tsMs: T0 + i * 30_000,
  valueUsd: String(5000 + i),
  usdPrice0: '1',
  usdPrice1: '2000',
  amount0Raw: '1000000000',
  amount1Raw: '2000000000000000000',
  decimals0: 6,
  decimals1: 18,
  baseToken: 'token1',
  lpFeesUsd: i + 0.25, // distinct per message: names the message a snapshot used
  gasPaidWei: '0',
  gasUsd: 0,
  lpPnlVsHoldUsd: 0,
})

type Op =
  | { op: 'action'; k: number }
  | { op: 'pnl'; i: number }
  | { op: 'tick'; dtMs: number }
  | { op: 'stop' }
  | { op: 'restart' }

const PLANS = 5
const PNLS = 8
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: PLANS - 1 }).map((k) => ({ op: 'action' as const, k })) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: PNLS - 1 }).map((i) => ({ op: 'pnl' as const, i })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 90_000 }).map((dtMs) => ({ op: 'tick' as const, dtMs })) },
  { weight: 1, arbitrary: fc.constant({ op: 'stop' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
)

// A hedger with no venue: the snapshots' hedge part is 0, their LP part is the lp.pnl's.
const noVenues = () =>
  ({
    venues: [],
    venueByName: new Map(),
    poolPrice: null,
    lpDeviationBase: 0,
    config: { hedge: { targetNetBase: 0 } },
  }) as never

describe('LP journaling (lp.action, lp.pnl, PnL snapshots): model-based over duplicates, reorders and restarts', () => {
  it('journals each plan once, keeps snapshots in time order and values them with the newest lp.pnl', () => {
    let runNo = 0
    fc.assert(
      fc.property(
        fc.tuple(...Array.from({ length: PLANS }, (_, k) => planArb(k))),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        (plans, program) => {
          const path = join(dir, `journal-${runNo++}.sqlite`)
          let nowMs = T0
          let journal = new Journal(path)
          const delivered = new Set<number>()
          const journaledPnl = new Set<number>()
          let newest: LpPnlMessage | null = null // model: the newest lp.pnl this trader instance received
          let runId = ''
          let pnl: PnlSnapshotter
          const startTrader = () => {
            runId = journal.startRun({ processName: 'trader', startedMs: nowMs })
            newest = null
            pnl = createPnlSnapshotter({ journal, runId, intervalMs: 60_000, nowMs: () => nowMs, state: noVenues })
          }
          startTrader()
          const snapshotsBefore = () => journal.pnlSnapshots().length
          try {
            for (const op of program) {
              const before = snapshotsBefore()
              if (op.op === 'action') {
                journalLpMessage({ journal, runId, pnl: pnl! }, plans[op.k] as LpActionMessage)
                delivered.add(op.k)
              } else if (op.op === 'pnl') {
                const message = pnlMessage(op.i)
                journalLpMessage({ journal, runId, pnl: pnl! }, message)
                journaledPnl.add(op.i)
                if (newest === null || message.tsMs > newest.tsMs) newest = message
              } else if (op.op === 'tick') {
                nowMs += op.dtMs
                pnl!.tick()
              } else if (op.op === 'stop') pnl!.snapshot()
              else {
                journal.close()
                journal = new Journal(path)
                startTrader()
              }
              // J3: a snapshot written by this step used the newest lp.pnl received.
              const snapshots = journal.pnlSnapshots()
              for (const s of snapshots.slice(before)) {
                expect(newest).not.toBeNull()
                expect(s.lpFeesUsd).toBe((newest as LpPnlMessage).lpFeesUsd.toFixed(6))
              }
              // J1
              const actions = journal.lpActions()
              for (let k = 0; k < PLANS; k++) {
                const rows = actions.filter((a) => (a.detail as { executionId?: string }).executionId === `plan-${k}`)
                const expected = delivered.has(k) ? lpActionRecords(plans[k] as LpActionMessage).length : 0
                expect(rows.length).toBe(expected)
                expect(rows.filter((r) => r.action === 'rebalance').length).toBe(delivered.has(k) ? 1 : 0)
              }
              // J2
              for (let i = 1; i < snapshots.length; i++)
                expect(snapshots[i]!.tsNs).toBeGreaterThanOrEqual(snapshots[i - 1]!.tsNs)
              // J4
              const kept = journal.lpPnl()
              expect(kept.map((m) => m.tsMs)).toEqual(
                [...journaledPnl].sort((a, b) => a - b).map((i) => pnlMessage(i).tsMs),
              )
            }
          } finally {
            journal.close()
          }
        },
      ),
      { numRuns: Number(process.env.LP_JOURNAL_MODEL_RUNS ?? 60), seed: seedFromEnv() },
    )
  }, 60_000)
})

function seedFromEnv(): number | undefined {
  const text = process.env.LP_JOURNAL_MODEL_SEED
  return text === undefined ? undefined : Number(text)
}
