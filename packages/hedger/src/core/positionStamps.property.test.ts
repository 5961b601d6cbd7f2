import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HedgerConfigInput } from '../config/hedgerConfigSchema.js'
import type { FillEvent, HedgerEvent, PositionEvent } from '../messages/events.js'
import { createHedger } from './createHedger.js'
import { POSITION_STAMP_SKEW_MS, step } from './step.js'
import type { HedgerState } from './types.js'

// Model-based test of the core's venue-time rule between fills and position reports (POSITION_STAMP_SKEW_MS in
// step.ts). A reference venue on a millisecond clock: each trade changes its position at venue time t (the
// position's `updateTime`), and is stamped t + a on the fill (a ≤ POSITION_STAMP_SKEW_MS: the venue reads its clock
// again for the fill, as the Binance emulator does) and t + a + b on the streamed position report (its transaction
// time). Several trades may share a millisecond, so stamps are equal between fills and reports that do or do not hold
// them. REST reads report the position now, stamped with its `updateTime`. Fills and reports travel on two channels
// (the trading engine's and the position server's processes): each in order, interleaved at random. The trader may
// restart (a fresh core fed the position server's last report and the recent fills, as its start-up reconciliation
// does). At the end every message is delivered and one more REST read arrives: the core's position must be the venue's.

const VENUE = 'v'

function config(): HedgerConfigInput {
  return {
    venues: [
      {
        venue: VENUE,
        tickSize: '0.01',
        stepSize: '0.001',
        makerFeeBps: 0,
        supportsAmend: true,
        maxPositionBase: 1_000,
        maxNotionalUsd: 1e12,
        maxOrderSizeBase: 0.3,
        staleAfterMs: 5_000,
      },
    ],
    model: { type: 'GLFT', gammaPerPrice: 0.1, eta: 0.05 },
    hedge: { orderSizeBase: 0.1 },
    risk: { maxTotalPositionBase: 1_000, maxTotalNotionalUsd: 1e12 },
  }
}

