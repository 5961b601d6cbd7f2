import { EventEmitter } from 'eventemitter3'
import { AsyncQueue } from '../../common/asyncQueue.js'
import { formatScaled, parseDecimal, toScaled } from '../../common/decimal.js'
import type { PrivateStream, PrivateStreamEvents } from '../../common/privateStream.js'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { Balance, Fill } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { ConnectorError } from '../../errors/base.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { type BinanceConnectorConfig, protectConfig } from '../config.js'
import { type BinanceCredentials, signWsApiParams } from '../credentials.js'
import type { BinanceExecutionClient } from '../execution.js'
import type { BinanceHttpClient } from '../http/client.js'
import { parseOrderUpdate } from '../parse/parseOrderUpdate.js'
import { asObject, parseJson, readArray, readDecimal, readInteger, readString } from '../schemas/fields.js'

/**
 * Builds the WebSocket-API request `userDataStream.subscribe.signature` (spot listenKeys were retired 2026-02-20).
 * Signature: all params except `signature`, sorted by name, `k=v` joined by `&`, HMAC-SHA256 hex (the WS-API rule).
 */
export function buildSpotUserDataSubscribeRequest(
  credentials: BinanceCredentials,
  id: string,
  timestampMs: number,
  recvWindowMs: number,
): { id: string; method: 'userDataStream.subscribe.signature'; params: Record<string, string | number> } {
  const params: Record<string, string | number> = {
    apiKey: credentials.apiKey,
    recvWindow: recvWindowMs,
    timestamp: timestampMs,
  }
  params.signature = signWsApiParams(credentials.apiSecret, params)
  return { id, method: 'userDataStream.subscribe.signature', params }
}

/**
 * Spot user data through the WebSocket API: connect to the WS-API, send `userDataStream.subscribe.signature`, then
 * read `{subscriptionId, event}` frames (`executionReport`, `outboundAccountPosition`, `eventStreamTerminated`).
 * Re-subscribes and REST-reconciles open orders and balances after every reconnect.
 * Tested against a minimal local WS-API endpoint that verifies the signature independently, and against the
 * `@alp/venue-sim` emulator's `/ws-api/v3` with real orders and fills.
 */
export class BinanceSpotUserDataStream extends EventEmitter<PrivateStreamEvents> implements PrivateStream {
  readonly venue: string
  private readonly socket: ReconnectingSocket
  private nextId = 1
  private readonly pending = new Map<string, (response: { status?: unknown; error?: unknown }) => void>()
  private resolveFirst: (() => void) | undefined
  /**
   * Frames received on the WebSocket-API socket and how each ended: `handled` (an answer or a used event), `ignored`
   * (an event type this stream does not use) or `malformed` (reported as a `MalformedFrameError` health event).
   */
  readonly frameCounts = { received: 0, handled: 0, ignored: 0, malformed: 0 }

  private readonly config: BinanceConnectorConfig

  constructor(
    config: BinanceConnectorConfig,
    private readonly http: BinanceHttpClient,
    private readonly execution: BinanceExecutionClient,
    private readonly symbols: readonly string[],
  ) {
    super()
    this.config = protectConfig(config)
    this.venue = http.venue
    this.socket = new ReconnectingSocket({
      name: `${this.venue}/ws-api`,
      venue: this.venue,
      url: config.urls.wsApiUrl,
      clock: config.clock,
      random: config.random,
      backoff: config.backoff,
      maxConnectionAgeMs: config.maxConnectionAgeMs,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      staleAfterMs: config.staleAfterMs,
      onConnected: () => this.subscribeAndReconcile(),
    })
    this.socket.on('message', (text) => this.onMessage(text))
    this.socket.on('health', (event) => this.emit('health', event))
  }

  async start(): Promise<void> {
    const first = new Promise<void>((resolve) => {
      this.resolveFirst = resolve
    })
    await this.socket.start()
    await first
  }

  orders(): AsyncIterableIterator<Order> {
    return this.iterate('order')
  }

  fills(): AsyncIterableIterator<Fill> {
    return this.iterate('fill')
  }

  /** What `JSON.stringify` prints: counters only (never credentials). */
  toJSON(): Record<string, unknown> {
    return { venue: this.venue, connectionCount: this.socket.connectionCount, frameCounts: { ...this.frameCounts } }
  }

  async close(): Promise<void> {
    this.socket.stop()
  }

  private iterate<E extends 'order' | 'fill', T>(event: E): AsyncQueue<T> {
    const listener = (item: T) => queue.push(item)
    const queue = new AsyncQueue<T>(100_000, () => this.off(event, listener as never))
    this.on(event, listener as never)
    return queue
  }

