import type { Clock } from '../matching/types.js'

/**
 * True for a custom clock that moves only when told (a manual clock, or any `{ nowMs }` of the caller's): the emulator's
 * start function then runs no tick timer and the caller calls `tick()`. False without a clock (the wall clock) and for a
 * replay clock, which advances with the wall: both tick every 10 ms by default.
 */
export function isSteppedClock(clock: Clock | undefined): boolean {
  if (clock === undefined) return false
  return (clock as { kind?: unknown }).kind !== 'replay'
}
