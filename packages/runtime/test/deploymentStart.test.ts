import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { findFreePort } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment } from '../src/deployment/createDeployment.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { type DeploymentPool, startDeploymentPool } from './deploymentPool.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'

// `alp start` as an operator runs it: a child process (runStart of the built package, its own SIGINT/SIGTERM handling),
// every role of the config on one in-process bus, against the Binance emulator; SIGTERM stops it with the live runner's
// stop semantics. Needs `pnpm --filter @alp/runtime build` (the child imports dist/).
const dir = mkdtempSync(join(tmpdir(), 'alp-start-'))
let emu: RunningBinanceEmulator
let pool: DeploymentPool
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
let metricsPort: number
const children: ChildProcess[] = []

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))

beforeAll(async () => {
  pool = await startDeploymentPool()
  emu = await startBinanceVenue(16)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  metricsPort = await findFreePort()
  file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: pool.chain.rpcUrl, pool: pool.poolAddress, positionManager: pool.chain.uniswap.positionManager },
    metricsPort,
    // The --roles subsets below run on one in-process bus: ZeroMQ would bind the port map's fixed ports, which other
    // test files may hold at the same time (the split tests give every link a free port).
    transport: 'inproc',
  })
}, 180_000)

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await taker?.close()
  await observer?.close()
  await emu?.close()
  await pool?.stop()
})

