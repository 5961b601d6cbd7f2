import type {
  CommandAck,
  CommandClient,
  CommandClientOptions,
  CommandHandler,
  CommandResult,
  CommandServer,
  CommandServerOptions,
  CommandServerStats,
  MessageBus,
  PublisherOptions,
  SubscriberEvents,
  SubscriberOptions,
  TopicPublisher,
  TopicSubscriber,
} from './bus.js'
import { newEpoch } from './envelope.js'
import { CommandNotAcknowledgedError, TransportClosedError } from './errors.js'
import type { Endpoints } from './portMap.js'
import { SequencedPublisher } from './SequencedPublisher.js'
import { type ReceiverOutput, SequencedReceiver } from './SequencedReceiver.js'
import {
  COMMAND_SERVICES,
  type CommandServiceName,
  type CommandServiceSpec,
  type ServiceCommand,
  TOPICS,
  type TopicMessage,
  type TopicName,
  type TopicSpec,
} from './topics.js'
import type { Closable, Wire } from './wire.js'

/** Options of {@link createBusOnWire} that the bus factories pass through. */
export type BusOnWireOptions = {
  /**
   * How long a command server's `close()` waits for the commands it is still executing, ms (default 5 000): a role
   * stopped while its handler is mid-call (a cancel-all sent, the venue's answer not in yet) lets the call finish before
   * the deployment closes the connector under it. New commands are not started once `close()` began.
   */
  readonly commandDrainMs?: number | undefined
}

/** Default of {@link BusOnWireOptions.commandDrainMs}. */
export const DEFAULT_COMMAND_DRAIN_MS = 5_000

