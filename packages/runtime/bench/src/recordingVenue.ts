import { EventEmitter } from 'node:events'
import type { AmendOrderParameters, Bbo, MarketDataClient, Order, PlaceOrderParameters } from '@alp/exchange-connectors'
import type { LiveVenueBinding } from '@alp/hedger'

/** One venue call of the trading engine, stamped when the call starts (`process.hrtime.bigint()`, CLOCK_MONOTONIC). */
export type VenueCall = {
  readonly method: 'placeOrder' | 'amendOrder' | 'cancelOrder' | 'cancelAllOrders'
  readonly clientOrderId: string
  readonly atNs: bigint
}

export type RecordingVenue = {
  readonly binding: LiveVenueBinding
  /** Hands a best bid/offer to the quote-server's listeners (what the connector does when a bookTicker frame arrives). */
  emitBbo(bbo: Bbo): void
  /** Open orders as this fake venue holds them. */
  readonly openOrders: ReadonlyMap<string, Order>
}

/**
 * A venue binding with no venue behind it: market data is whatever `emitBbo` hands in; every order call is answered at
 * once from an in-memory book of our orders (post-only orders rest, never fill) and reported to `onCall` first. The
 * tick-to-order bench puts it under both the in-process and the ZeroMQ roles, so the two measure only the bus and the
 * roles (no network, no matching engine, no venue latency).
 */
export function createRecordingVenue(parameters: {
  readonly venue: string
  readonly symbol: string
  readonly onCall: (call: VenueCall) => void
}): RecordingVenue {
  const { venue, symbol } = parameters
  const emitter = new EventEmitter()
  const open = new Map<string, Order>()
  const record = (method: VenueCall['method'], clientOrderId: string): void =>
    parameters.onCall({ method, clientOrderId, atNs: process.hrtime.bigint() })
  const order = (fields: {
    clientOrderId: string
    side: Order['side']
    price: string
    sizeBase: string
    state: Order['state']
  }): Order => ({
    venue,
    symbol,
    orderId: fields.clientOrderId,
    clientOrderId: fields.clientOrderId,
    side: fields.side,
    price: fields.price,
    sizeBase: fields.sizeBase,
    filledSizeBase: '0',
    avgFillPrice: '0',
    timeInForce: 'postOnly',
    reduceOnly: false,
    state: fields.state,
    tsExchangeMs: Date.now(),
    raw: null,
  })
  const marketData = {
    on(event: string, listener: (...args: unknown[]) => void) {
      emitter.on(event, listener)
      return marketData
    },
    off(event: string, listener: (...args: unknown[]) => void) {
      emitter.off(event, listener)
      return marketData
    },
    subscribeBook: async () => undefined,
    subscribeBbo: async () => undefined,
    subscribeTrades: async () => undefined,
  }
  const execution = {
    async placeOrder(p: PlaceOrderParameters): Promise<Order> {
      record('placeOrder', p.clientOrderId)
      const placed = order({ ...p, state: 'new' })
      open.set(p.clientOrderId, placed)
      return placed
    },
    async amendOrder(p: AmendOrderParameters): Promise<Order> {
      record('amendOrder', p.clientOrderId)
      const amended = order({ ...p, state: 'new' })
      open.set(p.clientOrderId, amended)
      return amended
    },
    async cancelOrder(p: { symbol: string; clientOrderId: string }): Promise<Order> {
      record('cancelOrder', p.clientOrderId)
      const known = open.get(p.clientOrderId)
      open.delete(p.clientOrderId)
      return order({
        clientOrderId: p.clientOrderId,
        side: known?.side ?? 'buy',
        price: known?.price ?? '0',
        sizeBase: known?.sizeBase ?? '0',
        state: 'canceled',
      })
    },
    async cancelAllOrders(_symbol: string): Promise<void> {
      record('cancelAllOrders', '')
      open.clear()
    },
  }
  const binding: LiveVenueBinding = {
    venue,
    symbol,
    marketData: marketData as unknown as MarketDataClient,
    execution: execution as unknown as LiveVenueBinding['execution'],
    account: {
      getOpenOrders: async () => [...open.values()],
      getPositions: async () => [
        { venue, symbol, sizeBase: '0', entryPrice: '0', unrealizedPnlQuote: '0', tsExchangeMs: Date.now(), raw: null },
      ],
    },
    lookupOrder: async ({ clientOrderId }) => open.get(clientOrderId) ?? null,
    armDeadManSwitch: async () => undefined,
  }
  return { binding, emitBbo: (bbo) => emitter.emit('bbo', bbo), openOrders: open }
}