describe('alp start', () => {
  it('--roles runs the roles named, until the stop signal', async () => {
    let stdout = ''
    let stderr = ''
    const code = await main(['node', 'alp', 'start', '--config', file, '--roles', 'binance.quote-server'], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env: DEPLOYMENT_ENV,
      waitForStop: async () => 'test',
    })
    expect({ code, stderr }).toEqual({ code: EXIT.OK, stderr: '' })
    expect(stdout).toContain('started binance.quote-server (pid')
    expect(stdout).not.toContain('trader')
  })

  it('alp stop with nothing running exits 5 (not running)', async () => {
    let stderr = ''
    const code = await main(['node', 'alp', 'stop', '--config', file], {
      stdout: () => {},
      stderr: (text) => (stderr += text),
      env: DEPLOYMENT_ENV,
    })
    expect(code).toBe(EXIT.NOT_RUNNING)
    expect(stderr).toContain('not running: no ')
  })

  it('a role that cannot start stops the ones that did: exit 3 naming file, section and key, the pid file released', async () => {
    // The file's lp-manager has no BASE_TOKEN: the LP manager built from [LP] refuses to start, after the venue roles
    // (started first) are up; they are stopped again and nothing stays on the venue.
    let stderr = ''
    const code = await main(['node', 'alp', 'start', '--config', file], {
      stdout: () => {},
      stderr: (text) => (stderr += text),
      env: DEPLOYMENT_ENV,
      waitForStop: () => new Promise(() => {}),
    })
    expect(stderr).toMatch(
      /alp\.ini:\d+ \[lp-manager\.LP\] BASE_TOKEN: required to build the LP manager from the config/,
    )
    expect(code).toBe(EXIT.CONFIG_INVALID)
    expect(existsSync(join(dir, 'data', 'trader.pid'))).toBe(false)
    expect(await ourOpenOrders()).toEqual([])
    // The same from code: start() rejects after stopping the roles it had started.
    const deployment = createDeployment(loadConfigFiles([file], { env: DEPLOYMENT_ENV }))
    await expect(deployment.start()).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    expect(deployment.roles).toEqual([])
    expect(await deployment.stop()).toBeNull()
  })

  it('[GLOBAL] CONTROL_PORT and TRANSPORT: the control server on that port, the bus the key names', async () => {
    const controlPort = await findFreePort()
    const configured = join(dir, 'control-port.ini')
    writeFileSync(
      configured,
      readFileSync(file, 'utf8').replace(
        'PROCESS_NAME = binance_quote_server\n',
        `PROCESS_NAME = binance_quote_server\nDATA_DIR = ${join(dir, 'qs')}\nCONTROL_PORT = ${controlPort}\n`,
      ),
    )
    let stdout = ''
    let status: unknown
    const code = await main(['node', 'alp', 'start', '--config', configured, '--roles', 'binance.quote-server'], {
      stdout: (text) => (stdout += text),
      stderr: () => {},
      env: DEPLOYMENT_ENV,
      waitForStop: async () => {
        await waitFor(() => existsSync(join(dir, 'qs', 'binance_quote_server.control.json')), 'the control file')
        const control = JSON.parse(readFileSync(join(dir, 'qs', 'binance_quote_server.control.json'), 'utf8'))
        expect(control.url).toBe(`http://127.0.0.1:${controlPort}`)
        status = (await fetch(`${control.url}/status`)).status
        return 'test'
      },
    })
    expect(code).toBe(EXIT.OK)
    expect(status).toBe(200)
    expect(stdout).toMatch(/started binance\.quote-server \(pid \d+, bus inproc\)/)
    // The port taken by another process: exit 1 naming the address and the key.
    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(controlPort, '127.0.0.1', resolve))
    let inUse = ''
    const taken = await main(['node', 'alp', 'start', '--config', configured, '--roles', 'binance.quote-server'], {
      stdout: () => {},
      stderr: (text) => (inUse += text),
      env: DEPLOYMENT_ENV,
      waitForStop: () => new Promise(() => {}),
    })
    await new Promise((resolve) => squatter.close(resolve))
    expect(taken).toBe(EXIT.FAILURE)
    expect(inUse).toContain(
      `alp: 127.0.0.1:${controlPort} is already in use (CONTROL_PORT of [binance.quote-server] in ${configured}).`,
    )
    // A bad value is a config error naming the key.
    writeFileSync(configured, readFileSync(configured, 'utf8').replace('TRANSPORT = inproc', 'TRANSPORT = zeromq'))
    let stderr = ''
    const invalid = await main(['node', 'alp', 'start', '--config', configured, '--roles', 'binance.quote-server'], {
      stdout: () => {},
      stderr: (text) => (stderr += text),
      env: DEPLOYMENT_ENV,
      waitForStop: async () => 'test',
    })
    expect(invalid).toBe(EXIT.CONFIG_INVALID)
    expect(stderr).toMatch(/\[binance\.quote-server\] TRANSPORT: must be auto, inproc or zmq/)
  })

  it('keys the venue refuses: the start-up reconciliation fails, exit 4, nothing quoted', async () => {
    let stderr = ''
    const code = await main(
      [
        'node',
        'alp',
        'start',
        '--config',
        file,
        '--roles',
        'binance.trading-engine,binance.position-server,trader',
        '--reconcile-timeout-ms',
        '3000',
      ],
      {
        stdout: () => {},
        stderr: (text) => (stderr += text),
        env: { ...DEPLOYMENT_ENV, BN_KEY: 'unknownKeyOfNobody00000000000000000000000000000000000000000000000' },
        waitForStop: () => new Promise(() => {}),
      },
    )
    expect(stderr).toContain('binance-usdm: start-up reconciliation failed while')
    expect(code).toBe(EXIT.RECONCILIATION_FAILED)
    expect(existsSync(join(dir, 'data', 'trader.pid'))).toBe(false)
  })

  it('ALERT_WEBHOOK_URL: a refused start-up reconciliation reaches the webhook (a local receiver), the URL in no output', async () => {
    const received: { path: string; body: Record<string, unknown> }[] = []
    const receiver = createHttpServer((request, response) => {
      let text = ''
      request.on('data', (chunk) => (text += chunk))
      request.on('end', () => {
        received.push({ path: request.url ?? '', body: JSON.parse(text) })
        response.end('ok')
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/SECRET-TOKEN-42`
    const alerting = join(dir, 'alerting.ini')
    writeFileSync(
      alerting,
      readFileSync(file, 'utf8').replace(
        'PROCESS_NAME = trader\n',
        'PROCESS_NAME = trader\nALERT_WEBHOOK_URL = env:ALERT_URL\n',
      ),
    )
    let output = ''
    const code = await main(
      [
        'node',
        'alp',
        'start',
        '--config',
        alerting,
        '--roles',
        'binance.trading-engine,binance.position-server,trader',
        '--reconcile-timeout-ms',
        '3000',
      ],
      {
        stdout: (text) => (output += text),
        stderr: (text) => (output += text),
        env: {
          ...DEPLOYMENT_ENV,
          ALERT_URL: url,
          BN_KEY: 'unknownKeyOfNobody00000000000000000000000000000000000000000000000',
        },
        waitForStop: () => new Promise(() => {}),
      },
    )
    await new Promise((resolve) => receiver.close(resolve))
    expect(code).toBe(EXIT.RECONCILIATION_FAILED)
    expect(received.map((r) => [r.path, r.body.kind, r.body.severity, r.body.source])).toEqual([
      ['/hooks/SECRET-TOKEN-42', 'reconciliation-failed', 'critical', 'trader'],
    ])
    expect(String(received[0]?.body.title)).toContain(
      'start refused: binance-usdm: start-up reconciliation failed while',
    )
    expect(output).not.toContain('SECRET-TOKEN-42')
    expect(readFileSync(join(dir, 'data', 'trader.log'), 'utf8')).not.toContain('SECRET-TOKEN-42')
  })

  it('an unknown role is a usage error (exit 2), refused before anything starts', async () => {
    let stderr = ''
    const code = await main(['node', 'alp', 'start', '--config', file, '--roles', 'binance.quote-sever'], {
      stdout: () => {},
      stderr: (text) => (stderr += text),
      env: DEPLOYMENT_ENV,
      waitForStop: async () => 'test',
    })
    expect(code).toBe(EXIT.USAGE)
    expect(stderr).toContain('unknown role binance.quote-sever: the config has binance.quote-server,')
  })

  it('runs every role in one process, quotes post-only, serves /metrics; alp stop (SIGTERM) cancels every order, the process exits 0 once the venue confirms', async () => {
    const update = await pool.publish()
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'deploymentStartChild.mjs'), file, JSON.stringify(update)],
      { env: { ...process.env, ...DEPLOYMENT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await waitFor(() => stdout.includes('started '), 'the deployment started').catch((error: unknown) => {
      throw new Error(`${String(error)}\n${stdout}\n${stderr}`)
    })
    expect(existsSync(join(dir, 'data', 'trader.pid'))).toBe(true)
    // Book events for the quote-server (a far bid placed and cancelled), then our quotes appear on the venue.
    const open = await waitFor(async () => {
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
      const orders = await ourOpenOrders()
      return orders.some((o) => o.side === 'buy') && orders.some((o) => o.side === 'sell') ? orders : undefined
    }, 'our bid and ask on the venue').catch((error: unknown) => {
      throw new Error(`${String(error)}\n${stdout}\n${stderr.slice(-4000)}`)
    })
    if (open === undefined) throw new Error('unreachable')
    expect(open.every((order) => order.timeInForce === 'postOnly')).toBe(true)
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
    expect(metrics).toMatch(/alp_net_exposure_base -?\d/)
    // alp stop: SIGTERM to the pid of the pid file, then waits for the process to finish its stop and exit.
    let stopOut = ''
    const stopCode = await main(['node', 'alp', 'stop', '--config', file], {
      stdout: (text) => (stopOut += text),
      stderr: (text) => (stopOut += text),
      env: DEPLOYMENT_ENV,
    })
    expect(stopCode).toBe(EXIT.OK)
    expect(stopOut).toContain(`SIGTERM sent to pid ${child.pid}`)
    expect(child.exitCode).not.toBeNull() // alp stop returned only once the process had exited
    const code = await exited
    expect({ code, stderr: stderr.split('\n').filter((line) => line.includes('"level":50')) }).toEqual({
      code: EXIT.OK,
      stderr: [],
    })
    expect(stdout).toContain('stopped: binance-usdm confirmed no open order')
    expect(await ourOpenOrders()).toEqual([])
    expect(existsSync(join(dir, 'data', 'trader.pid'))).toBe(false)
  })
})
