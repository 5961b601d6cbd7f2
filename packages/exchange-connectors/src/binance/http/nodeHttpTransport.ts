import http from 'node:http'
import https from 'node:https'

export type HttpTransportResponse = { status: number; headers: Record<string, string>; text: string }

export type NodeHttpTransportParameters = {
  /** `http://…` or `https://…`; the origin every request goes to. */
  baseUrl: string
  /** Keep-alive sockets per origin. Default 8. */
  maxSockets?: number
  /** Called right after a request's bytes have been written to its socket: the "order frame out" moment. */
  onRequestWritten?: ((endpoint: string) => void) | undefined
}

/**
 * REST transport on `node:http` / `node:https` with one keep-alive `Agent` (Nagle off) per client. Replaces `fetch`
 * (undici) on the order path: fetch builds Request/Headers/stream objects and hops several microtasks before the
 * bytes leave (~200 µs per order on a 2-core box); a reused keep-alive socket writes the request in the same tick.
 * Aborting `signal` rejects with an `AbortError`, as fetch does.
 */
export class NodeHttpTransport {
  // #private: its sockets hold in-flight requests with their headers (API key)
  readonly #agent: http.Agent
  private readonly request: typeof http.request
  private readonly hostname: string
  private readonly port: number | undefined
  private readonly basePath: string
  private readonly onRequestWritten: ((endpoint: string) => void) | undefined

  constructor(parameters: NodeHttpTransportParameters) {
    const url = new URL(parameters.baseUrl)
    const secure = url.protocol === 'https:'
    if (!secure && url.protocol !== 'http:')
      throw new TypeError(`baseUrl protocol ${url.protocol} is not http: or https:`)
    const agentOptions = { keepAlive: true, maxSockets: parameters.maxSockets ?? 8, noDelay: true, scheduling: 'lifo' }
    this.#agent = secure
      ? new https.Agent(agentOptions as https.AgentOptions)
      : new http.Agent(agentOptions as http.AgentOptions)
    this.request = secure ? https.request : http.request
    this.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
    this.port = url.port === '' ? undefined : Number(url.port)
    this.basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')
    this.onRequestWritten = parameters.onRequestWritten
  }

  /** `pathAndQuery` starts with `/`; `endpoint` names the request for the write hook (never the query). */
  send(
    method: string,
    pathAndQuery: string,
    headers: Record<string, string>,
    signal: AbortSignal,
    endpoint: string,
  ): Promise<HttpTransportResponse> {
    return new Promise<HttpTransportResponse>((resolve, reject) => {
      const req = this.request(
        {
          agent: this.#agent,
          method,
          hostname: this.hostname,
          port: this.port,
          path: `${this.basePath}${pathAndQuery}`,
          headers,
          signal,
        },
        (res) => {
          res.setEncoding('utf8')
          let text = ''
          res.on('data', (chunk: string) => {
            text += chunk
          })
          res.on('error', reject)
          res.on('end', () => {
            const responseHeaders: Record<string, string> = {}
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined) responseHeaders[key] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text })
          })
        },
      )
      req.on('error', reject)
      const onWritten = this.onRequestWritten
      if (onWritten)
        req.once('socket', (socket) => {
          // node:http flushes the request with one socket.write right after 'socket' (or on 'connect' for a fresh
          // connection): wrap that one call so the hook fires when the bytes have been handed to the socket. Ticks
          // or microtasks queued here run only after unrelated queued work, hundreds of µs late on a busy loop.
          const write = socket.write
          socket.write = function writeOnce(this: typeof socket, ...args: Parameters<typeof write>) {
            socket.write = write
            const flushed = write.apply(this, args)
            onWritten(endpoint)
            return flushed
          } as typeof write
        })
      req.end()
    })
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.#agent.destroy()
  }
}
