import type { CommandResult, MessageBus } from './bus.js'
import { createBusOnWire } from './createBusOnWire.js'
import type { Envelope, Snapshot } from './envelope.js'
import { DuplicateBindingError } from './errors.js'
import type { Endpoints } from './portMap.js'
import { resolveEndpoints } from './resolveEndpoints.js'
import type { Wire } from './wire.js'

/**
 * Where in-process buses meet: buses created on the same hub talk to each other (the endpoints are only names here).
 * One process normally has one bus; tests create several on one hub to mimic roles.
 */
export class InProcessHub {
  readonly channels = new Map<string, { bound: boolean; receivers: Set<(envelope: Envelope<unknown>) => void> }>()
  readonly snapshotServers = new Map<string, () => Snapshot<unknown>>()
  readonly commandServers = new Map<
    string,
    (commandId: string, command: unknown, reply: (result: CommandResult) => void) => void
  >()
}

export type CreateInProcessBusParameters = {
  /** Buses on the same hub reach each other. Default: a new hub. */
  readonly hub?: InProcessHub | undefined
  /** Link names (only used as keys). Default: the port map on loopback. */
  readonly endpoints?: Endpoints | undefined
  /**
   * Fault injection for tests: return true to drop this envelope before it reaches a subscriber of this bus (as
   * PUB/SUB does past the high-water mark).
   */
  readonly dropEnvelope?: ((topic: string, envelope: Envelope<unknown>) => boolean) | undefined
  /** How long a command server's close() waits for the commands it is executing, ms (default 5 000). */
  readonly commandDrainMs?: number | undefined
}

/**
 * The in-process bus (the default deployment: one process, no sockets). Delivery is asynchronous (microtasks) and
 * ordered, with the ZeroMQ bus's contract: sequence numbers, snapshots, acknowledged idempotent commands. Messages are
 * handed over as the same objects (they are read-only data).
 */
export function createInProcessBus(parameters: CreateInProcessBusParameters = {}): MessageBus {
  const hub = parameters.hub ?? new InProcessHub()
  const drop = parameters.dropEnvelope
  const channel = (key: string) => {
    let entry = hub.channels.get(key)
    if (entry === undefined) {
      entry = { bound: false, receivers: new Set() }
      hub.channels.set(key, entry)
    }
    return entry
  }
  const wire: Wire = {
    async bindPublisher(endpoint, topic) {
      const key = `${endpoint}#${topic.name}`
      const entry = channel(key)
      if (entry.bound) throw new DuplicateBindingError({ endpoint, what: `publisher of ${topic.name}` })
      entry.bound = true
      let open = true
      return {
        send(envelope) {
          // A closed publisher sends nothing (as a closed socket), even while a new one is bound in its place.
          if (!open) return
          for (const receiver of entry.receivers) receiver(envelope as Envelope<unknown>)
        },
        async close() {
          open = false
          entry.bound = false
        },
      }
    },
    async connectSubscriber(endpoint, topic, onEnvelope) {
      const entry = channel(`${endpoint}#${topic.name}`)
      // Ordered asynchronous delivery: one queue per subscriber, flushed in a microtask.
      let queue: Envelope<unknown>[] = []
      let scheduled = false
      let open = true
      const flush = (): void => {
        scheduled = false
        const batch = queue
        queue = []
        for (const envelope of batch) if (open) onEnvelope(envelope as Parameters<typeof onEnvelope>[0])
      }
      const receiver = (envelope: Envelope<unknown>): void => {
        if (drop?.(topic.name, envelope)) return
        queue.push(envelope)
        if (!scheduled) {
          scheduled = true
          queueMicrotask(flush)
        }
      }
      entry.receivers.add(receiver)
      return {
        async close() {
          open = false
          entry.receivers.delete(receiver)
        },
      }
    },
    async serveSnapshots(endpoint, topic, provide) {
      const key = `${endpoint}#${topic.name}`
      if (hub.snapshotServers.has(key))
        throw new DuplicateBindingError({ endpoint, what: `snapshots of ${topic.name}` })
      hub.snapshotServers.set(key, provide as () => Snapshot<unknown>)
      return {
        async close() {
          hub.snapshotServers.delete(key)
        },
      }
    },
    async connectSnapshots(endpoint, topic, onSnapshot) {
      const key = `${endpoint}#${topic.name}`
      let open = true
      return {
        request() {
          queueMicrotask(() => {
            const provide = hub.snapshotServers.get(key)
            if (provide === undefined || !open) return // unanswered: the subscriber asks again after its timeout
            const snapshot = provide()
            const copy = { ...snapshot, entries: snapshot.entries.map(([k, m]) => [k, m] as const) }
            queueMicrotask(() => {
              if (open) onSnapshot(copy as Snapshot<Parameters<typeof onSnapshot>[0]['entries'][number][1]>)
            })
          })
        },
        async close() {
          open = false
        },
      }
    },
    async serveCommands(endpoint, service, onCommand) {
      const key = `${endpoint}#${service.name}`
      if (hub.commandServers.has(key))
        throw new DuplicateBindingError({ endpoint, what: `commands of ${service.name}` })
      let open = true
      const serve = onCommand as (id: string, c: unknown, r: (x: CommandResult) => void) => void
      // A closed server acks nothing, not even the commands it was executing (as a stopped process).
      hub.commandServers.set(key, (id, command, reply) => serve(id, command, (result) => open && reply(result)))
      return {
        async close() {
          open = false
          hub.commandServers.delete(key)
        },
      }
    },
    async connectCommands(endpoint, service, onAck) {
      const key = `${endpoint}#${service.name}`
      let open = true
      return {
        send(commandId, command) {
          queueMicrotask(() => {
            const serve = hub.commandServers.get(key)
            if (serve === undefined || !open) return // no server yet: the client resends after its ack timeout
            serve(commandId, command, (result) =>
              queueMicrotask(() => {
                if (open) onAck(commandId, result)
              }),
            )
          })
        },
        async close() {
          open = false
        },
      }
    },
    async close() {},
  }
  return createBusOnWire('in-process', wire, parameters.endpoints ?? resolveEndpoints(), {
    commandDrainMs: parameters.commandDrainMs,
  })
}
