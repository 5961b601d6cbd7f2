import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { DeploymentConfig } from '../config/loadConfig.js'
import { RuntimeError } from '../errors/base.js'
import { type Endpoints, LINK_NAMES, type LinkName, PORT_MAP } from '../transport/portMap.js'
import { resolveEndpoints } from '../transport/resolveEndpoints.js'
import type { PaperLpSample, PaperRebalance } from './createPaperLpManager.js'
import type { ReplayGate } from './createReplayGate.js'
import type { PaperStrategy } from './paperStrategy.js'

/** Environment variable naming the split run's file (`split.json`) in each role process. */
export const PAPER_SPLIT_ENV = 'ALP_PAPER_SPLIT'

/** The process groups of `alp paper --split`: one role per process. */
export const PAPER_SPLIT_GROUPS = ['quote-server', 'trading-engine', 'position-server', 'lp-manager', 'trader'] as const

/**
 * What every role process of a split paper run reads (`<outDir>/split.json`, named by ALP_PAPER_SPLIT): the replay
 * clock's start and speed (its wall start comes later, from the run's process, once every role is ready: see
 * {@link reportRoleReady}), the run's loopback URL (replay gate and ready reports), and for the lp-manager the replayed
 * chain, the strategy, the kline closes and where to write its records.
 */
export type PaperSplitSpec = {
  readonly clock: { readonly startMs: number; readonly speed: number }
  readonly gateUrl: string
  readonly chain: { readonly rpcUrl: string; readonly chainId: number; readonly positionManager: string }
  readonly setup: { readonly pool: string; readonly usdc: string; readonly weth: string }
  readonly strategy: PaperStrategy
  readonly klineCloses: readonly number[]
  /** The lp-manager process writes its rebalances, samples and errors here when its loop has ended. */
  readonly recordsFile: string
}

/** The lp-manager process's records, handed back to `runPaper` through `recordsFile`. */
export type PaperLpRecords = {
  readonly rebalances: readonly PaperRebalance[]
  readonly samples: readonly PaperLpSample[]
  readonly decisions: number
  readonly errors: readonly { readonly tsMs: number; readonly message: string }[]
}

/** JSON with bigints (`{"$bigint":"…"}`), for the spec's strategy and the records. */
export function stringifyWithBigints(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v), 2)
}

export function parseWithBigints<T>(text: string): T {
  return JSON.parse(text, (_key, v) =>
    v !== null && typeof v === 'object' && typeof v.$bigint === 'string' && Object.keys(v).length === 1
      ? BigInt(v.$bigint)
      : v,
  ) as T
}

export function writeSplitSpec(file: string, spec: PaperSplitSpec): void {
  writeFileSync(file, `${stringifyWithBigints(spec)}\n`)
}

export function readSplitSpec(file: string): PaperSplitSpec {
  return parseWithBigints<PaperSplitSpec>(readFileSync(file, 'utf8'))
}

/**
 * Gives every link of the paper deployment its own free loopback port: appends a `[<role>.PUBLISHERS]` section per
 * owning role of the config to the paper INI (every process reads them: the owner binds there, the others connect).
 */
export async function appendSplitEndpoints(iniFile: string, config: DeploymentConfig): Promise<Endpoints> {
  const taken = new Set<number>()
  const endpoints = await freeFixedEndpoints(taken)
  const byRole = new Map<string, string[]>()
  for (const [link, spec] of Object.entries(PORT_MAP)) {
    // The per-venue links once per exchange (each exchange's own roles carry its overrides): the first exchange's on
    // `endpoints`, the others' on ports of their own.
    const owners = config.roles.filter((role) => role.role === spec.binds)
    for (const [index, owner] of owners.entries()) {
      if (index > 0 && !spec.perVenue) break
      const endpoint = index === 0 ? endpoints[link as LinkName].bind : `tcp://127.0.0.1:${await freeFixedPort(taken)}`
      const key = link.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
      byRole.set(owner.instance, [...(byRole.get(owner.instance) ?? []), `${key} = ${endpoint}`])
    }
  }
  appendFileSync(
    iniFile,
    `\n; alp paper --split: every link on a free loopback port.${[...byRole]
      .map(([role, lines]) => `\n[${role}.PUBLISHERS]\n${lines.join('\n')}\n`)
      .join('')}`,
  )
  return endpoints
}

/**
 * Every link on a free loopback port BELOW the ephemeral range (Linux: 32768–60999). A port the OS hands out for
 * `listen(0)` is an ephemeral one, which the roles' own outgoing connections (ZeroMQ redialling a peer not up yet, RPC
 * calls) may take meanwhile: the owner's bind then fails with EADDRINUSE (seen: a connecting socket to a port nobody
 * listens on yet can even connect to itself).
 */
