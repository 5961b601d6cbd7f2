import type { Envelope, Snapshot } from './envelope.js'
import type { TopicSpec, TopicState } from './topics.js'

/**
 * The transport-free half of a publisher: numbers every message of its topic (1, 2, 3, …), applies it to the topic state
 * and answers snapshot requests with the state at the current sequence number.
 */
export class SequencedPublisher<M> {
  readonly publisher: string
  readonly epoch: string
  readonly #spec: TopicSpec<M>
  readonly #state: TopicState<M> = new Map()
  #seq = 0

  constructor(spec: TopicSpec<M>, parameters: { publisher: string; epoch: string }) {
    this.#spec = spec
    this.publisher = parameters.publisher
    this.epoch = parameters.epoch
  }

  get seq(): number {
    return this.#seq
  }

  /** The live state (read-only view for callers). */
  get state(): ReadonlyMap<string, M> {
    return this.#state
  }

  next(message: M): Envelope<M> {
    this.#seq += 1
    this.#spec.reduce(this.#state, message)
    return { kind: 'message', publisher: this.publisher, epoch: this.epoch, seq: this.#seq, message }
  }

  heartbeat(): Envelope<M> {
    return { kind: 'heartbeat', publisher: this.publisher, epoch: this.epoch, seq: this.#seq }
  }

  snapshot(): Snapshot<M> {
    return { publisher: this.publisher, epoch: this.epoch, seq: this.#seq, entries: [...this.#state.entries()] }
  }
}
