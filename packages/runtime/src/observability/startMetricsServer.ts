import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export type StartMetricsServerParameters = {
  readonly registry: Registry
  /** Interface to listen on. Default 127.0.0.1: metrics are not exposed beyond the host unless asked. */
  readonly host?: string | undefined
  /** Port; 0 picks a free one. */
  readonly port: number
}

export type RunningMetricsServer = {
  readonly url: string
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

/** Serves `GET /metrics` (Prometheus text format) of `registry`; any other path is 404. */
export async function startMetricsServer(parameters: StartMetricsServerParameters): Promise<RunningMetricsServer> {
  const host = parameters.host ?? '127.0.0.1'
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n')
      return
    }
    parameters.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': parameters.registry.contentType }).end(text),
      (error: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(parameters.port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    host: address.address,
    port: address.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
