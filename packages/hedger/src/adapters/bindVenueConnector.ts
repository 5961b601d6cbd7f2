import type {
  BinanceConnector,
  ConnectionHealthEvent,
  DeribitConnector,
  Fill,
  GrvtConnector,
  Order,
  Position,
  PrivateStreamEvents,
  ReconciliationSnapshot,
} from '@alp/exchange-connectors'
import { isInverseInstrumentName } from '@alp/exchange-connectors'
import { VenueBindingError } from '../errors/adapter.js'
import { parseDecimalString } from '../venue/decimalTicks.js'
import { isSameDecimal } from '../venue/isSameDecimal.js'
import { createGrvtOrderIdTranslator } from './createGrvtOrderIdTranslator.js'
import {
  createInverseOrderSizeTranslator,
  type InverseOrderSizeTranslator,
} from './createInverseOrderSizeTranslator.js'
import type { LivePrivateStream, LiveVenueBinding } from './createLiveRunner.js'

/** A connector and the venue it backs, keyed by venue kind: the only thing that changes between venues. */
export type VenueConnectorSpec =
  | {
      readonly kind: 'binance'
      readonly venue: string
      readonly symbol: string
      readonly connector: BinanceConnector
      /**
       * Binance spot has no venue-side dead-man switch (USDⓈ-M has countdownCancelAll, armed by default): binding a
       * spot connector requires saying so explicitly with `'none'`, so nobody runs without one by accident.
       */
      readonly deadManSwitch?: 'venue' | 'none'
    }
  | {
      readonly kind: 'deribit'
      readonly venue: string
      readonly symbol: string
      /** Settlement currency of the instrument (`USDC` for `ETH_USDC-PERPETUAL`, `ETH` for `ETH-PERPETUAL`): the portfolio channel. */
      readonly currency: string
      readonly connector: DeribitConnector
      /**
       * Inverse instruments only (`ETH-PERPETUAL` "1", `BTC-PERPETUAL` "10"), and required there: USD per contract, the
       * same value as the venue config's `contract.contractSizeQuote`. The binding then reports an order at the base
       * size the hedger sent when the venue's USD amount is the one the connector computed for it
       * (`createInverseOrderSizeTranslator`); the stream's start checks it against the venue's instrument.
       */
      readonly contractSizeQuote?: string
    }
  | { readonly kind: 'grvt'; readonly venue: string; readonly symbol: string; readonly connector: GrvtConnector }

type AnyListener = (...args: never[]) => void

/** A private stream built from venue callbacks: only the events the venue has are ever emitted. */
class ForwardingPrivateStream implements LivePrivateStream {
  private readonly listeners = new Map<keyof PrivateStreamEvents, Set<AnyListener>>()
  constructor(private readonly startStream: (stream: ForwardingPrivateStream) => Promise<void>) {}
  start(): Promise<void> {
    return this.startStream(this)
  }
  on(event: keyof PrivateStreamEvents, listener: AnyListener): this {
    const set = this.listeners.get(event) ?? new Set<AnyListener>()
    set.add(listener)
    this.listeners.set(event, set)
    return this
  }
  off(event: keyof PrivateStreamEvents, listener: AnyListener): this {
    this.listeners.get(event)?.delete(listener)
    return this
  }
  emit<E extends keyof PrivateStreamEvents>(event: E, ...args: Parameters<PrivateStreamEvents[E]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args)
  }
}

/**
 * Builds the live runner's venue binding from a connector, keyed by venue kind (`binance`, `deribit`, `grvt`), so the
 * runner code is the same for every venue and only the configuration changes. `onStreamError` receives the private
 * stream's malformed frames and connection errors (never swallowed).
 *
 * Dead-man switches, armed and refreshed by the core with `venues[].deadManTimeoutMs`: Binance USDⓈ-M
 * `countdownCancelAll`, GRVT `cancel_on_disconnect`; Deribit cancels on disconnect of the trading connection (the
 * connector enables it), and that connection's health reaches the core so it stops sending while it is down.
 * @throws VenueBindingError when the connector cannot trade, or a Binance spot binding did not accept running without
 *   a dead-man switch.
 */
