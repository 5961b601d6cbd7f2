import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEPLOYMENT_ENV, HEDGER_KEYS, writeDeploymentIni } from '../../test/deploymentConfig.js'
import { connectBinance, startBinanceVenue, waitFor } from '../../test/deploymentVenue.js'
import { loadConfigFiles } from '../config/loadConfig.js'
import { createInProcessBus } from '../transport/createInProcessBus.js'
import { createDeployment } from './createDeployment.js'

// Stopping a deployment while a cancel-all is on its way to the venue (the venue's answer held back): the cancel is
// let finish before the connector closes. No role error is reported for it, and the venue lists no order afterwards.
const dir = mkdtempSync(join(tmpdir(), 'alp-stop-in-flight-'))
const VENUE = 'binance-usdm'
let emu: RunningBinanceEmulator
let observer: BinanceConnector

beforeAll(async () => {
  emu = await startBinanceVenue(23)
  observer = await connectBinance(emu, HEDGER_KEYS)
}, 60_000)
afterAll(async () => {
  await observer?.close()
  await emu?.close()
})

/**
 * The connector with its cancel-all held `holdMs` before it goes to the venue; `entered` resolves when one is called,
 * `settled` when its call is over (resolved or rejected).
 */
function holdingCancelAll(real: BinanceConnector, holdMs: number) {
  let closed = false
  let signal: () => void = () => undefined
  let done: () => void = () => undefined
  const entered = new Promise<void>((resolve) => {
    signal = resolve
  })
  const settled = new Promise<void>((resolve) => {
    done = resolve
  })
  const bound = <T extends object>(target: T) =>
    new Proxy(target, {
      get(t, key) {
        const value = Reflect.get(t, key, t)
        return typeof value === 'function' ? value.bind(t) : value
      },
    })
  const execution = new Proxy(real.execution, {
    get(t, key) {
      if (key === 'cancelAllOrders')
        return async (symbol: string) => {
          signal()
          try {
            await new Promise((resolve) => setTimeout(resolve, holdMs))
            // A connector closed under the call never sends it (as a WebSocket API request on a closed socket).
            if (closed) throw new Error('the connector closed before the cancel-all was sent')
            return await t.cancelAllOrders(symbol)
          } finally {
            done()
          }
        }
      const value = Reflect.get(t, key, t)
      return typeof value === 'function' ? value.bind(t) : value
    },
  })
  const connector = new Proxy(bound(real), {
    get(t, key) {
      return key === 'execution' ? execution : Reflect.get(t, key)
    },
  }) as BinanceConnector
  const close = async () => {
    closed = true
    await real.close()
  }
  return { connector, entered, settled, close }
}

describe('deployment stop with a cancel-all in flight', () => {
  it('waits for the cancel-all to reach the venue before closing the connector: no error, no open order left', async () => {
    const hedger = await connectBinance(emu, HEDGER_KEYS)
    await hedger.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2500.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId: 'alp-stop-in-flight',
    })
    expect(await observer.execution.getOpenOrders('ETHUSDT')).toHaveLength(1)
    const held = holdingCancelAll(hedger, 300)
    const config = loadConfigFiles([writeDeploymentIni(dir, emu)], { env: DEPLOYMENT_ENV })
    const errors: unknown[] = []
    const deployment = createDeployment(config, {
      roles: ['trading-engine'],
      transport: 'inproc',
      connector: async (_exchange, venue, symbol) => ({
        spec: { kind: 'binance', venue, symbol, connector: held.connector },
        close: held.close,
      }),
      onError: (error) => errors.push(error),
    })
    await deployment.start()
    const client = await deployment.bus.commandClient('venueCommands')
    const ack = client.send({ type: 'cancelAll', tsNs: 1n, venue: VENUE, reason: 'operatorKill' })
    await held.entered
    await deployment.stop({ timeoutMs: 5_000 })
    // Once stop() resolved the cancel-all has been answered by the venue: nothing of ours is left open.
    expect(await observer.execution.getOpenOrders('ETHUSDT')).toEqual([])
    await held.settled
    await ack.catch(() => undefined)
    expect(errors.map(String)).toEqual([])
  }, 60_000)

  it('a cancel-all still held past the bound is not hidden: its failure is reported and the order is still listed', async () => {
    const hedger = await connectBinance(emu, HEDGER_KEYS)
    await hedger.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2500.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId: 'alp-stop-unsent',
    })
    const held = holdingCancelAll(hedger, 1_000)
    const config = loadConfigFiles([writeDeploymentIni(dir, emu)], { env: DEPLOYMENT_ENV })
    const errors: unknown[] = []
    const deployment = createDeployment(config, {
      roles: ['trading-engine'],
      bus: createInProcessBus({ commandDrainMs: 50 }),
      connector: async (_exchange, venue, symbol) => ({
        spec: { kind: 'binance', venue, symbol, connector: held.connector },
        close: held.close,
      }),
      onError: (error) => errors.push(error),
    })
    await deployment.start()
    const client = await deployment.bus.commandClient('venueCommands')
    void client.send({ type: 'cancelAll', tsNs: 1n, venue: VENUE, reason: 'operatorKill' }).catch(() => undefined)
    await held.entered
    await deployment.stop({ timeoutMs: 5_000 })
    await held.settled
    await waitFor(() => errors.length > 0, 'the unsent cancel-all reported', 5_000)
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'the connector closed before the cancel-all was sent',
    ])
    const left = await observer.execution.getOpenOrders('ETHUSDT')
    expect(left.map((order) => order.clientOrderId)).toEqual(['alp-stop-unsent'])
    await observer.execution.cancelAllOrders('ETHUSDT')
  }, 60_000)
})
