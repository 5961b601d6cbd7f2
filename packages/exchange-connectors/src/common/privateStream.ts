import type { EventEmitter } from 'eventemitter3'
import type { Balance, Fill, Position } from './types/account.js'
import type { ConnectionHealthEvent } from './types/health.js'
import type { Order } from './types/order.js'

/** Snapshot delivered after every (re)connection of the private stream: the REST truth to reconcile against. */
export type ReconciliationSnapshot = {
  readonly openOrders: readonly Order[]
  readonly positions: readonly Position[]
  readonly balances: readonly Balance[]
}

/** Typed events of a private (user-data) stream. */
export type PrivateStreamEvents = {
  order: (order: Order) => void
  fill: (fill: Fill) => void
  balance: (balance: Balance) => void
  position: (position: Position) => void
  /** Emitted after each (re)connect once open orders, positions and balances were re-read over REST. */
  reconciled: (snapshot: ReconciliationSnapshot) => void
  health: (event: ConnectionHealthEvent) => void
}

/** Venue-neutral private stream. */
export interface PrivateStream {
  /** Connects and resolves after the first reconciliation. */
  start(): Promise<void>
  on<E extends keyof PrivateStreamEvents>(event: E, listener: EventEmitter.EventListener<PrivateStreamEvents, E>): this
  off<E extends keyof PrivateStreamEvents>(event: E, listener: EventEmitter.EventListener<PrivateStreamEvents, E>): this
  orders(): AsyncIterableIterator<Order>
  fills(): AsyncIterableIterator<Fill>
  close(): Promise<void>
}
