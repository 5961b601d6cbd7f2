import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { loadConfigFiles } from '../config/loadConfig.js'
import { createLogger, REDACTED } from './createLogger.js'
import { createMetrics } from './metrics.js'
import { type RunningMetricsServer, startMetricsServer } from './startMetricsServer.js'

const API_KEY = 'AKey0000lkjhgfdsa1234'
const API_SECRET = 'ASecret9999qwertyuiop5678'
const WALLET = `0x${'5c'.repeat(32)}`

function deployment() {
  const dir = mkdtempSync(join(tmpdir(), 'alp-obs-'))
  const file = join(dir, 'alp.ini')
  writeFileSync(
    file,
    `[binance.trading-engine]
PROCESS_NAME = te
API_KEY = env:K
API_SECRET = env:S
[binance.trading-engine.HTTP_API]
HTTP_BASE_URL = http://127.0.0.1:1
[binance.trading-engine.MARKET_DATA]
SYMBOLS = ETHUSDT
[lp-manager]
PROCESS_NAME = lp
[lp-manager.LP]
RPC_URL = http://127.0.0.1:8545
CHAIN_ID = 31337
POOL_ADDRESS = 0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640
POSITION_MANAGER_ADDRESS = 0xC36442b4a4522E871399CD717aBDD847Ab11FE88
WALLET_KEY = env:W
`,
  )
  return loadConfigFiles([file], { env: { K: API_KEY, S: API_SECRET, W: WALLET } })
}

function capture() {
  const lines: string[] = []
  return { lines, destination: { write: (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l !== '')) } }
}

describe('createLogger', () => {
  test('no resolved secret value appears in any log line, whatever carries it', () => {
    const config = deployment()
    const { lines, destination } = capture()
    const log = createLogger({ name: 'te', level: 'debug', secrets: config.secrets, destination })
    const engine = config.roles[0]
    log.info({ apiSecret: API_SECRET, nested: { apiKey: API_KEY } }, 'redacted by field name')
    log.info({ request: { url: `https://x/order?key=${API_KEY}&sig=${API_SECRET}` } }, `connecting with ${API_KEY}`)
    log.error({ err: new Error(`venue refused key ${API_SECRET}`) }, 'error with a secret in its message and stack')
    log.debug({ role: engine }, 'a whole resolved role config')
    log.warn({ wallet: WALLET.slice(2) }, `wallet ${WALLET}`)
    expect(lines).toHaveLength(5)
    for (const line of lines) {
      JSON.parse(line) // still valid JSON after the scrub
      for (const secret of [API_KEY, API_SECRET, WALLET, WALLET.slice(2)]) expect(line).not.toContain(secret)
    }
    const [first, second, third, fourth] = lines.map((line) => JSON.parse(line))
    expect(first.apiSecret).toBe(REDACTED)
    expect(first.nested.apiKey).toBe(REDACTED)
    expect(second.msg).toBe(`connecting with ${REDACTED}`)
    expect(second.request.url).toBe(`https://x/order?key=${REDACTED}&sig=${REDACTED}`)
    expect(third.err.message).toBe(`venue refused key ${REDACTED}`)
    expect(third.err.stack).toContain(`venue refused key ${REDACTED}`)
    expect(fourth.role.apiSecret).toBe(REDACTED)
    expect(fourth.role.lp).toBeNull()
    expect(fourth.name).toBe('te')
  })

  test('with a file: every line at the level goes to both, each scrubbed (the NDJSON alp logs reads)', () => {
    const config = deployment()
    const { lines, destination } = capture()
    const file = join(mkdtempSync(join(tmpdir(), 'alp-obs-file-')), 'logs', 'te.log')
    const log = createLogger({ name: 'te', level: 'info', secrets: config.secrets, destination, file })
    log.debug(`not at the level ${API_KEY}`)
    log.info({ apiSecret: API_SECRET }, `started with ${API_KEY}`)
    log.error({ err: new Error(`venue refused ${API_SECRET}`) }, 'refused')
    const written = readFileSync(file, 'utf8').trim().split('\n')
    expect(written).toHaveLength(2)
    expect(lines).toEqual(written)
    for (const line of written) for (const secret of [API_KEY, API_SECRET]) expect(line).not.toContain(secret)
    expect(JSON.parse(written[0] as string)).toMatchObject({ level: 30, msg: `started with ${REDACTED}` })
    expect(JSON.parse(written[1] as string).err.message).toBe(`venue refused ${REDACTED}`)
  })

  test('without the scrub, pino alone would have written the value (the check is not vacuous)', () => {
    const { lines, destination } = capture()
    createLogger({ name: 'x', destination }).info(`connecting with ${API_KEY}`)
    expect(lines[0]).toContain(API_KEY)
  })
})

describe('metrics', () => {
  let server: RunningMetricsServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  test('/metrics on 127.0.0.1 serves every metric of the issue with units in names and help texts', async () => {
    const metrics = createMetrics()
    metrics.quotesTotal.inc({ venue: 'binance', side: 'buy' })
    metrics.ordersTotal.inc({ venue: 'binance', action: 'place', outcome: 'ok' }, 3)
    metrics.fillsTotal.inc({ venue: 'deribit', side: 'sell' })
    metrics.netExposureBase.set(-0.25)
    metrics.pnlUsd.set({ part: 'total' }, 12.5)
    metrics.haltsTotal.inc({ scope: 'binance', reason: 'staleMarketData' })
    metrics.feedLagSeconds.observe({ venue: 'binance' }, 0.004)
    metrics.busLagSeconds.observe({ topic: 'marketData' }, 0.0003)
    server = await startMetricsServer({ registry: metrics.registry, port: 0 })
    expect(server.host).toBe('127.0.0.1')
    const res = await fetch(server.url)
    expect(res.status).toBe(200)
    const text = await res.text()
    for (const name of [
      'alp_quotes_total',
      'alp_orders_total',
      'alp_open_orders',
      'alp_fills_total',
      'alp_filled_base_total',
      'alp_net_exposure_base',
      'alp_position_base',
      'alp_pnl_usd',
      'alp_halts_total',
      'alp_halted',
      'alp_feed_lag_seconds',
      'alp_bus_lag_seconds',
    ])
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'))
    expect(text).toContain('alp_orders_total{venue="binance",action="place",outcome="ok"} 3')
    expect(text).toContain('alp_net_exposure_base -0.25')
    expect(text).toContain('alp_pnl_usd{part="total"} 12.5')
    expect(text).toContain('alp_feed_lag_seconds_bucket{le="0.005",venue="binance"} 1')
    expect(text).toContain('alp_feed_lag_seconds_bucket{le="0.0025",venue="binance"} 0')
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404)
  })
})
