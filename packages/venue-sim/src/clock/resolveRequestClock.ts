import type { Clock } from '../matching/types.js'

/**
 * The clock an emulator checks requests against: signed timestamps and recvWindow (Binance), signature expiries and
 * sessions (GRVT), auth timestamps, tokens and `valid_until` (Deribit), listenKeys, rate-limit windows and the server-time
 * endpoints. Market and account times (trades, klines, orders, fills, funding) stay on the emulator clock.
 *
 * Default: on a replay clock ({@link createReplayClock}) requests are checked against its wall clock, because clients —
 * ccxt, the venues' own SDKs, ALP's connectors — sign with their own clock and cannot know the replay time; a paper run
 * on 2024-01-05 at 600× then works with every client unchanged. On any other clock (the wall clock, or a manual clock in
 * tests) it is the emulator clock itself. `requestClock` overrides both.
 */
export function resolveRequestClock(clock: Clock, requestClock: Clock | undefined): Clock {
  if (requestClock !== undefined) return requestClock
  const replay = clock as { kind?: unknown; wall?: Clock }
  if (replay.kind === 'replay' && replay.wall !== undefined) return replay.wall
  return clock
}
