import { RpcReadError } from './errors.js'

/** The one JSON-RPC call the manager's reads go through. */
export type JsonRpc = { request(method: string, params: readonly unknown[]): Promise<unknown> }

export type CreateHttpJsonRpcParameters = {
  url: string
  /** Abort a request after this long (default 10 000). */
  timeoutMs?: number
}

/**
 * A minimal JSON-RPC client over fetch: one request per call (no batching, no caching), a timeout, and every failure
 * (network, timeout, HTTP status, a body that is not a JSON-RPC response, a JSON-RPC error) as RpcReadError. The URL
 * stays in a private field and never appears in an error (it may carry an API key).
 */
export function createHttpJsonRpc(p: CreateHttpJsonRpcParameters): JsonRpc {
  return new HttpJsonRpc(p.url, p.timeoutMs ?? 10_000)
}

class HttpJsonRpc implements JsonRpc {
  readonly #url: string
  readonly #timeoutMs: number
  #id = 0

  constructor(url: string, timeoutMs: number) {
    this.#url = url
    this.#timeoutMs = timeoutMs
  }

  async request(method: string, params: readonly unknown[]): Promise<unknown> {
    const id = ++this.#id
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs)
    let text: string
    let status: number
    try {
      const response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: controller.signal,
      })
      status = response.status
      text = await response.text()
    } catch (cause) {
      const reason = controller.signal.aborted ? `no answer within ${this.#timeoutMs} ms` : 'network error'
      throw new RpcReadError({ method, reason, cause })
    } finally {
      clearTimeout(timer)
    }
    if (status < 200 || status >= 300) throw new RpcReadError({ method, reason: `HTTP ${status}` })
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (cause) {
      throw new RpcReadError({ method, reason: 'the body is not JSON', cause })
    }
    if (body === null || typeof body !== 'object' || (body as { id?: unknown }).id !== id)
      throw new RpcReadError({ method, reason: 'not a JSON-RPC response to this request' })
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error
    if (error !== undefined)
      throw new RpcReadError({ method, reason: `JSON-RPC error ${String(error.code)}: ${String(error.message)}` })
    if (!('result' in body)) throw new RpcReadError({ method, reason: 'a response without result' })
    return (body as { result: unknown }).result
  }
}
