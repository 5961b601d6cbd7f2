import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import { computeNetExposure, type HedgerCommand } from '@alp/hedger'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { Journal } from '../src/journal/Journal.js'
import { createMetrics } from '../src/observability/metrics.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { type DeploymentPool, startDeploymentPool } from './deploymentPool.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'

// One process, one in-process bus: the roles of the config (binance quote-server, trading-engine, position-server;
// the trader; the lp-manager) against the @alp/venue-sim Binance USDⓈ-M emulator and an anvil chain with the real
// Uniswap v3 contracts. The lp-manager role publishes the pool's inventory read on chain (an InventoryEventStream in
// place of the live LP manager, which would also rebalance).
const dir = mkdtempSync(join(tmpdir(), 'alp-deployment-'))
let emu: RunningBinanceEmulator
let pool: DeploymentPool
let taker: BinanceConnector
let observer: BinanceConnector
let deployment: Deployment
const metrics = createMetrics()
const errors: unknown[] = []
const commands: HedgerCommand[] = []
let pokes = 0

/** Our orders as the venue lists them (a separate connector with the hedger's keys: the venue's truth). */
const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const trader = () => {
  if (deployment.trader === null) throw new Error('no trader')
  return deployment.trader
}
const netBase = () => computeNetExposure(trader().state).netBase

/** Moves the emulator's book (a far bid placed and cancelled): depth and BBO events for the quote-server. */
async function poke(): Promise<void> {
  const clientOrderId = `poke-${++pokes}`
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'buy',
    price: '2500.00',
    sizeBase: '0.010',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await taker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
}

beforeAll(async () => {
  pool = await startDeploymentPool()
  emu = await startBinanceVenue(15)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  const file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: pool.chain.rpcUrl, pool: pool.poolAddress, positionManager: pool.chain.uniswap.positionManager },
  })
  const config = loadConfigFiles([file], { env: DEPLOYMENT_ENV })
  deployment = createDeployment(config, {
    lpManager: () => pool.inventory,
    metrics,
    timerIntervalMs: 50,
    onError: (error) => errors.push(error),
  })
  await deployment.start()
  const onCommand = (message: HedgerCommand) => commands.push(message)
  const updates = await deployment.bus.subscriber('orderUpdates')
  updates.on('message', onCommand)
  await poke()
  await poke()
  await pool.publish()
  await waitFor(() => trader().state.venues[0]?.status === 'quoting', 'the trader quoting').catch((error: unknown) => {
    throw new Error(
      `${String(error)}; status ${trader().state.venues[0]?.status}; errors: ${errors.map(String).join(' | ')}`,
    )
  })
}, 180_000)

afterAll(async () => {
  await deployment?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await taker?.close()
  await observer?.close()
  await emu?.close()
  await pool?.stop()
})

describe('createDeployment: every role in one process on the in-process bus', () => {
  it('starts the roles of the config, the trader last', () => {
    expect(deployment.roles.map((role) => role.instance)).toEqual([
      'binance.trading-engine',
      'binance.position-server',
      'binance.quote-server',
      'lp-manager',
      'trader',
    ])
  })

  it('a swap leaves the LP long WETH; the trader quotes post-only on the venue; a fill brings the net exposure down', async () => {
    expect(Math.abs(netBase())).toBeLessThan(0.001)
    await pool.sellWeth(5n * 10n ** 17n) // 0.5 WETH into the pool: the LP (the only liquidity) takes it
    await pool.publish()
    await waitFor(() => netBase() > 0.1, 'the LP long after the swap (inventory over the bus)')
    const exposure = netBase()
    const resting = await waitFor(async () => {
      const open = await ourOpenOrders()
      const ask = open.find((order) => order.side === 'sell' && Number(order.sizeBase) >= exposure - 0.001 - 1e-9)
      const bid = open.find((order) => order.side === 'buy')
      return ask && bid ? { ask, bid } : undefined
    }, 'a hedge ask on the venue sized to the exposure')
    if (resting === undefined) throw new Error('unreachable')
    expect(resting.ask.timeInForce).toBe('postOnly')
    expect(resting.bid.timeInForce).toBe('postOnly')
    expect(Number(resting.ask.price)).toBeLessThan(2685)
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: resting.ask.price,
      sizeBase: resting.ask.sizeBase,
      timeInForce: 'ioc',
      clientOrderId: 'tk-lift-1',
    })
    await waitFor(() => Math.abs(netBase()) < 0.0015, 'the net exposure back to target')
    expect(Math.abs(netBase())).toBeLessThan(exposure / 10)
    // The venue's position is what the trader counts (from the trading engine's fill over the bus).
    const position = (await observer.execution.getPositions('ETHUSDT')).find((p) => p.symbol === 'ETHUSDT')
    expect(Number(position?.sizeBase)).toBeCloseTo(-Number(resting.ask.sizeBase), 9)
    expect(trader().state.venues[0]?.positionLots).toBe(-Math.round(Number(resting.ask.sizeBase) * 1000))
    // Published by the trader on orderUpdates: metrics of the core; counted on /metrics.
    expect(commands.some((command) => command.type === 'metric' && command.name === 'netExposureBase')).toBe(true)
    expect(await metrics.registry.getSingleMetricAsString('alp_fills_total')).toContain(
      'alp_fills_total{venue="binance-usdm",side="sell"} 1',
    )
    const positionLine = (await metrics.registry.getSingleMetricAsString('alp_position_base'))
      .split('\n')
      .find((line) => line.startsWith('alp_position_base{venue="binance-usdm"}'))
    expect(Number(positionLine?.split(' ')[1])).toBeCloseTo(-Number(resting.ask.sizeBase), 9)
    expect(errors).toEqual([])
  })

  it('stop cancels everything and resolves once the venue confirms: the venue lists none of our orders; the journal holds the run', async () => {
    expect((await ourOpenOrders()).length).toBeGreaterThan(0)
    const runId = trader().runId
    const report = await deployment.stop({ timeoutMs: 10_000 })
    expect(report?.venues).toEqual([{ venue: 'binance-usdm', confirmed: true, openOrders: 0 }])
    expect(await ourOpenOrders()).toEqual([])
    const journal = new Journal(join(dir, 'data', 'journal.sqlite'))
    try {
      const fills = journal.fills({ venue: 'binance-usdm' })
      expect(fills.map((fill) => fill.side)).toEqual(['sell'])
      expect(journal.replay(runId).mismatches).toEqual([])
    } finally {
      journal.close()
    }
  })
})
