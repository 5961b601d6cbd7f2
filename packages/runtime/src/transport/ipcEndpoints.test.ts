import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PositionEvent } from '@alp/hedger'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageBus } from './bus.js'
import { createZmqBus } from './createZmqBus.js'
import * as transport from './index.js'
import { LINK_NAMES } from './portMap.js'

type IpcEndpoints = (parameters: { dir: string; venueSlot?: number }) => transport.Endpoints
const ipcEndpoints = (transport as unknown as { ipcEndpoints?: IpcEndpoints }).ipcEndpoints

describe('ipcEndpoints: the links of one host on ipc:// sockets (tcp stays the default)', () => {
  const dirs: string[] = []
  const buses: MessageBus[] = []
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('is exported; every link gets its own socket file under the directory, bind = connect; per-venue links move with the slot', () => {
    expect(typeof ipcEndpoints).toBe('function')
    const make = ipcEndpoints as IpcEndpoints
    const dir = '/run/alp'
    const slot0 = make({ dir })
    const slot1 = make({ dir, venueSlot: 1 })
    const paths = new Set<string>()
    for (const link of LINK_NAMES) {
      expect(slot0[link].bind).toBe(slot0[link].connect)
      expect(slot0[link].bind.startsWith('ipc:///run/alp/')).toBe(true)
      paths.add(slot0[link].bind)
    }
    expect(paths.size).toBe(LINK_NAMES.length)
    // per-venue links (marketData, orderEvents, positions, commands, positionsSnapshot) differ by slot, the others not
    expect(slot1.marketData.bind).not.toBe(slot0.marketData.bind)
    expect(slot1.commands.bind).not.toBe(slot0.commands.bind)
    expect(slot1.inventory.bind).toBe(slot0.inventory.bind)
    expect(slot1.control.bind).toBe(slot0.control.bind)
  })

  it('refuses a directory whose socket paths exceed the OS limit (107 bytes), naming the link', () => {
    const make = ipcEndpoints as IpcEndpoints
    expect(() => make({ dir: `/tmp/${'d'.repeat(120)}` })).toThrowError(/Invalid transport endpoint: marketData/)
  })

  it('carries a stateful topic and an acknowledged command between two ZeroMQ buses over the socket files', async () => {
    const make = ipcEndpoints as IpcEndpoints
    const dir = mkdtempSync(join(tmpdir(), 'alp-ipc-'))
    dirs.push(dir)
    const endpoints = make({ dir })
    const a = createZmqBus({ endpoints })
    const b = createZmqBus({ endpoints })
    buses.push(a, b)
    const pub = await a.publisher('positions', { heartbeatMs: 50 })
    const position: PositionEvent = { type: 'position', tsNs: 1n, venue: 'binance-usdm', sizeLots: 3 }
    pub.publish(position)
    const sub = await b.subscriber('positions')
    await sub.until((s) => s.phase === 'live' && s.state.size === 1)
    expect([...sub.state.values()]).toEqual([position])
    const next: PositionEvent = { ...position, tsNs: 2n, sizeLots: 5 }
    pub.publish(next)
    await sub.until((s) => s.lastSeq === 2)
    expect([...sub.state.values()]).toEqual([next])
    const socketFile = endpoints.positions.bind.slice('ipc://'.length)
    expect(existsSync(socketFile) && statSync(socketFile).isSocket()).toBe(true)

    const seen: string[] = []
    await a.commandServer('traderControl', (command) => {
      seen.push(command.action)
      return { ok: true }
    })
    const client = await b.commandClient('traderControl', { ackTimeoutMs: 200 })
    const ack = await client.send({ type: 'operator', tsNs: 3n, action: 'kill', reason: 'ipc test' })
    expect(ack.ok).toBe(true)
    expect(seen).toEqual(['kill'])
  })
})
