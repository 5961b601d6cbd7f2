import { EventEmitter } from 'eventemitter3'
import type { ReconciliationSnapshot } from '../../common/privateStream.js'
import type { Balance } from '../../common/types/account.js'
import type { ConnectionHealthEvent } from '../../common/types/health.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { type DeribitOrder, parseDeribitOrder } from '../parse/parseOrder.js'
import { parseDeribitPortfolio } from '../parse/parsePortfolio.js'
import { type DeribitPosition, parseDeribitPosition } from '../parse/parsePosition.js'
import { type DeribitFill, parseDeribitUserTrade } from '../parse/parseUserTrade.js'
import type { DeribitRpcClient } from './client.js'

export type DeribitUserDataEvents = {
  order: (order: DeribitOrder) => void
  fill: (fill: DeribitFill) => void
  balance: (balance: Balance) => void
  /**
   * After `subscribe` and after every reconnect of the connection (once it is re-authenticated and resubscribed): open
   * orders of the subscribed instruments, positions and balances of the subscribed currencies, read from the venue.
   */
  reconciled: (snapshot: ReconciliationSnapshot) => void
  /**
   * Health of the connection this stream runs on (the trading connection in `createDeribitConnector`), forwarded from
   * the RPC client: `close` (every unanswered request was rejected; new requests fail at once with
   * `DeribitNotConnectedError`), `reconnecting` (one per attempt), `open` (re-authenticated, cancel-on-disconnect
   * re-armed, resubscribed), `stale`, `error`. Also `error` when a reconciliation after a reconnect failed (the next
   * reconnect tries again).
   */
  health: (event: ConnectionHealthEvent) => void
  /** A dropped frame (or array element), as the typed error that dropped it; counted in `metrics().malformedFrames`. */
  malformed: (error: MalformedFrameError) => void
}

/** Counters of the private stream. */
export type DeribitUserDataMetrics = {
  /** `user.*` notifications received. */
  readonly framesReceived: number
  /** Frames or array elements dropped as malformed (including frames the connection could not parse at all). */
  readonly malformedFrames: number
}

/**
 * Private streams of one authenticated `DeribitRpcClient`: `user.orders.{instrument}.raw`,
 * `user.trades.{instrument}.raw` and `user.portfolio.{currency}`, plus position and account snapshots.
 * Subscriptions survive reconnects (the RPC client resubscribes after re-authenticating); updates sent while the socket
 * was down are lost, so after every reconnect the stream re-reads open orders, positions and balances and emits
 * `reconciled` (as the Binance user-data stream does).
 *
 * On a drop of its connection the stream emits, in this order: `health` `close`, `health` `reconnecting` (then
 * `error` / `reconnecting` for each failed attempt), `health` `open` once the connection is re-authenticated and
 * resubscribed, then `reconciled` with the venue's open orders, positions and balances (orders cancelled by
 * cancel-on-disconnect are gone from it), or `health` `error` when that read failed.
 *
 * No frame can throw out of the stream: every payload is validated (`parseDeribitOrder`, `parseDeribitUserTrade`,
 * `parseDeribitPortfolio`); a bad one is dropped, counted and reported on `malformed`. Arrays are checked per element.
 */
export class DeribitUserDataStream extends EventEmitter<DeribitUserDataEvents> {
  private readonly rpc: DeribitRpcClient
  private readonly instrumentNames = new Set<string>()
  private readonly currencies = new Set<string>()
  private framesReceived = 0
  private malformedFrames = 0

  constructor(rpc: DeribitRpcClient) {
    super()
    this.rpc = rpc
    rpc.on('notification', (channel, data) => this.onNotification(channel, data))
    rpc.on('malformed', (error) => this.onMalformed(error))
    rpc.on('health', (event) => {
      this.emit('health', event)
      // after a reconnect (not the first connection): re-read what the venue has, now that requests go out again
      if (event.kind !== 'open' || rpc.socket.connectionCount <= 1) return
      if (this.instrumentNames.size === 0 && this.currencies.size === 0) return
      this.reconcile().then(
        (snapshot) => this.emit('reconciled', snapshot),
        (error: unknown) =>
          this.emit('health', {
            kind: 'error',
            connection: rpc.socket.name,
            tsMs: rpc.clock.nowMs(),
            error: error instanceof Error ? error : new Error(String(error)),
          }),
      )
    })
  }

  /**
   * Subscribes to the orders and trades of `instrumentNames` and the portfolios of `currencies` (settlement currencies:
   * `BTC` for `BTC-PERPETUAL`, `USDC` for `BTC_USDC-PERPETUAL`), then reconciles once (`reconciled` event).
   */
  async subscribe(instrumentNames: readonly string[], currencies: readonly string[]): Promise<void> {
    for (const name of instrumentNames) this.instrumentNames.add(name)
    for (const currency of currencies) this.currencies.add(currency)
    await this.rpc.subscribe([
      ...instrumentNames.flatMap((i) => [`user.orders.${i}.raw`, `user.trades.${i}.raw`]),
      ...currencies.map((c) => `user.portfolio.${c.toLowerCase()}`),
    ])
    this.emit('reconciled', await this.reconcile())
  }