async function freeFixedEndpoints(taken: Set<number>): Promise<Endpoints> {
  const overrides: Partial<Record<LinkName, string>> = {}
  for (const link of LINK_NAMES) overrides[link] = `tcp://127.0.0.1:${await freeFixedPort(taken)}`
  return resolveEndpoints({ overrides })
}

async function freeFixedPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (taken.has(port) || !(await canListen(port))) continue
    taken.add(port)
    return port
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createTcpServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export type PaperRoleNotReadyErrorType = PaperRoleNotReadyError & { name: 'PaperRoleNotReadyError' }

/**
 * `alp paper --split`: a role process did not report ready (its roles started, see {@link reportRoleReady}) within the
 * bounded wait, or exited first. The replay clock was never started: nothing of the window was played.
 */
export class PaperRoleNotReadyError extends RuntimeError {
  override name = 'PaperRoleNotReadyError'
  /** The role (process group) that never came up, e.g. `trader`. */
  readonly role: string
  readonly timeoutMs: number
  /** The process's exit code or signal when it exited before it was ready; null when the wait timed out. */
  readonly exit: number | string | null
  constructor(parameters: { role: string; timeoutMs: number; exit: number | string | null; output?: string }) {
    const { role, timeoutMs, exit } = parameters
    super(
      exit === null
        ? `alp paper --split: the ${role} process did not report ready within ${timeoutMs} ms; the replay was not started.`
        : `alp paper --split: the ${role} process exited (${exit}) before it was ready; the replay was not started.`,
      {
        code: 'PAPER_ROLE_NOT_READY',
        details: parameters.output === undefined ? undefined : parameters.output.slice(-3000),
        metaMessages: [
          `Next: read the ${role} process's output above, or raise the ready timeout (roleReadyTimeoutMs) on a loaded machine.`,
        ],
        docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#paper-mode',
      },
    )
    this.role = role
    this.timeoutMs = timeoutMs
    this.exit = exit
  }
}

/** The run's loopback server of a split paper run: the replay gate, the roles' ready reports and the clock's start. */
export type SplitRunServer = {
  readonly url: string
  /** Resolves once the role process `role` reported ready; rejects with {@link PaperRoleNotReadyError} when `gone()`
   * returns its exit first or after `timeoutMs`. */
  waitReady(
    role: string,
    options: {
      timeoutMs: number
      gone?: (() => number | string | null) | undefined
      output?: (() => string) | undefined
    },
  ): Promise<void>
  /** The roles that reported ready, in report order. */
  readyRoles(): readonly string[]
  /** Hands the replay clock's wall start to every role process waiting for it (and to later ones). */
  startClock(wallStartMs: number): void
  close(): Promise<void>
}

/**
 * The run's server on loopback:
 * - `GET /advance?to=<ms>` resolves once the replayer mined every block at or before `to` and waits for a later one
 *   (`ReplayGate.advanceTo`); nothing is mined until the next call. The lp-manager process holds the replay exactly as
 *   the in-process LP manager does.
 * - `POST /ready?role=<group>`: the role process's roles started (bus links bound and connected, subscriptions made);
 *   answers at once.
 * - `GET /clock`: answers the replay clock's wall start (`{"wallStartMs":…}`) once the run started it, i.e. after
 *   every role process reported ready (long poll).
 */
