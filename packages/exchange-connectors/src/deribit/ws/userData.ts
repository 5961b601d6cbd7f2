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
  /** A reconciliation after a reconnect failed (`kind: 'error'`); the next reconnect tries again. */
  health: (event: ConnectionHealthEvent) => void
  malformed: (error: MalformedFrameError) => void
}

/**
 * Private streams of one authenticated `DeribitRpcClient`: `user.orders.{instrument}.raw`,
 * `user.trades.{instrument}.raw` and `user.portfolio.{currency}`, plus position and account snapshots.
 * Subscriptions survive reconnects (the RPC client resubscribes after re-authenticating); updates sent while the socket
 * was down are lost, so after every reconnect the stream re-reads open orders, positions and balances and emits
 * `reconciled` (as the Binance user-data stream does).
 */
export class DeribitUserDataStream extends EventEmitter<DeribitUserDataEvents> {
  private readonly rpc: DeribitRpcClient
  private readonly instrumentNames = new Set<string>()
  private readonly currencies = new Set<string>()

  constructor(rpc: DeribitRpcClient) {
    super()
    this.rpc = rpc
    rpc.on('notification', (channel, data) => this.onNotification(channel, data))
    rpc.on('ready', (connectionCount) => {
      if (connectionCount <= 1 || (this.instrumentNames.size === 0 && this.currencies.size === 0)) return
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

  async getPositions(currency: string): Promise<DeribitPosition[]> {
    const result = await this.rpc.request('private/get_positions', { currency, kind: 'future' })
    if (!Array.isArray(result))
      throw new MalformedFrameError({ venue: 'deribit', field: 'result', reason: 'of get_positions is not an array' })
    const now = this.rpc.clock.nowMs()
    return result.map((p) => parseDeribitPosition(p, now))
  }

  async getAccountSummary(currency: string): Promise<Balance> {
    const result = await this.rpc.request('private/get_account_summary', { currency })
    return parseDeribitPortfolio(result, this.rpc.clock.nowMs())
  }

  private onNotification(channel: string, data: unknown): void {
    if (!channel.startsWith('user.')) return
    try {
      if (channel.startsWith('user.orders.')) {
        for (const o of Array.isArray(data) ? data : [data]) this.emit('order', parseDeribitOrder(o))
      } else if (channel.startsWith('user.trades.')) {
        if (!Array.isArray(data))
          throw new MalformedFrameError({ venue: 'deribit', field: 'data', reason: 'is not an array' })
        for (const t of data) this.emit('fill', parseDeribitUserTrade(t))
      } else if (channel.startsWith('user.portfolio.')) {
        this.emit('balance', parseDeribitPortfolio(data, this.rpc.clock.nowMs()))
      }
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error
      this.emit('malformed', error)
    }
  }
}
