import type { Envelope, Snapshot } from './envelope.js'
import type { TopicSpec, TopicState } from './topics.js'

/** Counters of one subscriber. */
export type ReceiverStats = {
  /** Envelopes heard from the publisher (messages and heartbeats, before any check): > 0 once the subscription is up. */
  envelopes: number
  /** Messages applied (delivered to the application). */
  messages: number
  /** Gaps detected (a sequence number jumped, or a heartbeat showed messages we never got). */
  gaps: number
  /** Messages known lost in those gaps. */
  missed: number
  /** Snapshots applied. */
  snapshots: number
  /** Duplicates and stale messages ignored. */
  duplicates: number
  /** Publisher restarts seen (a new epoch). */
  restarts: number
}

export type ReceiverPhase = 'unsynced' | 'recovering' | 'live'

/** What the transport must do after feeding the receiver. */
export type ReceiverOutput<M> = {
  /** Messages to hand to the application, in sequence order. */
  readonly deliver: readonly M[]
  /** True when a snapshot must be requested now (the receiver has none in flight). */
  readonly requestSnapshot: boolean
  /** True when this step applied a snapshot (the state was replaced). */
  readonly snapshotApplied: boolean
}

const NOTHING: ReceiverOutput<never> = { deliver: [], requestSnapshot: false, snapshotApplied: false }

/**
 * The transport-free half of a subscriber: checks the sequence of one publisher's topic and recovers its state.
 *
 * Stateful topics recover the way sequence-checked order books do: on a gap (or at the start, or after a publisher
 * restart) buffer what arrives, request a snapshot, replace the state with it, then replay the buffered messages after
 * the snapshot's sequence number; a hole between the snapshot and the buffer asks again. Lossy topics (no snapshot
 * link) only count their gaps and carry on from the newest message.
 */
export class SequencedReceiver<M> {
  readonly #spec: TopicSpec<M>
  readonly #lossy: boolean
  readonly #maxBuffer: number
  #state: TopicState<M> = new Map()
  #phase: ReceiverPhase = 'unsynced'
  #epoch: string | undefined
  #lastSeq = 0
  #buffer: Extract<Envelope<M>, { kind: 'message' }>[] = []
  #snapshotInFlight = false
  readonly stats: ReceiverStats = {
    envelopes: 0,
    messages: 0,
    gaps: 0,
    missed: 0,
    snapshots: 0,
    duplicates: 0,
    restarts: 0,
  }

