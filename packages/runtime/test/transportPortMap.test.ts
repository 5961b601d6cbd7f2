import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidEndpointError, LINK_NAMES, PORT_MAP, resolveEndpoints } from '../src/index.js'

const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'deployment-transport.md'), 'utf8')

describe('transport port map', () => {
  it("keeps the original system's numbers, each used once", () => {
    const ports = LINK_NAMES.map((link) => PORT_MAP[link].port)
    expect([...ports].sort()).toEqual([6001, 6002, 6003, 6011, 6017, 7001, 7002, 7003, 7004])
    expect(PORT_MAP.marketData.port).toBe(6001)
    expect(PORT_MAP.orderEvents.port).toBe(6002)
    expect(PORT_MAP.positions.port).toBe(6003)
    expect(PORT_MAP.orderUpdates.port).toBe(7003)
  })

  it('the table in docs/deployment-transport.md is the constant', () => {
    const section = docs.slice(docs.indexOf('## Port map'), docs.indexOf('## Message rules'))
    const rows = section
      .split('\n')
      .filter((line) => /^\| [a-zA-Z]+ \| \d+ \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()))
    expect(rows.map((r) => r[1])).toEqual([...LINK_NAMES])
    for (const r of rows) {
      const spec = PORT_MAP[r[1] as keyof typeof PORT_MAP]
      expect({ port: Number(r[2]), pattern: r[3], binds: r[4], connects: r[5]?.split(', ') }).toEqual({
        port: spec.port,
        pattern: spec.pattern,
        binds: spec.binds,
        connects: [...spec.connects],
      })
    }
  })

  it('every link is bound by exactly one role; PUB/SUB state topics have a ROUTER on the same role', () => {
    const binders = new Map(LINK_NAMES.map((link) => [link, PORT_MAP[link].binds]))
    expect(binders.get('orderEvents')).toBe(binders.get('commands'))
    expect(binders.get('positions')).toBe(binders.get('positionsSnapshot'))
    expect(binders.get('inventory')).toBe(binders.get('lpControl'))
    expect(binders.get('orderUpdates')).toBe(binders.get('control'))
  })

  it('defaults: loopback, the numbers of the table', () => {
    const endpoints = resolveEndpoints()
    expect(endpoints.marketData).toEqual({ bind: 'tcp://127.0.0.1:6001', connect: 'tcp://127.0.0.1:6001' })
    expect(endpoints.control.connect).toBe('tcp://127.0.0.1:7004')
  })

  it('a port offset moves every link; a venue slot moves the per-venue links by 100', () => {
    const shifted = resolveEndpoints({ portOffset: 1000, venueSlot: 2, host: 'core.internal', bindHost: '0.0.0.0' })
    expect(shifted.marketData).toEqual({ bind: 'tcp://0.0.0.0:7201', connect: 'tcp://core.internal:7201' })
    expect(shifted.commands.connect).toBe('tcp://core.internal:8201')
    expect(shifted.positionsSnapshot.connect).toBe('tcp://core.internal:8202')
    // Links of the single roles (trader, lp-manager) do not move with the venue.
    expect(shifted.orderUpdates.connect).toBe('tcp://core.internal:8003')
    expect(shifted.inventory.connect).toBe('tcp://core.internal:7011')
    // No venue slot lands on another link's port.
    const all = new Map<number, string>()
    for (let slot = 0; slot <= 9; slot++) {
      const endpoints = resolveEndpoints({ venueSlot: slot })
      for (const link of LINK_NAMES) {
        if (slot > 0 && !PORT_MAP[link].perVenue) continue
        const port = Number(endpoints[link].connect.split(':').pop())
        expect(all.get(port), `port ${port}`).toBeUndefined()
        all.set(port, `${link}#${slot}`)
      }
    }
  })

  it('a per-link override from config wins, as one string or bind/connect apart', () => {
    const endpoints = resolveEndpoints({
      portOffset: 10,
      overrides: {
        marketData: 'tcp://10.0.0.5:6001',
        commands: { bind: 'tcp://0.0.0.0:7001' },
        inventory: 'ipc:///tmp/alp-inventory',
      },
    })
    expect(endpoints.marketData).toEqual({ bind: 'tcp://10.0.0.5:6001', connect: 'tcp://10.0.0.5:6001' })
    expect(endpoints.commands).toEqual({ bind: 'tcp://0.0.0.0:7001', connect: 'tcp://127.0.0.1:7011' })
    expect(endpoints.inventory.connect).toBe('ipc:///tmp/alp-inventory')
    expect(endpoints.positions.connect).toBe('tcp://127.0.0.1:6013')
  })

  it('refuses a port out of range and an endpoint that is not ZeroMQ, naming the link', () => {
    expect(() => resolveEndpoints({ portOffset: 60_000 })).toThrowError(InvalidEndpointError)
    const error = (() => {
      try {
        resolveEndpoints({ overrides: { positions: 'http://127.0.0.1:6003' } })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InvalidEndpointError)
    expect(error).toMatchObject({ code: 'INVALID_ENDPOINT' })
    expect((error as Error).message).toContain('positions = "http://127.0.0.1:6003"')
    expect(() => resolveEndpoints({ venueSlot: 10 })).toThrowError(/venueSlot/)
  })
})
