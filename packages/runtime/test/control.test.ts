import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { findFreePort } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import type { DeploymentStatus } from '../src/control/deploymentStatus.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { type DeploymentPool, startDeploymentPool } from './deploymentPool.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'

// Observing and controlling a running deployment: `alp start` as a child process (every role, one in-process bus)
// against the Binance emulator, reached by `alp status`, `alp kill`, `alp resume` and `alp logs` through its control
// server (the URL in <DATA_DIR>/trader.control.json, the token in <DATA_DIR>/trader.token). Needs the built package
// (the child imports dist/).
const dir = mkdtempSync(join(tmpdir(), 'alp-control-'))
const dataDir = join(dir, 'data')
let emu: RunningBinanceEmulator
let pool: DeploymentPool
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
let metricsPort: number
let inventory: InventoryUpdate
const children: ChildProcess[] = []

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))

/** Runs `alp <args…>` in this process (the CLI as an operator types it) and captures its output. */
async function alp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: DEPLOYMENT_ENV,
    waitForStop: async () => 'test',
  })
  return { code, stdout, stderr }
}

async function status(): Promise<DeploymentStatus> {
  const run = await alp('status', '--config', file, '--json')
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
  return JSON.parse(run.stdout) as DeploymentStatus
}

/** The emulator's own book top, from its REST depth endpoint (not through any ALP code). */
async function venueBookTop(): Promise<{ bid: number; ask: number }> {
  const depth = (await (await fetch(`${emu.restUrl}/fapi/v1/depth?symbol=ETHUSDT&limit=5`)).json()) as {
    bids: [string, string][]
    asks: [string, string][]
  }
  return { bid: Number(depth.bids[0]?.[0]), ask: Number(depth.asks[0]?.[0]) }
}

/** Book events for the quote-server: a far bid placed and cancelled by the taker. */
async function pokeBook(): Promise<void> {
  const clientOrderId = `poke-${Date.now()}`
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

const quotingOnVenue = () =>
  waitFor(async () => {
    await pokeBook()
    const orders = await ourOpenOrders()
    return orders.some((o) => o.side === 'buy') && orders.some((o) => o.side === 'sell') ? orders : undefined
  }, 'our bid and ask on the venue')

const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

beforeAll(async () => {
  pool = await startDeploymentPool()
  emu = await startBinanceVenue(25)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  metricsPort = await findFreePort()
  file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: pool.chain.rpcUrl, pool: pool.poolAddress, positionManager: pool.chain.uniswap.positionManager },
    metricsPort,
  })
  inventory = await pool.publish()
}, 180_000)

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await taker?.close()
  await observer?.close()
  await emu?.close()
  await pool?.stop()
})

