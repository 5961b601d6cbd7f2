import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import type { FaultController } from './FaultController.js'

/** One client socket: market streams it follows, or the account its listenKey belongs to. */
export type StreamConnection = {
  ws: WebSocket
  /** Futures streams by default; spot streams under the `/spot` path prefix (spot is a different host on Binance). */
  venue: 'futures' | 'spot'
  scope: 'public' | 'market' | 'private' | 'legacy'
  combined: boolean
  streams: Set<string>
  listenKey: string | null
  accountId: string | null
  /** Set when the listenKey came by SUBSCRIBE: user events then go out as that stream (wrapped on combined connections). */
  userStreamName: string | null
}

export type StreamHubOptions = {
  faults: FaultController
  /** Resolves an active listenKey to its account (null when unknown or expired). */
  resolveListenKey: (listenKey: string) => string | null
  /** Wall-clock ms between server pings (Binance: 3 min). 0 disables. */
  pingIntervalMs: number
  /** Serves a WebSocket-API session: spot `/ws-api/v3`, USDⓈ-M `/ws-fapi/v1`. */
  attachWsApi?: ((ws: WebSocket, product: 'spot' | 'usdm', ip: string) => void) | undefined
}

const SCOPES = new Set(['public', 'market', 'private'])

/**
 * Binance-style WebSocket endpoints: raw `/…/ws/<stream>` and combined `/…/stream?streams=a/b` under the split prefixes
 * `/public`, `/market`, `/private` and the legacy unprefixed paths, the SUBSCRIBE protocol, and fault injection on outgoing frames.
 */
export class StreamHub {
  readonly connections = new Set<StreamConnection>()
  /** WebSocket-API sessions (not market/user streams). */
  readonly apiSockets = new Set<WebSocket>()
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly o: StreamHubOptions
  private readonly heldDepth = new Map<string, Array<() => void>>()
  private framesUntilDisconnect: number | null = null
  private terminating = false
  private pingTimer: NodeJS.Timeout | null = null
  /** Frames sent since start (all connections), for tests and logs. */
  framesSent = 0

