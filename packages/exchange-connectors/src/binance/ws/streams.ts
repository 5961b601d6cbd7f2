/** Binance stream names (symbols lower-cased, as the venue requires). */
export const binanceStreams = {
  depth: (symbol: string, speed: '' | '@100ms' | '@500ms' | '@0ms' = '@100ms') =>
    `${symbol.toLowerCase()}@depth${speed}`,
  bookTicker: (symbol: string) => `${symbol.toLowerCase()}@bookTicker`,
  aggTrade: (symbol: string) => `${symbol.toLowerCase()}@aggTrade`,
} as const

/** Which USDⓈ-M WebSocket path serves a stream: `/public` for depth and bookTicker, `/market` for the rest. */
export function usdmStreamPath(stream: string): 'public' | 'market' {
  return stream.includes('@depth') || stream.endsWith('@bookTicker') ? 'public' : 'market'
}
