import { InvalidEndpointError } from './errors.js'
import { type Endpoints, LINK_NAMES, type LinkEndpoint, type LinkName, PORT_MAP } from './portMap.js'

export type ResolveEndpointsParameters = {
  /** Host the connecting side dials. Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Interface the binding side listens on. Default: the same as `host`. */
  readonly bindHost?: string | undefined
  /** Added to every port: several deployments on one host (e.g. 1000 → 7001, 7002, …, 8003). Default 0. */
  readonly portOffset?: number | undefined
  /** Venue slot of the per-venue links (0 for the first venue): their ports move by 100 per slot. Default 0. */
  readonly venueSlot?: number | undefined
  /**
   * Per-link endpoints from config (`[PUBLISHERS]` / `[SUBSCRIBERS]`): a string is used to bind and to connect; an
   * object sets them apart. Overrides win over host, offset and slot.
   */
  readonly overrides?: Partial<Record<LinkName, string | Partial<LinkEndpoint>>> | undefined
}

export type ResolveEndpointsErrorType = InvalidEndpointError

const ENDPOINT = /^(tcp:\/\/[^:\s]+:\d{1,5}|ipc:\/\/\S+|inproc:\/\/\S+)$/

/**
 * The endpoints of every link: the port map's numbers + `portOffset` (+ 100 × `venueSlot` on the per-venue links), or
 * the configured override.
 * @throws InvalidEndpointError naming the link when a port leaves 1–65535 or an override is not a ZeroMQ endpoint.
 */
export function resolveEndpoints(parameters: ResolveEndpointsParameters = {}): Endpoints {
  const host = parameters.host ?? '127.0.0.1'
  const bindHost = parameters.bindHost ?? host
  const offset = parameters.portOffset ?? 0
  const slot = parameters.venueSlot ?? 0
  if (!Number.isInteger(offset))
    throw new InvalidEndpointError({ link: 'portOffset', value: offset, rule: 'an integer' })
  if (!Number.isInteger(slot) || slot < 0 || slot > 9)
    throw new InvalidEndpointError({ link: 'venueSlot', value: slot, rule: 'an integer from 0 to 9' })
  const out = {} as Record<LinkName, LinkEndpoint>
  for (const link of LINK_NAMES) {
    const spec = PORT_MAP[link]
    const port = spec.port + offset + (spec.perVenue ? 100 * slot : 0)
    if (port < 1 || port > 65_535) throw new InvalidEndpointError({ link, value: port, rule: 'a port from 1 to 65535' })
    const override = parameters.overrides?.[link]
    const fallback = { bind: `tcp://${bindHost}:${port}`, connect: `tcp://${host}:${port}` }
    const endpoint: LinkEndpoint =
      typeof override === 'string'
        ? { bind: override, connect: override }
        : { bind: override?.bind ?? fallback.bind, connect: override?.connect ?? fallback.connect }
    for (const value of [endpoint.bind, endpoint.connect])
      if (!ENDPOINT.test(value))
        throw new InvalidEndpointError({ link, value, rule: 'tcp://host:port, ipc://path or inproc://name' })
    out[link] = endpoint
  }
  return out
}
