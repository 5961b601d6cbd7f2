import type { ConnectionHealthEvent, Fill, Position } from '@alp/exchange-connectors'
import { fillToEvent, positionToEvent } from '@alp/hedger'
import type { MessageBus } from '../transport/bus.js'
import type { PositionMessage } from '../transport/topics.js'
import type { RoleClock, RoleErrorSink, RoleHandle, VenueLink } from './VenueLink.js'

export type StartPositionServerParameters = {
  readonly bus: MessageBus
  readonly link: VenueLink
  readonly clock: RoleClock
  readonly onError: RoleErrorSink
  /** The venue's positions are read again this often (besides the private stream's updates), ms. Default 5000; 0 = never. */
  readonly pollIntervalMs?: number | undefined
  readonly instance?: string | undefined
}

/**
 * The position-server role of one venue: the `positions` topic (a state topic: late joiners get a snapshot) with the
 * venue's position of the hedged symbol (read at start, from the private stream, and every `pollIntervalMs`) and the
 * venue's health: `connected` once its position was read, then `disconnected` / `connected` as the connector's
 * connections (market data, private stream, trading) go down and come back; all must be up.
 */
export async function startPositionServer(parameters: StartPositionServerParameters): Promise<RoleHandle> {
  const { bus, link, clock } = parameters
  const { binding, config, venue, symbol } = link
  const instance = parameters.instance ?? `${venue}.position-server`
  const publisher = await bus.publisher('positions', {
    endpoints: link.endpoints,
    publisher: `position-server/${venue}`,
  })
  const report = (error: unknown): void => parameters.onError(error, { role: 'position-server', venue })
  const publish = (build: () => PositionMessage | null): void => {
    try {
      const message = build()
      if (message !== null) publisher.publish(message)
    } catch (error) {
      report(error)
    }
  }
  const onPosition = (position: Position): void => {
    if (position.symbol === symbol) publish(() => positionToEvent(config, position, clock.nowNs()))
  }
  // The venue's fills as well: the positions state keeps the recent ones, so a trader that lost some on orderEvents (a
  // gap) gets them back with the snapshot (the core counts each trade id once).
  const onFill = (fill: Fill): void => {
    if (fill.symbol === symbol) publish(() => fillToEvent(config, fill, clock.nowNs()))
  }
  const readPositions = async (): Promise<void> => {
    if (binding.account.getPositions === undefined) return
    for (const position of await binding.account.getPositions(symbol)) onPosition(position)
  }
  const connections = new Map<string, boolean>()
  // Back up after an outage: "connected" only once the venue's position was read again (fills made while the
  // connections were down are in it; no stream reports them), so the trader never quotes on the position before them.
  // A failed read is retried by the poll.
  let upConfirmed = true
  const confirmUp = async (): Promise<void> => {
    await readPositions()
    if (upConfirmed || ![...connections.values()].every(Boolean)) return
    upConfirmed = true
    publish(() => ({ type: 'venueHealth', tsNs: clock.nowNs(), venue, status: 'connected' }))
  }
  const onHealth = (health: ConnectionHealthEvent): void => {
    const wasUp = [...connections.values()].every(Boolean)
    if (health.kind === 'open') connections.set(health.connection, true)
    else if (health.kind === 'close' || health.kind === 'reconnecting') connections.set(health.connection, false)
    else if (health.kind === 'error') {
      report(health.error)
      return
    } else return
    const isUp = [...connections.values()].every(Boolean)
    if (isUp === wasUp) return
    if (isUp) confirmUp().catch(report)
    else {
      upConfirmed = false
      publish(() => ({ type: 'venueHealth', tsNs: clock.nowNs(), venue, status: 'disconnected' }))
    }
  }
  binding.marketData.on('health', onHealth)
  binding.privateStream?.on('position', onPosition).on('fill', onFill).on('health', onHealth)
  await readPositions()
  publish(() => ({ type: 'venueHealth', tsNs: clock.nowNs(), venue, status: 'connected' }))
  const pollMs = parameters.pollIntervalMs ?? 5_000
  const poll = pollMs > 0 ? setInterval(() => confirmUp().catch(report), pollMs) : null
  return {
    role: 'position-server',
    instance,
    async stop() {
      if (poll !== null) clearInterval(poll)
      binding.marketData.off('health', onHealth)
      binding.privateStream?.off('position', onPosition).off('fill', onFill).off('health', onHealth)
      await publisher.close()
    },
  }
}
