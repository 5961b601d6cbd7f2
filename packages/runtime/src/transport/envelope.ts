/** What a publisher sends on a topic: a message or a heartbeat, numbered per topic per publisher. */
export type Envelope<M> =
  | {
      readonly kind: 'message'
      /** Publisher id (unique per link). */
      readonly publisher: string
      /** Changes when the publisher restarts (any new value: subscribers resync on a change): its sequence starts again at 1. */
      readonly epoch: string
      /** 1, 2, 3, … per topic per publisher epoch. */
      readonly seq: number
      readonly message: M
    }
  | {
      readonly kind: 'heartbeat'
      readonly publisher: string
      readonly epoch: string
      /** The last sequence number published (0 before the first message): a subscriber behind it has a gap. */
      readonly seq: number
    }

/** A publisher's state at one sequence number. */
export type Snapshot<M> = {
  readonly publisher: string
  readonly epoch: string
  /** The state includes every message up to and including this one. */
  readonly seq: number
  readonly entries: readonly (readonly [key: string, message: M])[]
}

/**
 * A publisher epoch: the start time in ms (12 hex digits, for people reading logs) and a random suffix. Subscribers only
 * compare epochs for equality, so a clock that stepped back does not matter.
 */
export function newEpoch(nowMs: number = Date.now()): string {
  return `${Math.floor(nowMs).toString(16).padStart(12, '0')}-${Math.random().toString(16).slice(2, 10)}`
}
