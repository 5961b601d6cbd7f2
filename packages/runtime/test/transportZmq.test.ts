import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PositionEvent } from '@alp/hedger'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { createZmqBus, freeLoopbackEndpoints, type MessageBus, type PositionMessage } from '../src/index.js'

const position = (venue: string, sizeLots: number, tsNs: bigint): PositionEvent => ({
  type: 'position',
  tsNs,
  venue,
  sizeLots,
})

describe('ZeroMQ bus: a subscriber that falls behind', () => {
  const buses: MessageBus[] = []
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close()
  })

  it('small high-water marks and a burst: PUB/SUB drops, the subscriber detects the gap and recovers the state by snapshot', async () => {
    const endpoints = await freeLoopbackEndpoints()
    const a = createZmqBus({ endpoints })
    const b = createZmqBus({ endpoints })
    buses.push(a, b)
    const pub = await a.publisher('positions', { heartbeatMs: 50, highWaterMark: 1 })
    const sub = await b.subscriber('positions', { highWaterMark: 1 })
    await sub.until((s) => s.phase === 'live')
    const gaps: number[] = []
    sub.on('gap', (missed) => gaps.push(missed))
    // The burst runs without yielding to the event loop, so the subscriber cannot read while it lasts.
    const venues = 40
    for (let i = 0; i < 50_000; i++) pub.publish(position(`v${i % venues}`, (i * 7919) % 1000, BigInt(i) * 1_000_000n))
    await sub.until((s) => s.phase === 'live' && s.lastSeq === 50_000, 20_000)
    expect(sub.stats.gaps).toBeGreaterThan(0)
    expect(sub.stats.missed).toBeGreaterThan(0)
    expect(gaps.reduce((x, y) => x + y, 0)).toBe(sub.stats.missed)
    expect(sub.stats.snapshots).toBeGreaterThanOrEqual(2) // the first sync and at least one recovery
    expect(sub.state.size).toBe(venues)
    expect(new Map(sub.state)).toEqual(new Map(pub.state))
  })
})

describe('ZeroMQ bus: a peer killed and restarted', () => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  })

  it('SIGKILL of the publishing process: the subscriber notices the silence, reconnects to the restarted peer and resyncs its state; commands reach it again', async () => {
    const script = bundlePeer()
    const endpoints = await freeLoopbackEndpoints()
    const start = async (generation: number): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [script], {
        env: { ...process.env, ALP_ENDPOINTS: JSON.stringify(endpoints), ALP_GENERATION: String(generation) },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      children.push(child)
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)))
        child.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve()
        })
      })
      return child
    }
    const expected = (generation: number) =>
      new Map(
        Array.from({ length: 5 }, (_, i) => [
          `position/v${i}`,
          position(`v${i}`, generation * 100 + i, BigInt(generation) * 10n ** 18n + BigInt(i)),
        ]),
      )

    const bus = createZmqBus({ endpoints })
    const sub = await bus.subscriber('positions', { silenceMs: 300, snapshotTimeoutMs: 200 })
    const client = await bus.commandClient('venueCommands', { ackTimeoutMs: 200, maxAttempts: 50 })
    try {
      const first = await start(1)
      await sub.until((s) => s.phase === 'live' && s.lastSeq === 5, 10_000)
      expect(new Map(sub.state)).toEqual(expected(1))
      const order = {
        type: 'cancelAll',
        venue: 'binance',
        reason: 'operatorKill',
      } as const
      expect(await client.send({ ...order, tsNs: 1n })).toMatchObject({ ok: true, detail: 'generation 1' })

      first.kill('SIGKILL')
      await sub.until((s) => s.silent, 10_000)

      await start(2)
      await sub.until(
        (s) => !s.silent && s.phase === 'live' && s.stats.restarts >= 1 && lotsOf(s.state.get('position/v0')) === 200,
        10_000,
      )
      expect(new Map(sub.state)).toEqual(expected(2))
      expect(await client.send({ ...order, tsNs: 2n })).toMatchObject({ ok: true, detail: 'generation 2' })
      await sub.until((s) => lotsOf(s.state.get('position/commanded')) === 2, 10_000)
    } finally {
      await bus.close()
    }
  })
})

const lotsOf = (message: PositionMessage | undefined): number | undefined =>
  message?.type === 'position' ? message.sizeLots : undefined

/** The peer script, bundled once by esbuild (the repo's build tool, through tsup's own dependency) into node_modules/.cache. */
function bundlePeer(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const outfile = join(here, '..', 'node_modules', '.cache', `alp-transport-peer-${process.pid}.mjs`)
  onTestFinished(() => rmSync(outfile, { force: true }))
  mkdirSync(dirname(outfile), { recursive: true })
  // pnpm does not hoist esbuild to the root node_modules/.bin: resolve it from tsup, which depends on it.
  const fromHere = createRequire(import.meta.url)
  const esbuild = createRequire(fromHere.resolve('tsup'))('esbuild') as {
    buildSync(options: Record<string, unknown>): unknown
  }
  esbuild.buildSync({
    entryPoints: [join(here, 'transportPeerProcess.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    external: ['zeromq'],
    logLevel: 'warning',
  })
  return outfile
}
