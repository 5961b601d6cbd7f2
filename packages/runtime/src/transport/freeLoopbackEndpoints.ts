import { createServer } from 'node:net'
import { type Endpoints, LINK_NAMES, type LinkName } from './portMap.js'
import { resolveEndpoints } from './resolveEndpoints.js'

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
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
