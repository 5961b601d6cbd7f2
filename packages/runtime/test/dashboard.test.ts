import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import { InventoryEventStream, type InventoryUpdate } from '@alp/uniswap-lp'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { findFreePort } from '@alp/venue-sim/chain'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import type { DeploymentStatus } from '../src/control/deploymentStatus.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'

// The operator's dashboard of a running `alp start` (every role in one process, against the Binance emulator), in
// headless Chromium (Debian's package, driven by playwright-core). The LP inventory is a hand-made update of a
// WETH/USDC pool at 2680 (no chain needed: the lp-manager role publishes it), so the trader quotes at once. Needs the
// built package (the child imports dist/). ALP_DASHBOARD_SCREENSHOT=<path> writes the screenshot there (the docs' one:
// docs/images/dashboard.png), else into a temporary folder.
const dir = mkdtempSync(join(tmpdir(), 'alp-dashboard-'))
const dataDir = join(dir, 'data')
const CHROMIUM = '/usr/bin/chromium'
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
let inventory: InventoryUpdate
let browser: BrowserContext
let child: ChildProcess
const userDataDir = mkdtempSync(join(tmpdir(), 'alp-chromium-'))

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function status(): Promise<DeploymentStatus> {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', 'status', '--config', file, '--json'], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: DEPLOYMENT_ENV,
    waitForStop: async () => 'test',
  })
  expect({ code, stderr }).toEqual({ code: EXIT.OK, stderr: '' })
  return JSON.parse(stdout) as DeploymentStatus
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

/** An LP of 26 800 USDC + 10 WETH at 2680 USDC per WETH (USDC is token0): at its value-share target. */
function handMadeInventory(): InventoryUpdate {
  const stream = new InventoryEventStream({
    source: 'uniswap-v3:31337:0x00000000000000000000000000000000000000aa',
    decimals0: 6,
    decimals1: 18,
    baseToken: 'token1',
    targetBaseShare: 0.5,
  })
  // sqrt(raw WETH per raw USDC) · 2^96, with raw WETH per raw USDC = 10^12 / 2680.
  const ratioX192 = ((10n ** 12n) << 192n) / 2680n
  let root = 1n << 128n
  for (let i = 0; i < 200; i++) root = (root + ratioX192 / root) >> 1n
  return stream.publish({
    tsMs: Date.now(),
    sqrtPriceX96: root,
    amount0Raw: 26_800n * 10n ** 6n,
    amount1Raw: 10n * 10n ** 18n,
    prices: { token0: '1', token1: '2680' },
  })
}

/** What the page shows, by `data-field` (per venue, per order, and the page-wide fields). */
async function pageNumbers(page: Page) {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: DocumentLike }).document
    type ElementLike = {
      getAttribute(name: string): string | null
      textContent: string | null
      querySelectorAll(s: string): ElementLike[]
    }
    type DocumentLike = ElementLike & { body: ElementLike }
    const fields = (root: ElementLike) =>
      Object.fromEntries(
        [...root.querySelectorAll('[data-field]')].map((e) => [
          e.getAttribute('data-field'),
          (e.textContent ?? '').trim(),
        ]),
      )
    const venue = doc.querySelectorAll('tr[data-venue]')[0]
    return {
      seq: doc.body.getAttribute('data-seq'),
      venue: venue === undefined ? null : fields(venue),
      orders: [...doc.querySelectorAll('tr[data-order]')].map((row) => ({
        id: row.getAttribute('data-order'),
        ...fields(row),
      })),
      lp: fields(doc.querySelectorAll('#lp')[0] as ElementLike),
      pnl: fields(doc.querySelectorAll('#pnl')[0] as ElementLike),
      killed: (doc.querySelectorAll('[data-field="killed"]')[0]?.textContent ?? '').trim(),
      pid: (doc.querySelectorAll('[data-field="process.pid"]')[0]?.textContent ?? '').trim(),
    }
  })
}

