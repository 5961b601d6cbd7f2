import type { Balance, Position } from './types/account.js'
import type { Order } from './types/order.js'

/** Venue-neutral account queries (REST; the venue is the source of truth). */
export interface AccountClient {
  /** Balances with `available` = what new orders may use. */
  getBalances(): Promise<Balance[]>
  getPositions(symbol?: string): Promise<Position[]>
  getOpenOrders(symbol: string): Promise<Order[]>
}
