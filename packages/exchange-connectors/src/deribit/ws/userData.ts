import { EventEmitter } from 'eventemitter3'
import type { Balance, Fill, Position } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { parseDeribitOrder } from '../parse/parseOrder.js'
import { parseDeribitPortfolio } from '../parse/parsePortfolio.js'
import { parseDeribitPosition } from '../parse/parsePosition.js'
import { parseDeribitUserTrade } from '../parse/parseUserTrade.js'
import type { DeribitRpcClient } from './client.js'

export type DeribitUserDataEvents = {
  order: (order: Order) => void
  fill: (fill: Fill) => void
  balance: (balance: Balance) => void
  malformed: (error: MalformedFrameError) => void
}

/**
 * Private streams of one authenticated `DeribitRpcClient`: `user.orders.{instrument}.raw`,
 * `user.trades.{instrument}.raw` and `user.portfolio.{currency}`, plus position and account snapshots.
 * Subscriptions survive reconnects (the RPC client resubscribes after re-authenticating).
 */
export class DeribitUserDataStream extends EventEmitter<DeribitUserDataEvents> {
  private readonly rpc: DeribitRpcClient

  constructor(rpc: DeribitRpcClient) {
    super()
    this.rpc = rpc
    rpc.on('notification', (channel, data) => this.onNotification(channel, data))
  }

  async subscribe(instrumentNames: readonly string[], currencies: readonly string[]): Promise<void> {
    await this.rpc.subscribe([
      ...instrumentNames.flatMap((i) => [`user.orders.${i}.raw`, `user.trades.${i}.raw`]),
      ...currencies.map((c) => `user.portfolio.${c.toLowerCase()}`),
    ])
  }

  async getPositions(currency: string): Promise<Position[]> {
    const result = (await this.rpc.request('private/get_positions', { currency, kind: 'future' })) as unknown[]
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
