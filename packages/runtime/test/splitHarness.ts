import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InventoryEventStream, type InventoryUpdate } from '@alp/uniswap-lp'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import type { Endpoints, LinkName } from '../src/transport/portMap.js'
import { DEPLOYMENT_ENV } from './deploymentConfig.js'

/** The role process script (test/splitRoleProcess.ts), bundled once by esbuild with every package left external. */
export function bundleRoleProcess(): { script: string; remove(): void } {
  const here = dirname(fileURLToPath(import.meta.url))
  const outfile = join(here, '..', 'node_modules', '.cache', `alp-split-role-${process.pid}-${Date.now()}.mjs`)
  mkdirSync(dirname(outfile), { recursive: true })
  const fromHere = createRequire(import.meta.url)
  const esbuild = createRequire(fromHere.resolve('tsup'))('esbuild') as {
    buildSync(options: Record<string, unknown>): unknown
  }
  esbuild.buildSync({
    entryPoints: [join(here, 'splitRoleProcess.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    packages: 'external',
    logLevel: 'warning',
  })
  return { script: outfile, remove: () => rmSync(outfile, { force: true }) }
}

const OWNER: Record<LinkName, string> = {
  marketData: 'binance.quote-server',
  orderEvents: 'binance.trading-engine',
  commands: 'binance.trading-engine',
  positions: 'binance.position-server',
  positionsSnapshot: 'binance.position-server',
  orderUpdates: 'trader',
  control: 'trader',
  inventory: 'lp-manager',
  lpControl: 'lp-manager',
}

/**
 * Gives every link of the deployment file its own free loopback port: a `[<role>.PUBLISHERS]` section per owning role
 * (the roles' processes bind and connect there). Returns the endpoints (for the test's own bus, a `cli` peer).
 */
export async function appendFreeEndpoints(file: string): Promise<Endpoints> {
  const endpoints = await freeLoopbackEndpoints()
  const byRole = new Map<string, string[]>()
  for (const [link, owner] of Object.entries(OWNER)) {
    const key = link.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
    byRole.set(owner, [...(byRole.get(owner) ?? []), `${key} = ${endpoints[link as LinkName].bind}`])
  }
  appendFileSync(file, [...byRole].map(([role, lines]) => `\n[${role}.PUBLISHERS]\n${lines.join('\n')}\n`).join(''))
  return endpoints
}

/**
 * The LP's inventory: 10 WETH and 26 800 USDC at 2680 (the trader test's numbers) against a 45 % target share, so 1 WETH
 * in excess for the trader to hedge (sell), as the lp-manager publishes it.
 */
export function lpInventory(targetBaseShare = 0.45): InventoryUpdate {
  const stream = new InventoryEventStream({
    source: 'uniswap-v3:31337:0xpool',
    decimals0: 18,
    decimals1: 6,
    baseToken: 'token0',
    targetBaseShare,
  })
  let update: InventoryUpdate | undefined
  stream.on('inventory', (u) => {
    update = u
  })
  stream.publish({
    tsMs: Date.now(),
    amount0Raw: 10n * 10n ** 18n,
    amount1Raw: 26_800n * 10n ** 6n,
    sqrtPriceX96: 4_101_566_175_183_946_571_816_489n,
    prices: { token0: '2680', token1: '1' },
  })
  if (update === undefined) throw new Error('the inventory stream published nothing')
  return update
}

/** One `alp start --roles …` child process. */
export type RoleProcess = {
  readonly roles: string
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
}

export function startRoleProcess(
  script: string,
  file: string,
  roles: string,
  env: Record<string, string> = {},
): RoleProcess {
  const child = spawn(process.execPath, [script, file, roles], {
    env: { ...process.env, ...DEPLOYMENT_ENV, ALP_INVENTORY: JSON.stringify(lpInventory()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  // 'close': the exit code once the output is read to its end.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { roles, child, output: () => out, exited }
}

/** Resolves once the process printed `started` (rejects with its output when it exits first or after `timeoutMs`). */
export async function started(role: RoleProcess, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!role.output().includes('started ')) {
    if (role.child.exitCode !== null || Date.now() > end) {
      if (role.child.exitCode !== null) await role.exited
      throw new Error(`${role.roles} did not start (exit ${role.child.exitCode}):\n${role.output().slice(-4000)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** SIGTERM (the operator's stop) and the exit code. */
export async function stopRole(role: RoleProcess, timeoutMs = 30_000): Promise<number | null> {
  if (role.child.exitCode !== null) return role.child.exitCode
  role.child.kill('SIGTERM')
  const timer = setTimeout(() => role.child.kill('SIGKILL'), timeoutMs)
  const code = await role.exited
  clearTimeout(timer)
  return code
}
