/**
 * The port map of the ZeroMQ deployment: the original system's numbers (market data 6001, order events 6002, positions
 * 6003, order updates 7003, internal links 6011, 6017, 7001, 7002, 7004) with one consistent rule: **the role that owns
 * the data binds, everyone else connects**. Each PUB port that carries state has a ROUTER port where the same role serves
 * snapshots (and, where it takes commands, the commands). docs/deployment-transport.md has the same map as a table.
 */

/** The roles of the reference deployment (plus `cli`, the operator's `alp` commands). */
export type RoleName = 'lp-manager' | 'quote-server' | 'trading-engine' | 'position-server' | 'trader' | 'cli'

/** One link of the deployment. */
export type LinkSpec = {
  /** Default TCP port (before the deployment offset and the venue slot). */
  readonly port: number
  /** `PUB/SUB` (publisher binds) or `ROUTER/DEALER` (ROUTER binds). */
  readonly pattern: 'PUB/SUB' | 'ROUTER/DEALER'
  /** The role that binds. */
  readonly binds: RoleName
  /** The roles that connect. */
  readonly connects: readonly RoleName[]
  /** One per venue (quote-server, trading-engine, position-server): the port moves by 100 per venue slot. */
  readonly perVenue: boolean
  /** What travels on it. */
  readonly carries: string
}

export const PORT_MAP = {
  marketData: {
    port: 6001,
    pattern: 'PUB/SUB',
    binds: 'quote-server',
    connects: ['trader'],
    perVenue: true,
    carries: 'topic marketData: bbo, book, trade (lossy: gaps are counted, never recovered)',
  },
  orderEvents: {
    port: 6002,
    pattern: 'PUB/SUB',
    binds: 'trading-engine',
    connects: ['trader', 'position-server'],
    perVenue: true,
    carries: 'topic orderEvents: orderUpdate, fill, commandFailed, orderAbsent, openOrders (state: open orders)',
  },
  positions: {
    port: 6003,
    pattern: 'PUB/SUB',
    binds: 'position-server',
    connects: ['trader'],
    perVenue: true,
    carries:
      'topic positions: position, balance, venueHealth, fill (state: last position, balances, health, the newest fills)',
  },
  orderUpdates: {
    port: 7003,
    pattern: 'PUB/SUB',
    binds: 'trader',
    connects: ['lp-manager', 'position-server', 'cli'],
    perVenue: false,
    carries: 'topic orderUpdates: halt, resume, suggestRange, log, metric (state: halts, last range hint)',
  },
  inventory: {
    port: 6011,
    pattern: 'PUB/SUB',
    binds: 'lp-manager',
    connects: ['trader'],
    perVenue: false,
    carries:
      'topic inventory: lp.inventory (@alp/uniswap-lp InventoryUpdate), lpInventory, lp.action, lp.pnl (state: last inventory per source, the newest LP actions, the last PnL per pool)',
  },
  lpControl: {
    port: 6017,
    pattern: 'ROUTER/DEALER',
    binds: 'lp-manager',
    connects: ['trader', 'cli'],
    perVenue: false,
    carries: 'inventory snapshots; commands to the LP manager: operator kill/resume (acknowledged)',
  },
  commands: {
    port: 7001,
    pattern: 'ROUTER/DEALER',
    binds: 'trading-engine',
    connects: ['trader'],
    perVenue: true,
    carries:
      'orderEvents snapshots; order commands: placeOrder, amendOrder, cancelOrder, cancelAll, armDeadManSwitch, requestOpenOrders, lookupOrder (acknowledged, idempotent)',
  },
  positionsSnapshot: {
    port: 7002,
    pattern: 'ROUTER/DEALER',
    binds: 'position-server',
    connects: ['trader'],
    perVenue: true,
    carries: 'positions snapshots',
  },
  control: {
    port: 7004,
    pattern: 'ROUTER/DEALER',
    binds: 'trader',
    connects: ['cli', 'lp-manager'],
    perVenue: false,
    carries: 'orderUpdates snapshots; operator commands to the trader: kill, resume (acknowledged)',
  },
} as const satisfies Record<string, LinkSpec>

export type LinkName = keyof typeof PORT_MAP

/** The links in table order. */
export const LINK_NAMES: readonly LinkName[] = Object.keys(PORT_MAP) as LinkName[]

/** Where one link binds and where its peers connect. */
export type LinkEndpoint = { readonly bind: string; readonly connect: string }

export type Endpoints = Readonly<Record<LinkName, LinkEndpoint>>
