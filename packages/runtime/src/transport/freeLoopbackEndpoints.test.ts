import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freeLoopbackEndpoints } from './freeLoopbackEndpoints.js'
import { LINK_NAMES } from './portMap.js'

const portOf = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)?.[1])

describe('freeLoopbackEndpoints', () => {
  it('every link on its own loopback port, below the kernel’s ephemeral range (no outgoing connection or listen(0) takes it meanwhile)', async () => {
    const endpoints = await freeLoopbackEndpoints()
    const ports = LINK_NAMES.map((link) => portOf(endpoints[link].bind))
    expect(new Set(ports).size).toBe(ports.length)
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000)
      expect(port).toBeLessThan(ephemeralLow!)
    }
    // Each is free now: a server binds it.
    for (const port of ports.slice(0, 3))
      await new Promise<void>((resolve, reject) => {
        const server = createServer()
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
      })
  })
})
