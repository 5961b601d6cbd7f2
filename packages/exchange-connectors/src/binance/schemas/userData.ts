/** Futures `ORDER_TRADE_UPDATE` (`o` holds the order). */
export type OrderTradeUpdateWire = {
  e: 'ORDER_TRADE_UPDATE'
  E: number
  T: number
  o: {
    s: string
    c: string
    S: 'BUY' | 'SELL'
    o: string
    f: string
    q: string
    p: string
    ap: string
    x: string
    X: string
    i: number
    l: string
    z: string
    L: string
    N?: string
    n?: string
    T: number
    t: number
    m: boolean
    R: boolean
    rp?: string
  }
}

/** Futures `ACCOUNT_UPDATE`. `cw` is the cross wallet balance, NOT the available balance. */
export type AccountUpdateWire = {
  e: 'ACCOUNT_UPDATE'
  E: number
  T: number
  a: {
    m: string
    B: { a: string; wb: string; cw: string; bc: string }[]
    P: { s: string; pa: string; ep: string; up: string; ps: string }[]
  }
}

/** Futures `listenKeyExpired`. */
export type ListenKeyExpiredWire = { e: 'listenKeyExpired'; E: number; listenKey: string }

/** Spot `executionReport`. */
export type ExecutionReportWire = {
  e: 'executionReport'
  E: number
  s: string
  c: string
  C?: string
  S: 'BUY' | 'SELL'
  o: string
  f: string
  q: string
  p: string
  x: string
  X: string
  r: string
  i: number
  l: string
  z: string
  L: string
  n: string
  N: string | null
  T: number
  t: number
  m: boolean
}

/** Spot `outboundAccountPosition`. */
export type OutboundAccountPositionWire = {
  e: 'outboundAccountPosition'
  E: number
  u: number
  B: { a: string; f: string; l: string }[]
}