  constructor(options: StreamHubOptions) {
    this.o = options
    if (options.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => {
        for (const c of this.connections) c.ws.ping()
      }, options.pingIntervalMs)
      this.pingTimer.unref()
    }
  }

  /** Handles an HTTP upgrade; answers 404 for paths Binance would not serve. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const attachWsApi = this.o.attachWsApi
    const apiProduct = url.pathname === '/ws-api/v3' ? 'spot' : url.pathname === '/ws-fapi/v1' ? 'usdm' : null
    if (apiProduct !== null && attachWsApi) {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.apiSockets.add(ws)
        ws.on('close', () => this.apiSockets.delete(ws))
        attachWsApi(ws, apiProduct, req.socket.remoteAddress ?? 'unknown')
      })
      return
    }
    const parts = url.pathname.split('/').filter((p) => p.length > 0)
    const venue: StreamConnection['venue'] = parts[0] === 'spot' ? 'spot' : 'futures'
    if (venue === 'spot') parts.shift()
    let scope: StreamConnection['scope'] = 'legacy'
    if (parts[0] !== undefined && SCOPES.has(parts[0])) scope = parts.shift() as StreamConnection['scope']
    const kind = parts.shift()
    if (kind !== 'ws' && kind !== 'stream') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const combined = kind === 'stream'
    const streams = new Set<string>()
    let listenKey: string | null = url.searchParams.get('listenKey')
    if (combined) {
      for (const s of (url.searchParams.get('streams') ?? '').split('/')) if (s) streams.add(s)
    } else {
      for (const s of parts.join('/').split('/')) if (s) streams.add(s)
    }
    // Legacy /ws/<listenKey>: a path element that is an active listenKey is the user-data stream.
    if (listenKey === null) {
      for (const s of streams) {
        if (this.o.resolveListenKey(s) !== null) {
          listenKey = s
          streams.delete(s)
        }
      }
    }
    let accountId: string | null = null
    if (listenKey !== null) {
      accountId = this.o.resolveListenKey(listenKey)
      if (accountId === null) {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
        return
      }
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: StreamConnection = {
        ws,
        venue,
        scope,
        combined,
        streams,
        listenKey,
        accountId,
        userStreamName: null,
      }
      this.connections.add(conn)
      ws.on('close', () => this.connections.delete(conn))
      ws.on('error', () => this.connections.delete(conn))
      ws.on('message', (data) => this.onMessage(conn, data.toString()))
    })
  }

  private onMessage(conn: StreamConnection, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown }
    try {
      request = JSON.parse(text) as typeof request
    } catch {
      // Binance answers unparsable input with an error frame and keeps the connection.
      this.sendRaw(
        conn,
        JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null }),
      )
      return
    }
    const id = request.id ?? null
    const params = Array.isArray(request.params) ? request.params.filter((p): p is string => typeof p === 'string') : []
    switch (request.method) {
      case 'SUBSCRIBE':
        for (const p of params) {
          // A listenKey subscribed as a stream delivers that account's user data on this connection (Binance's own connector does this).
          const accountId = this.o.resolveListenKey(p)
          if (accountId !== null) {
            conn.listenKey = p
            conn.accountId = accountId
            conn.userStreamName = p
          } else conn.streams.add(p)
        }
        this.sendRaw(conn, JSON.stringify({ result: null, id }))
        return
      case 'UNSUBSCRIBE':
        for (const p of params) {
          conn.streams.delete(p)
          if (p === conn.listenKey && conn.userStreamName !== null) {
            conn.listenKey = null
            conn.accountId = null
            conn.userStreamName = null
          }
        }
        this.sendRaw(conn, JSON.stringify({ result: null, id }))
        return
      case 'LIST_SUBSCRIPTIONS':
        this.sendRaw(
          conn,
          JSON.stringify({
            result: conn.userStreamName !== null ? [...conn.streams, conn.userStreamName] : [...conn.streams],
            id,
          }),
        )
        return
      case 'SET_PROPERTY':
        this.sendRaw(conn, JSON.stringify({ result: null, id }))
        return
      case 'GET_PROPERTY':
        this.sendRaw(conn, JSON.stringify({ result: conn.combined, id }))
        return
      default:
        this.sendRaw(conn, JSON.stringify({ error: { code: 2, msg: 'Invalid request: unknown method' }, id }))
    }
  }

  /** Sends a market event to every connection following one of `streamNames` (raw payload, or {stream,data} when combined). */
  publish(streamNames: readonly string[], data: unknown, venue: StreamConnection['venue'] = 'futures'): void {
    const raw = JSON.stringify(data)
    for (const conn of this.connections) {
      if (conn.venue !== venue) continue
      const name = streamNames.find((s) => conn.streams.has(s))
      if (name === undefined) continue
      const frame = conn.combined ? `{"stream":${JSON.stringify(name)},"data":${raw}}` : raw
      this.sendMarket(conn, frame)
    }
  }

  /** True when some market connection of `venue` follows one of `streamNames`. */
  hasSubscriber(streamNames: readonly string[], venue: StreamConnection['venue'] = 'futures'): boolean {
    for (const conn of this.connections) {
      if (conn.venue === venue && streamNames.some((s) => conn.streams.has(s))) return true
    }
    return false
  }

  /** Suffixes of followed streams starting with `prefix`, e.g. ["1m", "5m"] for "ethusdt@kline_" (each once). */
  subscribedSuffixes(prefix: string, venue: StreamConnection['venue'] = 'futures'): string[] {
    const out = new Set<string>()
    for (const conn of this.connections) {
      if (conn.venue !== venue) continue
      for (const s of conn.streams) if (s.startsWith(prefix)) out.add(s.slice(prefix.length))
    }
    return [...out]
  }

  /** Publishes a depth event through the depth fault knobs (drop / duplicate / reorder), decided once per event. */
  publishDepth(
    symbolKey: string,
    streamNames: readonly string[],
    data: unknown,
    venue: StreamConnection['venue'] = 'futures',
  ): void {
    const decision = this.o.faults.nextDepthDecision()
    const send = () => this.publish(streamNames, data, venue)
    const held = this.heldDepth.get(symbolKey) ?? []
    this.heldDepth.delete(symbolKey)
    if (decision === 'drop') {
      // A held-back event still goes out after this (dropped) one.
    } else if (decision === 'reorder') {
      this.heldDepth.set(symbolKey, [send])
    } else {
      send()
      if (decision === 'duplicate') send()
    }
    for (const h of held) h()
  }

  /** Sends a user-data event to every connection of the account. */
  publishPrivate(accountId: string, data: unknown): void {
    const raw = JSON.stringify(data)
    for (const conn of this.connections) {
      if (conn.accountId !== accountId) continue
      const wrap = conn.combined && conn.userStreamName !== null
      this.sendRaw(conn, wrap ? `{"stream":${JSON.stringify(conn.userStreamName)},"data":${raw}}` : raw)
    }
  }

  /** Sends listenKeyExpired on every connection of the key; they stay open but receive no further account events. */
  expireListenKey(listenKey: string, tsMs: number): void {
    for (const conn of this.connections) {
      if (conn.listenKey !== listenKey) continue
      this.sendRaw(conn, JSON.stringify({ e: 'listenKeyExpired', E: tsMs, listenKey }))
      conn.accountId = null
    }
  }

  /** Terminates sockets without a close handshake (clients see code 1006). */
  disconnect(scope: 'all' | 'market' | 'private' = 'all'): number {
    let n = 0
    if (scope === 'all' || scope === 'private') {
      for (const ws of [...this.apiSockets]) {
        ws.terminate()
        this.apiSockets.delete(ws)
        n += 1
      }
    }
    for (const conn of [...this.connections]) {
      const isPrivate = conn.listenKey !== null
      if (scope === 'all' || (scope === 'private') === isPrivate) {
        conn.ws.terminate()
        this.connections.delete(conn)
        n += 1
      }
    }
    return n
  }

  /** Arms the one-shot "disconnect after N frames" knob. */
  armDisconnectAfter(frames: number | null): void {
    this.framesUntilDisconnect = frames !== null && frames > 0 ? frames : null
  }

  private sendMarket(conn: StreamConnection, frame: string): void {
    const malformed = this.o.faults.malform(frame)
    this.sendRaw(conn, malformed ?? frame)
  }

  private sendRaw(conn: StreamConnection, frame: string): void {
    // Between the N-th frame and the termination nothing more goes out.
    if (this.terminating) return
    const ws = conn.ws
    const delayMs = this.o.faults.ws.delayMs ?? 0
    this.framesSent += 1
    if (delayMs > 0) setTimeout(() => ws.readyState === ws.OPEN && ws.send(frame), delayMs)
    else if (ws.readyState === ws.OPEN) ws.send(frame)
    const armed = this.o.faults.ws.disconnectAfterMessages
    if (armed !== undefined && armed > 0 && this.framesUntilDisconnect === null) this.framesUntilDisconnect = armed
    if (this.framesUntilDisconnect !== null) {
      this.framesUntilDisconnect -= 1
      if (this.framesUntilDisconnect <= 0) {
        this.framesUntilDisconnect = null
        this.o.faults.ws.disconnectAfterMessages = 0
        this.terminating = true
        const terminate = () => {
          this.terminating = false
          this.disconnect('all')
        }
        if (delayMs > 0) setTimeout(terminate, delayMs)
        else setImmediate(terminate)
      }
    }
  }

  close(): void {
    if (this.pingTimer) clearInterval(this.pingTimer)
    for (const conn of this.connections) conn.ws.terminate()
    for (const ws of this.apiSockets) ws.terminate()
    this.connections.clear()
    this.apiSockets.clear()
    this.wss.close()
  }
}
