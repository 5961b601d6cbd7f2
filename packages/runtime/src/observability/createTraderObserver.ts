import type { HedgerCommand, HedgerEvent, HedgerState } from '@alp/hedger'
import type { RuntimeMetrics } from './metrics.js'

/** A halt in force: the scope (`all` for the latched kill switch, else a venue id), why, since when, and the detail. */
export type HaltRecord = {
  readonly scope: string
  readonly reason: string
  /** Wall clock when the trader announced it, ms. */
  readonly sinceMs: number
  /** The core's own words in the same step (`kill switch: positionLimit`, `operator kill: <the operator's reason>`). */
  readonly detail: string | null
}

/** One venue's hedge since this process started: our fills, what they cost and brought, and the quotes decided. */
export type HedgeFigures = {
  fills: number
  /** Signed base bought (+) and sold (−) by our fills. */
  netFilledBase: number
  /** Quote received for sells minus quote paid for buys. */
  cashQuote: number
  /** Fees paid on our fills, quote units (negative = rebates). */
  feesQuote: number
  /** Quotes decided (each place or amend of a side). */
  quotes: number
  /** Wall clock of the last quote decided, ms. */
  lastQuoteMs: number | null
}

export type TraderObserver = {
  /** Give it every step of the trader (createDeployment's `onTraderStep`). */
  onStep(event: HedgerEvent, commands: readonly HedgerCommand[], state: HedgerState): void
  /** Halts in force, by scope. */
  readonly halts: ReadonlyMap<string, HaltRecord>
  /** The hedge figures of a venue (zeros before the first fill or quote). */
  hedge(venue: string): HedgeFigures
  /** The last LP inventory the trader got (base held and the LP's target, base units; the pool price), with when. */
  readonly lastLpInventory: {
    readonly baseHeldBase: string
    readonly baseTargetBase: string
    readonly poolPrice: string
    readonly atMs: number
  } | null
  /** The core's words when it last refused an operator resume (a limit still breached), null when it never did. */
  readonly lastRefusal: string | null
  /** The last operator action seen (kill or resume) with its reason. */
  readonly lastOperator: { readonly action: 'kill' | 'resume'; readonly reason: string; readonly atMs: number } | null
}

const SEEN_FILLS = 10_000

/**
 * Watches the trader's steps for what the core does not keep: halts with their time and detail, our fills' cash flows
 * and fees (for the hedge PnL), the quotes decided; and moves the metrics that follow from a step —
 * `alp_quotes_total` per place/amend side, `alp_quote_spread_bps` from our working orders.
 */
export function createTraderObserver(
  options: { metrics?: RuntimeMetrics | undefined; nowMs?: (() => number) | undefined } = {},
): TraderObserver {
  const metrics = options.metrics
  const nowMs = options.nowMs ?? Date.now
  const halts = new Map<string, HaltRecord>()
  const figures = new Map<string, HedgeFigures>()
  const seenFills = new Set<string>()
  let lastOperator: TraderObserver['lastOperator'] = null
  let lastRefusal: string | null = null
  let lastLpInventory: TraderObserver['lastLpInventory'] = null
  const hedge = (venue: string): HedgeFigures => {
    let found = figures.get(venue)
    if (found === undefined) {
      found = { fills: 0, netFilledBase: 0, cashQuote: 0, feesQuote: 0, quotes: 0, lastQuoteMs: null }
      figures.set(venue, found)
    }
    return found
  }
  return {
    halts,
    hedge,
    get lastOperator() {
      return lastOperator
    },
    get lastRefusal() {
      return lastRefusal
    },
    get lastLpInventory() {
      return lastLpInventory
    },
    onStep(event, commands, state) {
      const now = nowMs()
      if (event.type === 'operator') lastOperator = { action: event.action, reason: event.reason, atMs: now }
      if (event.type === 'lpInventory')
        lastLpInventory = {
          baseHeldBase: event.baseHeldBase,
          baseTargetBase: event.baseTargetBase,
          poolPrice: event.poolPrice,
          atMs: now,
        }
      if (event.type === 'fill') {
        const key = `${event.venue}/${event.tradeId}`
        const venue = state.venueByName.get(event.venue)
        if (venue !== undefined && !seenFills.has(key)) {
          seenFills.add(key)
          if (seenFills.size > SEEN_FILLS) seenFills.delete(seenFills.values().next().value as string)
          const sizeBase = event.sizeLots * venue.config.stepSizeBase
          const price = event.priceTicks * venue.config.tickSizePrice
          const figure = hedge(event.venue)
          figure.fills += 1
          figure.netFilledBase += event.side === 'buy' ? sizeBase : -sizeBase
          figure.cashQuote += event.side === 'buy' ? -price * sizeBase : price * sizeBase
          figure.feesQuote += Number(event.feeQuote)
        }
      }
      const detail = commands
        .filter((command) => command.type === 'log' && command.level !== 'info')
        .map((command) => (command as { message: string }).message)
        .join('; ')
      for (const command of commands) {
        if (command.type === 'halt')
          halts.set(command.scope, {
            scope: command.scope,
            reason: command.reason,
            sinceMs: now,
            detail: detail === '' ? null : detail,
          })
        else if (command.type === 'resume') halts.delete(command.scope)
        else if (command.type === 'log' && command.code === 'RESUME_REFUSED') lastRefusal = command.message
        else if (command.type === 'placeOrder' || command.type === 'amendOrder') {
          const figure = hedge(command.venue)
          figure.quotes += 1
          figure.lastQuoteMs = now
          metrics?.quotesTotal.inc({ venue: command.venue, side: command.side })
        }
      }
      if (metrics === undefined) return
      for (const venue of state.venues) {
        let bid: number | null = null
        let ask: number | null = null
        for (const order of venue.orders.values()) {
          if (order.pending === 'cancel' || order.unknown) continue
          if (order.side === 'buy') bid = Math.max(bid ?? order.priceTicks, order.priceTicks)
          else ask = Math.min(ask ?? order.priceTicks, order.priceTicks)
        }
        const labels = { venue: venue.config.venue }
        if (bid !== null && ask !== null) metrics.quoteSpreadBps.set(labels, ((ask - bid) / ((ask + bid) / 2)) * 10_000)
        else metrics.quoteSpreadBps.remove(labels)
      }
    },
  }
}