export function bindVenueConnector(
  spec: VenueConnectorSpec,
  onStreamError: (error: unknown) => void,
): LiveVenueBinding {
  switch (spec.kind) {
    case 'binance': {
      const { connector, symbol } = spec
      if (!connector.userData)
        throw new VenueBindingError({ venue: spec.venue, kind: spec.kind, reason: 'no credentials' })
      const execution = connector.execution
      const spot = execution.venue === 'binance-spot'
      if (spot && spec.deadManSwitch !== 'none')
        throw new VenueBindingError({
          venue: spec.venue,
          kind: spec.kind,
          reason:
            'Binance spot has no venue-side dead-man switch; pass deadManSwitch: "none" to quote without one (orders then outlive a crash until cancelled)',
        })
      return {
        venue: spec.venue,
        symbol,
        marketData: connector.marketData,
        execution,
        account: execution,
        lookupOrder: (parameters) => execution.lookupOrder(parameters),
        privateStream: connector.userData,
        armDeadManSwitch: spot ? 'none' : (timeoutMs) => execution.armDeadManSwitch(symbol, timeoutMs),
      }
    }
    case 'deribit': {
      const { execution, userData } = spec.connector
      if (!execution || !userData)
        throw new VenueBindingError({ venue: spec.venue, kind: spec.kind, reason: 'no credentials' })
      // Inverse instruments (USD contracts): orders are reported at the size the hedger sent when the venue's USD
      // amount is what the connector computed for it (see createInverseOrderSizeTranslator).
      const sizes = deribitInverseSizes(spec)
      const own = <O extends Order>(order: O): O => (sizes === null ? order : sizes.order(order))
      const stream = new ForwardingPrivateStream(async (target) => {
        if (sizes !== null) await checkDeribitContractSize(spec)
        userData.on('order', (order: Order) => target.emit('order', own(order)))
        userData.on('fill', (fill: Fill) => target.emit('fill', fill))
        // after subscribe and every reconnect: the venue's open orders and positions, applied by the runner
        userData.on('reconciled', (snapshot: ReconciliationSnapshot) =>
          target.emit('reconciled', { ...snapshot, openOrders: snapshot.openOrders.map(own) }),
        )
        userData.on('health', (event: ConnectionHealthEvent) => target.emit('health', event))
        userData.on('malformed', onStreamError)
        await userData.subscribe([spec.symbol], [spec.currency])
      })
      // Deribit cancels every order of the trading connection when it drops (cancel-on-disconnect), so no timer hook;
      // the trading connection's health comes through the user-data stream (forwarded above).
      return {
        venue: spec.venue,
        symbol: spec.symbol,
        marketData: spec.connector.marketData,
        execution:
          sizes === null
            ? execution
            : {
                placeOrder: async (p) => {
                  sizes.sent(p.clientOrderId, p.sizeBase, p.price)
                  return own(await execution.placeOrder(p))
                },
                amendOrder: async (p) => {
                  sizes.sent(p.clientOrderId, p.sizeBase, p.price)
                  return own(await execution.amendOrder(p))
                },
                cancelOrder: async (p) => own(await execution.cancelOrder(p)),
                cancelAllOrders: (symbol) => execution.cancelAllOrders(symbol),
              },
        account: {
          getOpenOrders: async (symbol) => (await execution.getOpenOrders(symbol)).map(own),
          getPositions: async (symbol) =>
            (await userData.reconcile()).positions.filter(
              (position) => symbol === undefined || position.symbol === symbol,
            ),
        },
        lookupOrder: async (parameters) => {
          const order = await execution.lookupOrder(parameters)
          return order === null ? null : own(order)
        },
        privateStream: stream,
        armDeadManSwitch: 'none',
      }
    }
    case 'grvt': {
      const { connector } = spec
      const ids = createGrvtOrderIdTranslator({ runStartMs: Date.now() })
      // Malformed market-data frames are counted by the connector and reported here (never swallowed).
      connector.marketData.on('malformed', onStreamError)
      const exec = connector.execution
      const stream = new ForwardingPrivateStream(async (target) => {
        const source = connector.privateStream
        source.on('order', (order: Order) => target.emit('order', ids.order(order)))
        source.on('fill', (fill: Fill) => target.emit('fill', ids.fill(fill)))
        source.on('position', (position: Position) => target.emit('position', position))
        source.on('reconciled', (snapshot: ReconciliationSnapshot) =>
          target.emit('reconciled', { ...snapshot, openOrders: snapshot.openOrders.map((order) => ids.order(order)) }),
        )
        source.on('malformed', onStreamError)
        source.on('error', onStreamError)
        await source.start()
      })
      return {
        venue: spec.venue,
        symbol: spec.symbol,
        marketData: connector.marketData,
        // GRVT client order ids are uint64 in [2^63, 2^64 − 1]: translated both ways.
        execution: {
          placeOrder: async (p) =>
            ids.order(await exec.placeOrder({ ...p, clientOrderId: ids.toVenue(p.clientOrderId) })),
          cancelOrder: async (p) =>
            ids.order(await exec.cancelOrder({ ...p, clientOrderId: ids.toVenue(p.clientOrderId) })),
          amendOrder: async (p) =>
            ids.order(await exec.amendOrder({ ...p, clientOrderId: ids.toVenue(p.clientOrderId) })),
          cancelAllOrders: (symbol) => exec.cancelAllOrders(symbol),
        },
        // GRVT lists the sub-account's open orders of every instrument: keep the hedged one.
        account: {
          getOpenOrders: async (symbol) =>
            (await exec.getOpenOrders()).filter((order) => order.symbol === symbol).map((order) => ids.order(order)),
          getPositions: async (symbol) =>
            (await exec.getPositions()).filter((position) => symbol === undefined || position.symbol === symbol),
        },
        lookupOrder: async (parameters) => {
          const order = await exec.lookupOrder({ ...parameters, clientOrderId: ids.toVenue(parameters.clientOrderId) })
          return order === null ? null : ids.order(order)
        },
        privateStream: stream,
        armDeadManSwitch: (timeoutMs) => connector.armDeadManSwitch(timeoutMs),
      }
    }
  }
}

