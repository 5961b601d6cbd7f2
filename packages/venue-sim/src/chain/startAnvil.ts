import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AnvilStartError } from '../errors/chain.js'
import { findFreePort } from './findFreePort.js'
import { resolveAnvilPath } from './resolveAnvilPath.js'

export type StartAnvilParameters = {
  /** Chain id anvil reports (default 31337). */
  chainId?: number | undefined
  /** Deadline for anvil to answer `eth_chainId` (default 15 000 ms). */
  timeoutMs?: number | undefined
  /** Explicit binary path; default: the `@foundry-rs/anvil-<platform>` package. */
  anvilPath?: string | undefined
  /** Extra command-line arguments (e.g. `['--block-time', '1']`). */
  extraArgs?: readonly string[] | undefined
}

export type AnvilInstance = {
  readonly rpcUrl: string
  readonly port: number
  readonly chainId: number
  readonly pid: number
  /** Stops anvil (SIGTERM, then SIGKILL after 2 s) and resolves once the process has exited. Idempotent. */
  stop(): Promise<void>
}

export type StartAnvilErrorType = AnvilStartError

const liveChildren = new Set<ChildProcess>()
/** The HOME directory of each live anvil (its paged-out states live there). */
const liveHomes = new Set<string>()
let exitHookInstalled = false

/**
 * Kills every anvil this process started when it exits or is interrupted (SIGINT, SIGTERM, SIGHUP), so a failed or
 * cancelled test run never leaves an orphan node behind. After cleaning up on a signal, the signal is re-raised so the
 * default behaviour (termination) still applies when nobody else handles it. (SIGKILL cannot be intercepted.)
 */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  const killAll = () => {
    for (const child of liveChildren) child.kill('SIGKILL')
    for (const home of liveHomes) rmSync(home, { recursive: true, force: true })
  }
  process.once('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll()
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    })
  }
}

/**
 * Spawns anvil on 127.0.0.1 with a free port (`--silent`, automine) and resolves when it answers JSON-RPC.
 * Retries with a new port when the one picked was taken in between.
 */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<AnvilInstance> {
  const chainId = parameters.chainId ?? 31337
  const timeoutMs = parameters.timeoutMs ?? 15_000
  const anvilPath = parameters.anvilPath ?? resolveAnvilPath()
  const attempts = 3
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort()
    try {
      return await spawnOnPort({ anvilPath, port, chainId, timeoutMs, extraArgs: parameters.extraArgs ?? [] })
    } catch (error) {
      const portTaken = error instanceof AnvilStartError && /address already in use/i.test(error.details ?? '')
      if (!portTaken || attempt >= attempts) throw error
    }
  }
}

type SpawnParameters = {
  anvilPath: string
  port: number
  chainId: number
  timeoutMs: number
  extraArgs: readonly string[]
}

async function spawnOnPort({
  anvilPath,
  port,
  chainId,
  timeoutMs,
  extraArgs,
}: SpawnParameters): Promise<AnvilInstance> {
  installExitHook()
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent', ...extraArgs]
  // anvil keeps the states it pages out of memory under $HOME/.foundry/anvil/tmp and leaves them behind when it is
  // killed (77 GB after a few days of test runs filled a CI disk): each anvil gets a HOME of its own, removed when it
  // exits or when this process does.
  const home = mkdtempSync(join(tmpdir(), 'alp-anvil-home-'))
  liveHomes.add(home)
  const child = spawn(anvilPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: home } })
  liveChildren.add(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 8_000) stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child)
      liveHomes.delete(home)
      rmSync(home, { recursive: true, force: true })
      resolve({ code, signal })
    })
  })
  let hasExited = false
  void exited.then(() => {
    hasExited = true
  })
  const spawnFailed = new Promise<Error>((resolve) =>
    child.once('error', (error) => {
      // A failed spawn (ENOENT, EACCES) has no process and emits no 'exit'.
      if (child.pid === undefined) {
        hasExited = true
        liveChildren.delete(child)
        liveHomes.delete(home)
        rmSync(home, { recursive: true, force: true })
      }
      resolve(error)
    }),
  )

  const stop = async (): Promise<void> => {
    if (hasExited) return
    child.kill('SIGTERM')
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 2_000)
    await exited
    clearTimeout(killTimer)
  }

  const rpcUrl = `http://127.0.0.1:${port}`
  try {
    return await waitUntilReady({
      rpcUrl,
      port,
      chainId,
      timeoutMs,
      anvilPath,
      exited,
      spawnFailed,
      stop,
      child,
      stderr: () => stderr,
    })
  } catch (error) {
    await stop()
    if (error instanceof AnvilStartError) throw error
    throw new AnvilStartError({ port, timeoutMs, reason: 'the readiness probe failed', cause: error })
  }
}

type WaitParameters = {
  rpcUrl: string
  port: number
  chainId: number
  timeoutMs: number
  anvilPath: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  spawnFailed: Promise<Error>
  stop: () => Promise<void>
  child: ChildProcess
  stderr: () => string
}

async function waitUntilReady(p: WaitParameters): Promise<AnvilInstance> {
  const { rpcUrl, port, chainId, timeoutMs, anvilPath, exited, spawnFailed, stop, child } = p
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const outcome = await Promise.race([
      pingChainId(rpcUrl).then((id) => ({ kind: 'ready' as const, id })),
      exited.then((e) => ({ kind: 'exited' as const, ...e })),
      spawnFailed.then((error) => ({ kind: 'spawn-error' as const, error })),
    ])
    if (outcome.kind === 'ready' && outcome.id !== undefined) {
      if (outcome.id !== chainId) {
        throw new AnvilStartError({ port, timeoutMs, reason: `it reports chain id ${outcome.id}, expected ${chainId}` })
      }
      if (child.pid === undefined) throw new AnvilStartError({ port, timeoutMs, reason: 'no process id' })
      return { rpcUrl, port, chainId, pid: child.pid, stop }
    }
    if (outcome.kind === 'exited') {
      throw new AnvilStartError({
        port,
        timeoutMs,
        reason: `it exited with code ${outcome.code} signal ${outcome.signal}`,
        cause: new Error(p.stderr().trim() || 'no stderr output'),
      })
    }
    if (outcome.kind === 'spawn-error') {
      throw new AnvilStartError({ port, timeoutMs, reason: `spawning ${anvilPath} failed`, cause: outcome.error })
    }
    if (Date.now() > deadline) {
      throw new AnvilStartError({ port, timeoutMs, reason: 'no RPC answer before the deadline' })
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** `eth_chainId` as a number, or undefined while the node does not accept connections yet. */
async function pingChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    })
    const body = (await response.json()) as { result?: string }
    return body.result === undefined ? undefined : Number(BigInt(body.result))
  } catch (error) {
    // Connection refused is the expected answer until anvil listens; anything else is a real failure.
    if (isConnectionRefused(error)) return undefined
    throw error
  }
}

function isConnectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET'
}
