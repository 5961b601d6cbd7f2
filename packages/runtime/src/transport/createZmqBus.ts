import * as zmq from 'zeromq'
import type { CommandResult, MessageBus } from './bus.js'
import { createBusOnWire } from './createBusOnWire.js'
import type { Envelope } from './envelope.js'
import { DuplicateBindingError } from './errors.js'
import type { Endpoints } from './portMap.js'
import { resolveEndpoints } from './resolveEndpoints.js'
import type { Closable, Wire } from './wire.js'

export type CreateZmqBusParameters = {
  /** Endpoints of every link: {@link resolveEndpoints} (port map, offset, venue slot, config overrides). Default: loopback. */
  readonly endpoints?: Endpoints | undefined
  /**
   * Called with a wire error that has nowhere else to go (a frame that does not decode, a send on a socket that closed
   * under it). The bus carries on: an undecodable message is a gap and its state comes back with the next snapshot.
   */
  readonly onError?: ((error: unknown) => void) | undefined
  /** ZeroMQ reconnect interval, ms (SUB and DEALER sockets redial a restarted peer). Default 100. */
  readonly reconnectIntervalMs?: number | undefined
  /** How long a command server's close() waits for the commands it is executing, ms (default 5 000). */
  readonly commandDrainMs?: number | undefined
}

type Frames = (string | Buffer)[]

/** Serialises sends on a socket that may block (DEALER, ROUTER): zeromq.js allows one pending send per socket. */
class SendQueue {
  #tail: Promise<void> = Promise.resolve()
  readonly #socket: zmq.Dealer | zmq.Router
  readonly #onError: (error: unknown) => void
  constructor(socket: zmq.Dealer | zmq.Router, onError: (error: unknown) => void) {
    this.#socket = socket
    this.#onError = onError
  }
  send(frames: Frames): void {
    this.#tail = this.#tail.then(
      () => this.#socket.send(frames),
      () => this.#socket.send(frames),
    )
    this.#tail.catch((error: unknown) => {
      if (!this.#socket.closed) this.#onError(error)
    })
  }
}

type Handler = (id: string, body: string, reply: (body: string) => void) => void

/** One ROUTER per bound endpoint, shared by the snapshot and command services served there. */
type RouterHost = { socket: zmq.Router; queue: SendQueue; handlers: Map<string, Handler> }
/** One DEALER per connected endpoint, shared by snapshot requests and command clients. */
/** Answers (snapshots, acks) go to every subscriber / client of that topic or service on this socket: each keeps what it asked for. */
type DealerHost = {
  socket: zmq.Dealer
  queue: SendQueue
  handlers: Map<string, Set<(id: string, body: string) => void>>
}

function encodeHeader(envelope: Envelope<unknown>): string {
  return `${envelope.kind === 'message' ? 'm' : 'h'}|${envelope.seq}|${envelope.epoch}|${envelope.publisher}`
}

function decodeHeader(text: string): { kind: 'm' | 'h'; seq: number; epoch: string; publisher: string } {
  const a = text.indexOf('|')
  const b = text.indexOf('|', a + 1)
  const c = text.indexOf('|', b + 1)
  const kind = text.slice(0, a)
  const seq = Number(text.slice(a + 1, b))
  if ((kind !== 'm' && kind !== 'h') || !Number.isSafeInteger(seq) || c < 0)
    throw new Error(`Invalid envelope header ${JSON.stringify(text.slice(0, 80))}`)
  return { kind, seq, epoch: text.slice(b + 1, c), publisher: text.slice(c + 1) }
}

/**
 * The ZeroMQ bus: PUB/SUB for topics (sequence-checked, recovered through snapshots), ROUTER/DEALER for snapshots and
 * acknowledged commands, on the port map's endpoints. Binding sides bind when they open; connecting sides connect at once
 * and ZeroMQ redials until the peer is up (and after it restarts).
 */