type Action =
  | { kind: 'trade'; lots: number; advanceMs: number; fillSkew: number; reportSkew: number }
  | { kind: 'rest' }
  | { kind: 'deliverFill' }
  | { kind: 'deliverReport' }
  | { kind: 'restart' }

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      lots: fc.integer({ min: -60, max: 60 }).filter((n) => n !== 0),
      // Mostly within the same millisecond: equal stamps between fills and reports.
      advanceMs: fc.constantFrom(0, 0, 0, 1, 2, 5),
      fillSkew: fc.integer({ min: 0, max: POSITION_STAMP_SKEW_MS }),
      reportSkew: fc.integer({ min: 0, max: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'rest' as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'deliverFill' as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'deliverReport' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
)

class Run {
  state: HedgerState = createHedger(config())
  positionLots = 0
  updateMs = 0
  clockMs = 1_000
  trade = 0
  tsNs = 1_000_000_000n
  readonly fills: FillEvent[] = []
  readonly reports: PositionEvent[] = []
  readonly published: { fills: FillEvent[]; lastReport: PositionEvent | null } = { fills: [], lastReport: null }

  send(event: HedgerEvent): void {
    this.tsNs += 1_000_000n
    this.state = step(this.state, { ...event, tsNs: this.tsNs }).state
  }

  report(sizeLots: number, venueTimeMs: number): void {
    const event: PositionEvent = { type: 'position', tsNs: 0n, venue: VENUE, sizeLots, venueTimeMs }
    this.reports.push(event)
    this.published.lastReport = event
  }

  apply(action: Action): void {
    switch (action.kind) {
      case 'trade': {
        // The venue's clock never goes back: the fill's and the report's reads are at or after the position's.
        this.clockMs += action.advanceMs
        this.positionLots += action.lots
        this.updateMs = this.clockMs
        const fillMs = this.clockMs + action.fillSkew
        const reportMs = fillMs + action.reportSkew
        this.clockMs = reportMs
        this.trade += 1
        const fill: FillEvent = {
          type: 'fill',
          tsNs: 0n,
          venue: VENUE,
          clientOrderId: `c${this.trade}`,
          tradeId: `t${this.trade}`,
          side: action.lots > 0 ? 'buy' : 'sell',
          priceTicks: 300_000,
          sizeLots: Math.abs(action.lots),
          feeQuote: '0',
          venueTimeMs: fillMs,
        }
        this.fills.push(fill)
        this.published.fills.push(fill)
        this.report(this.positionLots, reportMs)
        return
      }
      case 'rest':
        this.report(this.positionLots, this.updateMs)
        return
      case 'deliverFill': {
        const fill = this.fills.shift()
        if (fill !== undefined) this.send(fill)
        return
      }
      case 'deliverReport': {
        const report = this.reports.shift()
        if (report !== undefined) this.send(report)
        return
      }
      case 'restart': {
        // A fresh trader: the position server's last report (the positions snapshot), then the recent fills (the
        // snapshot's and the trade history's); what is still in flight reaches it as well.
        this.state = createHedger(config())
        if (this.published.lastReport !== null) this.send(this.published.lastReport)
        for (const fill of this.published.fills) this.send(fill)
        return
      }
    }
  }

  finish(): void {
    for (;;) {
      const fill = this.fills.length > 0 && (this.reports.length === 0 || this.trade % 2 === 0)
      if (fill) this.send(this.fills.shift() as FillEvent)
      else if (this.reports.length > 0) this.send(this.reports.shift() as PositionEvent)
      else break
    }
    // The position server's next poll.
    this.send({ type: 'position', tsNs: 0n, venue: VENUE, sizeLots: this.positionLots, venueTimeMs: this.updateMs })
  }

  corePositionLots(): number {
    return (this.state.venues[0] as HedgerState['venues'][number]).positionLots
  }
}

describe('the core’s position against the venue’s, with equal and skewed venue times', () => {
  it('a fill stamped after the REST report that holds it (same change, later clock read) is not counted twice', () => {
    const run = new Run()
    // The trade changes the position at venue ms 2 000; its fill is stamped 2 001.
    run.apply({ kind: 'trade', lots: -50, advanceMs: 1_000, fillSkew: POSITION_STAMP_SKEW_MS, reportSkew: 0 })
    run.reports.length = 0 // the stream report was lost; the REST poll (stamped updateTime 2 000) reports it
    run.apply({ kind: 'rest' })
    run.apply({ kind: 'deliverReport' })
    run.apply({ kind: 'deliverFill' })
    expect(run.corePositionLots()).toBe(-50)
    // Every later poll reports the same: the fill stays counted once.
    run.apply({ kind: 'rest' })
    run.apply({ kind: 'deliverReport' })
    expect(run.corePositionLots()).toBe(-50)
  })

  it('a fill in the same millisecond as a report that does not hold it counts once the next report holds it', () => {
    const run = new Run()
    run.apply({ kind: 'trade', lots: 10, advanceMs: 1_000, fillSkew: 0, reportSkew: 0 })
    run.apply({ kind: 'trade', lots: -30, advanceMs: 0, fillSkew: 0, reportSkew: 0 })
    // Fill 1, report 1 (holds fill 1 only), fill 2 (same ms): its inclusion is unknown until report 2.
    run.apply({ kind: 'deliverFill' })
    run.apply({ kind: 'deliverReport' })
    run.apply({ kind: 'deliverFill' })
    run.apply({ kind: 'deliverReport' })
    expect(run.corePositionLots()).toBe(-20)
  })

  it('converges to the venue’s position over random interleavings, restarts, equal and skewed stamps', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 80 }), (actions) => {
        const run = new Run()
        for (const action of actions) run.apply(action)
        run.finish()
        expect(run.corePositionLots()).toBe(run.positionLots)
      }),
      { numRuns: 400 },
    )
  })
})