/** The same fields as the page formats them, from `alp status --json`. */
function expectedNumbers(now: DeploymentStatus) {
  const venue = now.venues[0]
  const r = venue?.model?.reservationPrice ?? null
  return {
    venue:
      venue === undefined
        ? null
        : {
            'book.bidPrice': venue.book?.bidPrice,
            'book.bidSize': venue.book?.bidSize,
            'book.askPrice': venue.book?.askPrice,
            'book.askSize': venue.book?.askSize,
            'model.reservationPrice': r === null ? '—' : r.toFixed(2),
            positionBase: venue.positionBase.toFixed(4),
            quoting: venue.quoting,
          },
    orders: (venue?.orders ?? [])
      .map((o) => ({
        id: o.clientOrderId,
        side: o.side,
        price: o.price,
        size: o.size,
        distance:
          r === null
            ? '—'
            : `${Number(o.price) - r >= 0 ? '+' : ''}${(Number(o.price) - r).toFixed(2)} (${(((Number(o.price) - r) / r) * 10_000).toFixed(1)} bps)`,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    lp: {
      'lp.holdings.base': now.lp?.holdings?.base,
      'exposure.netBase': now.exposure?.netBase.toFixed(4),
      'exposure.cexPositionBase': now.exposure?.cexPositionBase.toFixed(4),
    },
    pnl: { 'pnl.totalUsd': now.pnl.totalUsd.toFixed(2), 'pnl.feesPaidUsd': (-now.pnl.feesPaidUsd).toFixed(2) },
    killed: now.killed === null ? 'running' : `KILLED: ${now.killed.reason}`,
    pid: String(now.process.pid),
  }
}

function shown(page: Awaited<ReturnType<typeof pageNumbers>>) {
  const pick = <T extends Record<string, string | undefined>>(from: Record<string, string> | null, keys: T) =>
    from === null ? null : Object.fromEntries(Object.keys(keys).map((k) => [k, from[k]]))
  return {
    pick,
    of: (expected: ReturnType<typeof expectedNumbers>) => ({
      venue: expected.venue === null ? null : pick(page.venue, expected.venue),
      orders: page.orders
        .map((o) => ({ id: o.id, side: o.side, price: o.price, size: o.size, distance: o.distance }))
        .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? '')),
      lp: pick(page.lp, expected.lp),
      pnl: pick(page.pnl, expected.pnl),
      killed: page.killed,
      pid: page.pid,
    }),
  }
}

async function openPage(url: string): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const page = await browser.newPage()
  const errors: string[] = []
  const dialogs: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    // The confirmation is accepted; the token prompt is dismissed (no token typed).
    void (dialog.type() === 'confirm' ? dialog.accept() : dialog.dismiss())
  })
  await page.goto(url)
  await page.waitForSelector('body[data-dashboard-ready="1"]', { timeout: 20_000 })
  return { page, errors, dialogs }
}

