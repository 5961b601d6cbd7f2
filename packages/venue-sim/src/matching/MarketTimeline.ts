/**
 * When a replay driver applies its data. `data`: the data's timestamps are emulator time (the emulator runs on a replay
 * clock, where speed lives), shifted so the first one plays at `startMs` when that is set. `wall`: the first data
 * timestamp is played at emulator time `startMs` and later ones `speed` times faster (the pre-replay-clock behaviour,
 * for emulators on the wall clock).
 */
export type MarketTimeline =
  | { kind: 'data'; startMs?: number | undefined }
  | { kind: 'wall'; startMs: number; speed: number }

/** Maps data time to emulator time and back for a timeline whose data starts at `originMs`. */
export function timelineMapping(
  timeline: MarketTimeline,
  originMs: number,
): { toEmulatorMs(dataMs: number): number; toDataMs(emulatorMs: number): number } {
  if (timeline.kind === 'data') {
    const shiftMs = timeline.startMs === undefined ? 0 : timeline.startMs - originMs
    return { toEmulatorMs: (ms) => ms + shiftMs, toDataMs: (ms) => ms - shiftMs }
  }
  const { startMs, speed } = timeline
  return {
    toEmulatorMs: (ms) => startMs + (ms - originMs) / speed,
    toDataMs: (ms) => originMs + (ms - startMs) * speed,
  }
}