export function createZmqBus(parameters: CreateZmqBusParameters = {}): MessageBus {
  const endpoints = parameters.endpoints ?? resolveEndpoints()
  const onError = parameters.onError ?? (() => {})
  const reconnectInterval = parameters.reconnectIntervalMs ?? 100
  // ZMTP heartbeats on every connection: a peer on another host that vanished without closing its TCP connection is
  // dropped after the timeout, and the connecting side redials.
  const zmtpHeartbeats = { heartbeatInterval: 1000, heartbeatTimeout: 3000 }
  const routers = new Map<string, Promise<RouterHost>>()
  const dealers = new Map<string, DealerHost>()
  const sockets = new Set<zmq.Socket>()

  const routerAt = (endpoint: string): Promise<RouterHost> => {
    let host = routers.get(endpoint)
    if (host === undefined) {
      host = (async () => {
        const socket = new zmq.Router({ linger: 0, ...zmtpHeartbeats })
        sockets.add(socket)
        await socket.bind(endpoint)
        const queue = new SendQueue(socket, onError)
        const handlers = new Map<string, Handler>()
        void (async () => {
          try {
            for await (const [identity, kind, key, id, body] of socket) {
              if (identity === undefined || kind === undefined || key === undefined || id === undefined) continue
              const handler = handlers.get(`${kind.toString()}:${key.toString()}`)
              if (handler === undefined) continue // nothing served under this name (yet): the client retries
              const replyKind = kind.toString() === 'cmd' ? 'ack' : kind.toString()
              handler(id.toString(), body?.toString() ?? '', (reply) =>
                queue.send([identity, replyKind, key, id, reply]),
              )
            }
          } catch (error) {
            if (!socket.closed) onError(error)
          }
        })()
        return { socket, queue, handlers }
      })()
      routers.set(endpoint, host)
    }
    return host
  }

  const dealerAt = (endpoint: string): DealerHost => {
    let host = dealers.get(endpoint)
    if (host === undefined) {
      const socket = new zmq.Dealer({ linger: 0, reconnectInterval, ...zmtpHeartbeats })
      sockets.add(socket)
      socket.connect(endpoint)
      const handlers = new Map<string, Set<(id: string, body: string) => void>>()
      const created: DealerHost = { socket, queue: new SendQueue(socket, onError), handlers }
      void (async () => {
        try {
          for await (const [kind, key, id, body] of socket) {
            if (kind === undefined || key === undefined || id === undefined) continue
            for (const handler of [...(handlers.get(`${kind.toString()}:${key.toString()}`) ?? [])])
              handler(id.toString(), body?.toString() ?? '')
          }
        } catch (error) {
          if (!socket.closed) onError(error)
        }
      })()
      dealers.set(endpoint, created)
      host = created
    }
    return host
  }

  const serve = async (endpoint: string, name: string, handler: Handler, what: string): Promise<Closable> => {
    const host = await routerAt(endpoint)
    if (host.handlers.has(name)) throw new DuplicateBindingError({ endpoint, what })
    host.handlers.set(name, handler)
    return {
      async close() {
        host.handlers.delete(name)
      },
    }
  }

  const wire: Wire = {
    async bindPublisher(endpoint, topic, options) {
      const highWaterMark = options.highWaterMark ?? 1000
      // sendTimeout 0: every send is queued (or, past the high-water mark, dropped by ZeroMQ) synchronously. Otherwise
      // zeromq.js defers every few hundredth send to the event loop and refuses the next ones while it waits.
      const socket = new zmq.Publisher({
        linger: 0,
        sendHighWaterMark: highWaterMark,
        sendTimeout: 0,
        ...zmtpHeartbeats,
      })
      sockets.add(socket)
      await socket.bind(endpoint)
      // Should a send still find the socket busy, keep up to the high-water mark in a backlog and drop the rest, as PUB
      // itself does; the sequence numbers show every drop to the subscribers.
      let last: Promise<void> = Promise.resolve()
      let draining = false
      const backlog: Frames[] = []
      const fail = (error: unknown): void => {
        if (!socket.closed) onError(error)
      }
      const write = (frames: Frames): boolean => {
        try {
          last = socket.send(frames)
          last.catch(fail)
          return true
        } catch (error) {
          if (socket.closed) return true
          if (!/busy/i.test(String((error as Error).message))) throw error
          return false
        }
      }
      const drain = (): void => {
        draining = false
        while (backlog.length > 0) {
          if (!write(backlog[0] as Frames)) {
            draining = true
            last.then(drain, drain)
            return
          }
          backlog.shift()
        }
      }
      return {
        send(envelope) {
          const payload = envelope.kind === 'message' ? topic.codec.encode(envelope.message) : ''
          const frames: Frames = [topic.name, encodeHeader(envelope as Envelope<unknown>), payload]
          if (draining || !write(frames)) {
            if (highWaterMark === 0 || backlog.length < highWaterMark) backlog.push(frames)
            if (!draining) {
              draining = true
              last.then(drain, drain)
            }
          }
        },
        async close() {
          sockets.delete(socket)
          socket.close()
        },
      }
    },

    async connectSubscriber(endpoint, topic, onEnvelope, options) {
      const socket = new zmq.Subscriber({
        ...zmtpHeartbeats,
        linger: 0,
        receiveHighWaterMark: options.highWaterMark ?? 1000,
        reconnectInterval,
      })
      sockets.add(socket)
      socket.connect(endpoint)
      socket.subscribe(topic.name)
      void (async () => {
        try {
          // One topic per socket, and no topic name is a prefix of another: the subscription filter is the check.
          for await (const [, header, payload] of socket) {
            if (header === undefined) continue
            let envelope: Parameters<typeof onEnvelope>[0]
            try {
              const h = decodeHeader(header.toString())
              envelope =
                h.kind === 'h'
                  ? { kind: 'heartbeat', publisher: h.publisher, epoch: h.epoch, seq: h.seq }
                  : {
                      kind: 'message',
                      publisher: h.publisher,
                      epoch: h.epoch,
                      seq: h.seq,
                      message: topic.codec.decode(payload?.toString() ?? ''),
                    }
            } catch (error) {
              onError(error) // dropped: the receiver sees a gap and recovers through a snapshot
              continue
            }
            onEnvelope(envelope)
          }
        } catch (error) {
          if (!socket.closed) onError(error)
        }
      })()
      return {
        async close() {
          sockets.delete(socket)
          socket.close()
        },
      }
    },

    serveSnapshots(endpoint, topic, provide) {
      return serve(
        endpoint,
        `snap:${topic.name}`,
        (_id, _body, reply) => {
          const snapshot = provide()
          reply(
            JSON.stringify({
              publisher: snapshot.publisher,
              epoch: snapshot.epoch,
              seq: snapshot.seq,
              entries: snapshot.entries.map(([key, message]) => [key, topic.codec.encode(message)]),
            }),
          )
        },
        `snapshots of ${topic.name}`,
      )
    },

    async connectSnapshots(endpoint, topic, onSnapshot) {
      const host = dealerAt(endpoint)
      const name = `snap:${topic.name}`
      let next = 0
      const handler = (_id: string, body: string): void => {
        let snapshot: Parameters<typeof onSnapshot>[0]
        try {
          const raw = JSON.parse(body) as { publisher: string; epoch: string; seq: number; entries: [string, string][] }
          snapshot = {
            publisher: raw.publisher,
            epoch: raw.epoch,
            seq: raw.seq,
            entries: raw.entries.map(([key, text]) => [key, topic.codec.decode(text)] as const),
          }
        } catch (error) {
          onError(error) // unanswered: the subscriber asks again after its timeout
          return
        }
        onSnapshot(snapshot)
      }
      const remove = addDealerHandler(host, name, handler)
      return {
        request() {
          next += 1
          host.queue.send(['snap', topic.name, String(next), ''])
        },
        async close() {
          remove()
        },
      }
    },

    serveCommands(endpoint, service, onCommand) {
      return serve(
        endpoint,
        `cmd:${service.name}`,
        (commandId, body, reply) => {
          let command: Parameters<typeof onCommand>[1]
          try {
            command = service.codec.decode(body)
          } catch (error) {
            reply(JSON.stringify({ ok: false, detail: `undecodable command: ${(error as Error).message}` }))
            return
          }
          onCommand(commandId, command, (result) => reply(JSON.stringify(result)))
        },
        `commands of ${service.name}`,
      )
    },

    async connectCommands(endpoint, service, onAck) {
      const host = dealerAt(endpoint)
      const name = `ack:${service.name}`
      const remove = addDealerHandler(host, name, (commandId, body) => {
        let result: CommandResult
        try {
          result = JSON.parse(body) as CommandResult
        } catch (error) {
          onError(error) // no ack: the client resends with the same id
          return
        }
        onAck(commandId, result)
      })
      return {
        send(commandId, command) {
          host.queue.send(['cmd', service.name, commandId, service.codec.encode(command)])
        },
        async close() {
          remove()
        },
      }
    },

    async close() {
      for (const socket of sockets) socket.close()
      sockets.clear()
      routers.clear()
      dealers.clear()
    },
  }
  return createBusOnWire('zeromq', wire, endpoints, { commandDrainMs: parameters.commandDrainMs })
}

/**
 * Adds one subscriber's (or command client's) handler of answers named `name` on a DEALER socket; returns its removal.
 * Several of one topic or service may share the socket (a trader and an observer in one process): each gets every
 * answer and keeps its own (a snapshot is valid whoever asked; an ack of a command id it does not await is ignored).
 */
function addDealerHandler(host: DealerHost, name: string, handler: (id: string, body: string) => void): () => void {
  let set = host.handlers.get(name)
  if (set === undefined) {
    set = new Set()
    host.handlers.set(name, set)
  }
  set.add(handler)
  return () => {
    set.delete(handler)
    if (set.size === 0 && host.handlers.get(name) === set) host.handlers.delete(name)
  }
}