  /** Reads open orders (subscribed instruments), positions and balances (subscribed currencies) from the venue. */
  async reconcile(): Promise<ReconciliationSnapshot> {
    const openOrders: DeribitOrder[] = []
    for (const instrumentName of this.instrumentNames) {
      const result = await this.rpc.request('private/get_open_orders_by_instrument', {
        instrument_name: instrumentName,
      })
      if (!Array.isArray(result))
        throw new MalformedFrameError({
          venue: 'deribit',
          field: 'result',
          reason: 'of get_open_orders is not an array',
        })
      openOrders.push(...result.map(parseDeribitOrder))
    }
    const positions: DeribitPosition[] = []
    const balances: Balance[] = []
    for (const currency of this.currencies) {
      positions.push(...(await this.getPositions(currency)))
      balances.push(await this.getAccountSummary(currency))
    }
    return { openOrders, positions, balances }
  }

  /**
   * The positions of a currency's futures. Deribit's positions carry no time: each is stamped (`tsExchangeMs`) with the
   * venue's time of the request (the answer's `usIn`), the clock of the fills' timestamps, so a consumer can tell which
   * fills the snapshot holds; 0 (no venue time) when the answer has none. Never the local clock: it is not the venue's
   * (skew, latency, or another time altogether on an emulator's replay clock), and fills stamped before a local time
   * that is ahead would be taken as already in the snapshot and lost.
   */
  async getPositions(currency: string): Promise<DeribitPosition[]> {
    const { result, venueTimeMs } = await this.rpc.requestWithVenueTime('private/get_positions', {
      currency,
      kind: 'future',
    })
    if (!Array.isArray(result))
      throw new MalformedFrameError({ venue: 'deribit', field: 'result', reason: 'of get_positions is not an array' })
    return result.map((p) => parseDeribitPosition(p, venueTimeMs ?? 0))
  }

  async getAccountSummary(currency: string): Promise<Balance> {
    const result = await this.rpc.request('private/get_account_summary', { currency })
    return parseDeribitPortfolio(result, this.rpc.clock.nowMs())
  }

  metrics(): DeribitUserDataMetrics {
    return { framesReceived: this.framesReceived, malformedFrames: this.malformedFrames }
  }

  /** Subscriptions, counters and connection state only. */
  toJSON(): { connection: unknown; instruments: string[]; currencies: string[]; metrics: DeribitUserDataMetrics } {
    return {
      connection: this.rpc.toJSON(),
      instruments: [...this.instrumentNames],
      currencies: [...this.currencies],
      metrics: this.metrics(),
    }
  }

  private onMalformed(error: MalformedFrameError): void {
    this.malformedFrames++
    this.emit('malformed', error)
  }

  private onNotification(channel: string, data: unknown): void {
    if (!channel.startsWith('user.')) return
    this.framesReceived++
    // `user.{orders|trades}.{instrument}.{interval}`: every element must be about the channel's instrument (the
    // `user.{orders|trades}.{kind}.{currency}.{interval}` forms span instruments)
    const parts = channel.split('.')
    const instrument = parts.length === 4 ? parts[2] : undefined
    const check = <T extends { symbol: string }>(item: T): T => {
      if (instrument !== undefined && item.symbol !== instrument)
        throw new MalformedFrameError({
          venue: 'deribit',
          field: 'instrument_name',
          reason: "is not the channel's instrument",
        })
      return item
    }
    if (channel.startsWith('user.orders.')) {
      // `.raw` sends one order, the aggregated intervals an array
      for (const element of Array.isArray(data) ? data : [data]) {
        const order = this.parse('order', () => check(parseDeribitOrder(element)))
        if (order) this.emit('order', order)
      }
    } else if (channel.startsWith('user.trades.')) {
      if (!Array.isArray(data)) {
        this.onMalformed(new MalformedFrameError({ venue: 'deribit', field: 'data', reason: 'is not an array' }))
        return
      }
      for (const element of data) {
        const fill = this.parse('trade', () => check(parseDeribitUserTrade(element)))
        if (fill) this.emit('fill', fill)
      }
    } else if (channel.startsWith('user.portfolio.')) {
      const balance = this.parse('portfolio', () => parseDeribitPortfolio(data, this.rpc.clock.nowMs()))
      if (balance) this.emit('balance', balance)
    }
  }

  /** Runs a parser; any failure is a counted `malformed` drop (a foreign error is wrapped, kept as `cause`). */
  private parse<T>(what: string, parser: () => T): T | undefined {
    try {
      return parser()
    } catch (error) {
      this.onMalformed(
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({ venue: 'deribit', field: what, reason: 'could not be parsed', cause: error }),
      )
      return undefined
    }
  }
}