/** Builds the bus (sequence numbers, recovery, heartbeats, acks, retries, idempotency) over one wire. */
export function createBusOnWire(
  kind: MessageBus['kind'],
  wire: Wire,
  endpoints: Endpoints,
  busOptions: BusOnWireOptions = {},
): MessageBus {
  const open = new Set<Closable>()
  let closed = false
  const track = <T extends Closable>(item: T): T => {
    open.add(item)
    return item
  }
  const guard = (what: string): void => {
    if (closed) throw new TransportClosedError({ what })
  }

  return {
    kind,
    async publisher<T extends TopicName>(topic: T, options: PublisherOptions = {}) {
      guard(`publisher ${topic}`)
      const spec = TOPICS[topic] as unknown as TopicSpec<TopicMessage<T>>
      const at = options.endpoints ?? endpoints
      const endpoint = at[spec.link].bind
      const core = new SequencedPublisher(spec, {
        publisher: options.publisher ?? `${topic}@${endpoint}`,
        epoch: options.epoch ?? newEpoch(),
      })
      const pub = await wire.bindPublisher(endpoint, spec, { highWaterMark: options.highWaterMark })
      const snapshots =
        spec.snapshotLink === undefined
          ? undefined
          : await wire.serveSnapshots(at[spec.snapshotLink].bind, spec, () => core.snapshot())
      const heartbeatMs = options.heartbeatMs ?? 1000
      const timer = heartbeatMs > 0 ? setInterval(() => pub.send(core.heartbeat()), heartbeatMs) : undefined
      timer?.unref()
      const publisher: TopicPublisher<TopicMessage<T>> & Closable = {
        topic,
        publisher: core.publisher,
        epoch: core.epoch,
        get seq() {
          return core.seq
        },
        get state() {
          return core.state
        },
        publish(message) {
          pub.send(core.next(message))
        },
        async close() {
          open.delete(publisher)
          if (timer) clearInterval(timer)
          await snapshots?.close()
          await pub.close()
        },
      }
      return track(publisher)
    },

    async subscriber<T extends TopicName>(topic: T, options: SubscriberOptions = {}) {
      guard(`subscriber ${topic}`)
      const spec = TOPICS[topic] as unknown as TopicSpec<TopicMessage<T>>
      const at = options.endpoints ?? endpoints
      const subscriber = new BusSubscriber(spec, options)
      subscriber.attach(
        spec.snapshotLink === undefined
          ? undefined
          : await wire.connectSnapshots(at[spec.snapshotLink].connect, spec, (s) => subscriber.snapshot(s)),
        await wire.connectSubscriber(at[spec.link].connect, spec, (e) => subscriber.envelope(e), {
          highWaterMark: options.highWaterMark,
        }),
        () => open.delete(subscriber),
      )
      return track(subscriber)
    },

    async commandServer<S extends CommandServiceName>(
      service: S,
      handler: CommandHandler<ServiceCommand<S>>,
      options: CommandServerOptions = {},
    ) {
      guard(`command server ${service}`)
      const spec = COMMAND_SERVICES[service] as unknown as CommandServiceSpec<ServiceCommand<S>>
      const stats: CommandServerStats = { executed: 0, duplicates: 0, acks: 0 }
      const remember = options.rememberAcks ?? 100_000
      const rememberMs = options.rememberAcksMs ?? 600_000
      // Acks (and delivery counts) by command id, oldest first: kept `rememberMs` (far past any client's resend horizon)
      // and at most `remember` of them, so memory follows the command rate, not the process's age.
      const acks = new Map<string, { result: CommandResult; atMs: number }>()
      const inflight = new Map<string, Promise<CommandResult>>()
      const deliveries = new Map<string, number>()
      const drainMs = options.drainOnCloseMs ?? busOptions.commandDrainMs ?? DEFAULT_COMMAND_DRAIN_MS
      // Set by close(): no new command starts (as a stopping process), the ones executing are waited for.
      let closing = false
      const forgetOld = (nowMs: number): void => {
        for (const [id, ack] of acks) {
          if (acks.size <= remember && nowMs - ack.atMs <= rememberMs) break
          acks.delete(id)
          deliveries.delete(id)
        }
      }
      const answer = (commandId: string, result: CommandResult, reply: (r: CommandResult) => void): void => {
        const delivery = deliveries.get(commandId) ?? 1
        if (options.dropAck?.(commandId, delivery)) return
        stats.acks += 1
        reply(result)
      }
      const serving = await wire.serveCommands(
        (options.endpoints ?? endpoints)[spec.link].bind,
        spec,
        (commandId, command, reply) => {
          deliveries.set(commandId, (deliveries.get(commandId) ?? 0) + 1)
          if (deliveries.size > remember) deliveries.delete(deliveries.keys().next().value as string)
          const known = acks.get(commandId)
          if (known !== undefined) {
            stats.duplicates += 1
            answer(commandId, known.result, reply)
            return
          }
          const running = inflight.get(commandId)
          if (running !== undefined) {
            stats.duplicates += 1
            void running.then((result) => answer(commandId, result, reply))
            return
          }
          if (closing) return // stopping: not executed and not acked (the client's resend finds no server)
          stats.executed += 1
          const execution = (async (): Promise<CommandResult> => {
            try {
              const result = await handler(command, { commandId })
              return result.detail === undefined ? { ok: result.ok } : { ok: result.ok, detail: result.detail }
            } catch (error) {
              // The handler failed: the ack says so (ok: false) with the reason; the command is not executed again.
              return { ok: false, detail: error instanceof Error ? error.message : String(error) }
            }
          })()
          inflight.set(commandId, execution)
          void execution.then((result) => {
            inflight.delete(commandId)
            const nowMs = Date.now()
            acks.set(commandId, { result, atMs: nowMs })
            forgetOld(nowMs)
            answer(commandId, result, reply)
          })
        },
      )
      const server: CommandServer & Closable = {
        service,
        stats,
        async close() {
          open.delete(server)
          if (!closing) {
            closing = true
            // Commands in flight finish first (bounded): their venue calls complete on a connector still open and
            // their acks still go out; then the server stops listening.
            if (inflight.size > 0) {
              let timer: ReturnType<typeof setTimeout> | undefined
              await Promise.race([
                Promise.allSettled([...inflight.values()]),
                new Promise((resolve) => {
                  timer = setTimeout(resolve, drainMs)
                }),
              ])
              clearTimeout(timer)
            }
          }
          await serving.close()
        },
      }
      return track(server)
    },

    async commandClient<S extends CommandServiceName>(service: S, options: CommandClientOptions = {}) {
      guard(`command client ${service}`)
      const spec = COMMAND_SERVICES[service] as unknown as CommandServiceSpec<ServiceCommand<S>>
      const ackTimeoutMs = options.ackTimeoutMs ?? 500
      const maxAttempts = options.maxAttempts ?? 10
      type Pending = {
        command: ServiceCommand<S>
        attempts: number
        timer: ReturnType<typeof setTimeout> | undefined
        promise: Promise<CommandAck>
        resolve: (ack: CommandAck) => void
        reject: (error: Error) => void
      }
      const pending = new Map<string, Pending>()
      const link = await wire.connectCommands(
        (options.endpoints ?? endpoints)[spec.link].connect,
        spec,
        (commandId, result) => {
          const entry = pending.get(commandId)
          if (entry === undefined) return // a late duplicate ack of a settled command
          pending.delete(commandId)
          if (entry.timer) clearTimeout(entry.timer)
          entry.resolve({ ...result, commandId, attempts: entry.attempts })
        },
      )
      const attempt = (commandId: string, entry: Pending): void => {
        if (entry.attempts >= maxAttempts) {
          pending.delete(commandId)
          entry.reject(new CommandNotAcknowledgedError({ service, commandId, attempts: entry.attempts }))
          return
        }
        entry.attempts += 1
        link.send(commandId, entry.command)
        entry.timer = setTimeout(() => attempt(commandId, entry), ackTimeoutMs)
      }
      const client: CommandClient<ServiceCommand<S>> & Closable = {
        service,
        send(command, sendOptions = {}) {
          if (closed) return Promise.reject(new TransportClosedError({ what: `command client ${service}` }))
          const commandId = sendOptions.commandId ?? spec.commandId(command)
          const existing = pending.get(commandId)
          if (existing !== undefined) return existing.promise
          let resolve!: (ack: CommandAck) => void
          let reject!: (error: Error) => void
          const promise = new Promise<CommandAck>((res, rej) => {
            resolve = res
            reject = rej
          })
          const entry: Pending = { command, attempts: 0, timer: undefined, promise, resolve, reject }
          pending.set(commandId, entry)
          attempt(commandId, entry)
          return promise
        },
        async close() {
          open.delete(client)
          for (const [commandId, entry] of pending) {
            if (entry.timer) clearTimeout(entry.timer)
            entry.reject(new TransportClosedError({ what: `command ${commandId} awaiting its ack` }))
          }
          pending.clear()
          await link.close()
        },
      }
      return track(client)
    },

    async close() {
      closed = true
      for (const item of [...open].reverse()) await item.close()
      open.clear()
      await wire.close()
    },
  }
}

