import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/src/waitFor.js'
import { NodeHttpTransport } from './nodeHttpTransport.js'

describe('NodeHttpTransport', () => {
  const seen: { method?: string; url?: string; apiKey?: string }[] = []
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, apiKey: req.headers['x-mbx-apikey'] as string | undefined })
    if (req.url?.startsWith('/hang')) return // never answers: the caller aborts
    res.writeHead(418, { 'Retry-After': '7', 'X-MBX-USED-WEIGHT-1M': '12' })
    res.end('{"code":-1003,"msg":"banned"}')
  })
  let baseUrl = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('sends method, path, query and headers; returns status, lower-cased headers and body; reports the write', async () => {
    const written: string[] = []
    const transport = new NodeHttpTransport({ baseUrl, onRequestWritten: (endpoint) => written.push(endpoint) })
    const response = await transport.send(
      'POST',
      '/fapi/v1/order?symbol=ETHUSDT&signature=ab',
      { 'X-MBX-APIKEY': 'key-1' },
      new AbortController().signal,
      'POST /fapi/v1/order',
    )
    transport.close()
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/fapi/v1/order?symbol=ETHUSDT&signature=ab', apiKey: 'key-1' })
    expect(response.status).toBe(418)
    expect(response.headers['retry-after']).toBe('7')
    expect(response.headers['x-mbx-used-weight-1m']).toBe('12')
    expect(response.text).toBe('{"code":-1003,"msg":"banned"}')
    expect(written).toEqual(['POST /fapi/v1/order'])
  })

  it('rejects with an AbortError when the signal aborts (the timeout path)', async () => {
    const transport = new NodeHttpTransport({ baseUrl })
    const controller = new AbortController()
    const pending = transport.send('GET', '/hang', {}, controller.signal, 'GET /hang')
    await waitFor(() => seen.some((s) => s.url === '/hang'), 'the server to receive GET /hang')
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    transport.close()
  })

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new NodeHttpTransport({ baseUrl: 'ws://127.0.0.1:1' })).toThrow('protocol ws: is not http: or https:')
  })
})
