import {
  type AmendOrderCommand,
  type ArmDeadManSwitchCommand,
  type BalanceEvent,
  type BboEvent,
  type BookEvent,
  type CancelAllCommand,
  type CancelOrderCommand,
  type CommandFailedEvent,
  decodeHedgerMessage,
  encodeHedgerMessage,
  type FillEvent,
  type HaltCommand,
  type HedgerMessage,
  type LogCommand,
  type LookupOrderCommand,
  type LpInventoryEvent,
  type MetricCommand,
  type OpenOrdersEvent,
  type OperatorEvent,
  type OrderAbsentEvent,
  type OrderUpdateEvent,
  type PlaceOrderCommand,
  type PositionEvent,
  type RequestOpenOrdersCommand,
  type ResumeCommand,
  type SuggestRangeCommand,
  type TradeEvent,
  type VenueHealthEvent,
} from '@alp/hedger'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import type { LinkName } from './portMap.js'

/** Text codec of one topic's messages (a ZeroMQ frame). Bigints must survive it exactly. */
export type MessageCodec<M> = {
  encode(message: M): string
  decode(text: string): M
}

/**
 * State a stateful topic carries: key → the message that set it. `reduce` applies one message to it (in place);
 * the publisher and every synced subscriber run the same reduce, so after recovery both maps are equal.
 */
export type TopicState<M> = Map<string, M>

export type TopicSpec<M> = {
  readonly name: string
  /** PUB/SUB link of the topic. */
  readonly link: LinkName
  /** ROUTER link that serves its snapshots; undefined = lossy topic (gaps are counted, not recovered). */
  readonly snapshotLink: LinkName | undefined
  readonly codec: MessageCodec<M>
  reduce(state: TopicState<M>, message: M): void
}

const hedgerCodec = <M extends HedgerMessage>(): MessageCodec<M> => ({
  encode: (message) => encodeHedgerMessage(message),
  decode: (text) => decodeHedgerMessage(text) as M,
})

/** A `venueHealth` here is the quote server's view of its market-data connections (the position server's is on `positions`). */
export type MarketDataMessage = BboEvent | BookEvent | TradeEvent | VenueHealthEvent
export type OrderEventMessage = OrderUpdateEvent | FillEvent | CommandFailedEvent | OrderAbsentEvent | OpenOrdersEvent
/** A `fill` here is the position server's copy of the venue's fill (kept in the state: a gap on orderEvents loses none). */
export type PositionMessage = PositionEvent | BalanceEvent | VenueHealthEvent | FillEvent
export type OrderUpdateMessage = HaltCommand | ResumeCommand | SuggestRangeCommand | LogCommand | MetricCommand
/**
 * One rebalance the LP manager executed (its `'executed'` event), plain JSON: raw token amounts, liquidity and gas as
 * decimal strings. The trader journals it (burn/collect/swap/mint rows and one `rebalance` row).
 */
export type LpActionMessage = {
  readonly type: 'lp.action'
  /** The plan id (unique per rebalance): the journal keeps each once. */
  readonly id: string
  /** The pool's inventory stream source (`uniswap-v3:<chain>:<pool>`). */
  readonly source: string
  readonly tsMs: number
  readonly reason: string
  readonly decidedAtBlock: number
  readonly closed: readonly {
    readonly tokenId: string
    readonly tickLower: number | null
    readonly tickUpper: number | null
    readonly liquidity: string | null
    readonly collected0Raw: string | null
    readonly collected1Raw: string | null
    readonly fees0Raw: string | null
    readonly fees1Raw: string | null
    readonly skipped: boolean
    readonly txHash: string | null
    readonly gasCostWei: string | null
  }[]
  readonly swap: {
    readonly amount0Raw: string
    readonly amount1Raw: string
    readonly txHash: string | null
    readonly gasCostWei: string | null
  } | null
  readonly minted: readonly {
    readonly role: 'base' | 'limit'
    readonly tokenId: string
    readonly tickLower: number
    readonly tickUpper: number
    readonly liquidity: string
    readonly amount0Raw: string
    readonly amount1Raw: string
    readonly txHash: string | null
    readonly gasCostWei: string | null
  }[]
  readonly gasPaidWei: string | null
  readonly expectedGainUsd: number
  readonly gasCostUsd: number
}

/** The LP manager's live PnL (its `snapshot().pnl` and the last inventory's value), USD numbers. */
export type LpPnlMessage = {
  readonly type: 'lp.pnl'
  readonly source: string
  readonly tsMs: number
  /** Wallet + positions + uncollected fees at the pool price (the last inventory update's `valueUsd`). */
  readonly valueUsd: string
  /** USD per whole token0 / token1 used for it, and the raw holdings. */
  readonly usdPrice0: string
  readonly usdPrice1: string
  readonly amount0Raw: string
  readonly amount1Raw: string
  readonly decimals0: number
  readonly decimals1: number
  readonly baseToken: 'token0' | 'token1'
  /** Fees collected + uncollected, USD. */
  readonly lpFeesUsd: number
  /** Gas paid since the baseline (wei, decimal string) and in USD at payment prices. */
  readonly gasPaidWei: string
  readonly gasUsd: number
  /** The manager's PnL versus holding the deposited tokens. */
  readonly lpPnlVsHoldUsd: number
}