  constructor(spec: TopicSpec<M>, options: { maxBuffer?: number | undefined } = {}) {
    this.#spec = spec
    this.#lossy = spec.snapshotLink === undefined
    this.#maxBuffer = options.maxBuffer ?? 100_000
    if (this.#lossy) this.#phase = 'live'
  }

  get phase(): ReceiverPhase {
    return this.#phase
  }
  get lastSeq(): number {
    return this.#lastSeq
  }
  get epoch(): string | undefined {
    return this.#epoch
  }
  get state(): ReadonlyMap<string, M> {
    return this.#state
  }
  get snapshotInFlight(): boolean {
    return this.#snapshotInFlight
  }

  /** Start: a stateful topic asks for its snapshot at once (a quiet publisher may never send anything). */
  start(): ReceiverOutput<M> {
    if (this.#lossy || this.#phase !== 'unsynced') return NOTHING
    this.#phase = 'recovering'
    return this.#askSnapshot([], false)
  }

  /** The snapshot request failed or timed out: ask again on the next call. */
  snapshotFailed(): ReceiverOutput<M> {
    this.#snapshotInFlight = false
    if (this.#phase === 'live') return NOTHING
    return this.#askSnapshot([], false)
  }

  onEnvelope(envelope: Envelope<M>): ReceiverOutput<M> {
    this.stats.envelopes += 1
    if (this.#lossy) return this.#onLossy(envelope)
    if (this.#phase !== 'live') {
      if (envelope.kind === 'message') this.#bufferEnvelope(envelope)
      return this.#snapshotInFlight ? NOTHING : this.#askSnapshot([], false)
    }
    if (envelope.epoch !== this.#epoch) {
      // Another epoch: the publisher restarted (or, for a moment, a message of the one before it): resync from a
      // snapshot, which always comes from the publisher that is running now. No clock order between epochs is needed.
      this.stats.restarts += 1
      return this.#recover(envelope)
    }
    if (envelope.seq <= this.#lastSeq) {
      if (envelope.kind === 'message') this.stats.duplicates += 1
      return NOTHING
    }
    if (envelope.kind === 'heartbeat') {
      this.#gap(envelope.seq - this.#lastSeq)
      return this.#recover(undefined)
    }
    if (envelope.seq === this.#lastSeq + 1) {
      this.#apply(envelope.message, envelope.seq)
      return { deliver: [envelope.message], requestSnapshot: false, snapshotApplied: false }
    }
    this.#gap(envelope.seq - this.#lastSeq - 1)
    return this.#recover(envelope)
  }

  onSnapshot(snapshot: Snapshot<M>): ReceiverOutput<M> {
    if (this.#lossy) return NOTHING
    // Live and nothing asked: a late answer to an earlier request (maybe from a publisher since restarted).
    if (this.#phase === 'live' && !this.#snapshotInFlight) return NOTHING
    this.#snapshotInFlight = false
    this.#state = new Map(snapshot.entries)
    this.#epoch = snapshot.epoch
    this.#lastSeq = snapshot.seq
    this.stats.snapshots += 1
    // Buffered messages of another epoch are dropped: older ones are superseded by the snapshot; if the publisher
    // restarted after the snapshot was taken, its next message or heartbeat shows the new epoch and we resync again.
    const buffered = this.#buffer
      .filter((e) => e.epoch === snapshot.epoch && e.seq > snapshot.seq)
      .sort((a, b) => a.seq - b.seq)
    this.#buffer = []
    const deliver: M[] = []
    for (let i = 0; i < buffered.length; i++) {
      const envelope = buffered[i] as (typeof buffered)[number]
      if (envelope.seq <= this.#lastSeq) continue
      if (envelope.seq !== this.#lastSeq + 1) {
        // A hole between the snapshot and the buffer: keep the rest and ask again.
        this.#buffer = buffered.slice(i)
        this.#phase = 'recovering'
        return this.#askSnapshot(deliver, true)
      }
      this.#apply(envelope.message, envelope.seq)
      deliver.push(envelope.message)
    }
    this.#phase = 'live'
    return { deliver, requestSnapshot: false, snapshotApplied: true }
  }

  #onLossy(envelope: Envelope<M>): ReceiverOutput<M> {
    if (envelope.epoch !== this.#epoch) {
      if (this.#epoch !== undefined) this.stats.restarts += 1
      this.#epoch = envelope.epoch
      this.#lastSeq = envelope.kind === 'message' ? envelope.seq - 1 : envelope.seq
    }
    if (envelope.seq <= this.#lastSeq) {
      if (envelope.kind === 'message') this.stats.duplicates += 1
      return NOTHING
    }
    if (envelope.kind === 'heartbeat') {
      this.#gap(envelope.seq - this.#lastSeq)
      this.#lastSeq = envelope.seq
      return NOTHING
    }
    if (envelope.seq > this.#lastSeq + 1) this.#gap(envelope.seq - this.#lastSeq - 1)
    this.#lastSeq = envelope.seq
    this.stats.messages += 1
    return { deliver: [envelope.message], requestSnapshot: false, snapshotApplied: false }
  }

  #recover(envelope: Envelope<M> | undefined): ReceiverOutput<M> {
    this.#phase = 'recovering'
    if (envelope?.kind === 'message') this.#bufferEnvelope(envelope)
    return this.#snapshotInFlight ? NOTHING : this.#askSnapshot([], false)
  }

  #askSnapshot(deliver: readonly M[], snapshotApplied: boolean): ReceiverOutput<M> {
    this.#snapshotInFlight = true
    return { deliver, requestSnapshot: true, snapshotApplied }
  }

  #bufferEnvelope(envelope: Extract<Envelope<M>, { kind: 'message' }>): void {
    // Past the bound the oldest go: they are older than any snapshot we will get, so nothing is lost.
    if (this.#buffer.length >= this.#maxBuffer) this.#buffer.shift()
    this.#buffer.push(envelope)
  }

  #gap(missed: number): void {
    this.stats.gaps += 1
    this.stats.missed += missed
  }

  #apply(message: M, seq: number): void {
    this.#spec.reduce(this.#state, message)
    this.#lastSeq = seq
    this.stats.messages += 1
  }
}
