import type { CommandResult } from './bus.js'
import type { Envelope, Snapshot } from './envelope.js'
import type { CommandServiceSpec, TopicSpec } from './topics.js'

/** Something to close. */
export type Closable = { close(): Promise<void> }

/**
 * What a transport moves (internal): envelopes from one publisher to its subscribers, snapshot requests and commands to
 * a ROUTER endpoint and their replies. The bus logic (sequence numbers, recovery, retries, idempotency) sits above it
 * and is shared by both transports.
 */
export interface Wire {
  bindPublisher<M>(
    endpoint: string,
    topic: TopicSpec<M>,
    options: { highWaterMark?: number | undefined },
  ): Promise<Closable & { send(envelope: Envelope<M>): void }>
  connectSubscriber<M>(
    endpoint: string,
    topic: TopicSpec<M>,
    onEnvelope: (envelope: Envelope<M>) => void,
    options: { highWaterMark?: number | undefined },
  ): Promise<Closable>
  serveSnapshots<M>(endpoint: string, topic: TopicSpec<M>, provide: () => Snapshot<M>): Promise<Closable>
  /** Sends one snapshot request; the answer (if any) comes to `onSnapshot`. */
  connectSnapshots<M>(
    endpoint: string,
    topic: TopicSpec<M>,
    onSnapshot: (snapshot: Snapshot<M>) => void,
  ): Promise<Closable & { request(): void }>
  serveCommands<C>(
    endpoint: string,
    service: CommandServiceSpec<C>,
    onCommand: (commandId: string, command: C, reply: (result: CommandResult) => void) => void,
  ): Promise<Closable>
  connectCommands<C>(
    endpoint: string,
    service: CommandServiceSpec<C>,
    onAck: (commandId: string, result: CommandResult) => void,
  ): Promise<Closable & { send(commandId: string, command: C): void }>
  close(): Promise<void>
}