export async function serveReplayGate(gate: ReplayGate): Promise<SplitRunServer> {
  const ready: string[] = []
  let readyWaiters: (() => void)[] = []
  let clockStart: number | null = null
  let clockWaiters: ((wallStartMs: number) => void)[] = []
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/ready') {
      const role = url.searchParams.get('role')
      if (role === null || role === '') {
        response.writeHead(400).end('role?')
        return
      }
      if (!ready.includes(role)) ready.push(role)
      const waiting = readyWaiters
      readyWaiters = []
      for (const wake of waiting) wake()
      response.writeHead(200).end('ok')
      return
    }
    if (url.pathname === '/clock') {
      const answer = (wallStartMs: number) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ wallStartMs }))
      if (clockStart !== null) answer(clockStart)
      else clockWaiters.push(answer)
      return
    }
    const to = Number(url.searchParams.get('to'))
    if (Number.isNaN(to)) {
      response.writeHead(400).end('to?')
      return
    }
    gate.advanceTo(to).then(
      () => response.writeHead(200).end('ok'),
      (error: unknown) => response.writeHead(500).end(String(error)),
    )
  })
  // A long-polled /clock may wait as long as the slowest role takes to start.
  server.requestTimeout = 0
  server.headersTimeout = 0
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    async waitReady(role, options) {
      const end = Date.now() + options.timeoutMs
      while (!ready.includes(role)) {
        const exit = options.gone?.() ?? null
        if (exit !== null)
          throw new PaperRoleNotReadyError({ role, timeoutMs: options.timeoutMs, exit, output: options.output?.() })
        const left = end - Date.now()
        if (left <= 0)
          throw new PaperRoleNotReadyError({
            role,
            timeoutMs: options.timeoutMs,
            exit: null,
            output: options.output?.(),
          })
        // Woken by a report, or every 100 ms to look at the process.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(100, left))
          readyWaiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
    },
    readyRoles: () => [...ready],
    startClock(wallStartMs) {
      if (clockStart !== null) return
      clockStart = wallStartMs
      const waiting = clockWaiters
      clockWaiters = []
      for (const answer of waiting) answer(wallStartMs)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * The role process's side of the start gate: reports `role` ready to the run (its roles started) and resolves with
 * the replay clock's wall start once the run started the clock (every role ready). Retries while the run's server is
 * unreachable, until `signal` aborts.
 */
export async function reportRoleReady(url: string, role: string, signal?: AbortSignal): Promise<number> {
  const attempt = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call()
      } catch (error) {
        if (signal?.aborted) throw error
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }
  await attempt(async () => {
    const response = await fetch(`${url}/ready?role=${encodeURIComponent(role)}`, { method: 'POST', signal })
    if (!response.ok) throw new Error(`ready report: HTTP ${response.status}`)
  })
  return attempt(async () => {
    const response = await fetch(`${url}/clock`, { signal })
    if (!response.ok) throw new Error(`clock: HTTP ${response.status}`)
    const body = (await response.json()) as { wallStartMs?: unknown }
    if (typeof body.wallStartMs !== 'number' || !Number.isFinite(body.wallStartMs))
      throw new Error(`clock: no wall start in ${JSON.stringify(body)}`)
    return body.wallStartMs
  })
}

/** The gate of the lp-manager process: `advanceTo` asks the run's process (above). */
export function remoteReplayGate(url: string): ReplayGate {
  let finished = false
  return {
    clock: {
      nowMs: () => {
        throw new Error('remoteReplayGate: the replayer runs in the paper run’s process')
      },
      sleepUntil: async () => {
        throw new Error('remoteReplayGate: the replayer runs in the paper run’s process')
      },
    },
    async advanceTo(tMs: number): Promise<void> {
      if (finished) return
      const to = tMs === Number.POSITIVE_INFINITY ? 'Infinity' : String(tMs)
      const response = await fetch(`${url}/advance?to=${to}`)
      if (!response.ok) throw new Error(`replay gate: HTTP ${response.status} ${await response.text()}`)
    },
    finish(): void {
      finished = true
    },
  }
}

/** One role process of the split run. */
export type PaperRoleProcess = {
  readonly roles: string
  readonly child: ChildProcess
  output(): string
  readonly exited: Promise<number | null>
}

export function spawnPaperRole(
  command: readonly string[],
  iniFile: string,
  roles: string,
  env: Record<string, string>,
  cwd: string,
): PaperRoleProcess {
  const [program, ...args] = command as [string, ...string[]]
  const child = spawn(program, [...args, '--config', iniFile, '--roles', roles], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  })
  let out = ''
  const keep = (chunk: Buffer) => {
    out += chunk.toString('utf8')
    if (out.length > 200_000) out = out.slice(-100_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { roles, child, output: () => out, exited }
}

/** `alp stop`: SIGTERM, then the exit code (SIGKILL after `timeoutMs`: exit null). */
export async function stopPaperRole(role: PaperRoleProcess, timeoutMs = 30_000): Promise<number | null> {
  if (role.child.exitCode !== null) return role.child.exitCode
  role.child.kill('SIGTERM')
  const timer = setTimeout(() => role.child.kill('SIGKILL'), timeoutMs)
  const code = await role.exited
  clearTimeout(timer)
  return code
}

/** Waits for the lp-manager's records file (its loop ended); rejects when a role process exits first. */
export async function awaitRecords(file: string, processes: readonly PaperRoleProcess[]): Promise<PaperLpRecords> {
  for (;;) {
    if (existsSync(file)) return parseWithBigints<PaperLpRecords>(readFileSync(file, 'utf8'))
    const gone = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null)
    if (gone !== undefined)
      throw new Error(
        `alp paper --split: ${gone.roles} exited (${gone.child.exitCode ?? gone.child.signalCode}) during the run:\n${gone.output().slice(-3000)}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