describe('alp status, kill, resume, logs', () => {
  it('with nothing running: status, kill and resume exit 5 (not running), logs exits 5 without a log', async () => {
    for (const command of ['status', 'kill', 'resume']) {
      const run = await alp(command, '--config', file)
      expect({ command, code: run.code }).toEqual({ command, code: EXIT.NOT_RUNNING })
      expect(run.stderr).toContain(`not running: no ${join(dataDir, 'trader.pid')}`)
    }
    const json = await alp('status', '--config', file, '--json')
    expect(json.code).toBe(EXIT.NOT_RUNNING)
    expect(JSON.parse(json.stdout)).toMatchObject({ running: false })
    const logs = await alp('logs', '--config', file)
    expect(logs.code).toBe(EXIT.NOT_RUNNING)
    expect(logs.stderr).toContain(`no log at ${join(dataDir, 'trader.log')}`)
  })

  it('a running alp start: status equals the venue, kill empties the venue and shows the halt, resume quotes again, no token → 401, logs without secrets, metrics move', async () => {
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'deploymentStartChild.mjs'), file, JSON.stringify(inventory)],
      { env: { ...process.env, ...DEPLOYMENT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const explain = (error: unknown): never => {
      throw new Error(`${String(error)}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`)
    }
    await waitFor(() => stdout.includes('started '), 'the deployment started').catch(explain)
    await quotingOnVenue().catch(explain)

    // The control file has the URL and no token; the token file is the operator's only (0600).
    const controlFile = JSON.parse(readFileSync(join(dataDir, 'trader.control.json'), 'utf8'))
    const token = readFileSync(join(dataDir, 'trader.token'), 'utf8').trim()
    expect(controlFile).toMatchObject({ pid: child.pid, processName: 'trader' })
    expect(controlFile.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(JSON.stringify(controlFile)).not.toContain(token)
    expect(statSync(join(dataDir, 'trader.token')).mode & 0o777).toBe(0o600)

    // alp status: the book top is the venue's, our working orders are the venue's open orders.
    let lastSeen = ''
    const matched = await waitFor(async () => {
      const [now, top, open] = [await status(), await venueBookTop(), await ourOpenOrders()]
      const venue = now.venues[0]
      if (venue?.book == null) return undefined
      const ours = venue.orders
        .map((o) => ({ clientOrderId: o.clientOrderId, side: o.side, price: Number(o.price), size: Number(o.size) }))
        .sort((a, b) => a.clientOrderId.localeCompare(b.clientOrderId))
      const venues = open
        .map((o) => ({
          clientOrderId: o.clientOrderId,
          side: o.side,
          price: Number(o.price),
          size: Number(o.sizeBase),
        }))
        .sort((a, b) => a.clientOrderId.localeCompare(b.clientOrderId))
      const bookMatches = Number(venue.book.bidPrice) === top.bid && Number(venue.book.askPrice) === top.ask
      const ordersMatch = JSON.stringify(ours) === JSON.stringify(venues) && ours.length > 0
      lastSeen = JSON.stringify({ book: venue.book, top, ours, venues })
      return bookMatches && ordersMatch ? { now, top, venue } : undefined
    }, 'status book top and orders equal to the venue').catch((error: unknown) =>
      explain(`${String(error)}\n${lastSeen}`),
    )
    if (!matched) throw new Error('unreachable')
    expect(matched.venue.venue).toBe('binance-usdm')
    expect(matched.venue.symbol).toBe('ETHUSDT')
    expect(matched.venue.book?.midPrice).toBeCloseTo((matched.top.bid + matched.top.ask) / 2, 6)
    expect(matched.venue.book?.source).toBe('connector')
    // The market the model quotes around is the book without our orders (the background liquidity).
    expect(matched.venue.market).toMatchObject({ bidPrice: '2675.00', askPrice: '2685.00' })
    expect(matched.venue.model).not.toBeNull()
    expect(matched.venue.model?.optimalSpread).toBeGreaterThan(0)
    expect(matched.venue.warmUp.ready).toBe(true)
    for (const order of matched.venue.orders) expect(order.ageMs).toBeGreaterThanOrEqual(0)
    expect(matched.now.killed).toBeNull()
    expect(matched.now.process).toMatchObject({ name: 'trader', pid: child.pid })
    expect(matched.now.exposure?.lpSeen).toBe(true)
    expect(matched.now.lp?.holdings?.base).toBe(inventory[inventory.baseToken].amount)
    expect(matched.now.exposure?.lpInventory?.baseHeldBase).toBe(inventory[inventory.baseToken].amount)
    const text = await alp('status', '--config', file)
    expect(text.code).toBe(EXIT.OK)
    expect(text.stdout).toContain('binance-usdm ETHUSDT: quoting')
    expect(text.stdout).toContain('reservation price')

    // A control call without the token, or with another one, is refused (401) and changes nothing.
    const refusedHeaders: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-token-of-this-start-0000' },
      { authorization: token },
    ]
    for (const headers of refusedHeaders) {
      const res = await fetch(`${controlFile.url}/kill`, { method: 'POST', headers, body: '{}' })
      expect(res.status).toBe(401)
    }
    expect((await status()).killed).toBeNull()
    expect((await ourOpenOrders()).length).toBeGreaterThan(0)

    // A fill: the taker lifts our ask.
    const ask = (await ourOpenOrders()).find((o) => o.side === 'sell') as Order
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: ask.price,
      sizeBase: '0.010',
      timeInForce: 'ioc',
      clientOrderId: `lift-${Date.now()}`,
    })
    const filled = await waitFor(async () => {
      const now = await status()
      return (now.venues[0]?.hedge.fills ?? 0) > 0 ? now : undefined
    }, 'the fill in the status').catch(explain)
    if (!filled) throw new Error('unreachable')
    expect(filled.venues[0]?.hedge.netFilledBase).toBeCloseTo(-0.01, 9)
    expect(filled.pnl.hedgeUsd).not.toBeNull()

    // alp kill: the kill switch; once it exits 0 the venue lists none of our orders and the status shows why.
    const kill = await alp('kill', '--config', file, '--reason', 'control test kill', '--json')
    expect({ code: kill.code, stderr: kill.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
    expect(JSON.parse(kill.stdout)).toMatchObject({
      ok: true,
      killed: 'operatorKill',
      venues: [{ venue: 'binance-usdm', confirmed: true, openOrders: 0 }],
      lp: [{ instance: 'lp-manager', killed: true }],
    })
    expect(await ourOpenOrders()).toEqual([])
    const killed = await status()
    expect(killed.killed).toMatchObject({ reason: 'operatorKill' })
    expect(killed.killed?.detail).toContain('operator kill: control test kill')
    expect(killed.halts).toContainEqual(expect.objectContaining({ scope: 'all', reason: 'operatorKill' }))
    expect(killed.venues[0]?.quoting).toBe('halted: operatorKill')
    expect(killed.venues[0]?.orders).toEqual([])
    expect(killed.lp?.killed).toBe(true)
    expect((await alp('status', '--config', file)).stdout).toContain('KILLED: operatorKill')

    // alp resume: quoting again on the venue.
    const resume = await alp('resume', '--config', file)
    expect({ code: resume.code, stderr: resume.stderr }).toEqual({ code: EXIT.OK, stderr: '' })
    await quotingOnVenue().catch(explain)
    const resumed = await status()
    expect(resumed.killed).toBeNull()
    expect(resumed.halts).toEqual([])
    expect(resumed.lp?.killed).toBe(false)

    // The metrics moved with the run.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
    const at = (series: string) => metricValue(metrics, series)
    expect(at('alp_quotes_total{venue="binance-usdm",side="buy"}')).toBeGreaterThan(0)
    expect(at('alp_quotes_total{venue="binance-usdm",side="sell"}')).toBeGreaterThan(0)
    expect(at('alp_fills_total{venue="binance-usdm",side="sell"}')).toBe(1)
    expect(at('alp_halts_total{scope="all",reason="operatorKill"}')).toBe(1)
    expect(at('alp_halted{scope="all",reason="operatorKill"}')).toBe(0)
    expect(at('alp_feed_lag_seconds_count{venue="binance-usdm"}')).toBeGreaterThan(0)
    expect(at('alp_bus_lag_seconds_count{topic="marketData"}')).toBeGreaterThan(0)
    expect(at('alp_bus_lag_seconds_count{topic="orderEvents"}')).toBeGreaterThan(0)
    expect(at('alp_bus_lag_seconds_count{topic="inventory"}')).toBeGreaterThan(0)
    expect(at('alp_quote_spread_bps{venue="binance-usdm"}')).toBeGreaterThan(0)
    expect(at('alp_optimal_spread_bps{venue="binance-usdm"}')).toBeGreaterThan(0)
    expect(at('alp_reservation_price_quote{venue="binance-usdm"}')).toBeGreaterThan(2600)
    expect(at('alp_pnl_usd{part="hedge"}')).toBeDefined()
    expect(at('alp_pnl_usd{part="fees_paid"}')).toBeDefined()
    expect(at('alp_lp_holdings_tokens{token="base"}')).toBeCloseTo(Number(inventory[inventory.baseToken].amount), 6)
    expect(at('alp_lp_value_usd')).toBeCloseTo(Number(inventory.valueUsd), 2)
    expect(at('alp_orders_total{venue="binance-usdm",action="cancelAll",outcome="ok"}')).toBeGreaterThan(0)

    // alp logs --json: the NDJSON log, with the start in it and no secret anywhere.
    const logs = await alp('logs', '--config', file, '--json', '--lines', '100000')
    expect(logs.code).toBe(EXIT.OK)
    const lines = logs.stdout.trim().split('\n')
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; level: number; role?: string })
    expect(entries.some((entry) => entry.msg === 'role started' && entry.role === 'trader')).toBe(true)
    expect(entries.some((entry) => entry.msg === 'control')).toBe(true)
    for (const secret of [
      HEDGER_KEYS.apiKey,
      HEDGER_KEYS.apiSecret,
      DEPLOYMENT_ENV.LP_KEY,
      DEPLOYMENT_ENV.LP_KEY.slice(2),
    ])
      expect(logs.stdout).not.toContain(secret)
    expect(logs.stdout).not.toContain(token)
    const warnings = await alp('logs', '--config', file, '--level', 'warn', '--lines', '3')
    expect(warnings.code).toBe(EXIT.OK)
    expect(warnings.stdout.trim().split('\n').length).toBeLessThanOrEqual(3)
    expect(warnings.stdout).toMatch(/ (WARN|ERROR) +trader: /)

    // POST /stop (what a dashboard sends; alp stop sends SIGTERM): refused without the token, with it the process
    // stops as on SIGTERM (every order cancelled, the venue confirms), exits 0 and takes its control and token files.
    expect((await fetch(`${controlFile.url}/stop`, { method: 'POST' })).status).toBe(401)
    const stop = await fetch(`${controlFile.url}/stop`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ reason: 'control test' }),
    })
    expect(stop.status).toBe(200)
    expect(await exited).toBe(EXIT.OK)
    expect(stdout).toContain('stopped: binance-usdm confirmed no open order')
    expect(await ourOpenOrders()).toEqual([])
    expect(existsSync(join(dataDir, 'trader.control.json'))).toBe(false)
    expect(existsSync(join(dataDir, 'trader.token'))).toBe(false)
    expect((await alp('status', '--config', file)).code).toBe(EXIT.NOT_RUNNING)
    // The log stays for alp logs after the stop.
    expect((await alp('logs', '--config', file, '--lines', '1')).code).toBe(EXIT.OK)
  }, 180_000)
})
