import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isSteppedClock } from '../clock/isSteppedClock.js'
import { BinanceEmulator, type BinanceEmulatorOptions } from './BinanceEmulator.js'
import { createRestHandler } from './createRestHandler.js'

export type StartBinanceEmulatorOptions = BinanceEmulatorOptions & {
  /** Loopback only by default. */
  host?: string | undefined
  /** REST (and WebSocket, unless wsPort is given) port. 0 = a free port. Default 0. */
  port?: number | undefined
  /** Separate WebSocket port; default: the REST port serves WebSocket upgrades too. */
  wsPort?: number | undefined
  /**
   * Wall-clock ms between emulator ticks (market drivers, dead-man switches, listenKey expiry). Default 10 with the wall clock
   * and with a replay clock; null (no timer) with a stepped custom clock such as a manual clock: call `emulator.tick()` after
   * moving it.
   */
  tickIntervalMs?: number | null | undefined
}

export type RunningBinanceEmulator = {
  /** REST base, e.g. http://127.0.0.1:8080 (append /fapi/v1/…, /api/v3/…). */
  restUrl: string
  /** WebSocket base, e.g. ws://127.0.0.1:8080 (append /public/ws/<stream>, /market/stream?streams=…, /private/ws?listenKey=…). */
  wsUrl: string
  port: number
  wsPort: number
  emulator: BinanceEmulator
  engine: BinanceEmulator['engine']
  /** Runs one emulator tick now. */
  tick(): void
  close(): Promise<void>
}

/** Starts the Binance emulator's HTTP and WebSocket servers on 127.0.0.1. */
export async function startBinanceEmulator(options: StartBinanceEmulatorOptions): Promise<RunningBinanceEmulator> {
  const emulator = new BinanceEmulator(options)
  const host = options.host ?? '127.0.0.1'
  const rest = createRestHandler(emulator)
  const server = createServer((req, res) => rest.handle(req, res))
  const wsServer = options.wsPort !== undefined ? createServer((_req, res) => res.writeHead(404).end()) : server
  wsServer.on('upgrade', (req, socket, head) => emulator.hub.handleUpgrade(req, socket, head))
  await listen(server, options.port ?? 0, host)
  if (wsServer !== server) await listen(wsServer, options.wsPort ?? 0, host)
  const port = (server.address() as AddressInfo).port
  const wsPort = (wsServer.address() as AddressInfo).port
  // A replay clock runs on its own (wall-driven): tick like the wall clock. A manual clock moves only when told: no timer.
  const interval =
    options.tickIntervalMs === undefined ? (isSteppedClock(options.clock) ? null : 10) : options.tickIntervalMs
  const timer = interval === null ? null : setInterval(() => emulator.tick(), interval)
  emulator.tick()
  let closed = false
  return {
    restUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${wsPort}`,
    port,
    wsPort,
    emulator,
    engine: emulator.engine,
    tick: () => emulator.tick(),
    close: async () => {
      if (closed) return
      closed = true
      if (timer) clearInterval(timer)
      emulator.close()
      for (const res of rest.hung) res.destroy()
      await Promise.all([closeServer(server), wsServer !== server ? closeServer(wsServer) : Promise.resolve()])
    },
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
}