  private async subscribeAndReconcile(): Promise<void> {
    const credentials = this.config.credentials
    if (!credentials)
      throw new ConnectorError('Spot user data needs API credentials.', {
        code: 'MISSING_CREDENTIALS',
        venue: this.venue,
        retryable: false,
        metaMessages: ['Next: pass credentials { apiKey, apiSecret } in the connector config.'],
      })
    const id = `uds-${this.nextId++}`
    const request = buildSpotUserDataSubscribeRequest(
      credentials,
      id,
      this.http.serverTime.nowServerMs(),
      this.http.recvWindowMs,
    )
    const response = await new Promise<{ status?: unknown; error?: unknown }>((resolve) => {
      this.pending.set(id, resolve)
      this.socket.send(JSON.stringify(request))
    })
    if (response.status !== 200) {
      const error = (response.error ?? {}) as { code?: unknown; msg?: unknown }
      throw new ConnectorError('userDataStream.subscribe.signature was rejected.', {
        code: 'USER_DATA_SUBSCRIBE_REJECTED',
        venue: this.venue,
        venueCode: typeof error.code === 'number' ? error.code : undefined,
        retryable: true,
        metaMessages: [`Venue says: ${String(error.msg)}`, 'Next: check the API key permissions and clock offset.'],
      })
    }
    const openOrders: Order[] = []
    for (const symbol of this.symbols) openOrders.push(...(await this.execution.getOpenOrders(symbol)))
    const balances = await this.execution.getBalances()
    this.emit('reconciled', { openOrders, positions: [], balances })
    this.resolveFirst?.()
    this.resolveFirst = undefined
  }

  private onMessage(text: string): void {
    this.frameCounts.received++
    let handle: () => void
    try {
      handle = this.parseFrame(asObject(parseJson(text, this.venue), 'frame', this.venue))
    } catch (error) {
      this.frameCounts.malformed++
      this.emitError(
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({
              venue: this.venue,
              field: '<frame>',
              reason: 'could not be parsed',
              cause: error,
            }),
      )
      return
    }
    if (handle === IGNORE) {
      this.frameCounts.ignored++
      return
    }
    this.frameCounts.handled++
    try {
      handle()
    } catch (error) {
      // a listener threw: the frame was fine; report it and keep the stream alive
      this.emitError(error instanceof Error ? error : new Error(String(error)))
    }
  }

  /** Validates a whole frame first (nothing is emitted from a frame that turns out malformed half way). */
  private parseFrame(message: Record<string, unknown>): () => void {
    if (typeof message.id === 'string' && this.pending.has(message.id)) {
      const resolve = this.pending.get(message.id)!
      this.pending.delete(message.id)
      return () => resolve(message)
    }
    // an answer to a request nobody waits for any more (e.g. after a reconnect)
    if (message.event === undefined && 'id' in message && 'status' in message) return IGNORE
    const event = asObject(message.event, 'event', this.venue)
    if (event.e === 'executionReport') {
      const update = parseOrderUpdate(event, this.venue)
      return () => {
        if (update.fill) this.emit('fill', update.fill)
        this.emit('order', update.order)
      }
    }
    if (event.e === 'outboundAccountPosition') {
      const tsMs = readInteger(event, 'E', this.venue)
      const balances: Balance[] = readArray(event, 'B', this.venue).map((item) => {
        const b = asObject(item, 'B[]', this.venue)
        const free = parseDecimal(readDecimal(b, 'f', this.venue))
        const locked = parseDecimal(readDecimal(b, 'l', this.venue))
        const scale = Math.max(free.scale, locked.scale)
        return {
          venue: this.venue,
          asset: readString(b, 'a', this.venue),
          wallet: formatScaled(toScaled(free, scale) + toScaled(locked, scale), scale),
          available: formatScaled(free.mantissa, free.scale),
          tsExchangeMs: tsMs,
          raw: item,
        }
      })
      return () => {
        for (const balance of balances) this.emit('balance', balance)
      }
    }
    if (event.e === 'eventStreamTerminated') return () => this.socket.reconnectNow('eventStreamTerminated')
    if (typeof event.e === 'string') return IGNORE
    throw new MalformedFrameError({ venue: this.venue, field: 'event.e', reason: 'is not a string' })
  }

  private emitError(error: Error): void {
    this.emit('health', { kind: 'error', connection: `${this.venue}/ws-api`, tsMs: this.config.clock.nowMs(), error })
  }
}

/** `parseFrame` result for event types this stream does not use. */
const IGNORE = (): void => {}