type Listeners<M> = { [E in keyof SubscriberEvents<M>]: Set<SubscriberEvents<M>[E]> }

/** A subscriber: the receiver core plus timers (snapshot retry, silence) and listeners. */
class BusSubscriber<M> implements TopicSubscriber<M>, Closable {
  readonly topic: string
  readonly #receiver: SequencedReceiver<M>
  readonly #listeners: Listeners<M> = {
    message: new Set(),
    snapshot: new Set(),
    gap: new Set(),
    silent: new Set(),
    alive: new Set(),
  }
  readonly #waiters = new Set<() => void>()
  readonly #silenceMs: number
  readonly #snapshotTimeoutMs: number
  #snapshots: (Closable & { request(): void }) | undefined
  #feed: Closable | undefined
  #onClose: (() => void) | undefined
  #snapshotTimer: ReturnType<typeof setTimeout> | undefined
  #silenceTimer: ReturnType<typeof setInterval> | undefined
  #lastHeardMs = Date.now()
  #silent = false
  #closed = false

  constructor(spec: TopicSpec<M>, options: SubscriberOptions) {
    this.topic = spec.name
    this.#receiver = new SequencedReceiver(spec, { maxBuffer: options.maxBuffer })
    this.#silenceMs = options.silenceMs ?? 3000
    this.#snapshotTimeoutMs = options.snapshotTimeoutMs ?? 1000
  }

  attach(snapshots: (Closable & { request(): void }) | undefined, feed: Closable, onClose: () => void): void {
    this.#snapshots = snapshots
    this.#feed = feed
    this.#onClose = onClose
    if (this.#silenceMs > 0) {
      this.#silenceTimer = setInterval(() => this.#checkSilence(), Math.max(10, Math.floor(this.#silenceMs / 4)))
      this.#silenceTimer.unref()
    }
    this.#handle(this.#receiver.start())
  }

  get phase() {
    return this.#receiver.phase
  }
  get stats() {
    return this.#receiver.stats
  }
  get state() {
    return this.#receiver.state
  }
  get lastSeq() {
    return this.#receiver.lastSeq
  }
  get epoch() {
    return this.#receiver.epoch
  }
  get silent() {
    return this.#silent
  }

  on<E extends keyof SubscriberEvents<M>>(event: E, listener: SubscriberEvents<M>[E]): this {
    ;(this.#listeners[event] as Set<SubscriberEvents<M>[E]>).add(listener)
    return this
  }
  off<E extends keyof SubscriberEvents<M>>(event: E, listener: SubscriberEvents<M>[E]): this {
    ;(this.#listeners[event] as Set<SubscriberEvents<M>[E]>).delete(listener)
    return this
  }

  until(predicate: (subscriber: TopicSubscriber<M>) => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate(this)) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this)) return
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(
          new Error(
            `${this.topic}: condition not reached in ${timeoutMs} ms (phase ${this.phase}, seq ${this.lastSeq}, stats ${JSON.stringify(this.stats)})`,
          ),
        )
      }, timeoutMs)
      this.#waiters.add(check)
    })
  }

  envelope(envelope: Parameters<SequencedReceiver<M>['onEnvelope']>[0]): void {
    if (this.#closed) return
    this.#heard()
    const gapsBefore = this.#receiver.stats.missed
    const output = this.#receiver.onEnvelope(envelope)
    const missed = this.#receiver.stats.missed - gapsBefore
    if (missed > 0) for (const listener of this.#listeners.gap) listener(missed)
    this.#handle(output)
  }

  snapshot(snapshot: Parameters<SequencedReceiver<M>['onSnapshot']>[0]): void {
    if (this.#closed) return
    this.#heard()
    if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer)
    this.#snapshotTimer = undefined
    this.#handle(this.#receiver.onSnapshot(snapshot))
  }

  #handle(output: ReceiverOutput<M>): void {
    if (output.snapshotApplied)
      for (const listener of this.#listeners.snapshot) listener(this.#receiver.state, this.#receiver.lastSeq)
    for (const message of output.deliver) for (const listener of this.#listeners.message) listener(message)
    if (output.requestSnapshot) this.#requestSnapshot()
    for (const waiter of [...this.#waiters]) waiter()
  }

  #requestSnapshot(): void {
    if (this.#closed || this.#snapshots === undefined) return
    this.#snapshots.request()
    if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer)
    this.#snapshotTimer = setTimeout(() => {
      this.#snapshotTimer = undefined
      this.#handle(this.#receiver.snapshotFailed())
    }, this.#snapshotTimeoutMs)
    this.#snapshotTimer.unref()
  }

  #heard(): void {
    this.#lastHeardMs = Date.now()
    if (!this.#silent) return
    this.#silent = false
    for (const listener of this.#listeners.alive) listener()
    for (const waiter of [...this.#waiters]) waiter()
  }

  #checkSilence(): void {
    if (this.#silent || Date.now() - this.#lastHeardMs < this.#silenceMs) return
    this.#silent = true
    for (const listener of this.#listeners.silent) listener()
    for (const waiter of [...this.#waiters]) waiter()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#onClose?.()
    if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer)
    if (this.#silenceTimer) clearInterval(this.#silenceTimer)
    await this.#feed?.close()
    await this.#snapshots?.close()
  }
}