export type InventoryMessage = InventoryUpdate | LpInventoryEvent | LpActionMessage | LpPnlMessage

const TERMINAL = new Set(['filled', 'canceled', 'expired', 'rejected'])

/** Open orders: the last `orderUpdate` of every order not yet terminal; an `openOrders` listing replaces a venue's set. */
function reduceOrderEvents(state: TopicState<OrderEventMessage>, message: OrderEventMessage): void {
  if (message.type === 'orderUpdate') {
    const key = `order/${message.venue}/${message.clientOrderId}`
    if (TERMINAL.has(message.status)) state.delete(key)
    else state.set(key, message)
  } else if (message.type === 'openOrders') {
    const prefix = `order/${message.venue}/`
    for (const key of [...state.keys()]) if (key.startsWith(prefix)) state.delete(key)
    for (const order of message.orders)
      state.set(`${prefix}${order.clientOrderId}`, {
        type: 'orderUpdate',
        tsNs: message.tsNs,
        venue: message.venue,
        clientOrderId: order.clientOrderId,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: order.sizeLots,
        filledLots: order.filledLots,
        status: order.filledLots > 0 ? 'partiallyFilled' : 'new',
        snapshot: true,
        ...(order.venueTimeMs === undefined ? {} : { venueTimeMs: order.venueTimeMs }),
      })
  }
}

/** Fills a positions state keeps per venue (the newest; the core remembers more trade ids than this). */
export const RECENT_FILLS = 256

function reducePositions(state: TopicState<PositionMessage>, message: PositionMessage): void {
  if (message.type === 'fill') {
    const prefix = `fill/${message.venue}/`
    state.set(`${prefix}${message.tradeId}`, message)
    let count = 0
    for (const key of state.keys()) if (key.startsWith(prefix)) count += 1
    for (const key of [...state.keys()]) {
      if (count <= RECENT_FILLS) break
      if (!key.startsWith(prefix)) continue
      state.delete(key)
      count -= 1
    }
  } else if (message.type === 'position') state.set(`position/${message.venue}`, message)
  else if (message.type === 'balance') state.set(`balance/${message.venue}/${message.asset}`, message)
  else state.set(`health/${message.venue}`, message)
}

function reduceOrderUpdates(state: TopicState<OrderUpdateMessage>, message: OrderUpdateMessage): void {
  if (message.type === 'halt') state.set(`halt/${message.scope}`, message)
  else if (message.type === 'resume') state.delete(`halt/${message.scope}`)
  else if (message.type === 'suggestRange') state.set('suggestRange', message)
}

/** LP actions an inventory state keeps (the newest): a trader that recovers by snapshot journals those it lacks. */
export const RECENT_LP_ACTIONS = 64

function reduceInventory(state: TopicState<InventoryMessage>, message: InventoryMessage): void {
  if (message.type === 'lp.inventory') state.set(`lp.inventory/${message.source}`, message)
  else if (message.type === 'lp.pnl') state.set(`lp.pnl/${message.source}`, message)
  else if (message.type === 'lp.action') {
    state.set(`lp.action/${message.id}`, message)
    let count = 0
    for (const key of state.keys()) if (key.startsWith('lp.action/')) count += 1
    for (const key of [...state.keys()]) {
      if (count <= RECENT_LP_ACTIONS) break
      if (!key.startsWith('lp.action/')) continue
      state.delete(key)
      count -= 1
    }
  } else state.set('lpInventory', message)
}

const inventoryCodec: MessageCodec<InventoryMessage> = {
  // InventoryUpdate, lp.action and lp.pnl are plain JSON (their bigints are decimal strings already), with `type`
  // first; lpInventory goes through the hedger codec.
  encode: (message) => (message.type === 'lpInventory' ? encodeHedgerMessage(message) : JSON.stringify(message)),
  decode: (text) => {
    const head = text.slice(0, 40)
    return /"type":"lp\.(inventory|action|pnl)"/.test(head)
      ? (JSON.parse(text) as InventoryUpdate | LpActionMessage | LpPnlMessage)
      : (decodeHedgerMessage(text) as LpInventoryEvent)
  },
}

