import { join } from 'node:path'
import { InvalidEndpointError } from './errors.js'
import { type Endpoints, LINK_NAMES, type LinkName, PORT_MAP } from './portMap.js'
import { resolveEndpoints } from './resolveEndpoints.js'

export type IpcEndpointsParameters = {
  /** Directory of the socket files (every role of the host must see the same one, e.g. `/run/alp`). */
  readonly dir: string
  /** Venue slot of the per-venue links (0 for the first venue): each slot has its own socket files. Default 0. */
  readonly venueSlot?: number | undefined
}

export type IpcEndpointsErrorType = InvalidEndpointError

/** Longest Unix socket path (sockaddr_un.sun_path holds 108 bytes with the terminating zero on Linux). */
const MAX_SOCKET_PATH_BYTES = 107

/**
 * Every link of the port map on an `ipc://` socket file under `dir` (`<link>.sock`; the per-venue links
 * `<link>-<slot>.sock`), bind and connect alike: for roles split over processes of ONE host, where a Unix socket spares
 * the loopback TCP stack. An option only: the port map's `tcp://` endpoints stay the default (`resolveEndpoints`), and
 * a deployment chooses ipc per link in `[PUBLISHERS]`/`[SUBSCRIBERS]` or for all links with this helper.
 * @throws InvalidEndpointError naming the first link whose socket path exceeds the OS limit (107 bytes).
 */
export function ipcEndpoints(parameters: IpcEndpointsParameters): Endpoints {
  const slot = parameters.venueSlot ?? 0
  const overrides: Partial<Record<LinkName, string>> = {}
  for (const link of LINK_NAMES) {
    const path = join(parameters.dir, PORT_MAP[link].perVenue ? `${link}-${slot}.sock` : `${link}.sock`)
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES)
      throw new InvalidEndpointError({
        link,
        value: `ipc://${path}`,
        rule: `a socket path of at most ${MAX_SOCKET_PATH_BYTES} bytes (choose a shorter directory)`,
      })
    overrides[link] = `ipc://${path}`
  }
  // resolveEndpoints checks the venue slot and the endpoint syntax.
  return resolveEndpoints({ venueSlot: slot, overrides })
}