beforeAll(async () => {
  emu = await startBinanceVenue(16)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  const closedPort = await findFreePort()
  file = writeDeploymentIni(dir, emu, {
    lp: {
      rpcUrl: `http://127.0.0.1:${closedPort}`,
      pool: '0x00000000000000000000000000000000000000aa',
      positionManager: '0x00000000000000000000000000000000000000bb',
    },
  })
  inventory = handMadeInventory()
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1400 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 120_000)

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL')
  await browser?.close()
  await taker?.close()
  await observer?.close()
  await emu?.close()
  rmSync(userDataDir, { recursive: true, force: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('the dashboard of a running alp start, in headless Chromium', () => {
  it('shows what alp status --json shows; controls need the token (401 otherwise); kill from the page empties the venue; stop exits; no secret is served', async () => {
    child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'deploymentStartChild.mjs'), file, JSON.stringify(inventory)],
      {
        env: { ...process.env, ...DEPLOYMENT_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const explain = (error: unknown): never => {
      throw new Error(`${String(error)}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`)
    }
    await waitFor(() => stdout.includes('started '), 'the deployment started').catch(explain)
    await waitFor(async () => {
      await pokeBook()
      const orders = await ourOpenOrders()
      if (orders.some((o) => o.side === 'buy') && orders.some((o) => o.side === 'sell')) return orders
      await sleep(100)
      return undefined
    }, 'our bid and ask on the venue').catch(explain)
    const { url } = JSON.parse(readFileSync(join(dataDir, 'trader.control.json'), 'utf8')) as { url: string }
    const token = readFileSync(join(dataDir, 'trader.token'), 'utf8').trim()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    // 1. The page without a token (read views on loopback need none): the numbers alp status --json shows.
    const reader = await openPage(`${url}/`)
    let last = ''
    await waitFor(async () => {
      const [now, onPage] = [await status(), await pageNumbers(reader.page)]
      const expected = expectedNumbers(now)
      const got = shown(onPage).of(expected)
      last = JSON.stringify({ expected, got })
      if (JSON.stringify(got) === JSON.stringify(expected) && expected.orders.length >= 2) return true
      await sleep(150)
      return false
    }, 'the page showing the numbers of alp status --json').catch((error: unknown) =>
      explain(`${String(error)}\n${last}`),
    )
    const agreed = JSON.parse(last) as { expected: ReturnType<typeof expectedNumbers> }
    expect(agreed.expected.venue?.quoting).toBe('quoting')
    expect(agreed.expected.lp['lp.holdings.base']).toBe(inventory.token1.amount)
    // Charts drawn by @alp/charts, live: points are appended as updates come.
    expect(await reader.page.locator('#charts canvas').count()).toBe(3)
    const seq = Number(await reader.page.getAttribute('body', 'data-seq'))
    await waitFor(
      async () => {
        if (Number(await reader.page.getAttribute('body', 'data-seq')) > seq + 1) return true
        await sleep(100)
        return false
      },
      'two more updates rendered',
      10_000,
    )
    const points = await reader.page.evaluate(
      () => (globalThis as unknown as { alpDashboard: { renders: number } }).alpDashboard.renders,
    )
    expect(points).toBeGreaterThan(2)

    // 2. Kill without the token: the page asks to confirm, the server refuses (401), the page says so, nothing changes.
    await reader.page.click('#kill')
    await reader.page.waitForSelector('#control-result[data-http-status="401"]', { timeout: 10_000 })
    expect(await reader.page.textContent('#control-result')).toContain(
      'kill refused (401): the token is missing or wrong',
    )
    expect(reader.dialogs[0]).toMatch(/^confirm: Kill: cancel every order/)
    expect(reader.dialogs[1]).toMatch(/^prompt: Control token/)
    expect((await status()).killed).toBeNull()
    expect((await ourOpenOrders()).length).toBeGreaterThan(0)

    // A fill (the taker lifts our ask): the page's hedge figures and the journal's last fills show it.
    const ask = (await ourOpenOrders()).find((o) => o.side === 'sell') as Order
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: ask.price,
      sizeBase: '0.010',
      timeInForce: 'ioc',
      clientOrderId: `lift-${Date.now()}`,
    })
    const fillRow = reader.page.locator('#fills tr', {
      has: reader.page.locator('[data-field="side"]', { hasText: 'sell' }),
    })
    await fillRow.first().waitFor({ timeout: 15_000 })
    expect(await fillRow.first().locator('[data-field="price"]').textContent()).toBe(Number(ask.price).toFixed(2))
    expect(await fillRow.first().locator('[data-field="size"]').textContent()).toBe('0.0100')
    await reader.page.waitForSelector('tr[data-venue] [data-field="positionBase"]:has-text("-0.0100")', {
      timeout: 10_000,
    })

    // The screenshot of the docs (quoting, one fill, charts drawn).
    const screenshot = process.env.ALP_DASHBOARD_SCREENSHOT ?? join(dir, 'dashboard.png')
    await reader.page.screenshot({ path: screenshot, fullPage: true })
    expect(readFileSync(screenshot).subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(statSync(screenshot).size).toBeGreaterThan(20_000)

    // 3. With the token in the URL fragment (never sent to the server; removed from the address bar): kill is
    // confirmed by the venue, the page shows it, and the venue lists no order of ours, also after new book events.
    const operator = await openPage(`${url}/dashboard#token=${encodeURIComponent(token)}`)
    expect(operator.page.url()).toBe(`${url}/dashboard`)
    expect(await operator.page.textContent('#token-state')).toBe('token set (this tab only)')
    await operator.page.click('#kill')
    await operator.page.waitForSelector('#control-result[data-http-status="200"]', { timeout: 20_000 })
    expect(await operator.page.textContent('#control-result')).toContain(
      'killed (operatorKill) · binance-usdm: no open order (venue confirmed) · lp-manager stopped',
    )
    expect(await ourOpenOrders()).toEqual([])
    await operator.page.waitForSelector('[data-field="killed"]:has-text("KILLED: operatorKill")', { timeout: 10_000 })
    await operator.page.waitForSelector('[data-field="no-orders"]', { timeout: 10_000 })
    expect(await operator.page.textContent('[data-field="halt"]')).toContain('operatorKill')
    await pokeBook()
    await sleep(500)
    expect(await ourOpenOrders()).toEqual([])
    expect((await status()).venues[0]?.quoting).toBe('halted: operatorKill')

    // 4. No secret reaches the page or the stream: the API key and secret, the LP wallet key, the control token.
    const secrets = [
      HEDGER_KEYS.apiKey,
      HEDGER_KEYS.apiSecret,
      DEPLOYMENT_ENV.LP_KEY,
      DEPLOYMENT_ENV.LP_KEY.slice(2),
      token,
    ]
    const served: string[] = []
    for (const path of ['/', '/dashboard', '/status']) served.push(await (await fetch(`${url}${path}`)).text())
    const events = await fetch(`${url}/events`)
    expect(events.headers.get('content-type')).toContain('text/event-stream')
    const streamReader = events.body?.getReader()
    let streamed = ''
    while ((streamed.match(/event: update/g) ?? []).length < 2) {
      const chunk = await streamReader?.read()
      if (chunk === undefined || chunk.done) break
      streamed += Buffer.from(chunk.value).toString('utf8')
    }
    await streamReader?.cancel()
    expect(streamed).toContain('event: history')
    expect(streamed).toContain('"killed":{"reason":"operatorKill"')
    served.push(streamed, await reader.page.content(), await operator.page.content())
    for (const text of served) for (const secret of secrets) expect(text.includes(secret)).toBe(false)

    // 5. Stop from the page: confirmed, and the process stops as on SIGTERM (exit 0, the venue confirms no order).
    await operator.page.click('#stop')
    await operator.page.waitForSelector('#control-result[data-action="stop"][data-http-status="200"]', {
      timeout: 10_000,
    })
    expect(await operator.page.textContent('#control-result')).toContain('stopping')
    expect(await exited).toBe(EXIT.OK)
    expect(stdout).toContain('stopped: binance-usdm confirmed no open order')
    await operator.page.waitForSelector('#stream-state:has-text("reconnecting")', { timeout: 10_000 })
    expect([...reader.errors, ...operator.errors]).toEqual([])
  }, 90_000)
})