type DeribitSpec = Extract<VenueConnectorSpec, { kind: 'deribit' }>

/**
 * The size translator of an inverse Deribit instrument, or null on a linear one.
 * @throws VenueBindingError when an inverse instrument has no `contractSizeQuote`, or a linear one has one.
 */
function deribitInverseSizes(spec: DeribitSpec): InverseOrderSizeTranslator | null {
  const inverse = isInverseInstrumentName(spec.symbol)
  if (!inverse) {
    if (spec.contractSizeQuote !== undefined)
      throw new VenueBindingError({
        venue: spec.venue,
        kind: spec.kind,
        reason: `${spec.symbol} is linear (amounts in coin): contractSizeQuote applies to inverse instruments only`,
      })
    return null
  }
  if (spec.contractSizeQuote === undefined || parseDecimalString(spec.contractSizeQuote) === null)
    throw new VenueBindingError({
      venue: spec.venue,
      kind: spec.kind,
      reason: `${spec.symbol} is an inverse instrument (USD contracts): pass contractSizeQuote, the venue config's contract.contractSizeQuote`,
    })
  return createInverseOrderSizeTranslator({ contractSizeQuote: spec.contractSizeQuote })
}

/**
 * The venue's contract size (and its amount step, the unit of the connector's book lots) must be the configured one:
 * book levels are converted to base with it.
 * @throws VenueBindingError on a mismatch.
 */
async function checkDeribitContractSize(spec: DeribitSpec): Promise<void> {
  const instrument = await spec.connector.instruments.get(spec.symbol)
  const configured = spec.contractSizeQuote as string
  for (const [field, value] of [
    ['contract_size', instrument.contractSize],
    ['min_trade_amount', instrument.minTradeAmount],
  ] as const)
    if (!isSameDecimal(value, configured))
      throw new VenueBindingError({
        venue: spec.venue,
        kind: spec.kind,
        reason: `${spec.symbol} has ${field} ${value} USD but contractSizeQuote is ${configured}`,
      })
}
