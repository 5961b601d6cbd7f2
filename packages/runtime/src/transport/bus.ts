import type { Endpoints } from './portMap.js'
import type { ReceiverPhase, ReceiverStats } from './SequencedReceiver.js'
import type { CommandServiceName, ServiceCommand, TopicMessage, TopicName } from './topics.js'

/** Options of a topic publisher. */
export type PublisherOptions = {
  /** Endpoints for this one (e.g. another venue slot: `resolveEndpoints({ venueSlot: 1 })`). Default: the bus's. */
  readonly endpoints?: Endpoints | undefined
  /** Publisher id carried in every envelope. Default: `<topic>@<link endpoint>`. */
  readonly publisher?: string | undefined
  /** Heartbeat period, ms (the last sequence number, so a subscriber notices a lost tail). Default 1000; 0 = none. */
  readonly heartbeatMs?: number | undefined
  /** Restart marker: a new value on every start. Default: {@link newEpoch}. */
  readonly epoch?: string | undefined
  /** ZeroMQ only: the PUB socket's send high-water mark (messages per subscriber; 0 = no limit). Default 1000. */
  readonly highWaterMark?: number | undefined
}

/** Publishes one topic; numbers its messages and keeps its state for snapshots. */
export interface TopicPublisher<M> {
  readonly topic: string
  readonly publisher: string
  readonly epoch: string
  /** The last sequence number published (0 before the first). */
  readonly seq: number
  /** The topic state after every message so far (what a snapshot returns). */
  readonly state: ReadonlyMap<string, M>
  /** Numbers, applies and sends one message. Never blocks: PUB/SUB drops for a subscriber past its high-water mark. */
  publish(message: M): void
  close(): Promise<void>
}

export type SubscriberOptions = {
  /** Endpoints for this one (e.g. another venue slot: `resolveEndpoints({ venueSlot: 1 })`). Default: the bus's. */
  readonly endpoints?: Endpoints | undefined
  /** The publisher stays silent this long (no message, no heartbeat) → `silent`. Default 3000 ms; 0 = never. */
  readonly silenceMs?: number | undefined
  /** A snapshot request unanswered this long is sent again. Default 1000 ms. */
  readonly snapshotTimeoutMs?: number | undefined
  /** Messages buffered while a snapshot is in flight. Default 100 000. */
  readonly maxBuffer?: number | undefined
  /** ZeroMQ only: the SUB socket's receive high-water mark. Default 1000. */
  readonly highWaterMark?: number | undefined
}

export type SubscriberEvents<M> = {
  /** One message applied, in sequence order (after a snapshot: the buffered messages that follow it). */
  message: (message: M) => void
  /** The state was replaced by a snapshot (start, gap or publisher restart): re-read `state`. */
  snapshot: (state: ReadonlyMap<string, M>, seq: number) => void
  /** A gap: `missed` messages lost (`stats` has the totals). */
  gap: (missed: number) => void
  /** No message or heartbeat for `silenceMs`. */
  silent: () => void
  /** Heard from again after `silent`. */
  alive: () => void
}

