/** `<symbol>@bookTicker`. Futures adds `e`, `E`, `T`; spot has `u, s, b, B, a, A` only. */
export type BookTickerWire = {
  e?: 'bookTicker'
  u: number
  E?: number
  T?: number
  s: string
  b: string
  B: string
  a: string
  A: string
}

/** `<symbol>@aggTrade` (`m` = buyer is maker, so the aggressor sold). */
export type AggTradeWire = {
  e: 'aggTrade'
  E: number
  s: string
  a: number
  p: string
  q: string
  f: number
  l: number
  T: number
  m: boolean
}

/** `<symbol>@trade`. */
export type TradeWire = {
  e: 'trade'
  E: number
  T?: number
  s: string
  t: number
  p: string
  q: string
  m: boolean
}
