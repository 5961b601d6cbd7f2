import type { EngineEvent, EngineOrder, Fill, Side } from '../matching/types.js'

/** One print on the public tape (every match: account orders and the replayed / simulated market). */
export type TapeTrade = {
  tradeId: number
  tsMs: number
  priceTicks: bigint
  lots: bigint
  /** Binance `m`: the buyer was the maker (the taker sold). */
  buyerMaker: boolean
}

/** One fill of one account's order (Binance userTrades / myTrades row). */
export type AccountFill = {
  symbol: string
  orderId: number
  side: Side
  tsMs: number
  fill: Fill
}

/** One futures income row (Binance `GET /fapi/v1/income`). */
export type IncomeEntry = {
  tranId: number
  symbol: string
  incomeType: 'TRANSFER' | 'REALIZED_PNL' | 'COMMISSION' | 'FUNDING_FEE'
  amountE8: bigint
  asset: string
  tsMs: number
  /** Trade id for REALIZED_PNL / COMMISSION, '' otherwise (as Binance prints it). */
  tradeId: string
}

/** One applied funding (Binance `GET /fapi/v1/fundingRate` row). */
export type FundingRecord = {
  symbol: string
  fundingTimeMs: number
  rateE8: bigint
  /** The mark the positions were charged at (0 when the symbol had no price yet). */
  markPriceE8: bigint
}

export type BinanceHistoryOptions = {
  /** Prints kept per symbol (oldest dropped first). Default 200 000. */
  maxTapeTrades?: number | undefined
  /** Fills, orders and income rows kept per account. Default 100 000 each. */
  maxAccountRows?: number | undefined
}

/**
 * What the Binance emulator traded and replayed, recorded from the matching engine's events: the public tape per symbol (trades,
 * aggTrades, klines, 24 h tickers), and per account its fills, every order it placed (final state) and its income rows. History
 * endpoints answer from here, so a client rebuilding state after a restart sees exactly what happened.
 */
export class BinanceHistory {
  private readonly tape = new Map<string, TapeTrade[]>()
  private readonly fills = new Map<string, AccountFill[]>()
  private readonly orders = new Map<string, Map<number, EngineOrder>>()
  private readonly income = new Map<string, IncomeEntry[]>()
  private readonly funding = new Map<string, FundingRecord[]>()
  private readonly maxTape: number
  private readonly maxRows: number
  private nextTranId = 9_000_000_000

  constructor(options: BinanceHistoryOptions = {}) {
    this.maxTape = options.maxTapeTrades ?? 200_000
    this.maxRows = options.maxAccountRows ?? 100_000
  }

  /** Records one engine event (trades on the tape; order events as orders, fills and income). */
  record(event: EngineEvent, marginAsset: (symbol: string) => string | null): void {
    if (event.kind === 'trade') {
      push(this.tape, event.symbol, this.maxTape, {
        tradeId: event.tradeId,
        tsMs: event.tsMs,
        priceTicks: event.priceTicks,
        lots: event.lots,
        buyerMaker: event.takerSide === 'SELL',
      })
      return
    }
    if (event.kind !== 'order') return
    const order = event.order
    let byId = this.orders.get(order.accountId)
    if (!byId) {
      byId = new Map()
      this.orders.set(order.accountId, byId)
    }
    byId.set(order.orderId, { ...order })
    if (byId.size > this.maxRows) byId.delete(byId.keys().next().value as number)
    const fill = event.fill
    if (fill === null) return
    push(this.fills, order.accountId, this.maxRows, {
      symbol: order.symbol,
      orderId: order.orderId,
      side: order.side,
      tsMs: event.tsMs,
      fill,
    })
    const asset = marginAsset(order.symbol)
    if (asset === null) return
    if (fill.realizedPnlE8 !== 0n) {
      this.addIncome(order.accountId, order.symbol, 'REALIZED_PNL', fill.realizedPnlE8, asset, event.tsMs, fill.tradeId)
    }
    if (fill.feeE8 !== 0n) {
      this.addIncome(order.accountId, order.symbol, 'COMMISSION', -fill.feeE8, fill.feeAsset, event.tsMs, fill.tradeId)
    }
  }

  /** Adds an income row (deposits are TRANSFER with an empty symbol, as Binance prints them). */
  addIncome(
    accountId: string,
    symbol: string,
    incomeType: IncomeEntry['incomeType'],
    amountE8: bigint,
    asset: string,
    tsMs: number,
    tradeId: number | null,
  ): void {
    push(this.income, accountId, this.maxRows, {
      tranId: this.nextTranId++,
      symbol,
      incomeType,
      amountE8,
      asset,
      tsMs,
      tradeId: tradeId === null ? '' : String(tradeId),
    })
  }

  /** Records a funding time that was applied to `record.symbol`. */
  recordFunding(record: FundingRecord): void {
    push(this.funding, record.symbol, this.maxRows, record)
  }

  /** Applied fundings of `symbol`, oldest first. */
  fundings(symbol: string): readonly FundingRecord[] {
    return this.funding.get(symbol) ?? []
  }

  /** Prints of `symbol`, oldest first. */
  trades(symbol: string): readonly TapeTrade[] {
    return this.tape.get(symbol) ?? []
  }

  /** Fills of `accountId`, oldest first. */
  accountFills(accountId: string): readonly AccountFill[] {
    return this.fills.get(accountId) ?? []
  }

  /** Every order of `accountId` in its latest state, by order id ascending. */
  accountOrders(accountId: string): EngineOrder[] {
    return [...(this.orders.get(accountId)?.values() ?? [])].sort((a, b) => a.orderId - b.orderId)
  }

  /** Income rows of `accountId`, oldest first. */
  accountIncome(accountId: string): readonly IncomeEntry[] {
    return this.income.get(accountId) ?? []
  }
}

function push<T>(map: Map<string, T[]>, key: string, max: number, row: T): void {
  let rows = map.get(key)
  if (!rows) {
    rows = []
    map.set(key, rows)
  }
  rows.push(row)
  if (rows.length > max) rows.splice(0, rows.length - max)
}