/** Subscribes to one topic of one publisher; checks sequence numbers and recovers the state. */
export interface TopicSubscriber<M> {
  readonly topic: string
  /** `live` once synced; `recovering` while a snapshot is awaited. Lossy topics are always `live`. */
  readonly phase: ReceiverPhase
  readonly stats: Readonly<ReceiverStats>
  /** The recovered state (empty on lossy topics). */
  readonly state: ReadonlyMap<string, M>
  readonly lastSeq: number
  /** The publisher epoch followed (undefined until something arrived). */
  readonly epoch: string | undefined
  readonly silent: boolean
  on<E extends keyof SubscriberEvents<M>>(event: E, listener: SubscriberEvents<M>[E]): this
  off<E extends keyof SubscriberEvents<M>>(event: E, listener: SubscriberEvents<M>[E]): this
  /** Resolves when `predicate(this)` holds (checked after every change), rejects after `timeoutMs`. */
  until(predicate: (subscriber: TopicSubscriber<M>) => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** What a command handler answers. `ok: false` = the receiver definitely did not apply it (e.g. a venue reject). */
export type CommandResult = { readonly ok: boolean; readonly detail?: string | undefined }

/** The acknowledgement a command client gets. The same command id always gets the same ack. */
export type CommandAck = CommandResult & {
  readonly commandId: string
  /** How many times the client sent it before the ack came. */
  readonly attempts: number
}

export type CommandHandler<C> = (
  command: C,
  meta: { readonly commandId: string },
) => CommandResult | Promise<CommandResult>

export type CommandServerOptions = {
  /** Endpoints for this one (e.g. another venue slot: `resolveEndpoints({ venueSlot: 1 })`). Default: the bus's. */
  readonly endpoints?: Endpoints | undefined
  /** Acks remembered for duplicates, at most (oldest forgotten first). Default 100 000. */
  readonly rememberAcks?: number | undefined
  /**
   * How long an ack is remembered for duplicates, ms (oldest forgotten first). Default 600 000: far past any command
   * client's resend horizon (the trader's is 20 s), so a resend is always answered from memory, and memory follows the
   * command rate instead of growing with the process's age.
   */
  readonly rememberAcksMs?: number | undefined
  /** Fault injection for tests: return true to drop the ack of this delivery (1 = first) of a command id. */
  readonly dropAck?: ((commandId: string, delivery: number) => boolean) | undefined
  /**
   * How long `close()` waits for the commands still executing (a cancel-all on its way to the venue), ms. Default: the
   * bus's `commandDrainMs` (5 000). Past it the server closes anyway and their outcome is whatever the handler makes of
   * what follows (a connector closed under a cancel reports it).
   */
  readonly drainOnCloseMs?: number | undefined
}

export type CommandServerStats = {
  /** Commands executed (each id once). */
  executed: number
  /** Deliveries of an id already executed or executing: answered with the same ack, not executed. */
  duplicates: number
  /** Acks sent. */
  acks: number
}

export interface CommandServer {
  readonly service: string
  readonly stats: Readonly<CommandServerStats>
  close(): Promise<void>
}

export type CommandClientOptions = {
  /** Endpoints for this one (e.g. another venue slot: `resolveEndpoints({ venueSlot: 1 })`). Default: the bus's. */
  readonly endpoints?: Endpoints | undefined
  /** No ack after this long → send again with the same id. Default 500 ms. */
  readonly ackTimeoutMs?: number | undefined
  /** Sends before giving up with CommandNotAcknowledgedError. Default 10. */
  readonly maxAttempts?: number | undefined
}

export interface CommandClient<C> {
  readonly service: string
  /**
   * Sends a command and resolves with its ack; resends with the same id until acknowledged.
   * `commandId` defaults to the service's id of the command (for orders: venue + type + client order id).
   * @throws CommandNotAcknowledgedError after `maxAttempts` sends without an ack (the outcome is unknown).
   */
  send(command: C, options?: { commandId?: string | undefined }): Promise<CommandAck>
  close(): Promise<void>
}

/**
 * The message bus of the deployment. Two implementations with one contract: {@link createInProcessBus} (the default:
 * one process, no sockets, microtask delivery) and {@link createZmqBus} (ZeroMQ over the port map).
 */
export interface MessageBus {
  readonly kind: 'in-process' | 'zeromq'
  publisher<T extends TopicName>(topic: T, options?: PublisherOptions): Promise<TopicPublisher<TopicMessage<T>>>
  subscriber<T extends TopicName>(topic: T, options?: SubscriberOptions): Promise<TopicSubscriber<TopicMessage<T>>>
  commandServer<S extends CommandServiceName>(
    service: S,
    handler: CommandHandler<ServiceCommand<S>>,
    options?: CommandServerOptions,
  ): Promise<CommandServer>
  commandClient<S extends CommandServiceName>(
    service: S,
    options?: CommandClientOptions,
  ): Promise<CommandClient<ServiceCommand<S>>>
  /** Closes everything this bus opened. */
  close(): Promise<void>
}
