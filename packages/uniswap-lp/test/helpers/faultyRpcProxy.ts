import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the proxy does to one request. */
export type RpcFault =
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'garbage' }
  /** A well-formed JSON-RPC response with a wrong result shape. */
  | { kind: 'wrongResult' }

export type FaultyRpcProxy = {
  readonly url: string
  /** Faults applied to the next matching requests, in order (method undefined: any). */
  inject(fault: RpcFault, p?: { method?: string; times?: number }): void
  /** Requests forwarded or faulted so far, by method. */
  readonly counts: Readonly<Record<string, number>>
  readonly faulted: number
  close(): Promise<void>
}

/**
 * A small JSON-RPC proxy in front of anvil that can drop the connection, delay, answer an HTTP error, answer bytes
 * that are not JSON, or answer a well-formed response with a nonsense result, for chosen methods.
 */
export async function startFaultyRpcProxy(upstream: string): Promise<FaultyRpcProxy> {
  const queue: { fault: RpcFault; method: string | undefined; left: number }[] = []
  const counts: Record<string, number> = {}
  let faulted = 0
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    let method = '?'
    try {
      method = String(JSON.parse(body).method)
    } catch {
      method = '?'
    }
    counts[method] = (counts[method] ?? 0) + 1
    const index = queue.findIndex((q) => q.method === undefined || q.method === method)
    const entry = index >= 0 ? queue[index] : undefined
    if (entry !== undefined) {
      entry.left--
      if (entry.left <= 0) queue.splice(index, 1)
      faulted++
      switch (entry.fault.kind) {
        case 'drop':
          req.socket.destroy()
          return
        case 'status':
          res.writeHead(entry.fault.status, { 'content-type': 'text/plain' }).end('upstream unavailable')
          return
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":')
          return
        case 'wrongResult': {
          const id = JSON.parse(body).id
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ jsonrpc: '2.0', id, result: { nonsense: true } }))
          return
        }
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, (entry.fault as { ms: number }).ms))
          break
      }
    }
    try {
      const upstreamResponse = await fetch(upstream, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const text = await upstreamResponse.text()
      if (!res.destroyed) res.writeHead(upstreamResponse.status, { 'content-type': 'application/json' }).end(text)
    } catch {
      if (!res.destroyed) res.writeHead(502).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    inject(fault, p) {
      queue.push({ fault, method: p?.method, left: p?.times ?? 1 })
    },
    get counts() {
      return counts
    },
    get faulted() {
      return faulted
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
