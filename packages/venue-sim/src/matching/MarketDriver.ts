/** Something that moves a market in emulator time: replay, simulation, klines. The emulator calls `advance` on every tick. */
export type MarketDriver = {
  /** Applies every market event due at or before `nowMs` to the engine. */
  advance(nowMs: number): void
  /** Human-readable description for logs. */
  describe(): string
}
