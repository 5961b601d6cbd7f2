import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { type Endpoints, LINK_NAMES, type LinkName } from './portMap.js'
import { resolveEndpoints } from './resolveEndpoints.js'

/** Listens on `port` of 127.0.0.1 (0: the OS picks) and closes again; resolves the port, or null when it is taken. */
function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(null) : reject(error),
    )
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      const bound = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(bound))
    })
  })
}

/**
 * Ports below the kernel's ephemeral range (Linux: `ip_local_port_range`, 32768–60999 by default), or null when that
 * range is unknown or leaves no room. A port the OS picks (`listen(0)`) comes from the ephemeral range, as do the local
 * ports of outgoing connections and of every other test's `listen(0)`: between "free" and the role's own bind, any of
 * those could take it (seen in CI: EADDRINUSE on a ZeroMQ bind). Below the range only another caller of this function
 * competes, and it starts at a random port.
 */
function portsBelowEphemeral(): { low: number; high: number } | null {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
    if (ephemeralLow === undefined || !Number.isInteger(ephemeralLow) || ephemeralLow < 22_000) return null
    return { low: 20_000, high: ephemeralLow }
  } catch {
    return null
  }
}

/** A TCP port free on 127.0.0.1 right now: below the ephemeral range when it is known, else the OS's pick. */
async function freePort(): Promise<number> {
  const range = portsBelowEphemeral()
  if (range !== null) {
    const span = range.high - range.low
    const start = Math.floor(Math.random() * span)
    for (let i = 0; i < 200; i++) {
      const port = await tryPort(range.low + ((start + i * 7) % span))
      if (port !== null) return port
    }
  }
  const port = await tryPort(0)
  if (port === null) throw new Error('no free loopback port')
  return port
}

/** Every link of the port map on its own free loopback port (tests, several deployments on one host). */
export async function freeLoopbackEndpoints(): Promise<Endpoints> {
  const overrides: Partial<Record<LinkName, string>> = {}
  const taken = new Set<number>()
  for (const link of LINK_NAMES) {
    let port = await freePort()
    while (taken.has(port)) port = await freePort()
    taken.add(port)
    overrides[link] = `tcp://127.0.0.1:${port}`
  }
  return resolveEndpoints({ overrides })
}