/** The topics of the deployment: each rides one PUB/SUB link of the port map. */
export const TOPICS = {
  marketData: {
    name: 'marketData',
    link: 'marketData',
    snapshotLink: undefined,
    codec: hedgerCodec<MarketDataMessage>(),
    reduce: () => {},
  } as TopicSpec<MarketDataMessage>,
  orderEvents: {
    name: 'orderEvents',
    link: 'orderEvents',
    snapshotLink: 'commands',
    codec: hedgerCodec<OrderEventMessage>(),
    reduce: reduceOrderEvents,
  } as TopicSpec<OrderEventMessage>,
  positions: {
    name: 'positions',
    link: 'positions',
    snapshotLink: 'positionsSnapshot',
    codec: hedgerCodec<PositionMessage>(),
    reduce: reducePositions,
  } as TopicSpec<PositionMessage>,
  orderUpdates: {
    name: 'orderUpdates',
    link: 'orderUpdates',
    snapshotLink: 'control',
    codec: hedgerCodec<OrderUpdateMessage>(),
    reduce: reduceOrderUpdates,
  } as TopicSpec<OrderUpdateMessage>,
  inventory: {
    name: 'inventory',
    link: 'inventory',
    snapshotLink: 'lpControl',
    codec: inventoryCodec,
    reduce: reduceInventory,
  } as TopicSpec<InventoryMessage>,
} as const

export type TopicName = keyof typeof TOPICS
export type TopicMessage<T extends TopicName> = (typeof TOPICS)[T] extends TopicSpec<infer M> ? M : never

export type VenueCommand =
  | PlaceOrderCommand
  | AmendOrderCommand
  | CancelOrderCommand
  | CancelAllCommand
  | ArmDeadManSwitchCommand
  | RequestOpenOrdersCommand
  | LookupOrderCommand

/**
 * Trader → trading-engine: the venue's fills since `sinceMs` (its trade-history endpoint), for restart reconciliation.
 * Answered in the ack: `detail` is a JSON array of the fills as encoded hedger `fill` events.
 */
export type RequestFillsCommand = {
  readonly type: 'requestFills'
  readonly venue: string
  /** Venue time, ms: fills at or after it. */
  readonly sinceMs: number
  /** When asked (decimal nanoseconds): the command id. */
  readonly tsNs: string
}

/** A command service: a ROUTER link that takes acknowledged, idempotent commands. */
export type CommandServiceSpec<C> = {
  readonly name: string
  readonly link: LinkName
  readonly codec: MessageCodec<C>
  /** The id a retry keeps and the receiver deduplicates on. */
  commandId(command: C): string
}

/**
 * The idempotency key of a venue command: `placeOrder`/`cancelOrder` are keyed by venue and client order id (the same
 * order is placed or cancelled once, whatever the retries); commands that may legitimately repeat (amend, cancelAll,
 * dead-man switch, queries) add their `tsNs`.
 */
export function venueCommandId(command: VenueCommand): string {
  switch (command.type) {
    case 'placeOrder':
    case 'cancelOrder':
      return `${command.venue}/${command.type}/${command.clientOrderId}`
    case 'amendOrder':
    case 'lookupOrder':
      return `${command.venue}/${command.type}/${command.clientOrderId}/${command.tsNs}`
    default:
      return `${command.venue}/${command.type}/${command.tsNs}`
  }
}

export const COMMAND_SERVICES = {
  /** Trader → trading-engine order commands. */
  venueCommands: {
    name: 'venueCommands',
    link: 'commands',
    codec: hedgerCodec<VenueCommand>(),
    commandId: venueCommandId,
  } as CommandServiceSpec<VenueCommand>,
  /** Trader → trading-engine: fill history (restart reconciliation); the fills come back in the ack. */
  venueHistory: {
    name: 'venueHistory',
    link: 'commands',
    codec: {
      encode: (command) => JSON.stringify(command),
      decode: (text) => {
        const command = JSON.parse(text) as RequestFillsCommand
        if (command.type !== 'requestFills' || typeof command.venue !== 'string' || !Number.isFinite(command.sinceMs))
          throw new Error('not a requestFills command')
        return command
      },
    },
    commandId: (command) => `${command.venue}/requestFills/${command.tsNs}`,
  } as CommandServiceSpec<RequestFillsCommand>,
  /** CLI / LP manager → trader: kill and resume. */
  traderControl: {
    name: 'traderControl',
    link: 'control',
    codec: hedgerCodec<OperatorEvent>(),
    commandId: (command) => `operator/${command.action}/${command.tsNs}`,
  } as CommandServiceSpec<OperatorEvent>,
  /** Trader / CLI → LP manager: kill and resume. */
  lpControl: {
    name: 'lpControl',
    link: 'lpControl',
    codec: hedgerCodec<OperatorEvent>(),
    commandId: (command) => `operator/${command.action}/${command.tsNs}`,
  } as CommandServiceSpec<OperatorEvent>,
} as const

export type CommandServiceName = keyof typeof COMMAND_SERVICES
export type ServiceCommand<S extends CommandServiceName> =
  (typeof COMMAND_SERVICES)[S] extends CommandServiceSpec<infer C> ? C : never
