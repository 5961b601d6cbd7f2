import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, bench, describe } from 'vitest'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import { ipcEndpoints } from '../src/transport/ipcEndpoints.js'
import type { Endpoints } from '../src/transport/portMap.js'
import { bundleScript } from './src/bundleScript.js'
import { type RolesMessage, type RolesProcess, startRolesProcess } from './src/rolesProcess.js'
import { percentiles } from './src/stats.js'

/*
 * Tick-to-order across the roles: a best bid/offer handed to the quote-server that moves the trader's quote, until the
 * trading engine calls the venue (placeOrder / amendOrder / cancelOrder of the venue binding).
 * t0 = just before the quote-server's listener gets the best bid/offer (where a connector emits it after parsing the
 * frame); t1 = the trading engine's venue call starts. Both are process.hrtime.bigint() (CLOCK_MONOTONIC, one clock for
 * every process of the host). In between: the quote-server's conversion and publish on marketData, the trader's
 * subscriber, the hedger core's step, the journal write (SQLite, WAL, one transaction per step: the trader's own
 * cost, the same on both sides), the venueCommands command client, the engine's command server.
 * The venue is a recording fake in the engine's process (bench/src/recordingVenue.ts: answers at once from memory), so
 * both sides measure the bus and the roles only, no network, matching engine or venue latency.
 * - in-process: every role in ONE child process on the in-process bus (createInProcessBus);
 * - ZeroMQ over tcp: three child processes on loopback (createZmqBus, freeLoopbackEndpoints: the port map's transport):
 *   quote-server (+ lp-manager: one inventory update), trader, venue (trading-engine + position-server). Separate
 *   processes, as the issue means;
 * - ZeroMQ over ipc: the same three processes on ipc:// socket files (ipcEndpoints: an option for roles on one host).
 * Ticks alternate the mid by ±40 ticks (1.5 bps at 2680: past the refresh tolerance, so each tick moves the quote), one
 * at a time: the next tick goes out once no venue call came for SETTLE_MS. The sides are measured in alternating
 * blocks in the same run (the machine is shared: its load moves all). The stamps (t0, the trader's subscriber
 * delivering the tick, the trader's step, t1) stay in the processes until the bench asks for them after the tick
 * (FIRST_POLL_MS, then every POLL_MS), and the bench sleeps meanwhile: a report or a polling loop during the tick would
 * take CPU from the roles on this 2-core host, which the three ZeroMQ processes feel and the one in-process child
 * hardly does (the earlier bench spun on setImmediate while waiting and so inflated the ZeroMQ side).
 * Summary per ZeroMQ side: p50/p90/p99, the p50 of the three parts of the path, the ratio to in-process with the goal
 * ≤ 1.5× at p50 (PASS/FAIL printed, never thrown), and the floor, measured in the same alternating blocks: the same two
 * cross-process hops with raw zeromq sockets and nothing else (bench/src/rawZmqHops.mjs: PUB/SUB then DEALER/ROUTER
 * across three processes, on the same transport, the same idle gap between ticks). The roles split over processes do
 * the in-process path's work plus the two hops at least, so (in-process + floor) / in-process is the best ratio this
 * machine allows: when it exceeds 1.5× the goal is out of reach of any code; ZeroMQ roles / (in-process + floor) is
 * what the bus and the roles add over raw ZeroMQ (1.00× = nothing).
 * Diagnosis: ALP_T2O_CPU_PROF=<dir> writes a CPU profile of every roles process (bench/src/rolesProcess.ts).
 */
const SAMPLES = Number(process.env.ALP_T2O_SAMPLES ?? 400)
const BLOCK = 25
const WARM_UP = 30
const SETTLE_MS = 10
/** The stamps of a tick are asked for this long after it, then every POLL_MS until its venue call is in. */
const FIRST_POLL_MS = 10
const POLL_MS = 5
const TICK_TIMEOUT_MS = 1_000
const GOAL_P50_RATIO = 1.5

const script = bundleScript('tickToOrderRoles.ts')
const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'alp-t2o-'))
  dirs.push(dir)
  return dir
}
let childError: Error | null = null
const onChildError = (error: Error) => {
  childError ??= error
}
const roleErrors = new Map<string, number>()
const started: RolesProcess[] = []
const killAll = () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
}

/** One side of the comparison: the process that takes the ticks and the process where the venue is called. */
type Side = {
  readonly name: string
  readonly processes: readonly RolesProcess[]
  readonly quotes: RolesProcess
  readonly venue: RolesProcess
  readonly trader: RolesProcess
  /** What the trader reported after a tick that brought no venue call. */
  readonly missStates: string[]
  readonly samplesUs: number[]
  /**
   * Per kept tick: t0 → the trader's marketData subscriber delivered it (the hop: quote-server conversion, encode,
   * send, receive, decode, sequence check), → the trader has stepped it (hedger step and journal write), → the venue
   * call (the venueCommands hop and the engine).
   */
  readonly toReceivedUs: number[]
  readonly receivedToStepUs: number[]
  readonly stepToVenueUs: number[]
  readonly received: bigint[]
  readonly stepped: bigint[]
  misses: number
  /** The side of the mid the next tick goes to (per side: alternating blocks must not repeat a mid). */
  up: boolean
  /** Venue calls since the last read, with the t0 of each tick as it arrives. */
  readonly calls: bigint[]
  readonly t0: Map<number, bigint>
  lastCallMs: number
  /** Wakes the tick waiting for this side's stamps (the bench waits on the reports, never spins: see `tick`). */
  wake: (() => void) | null
  /** Stamp reports received from this side's processes (one per process per poll). */
  replies: number
}

function side(
  name: string,
  processes: RolesProcess[],
  roles: { quotes: RolesProcess; venue: RolesProcess; trader: RolesProcess },
): Side {
  const s: Side = {
    name,
    processes,
    ...roles,
    missStates: [],
    samplesUs: [],
    toReceivedUs: [],
    receivedToStepUs: [],
    stepToVenueUs: [],
    received: [],
    stepped: [],
    misses: 0,
    up: true,
    calls: [],
    t0: new Map(),
    lastCallMs: 0,
    wake: null,
    replies: 0,
  }
  const wake = (): void => {
    const w = s.wake
    s.wake = null
    w?.()
  }
  roles.trader.on((message: RolesMessage) => {
    if (message.type === 'stepped') s.stepped.push(BigInt(message.atNs))
    else if (message.type === 'received') s.received.push(BigInt(message.atNs))
    else if (message.type === 'state')
      s.missStates.push(
        `tick ${message.i} (mid ${message.midTicks} ticks): trader ${message.status}, orders ${message.orders.join(', ')}; last commands ${message.lastCommands.join(', ')}`,
      )
  })
  const { quotes, venue } = roles
  venue.on((message: RolesMessage) => {
    if (message.type === 'call' && message.method !== 'cancelAllOrders') {
      s.calls.push(BigInt(message.atNs))
      s.lastCallMs = performance.now()
    }
  })
  quotes.on((message: RolesMessage) => {
    if (message.type === 't0') s.t0.set(message.i, BigInt(message.atNs))
  })
  // A batch of stamps (its stamps went to the listeners above first): one more process has answered the poll.
  for (const p of processes)
    p.on((message: RolesMessage) => {
      if (message.type !== 'stamps') return
      s.replies += 1
      wake()
    })
  return s
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let tickNo = 0
/** One tick: waits for quiet (no venue call for SETTLE_MS), sends it, and returns t1 − t0 in µs (null: no venue call). */
async function tick(s: Side, keep = false): Promise<number | null> {
  while (performance.now() - s.lastCallMs < SETTLE_MS) await sleep(SETTLE_MS)
  if (childError !== null) throw childError
  const i = tickNo++
  s.calls.length = 0
  s.stepped.length = 0
  s.received.length = 0
  const midTicks = 268_000 + (s.up ? 40 : -40)
  s.up = !s.up
  s.quotes.send({ type: 'tick', i, midTicks })
  const deadline = performance.now() + TICK_TIMEOUT_MS
  // The stamps are asked for FIRST_POLL_MS after the tick (past the path's usual length), then every POLL_MS until the
  // venue call is in. The bench's own process stays asleep meanwhile: no spin (it would take one of the host's two
  // cores from the roles processes, each woken per hop, a cost the one in-process child hardly feels) and no report
  // sent during the tick (same reason). The floor below waits on its sink's one report at the end of its path.
  const next = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          s.wake = null
          resolve()
        },
        Math.max(0, deadline - performance.now()),
      )
      s.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  await sleep(FIRST_POLL_MS)
  for (;;) {
    const want = s.replies + s.processes.length
    for (const p of s.processes) p.send({ type: 'report' })
    while (s.replies < want && performance.now() < deadline) await next()
    const t0 = s.t0.get(i)
    const t1 = t0 === undefined ? undefined : s.calls.find((at) => at > t0)
    if (t0 !== undefined && t1 !== undefined) {
      const stepped = s.stepped.find((at) => at > t0 && at <= t1)
      const received = s.received.find((at) => at > t0 && at <= (stepped ?? t1))
      if ((stepped === undefined || received === undefined) && performance.now() < deadline) {
        // its stamps are still to come (taken after the step, asked for again)
        await sleep(POLL_MS)
        continue
      }
      s.t0.delete(i)
      if (keep && stepped !== undefined && received !== undefined) {
        s.toReceivedUs.push(Number(received - t0) / 1000)
        s.receivedToStepUs.push(Number(stepped - received) / 1000)
        s.stepToVenueUs.push(Number(t1 - stepped) / 1000)
      }
      return Number(t1 - t0) / 1000
    }
    if (performance.now() > deadline) {
      s.t0.delete(i)
      if (keep && s.missStates.length < 3) s.trader.send({ type: 'state', i, midTicks })
      return null
    }
    await sleep(POLL_MS)
  }
}

async function measure(s: Side, count: number, keep: boolean): Promise<void> {
  for (let n = 0; n < count; n++) {
    const us = await tick(s, keep)
    if (!keep) continue
    if (us === null) s.misses++
    else s.samplesUs.push(us)
  }
}

/** Ticks until the trader quotes (its first placeOrder reaches the venue). */
async function untilQuoting(s: Side): Promise<void> {
  for (let n = 0; n < 200; n++) if ((await tick(s)) !== null) return
  throw new Error(`${s.name}: the trader never placed an order`)
}

/** Starts one roles process, kept for the clean-up; role errors are counted (by part and message) for the summary. */
async function start(part: string, env: Record<string, string>): Promise<RolesProcess> {
  const p = await startRolesProcess(script, part, env, onChildError)
  started.push(p)
  p.on((message: RolesMessage) => {
    if (message.type === 'roleError') {
      const k = `${message.part}: ${message.message.split('\n')[0]}`
      roleErrors.set(k, (roleErrors.get(k) ?? 0) + 1)
    }
  })
  return p
}

/** The raw ZeroMQ floor: three processes, two hops, nothing else. */
type Floor = {
  readonly name: string
  readonly children: ChildProcess[]
  readonly samplesUs: number[]
  misses: number
  tick: number
}
const rawScript = join(import.meta.dirname, 'src', 'rawZmqHops.mjs')
async function startFloor(name: string, endpoints: Endpoints): Promise<Floor> {
  const ab = endpoints.marketData.bind
  const bc = endpoints.commands.bind
  const spawnMode = async (mode: string): Promise<ChildProcess> => {
    const child = fork(rawScript, [mode, ab, bc], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code) => reject(new Error(`rawZmqHops ${mode} exited ${code}`)))
    })
    return child
  }
  const sink = await spawnMode('sink')
  const pub = await spawnMode('pub')
  const relay = await spawnMode('relay')
  const floor: Floor = { name, children: [pub, relay, sink], samplesUs: [], misses: 0, tick: 0 }
  // The subscription joins a moment after the connect: tick until one arrives.
  for (let i = 0; i < 200; i++) if ((await floorTick(floor)) !== null) break
  return floor
}
function floorTick(floor: Floor): Promise<number | null> {
  const [pub, , sink] = floor.children as [ChildProcess, ChildProcess, ChildProcess]
  const n = ++floor.tick
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sink.off('message', on)
      resolve(null)
    }, TICK_TIMEOUT_MS)
    const on = (message: { n: number; us: number }) => {
      if (message.n !== n) return
      clearTimeout(timer)
      sink.off('message', on)
      resolve(message.us)
    }
    sink.on('message', on)
    pub.send({ tick: n })
  })
}
async function measureFloor(floor: Floor, count: number, record: boolean): Promise<void> {
  for (let i = 0; i < count; i++) {
    const us = await floorTick(floor)
    if (us === null) floor.misses++
    else if (record) floor.samplesUs.push(us)
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  }
}

/** The three ZeroMQ roles processes on `endpoints`: the binding roles first, the trader (which connects) last. */
async function startZmqSide(name: string, endpoints: Endpoints): Promise<Side> {
  const json = JSON.stringify(endpoints)
  const venue = await start('venue', { ALP_ENDPOINTS: json })
  const quotes = await start('quote-server', { ALP_ENDPOINTS: json })
  const trader = await start('trader', { ALP_ENDPOINTS: json, ALP_T2O_DIR: tempDir() })
  return side(name, [venue, quotes, trader], { quotes, venue, trader })
}

type Pair = { readonly roles: Side; readonly floor: Floor }

/** Every side up, then the measurement; on any failure every roles process is killed before the error goes on. */
async function run(): Promise<{ inproc: Side; pairs: Pair[] }> {
  // In-process: one child with every role.
  const inprocAll = await start('all', { ALP_T2O_DIR: tempDir() })
  const inproc = side('in-process bus, one process', [inprocAll], {
    quotes: inprocAll,
    venue: inprocAll,
    trader: inprocAll,
  })
  // ZeroMQ on loopback TCP (the port map's default transport), and on ipc:// socket files (an option for one host).
  const tcp = await freeLoopbackEndpoints()
  const ipc = ipcEndpoints({ dir: tempDir() })
  const floorIpc = ipcEndpoints({ dir: tempDir() })
  const pairs: Pair[] = [
    {
      roles: await startZmqSide('ZeroMQ bus over tcp://127.0.0.1, three processes', tcp),
      floor: await startFloor('raw ZeroMQ over tcp', await freeLoopbackEndpoints()),
    },
    {
      roles: await startZmqSide('ZeroMQ bus over ipc://, three processes', ipc),
      floor: await startFloor('raw ZeroMQ over ipc', floorIpc),
    },
  ]
  await untilQuoting(inproc)
  for (const pair of pairs) await untilQuoting(pair.roles)
  await measure(inproc, WARM_UP, false)
  for (const pair of pairs) {
    await measure(pair.roles, WARM_UP, false)
    await measureFloor(pair.floor, WARM_UP, false)
  }
  for (let done = 0; done < SAMPLES; done += BLOCK) {
    await measure(inproc, BLOCK, true)
    for (const pair of pairs) {
      await measure(pair.roles, BLOCK, true)
      await measureFloor(pair.floor, BLOCK, true)
    }
  }
  return { inproc, pairs }
}
const { inproc, pairs } = await run().catch((error: unknown) => {
  killAll()
  throw error
})
const zmq = (pairs[0] as Pair).roles

afterAll(async () => {
  for (const s of [inproc, ...pairs.map((pair) => pair.roles)]) for (const p of s.processes) await p.stop()
  for (const pair of pairs) for (const child of pair.floor.children) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  rmSync(script, { force: true })
  const i = percentiles(inproc.samplesUs)
  const row = (s: Side, p: ReturnType<typeof percentiles>) =>
    `  ${s.name}: n=${p.n} p50 ${p.p50.toFixed(0)} µs, p90 ${p.p90.toFixed(0)} µs, p99 ${p.p99.toFixed(0)} µs, max ${p.max.toFixed(0)} µs${s.misses > 0 ? `, ${s.misses} ticks without a venue call` : ''}`
  const parts = (s: Side): string => {
    const a = percentiles(s.toReceivedUs)
    const b = percentiles(s.receivedToStepUs)
    const c = percentiles(s.stepToVenueUs)
    return `    p50 of the parts: tick → the trader's subscriber delivers it (marketData hop) ${a.p50.toFixed(0)} µs; → stepped (hedger step, journal) ${b.p50.toFixed(0)} µs; → venue call (venueCommands hop) ${c.p50.toFixed(0)} µs`
  }
  const errors = [...roleErrors].map(([k, n]) => `  role error ×${n}: ${k}`)
  const misses = [inproc, ...pairs.map((pair) => pair.roles)].flatMap((s) =>
    s.missStates.map((line) => `  ${s.name}, no venue call after ${line}`),
  )
  const lines = [
    '',
    'tick-to-order across the roles (quote-server → trader → trading-engine; recording fake venue; same run, alternating blocks)',
    row(inproc, i),
    parts(inproc),
  ]
  for (const { roles, floor } of pairs) {
    const z = percentiles(roles.samplesUs)
    const f = percentiles(floor.samplesUs)
    const ratio = z.p50 / i.p50
    // No split of the roles can beat their in-process work plus the two raw hops: the best ratio this machine allows.
    const best = (i.p50 + f.p50) / i.p50
    lines.push(
      row(roles, z),
      parts(roles),
      `    / in-process: p50 ${ratio.toFixed(2)}×, p90 ${(z.p90 / i.p90).toFixed(2)}×, p99 ${(z.p99 / i.p99).toFixed(2)}× — goal ≤ ${GOAL_P50_RATIO}× at p50: ${ratio <= GOAL_P50_RATIO ? 'PASS' : 'FAIL'}`,
      `    floor, ${floor.name} over the same two cross-process hops (three processes, nothing else): n=${f.n} p50 ${f.p50.toFixed(0)} µs, p90 ${f.p90.toFixed(0)} µs, p99 ${f.p99.toFixed(0)} µs${floor.misses > 0 ? `, ${floor.misses} lost` : ''}`,
      `    / (in-process + floor): p50 ${(z.p50 / (i.p50 + f.p50)).toFixed(2)}× (1.00× = nothing beyond the in-process work and raw ZeroMQ); ZeroMQ roles − floor − in-process = ${(z.p50 - f.p50 - i.p50).toFixed(0)} µs at p50`,
      `    best reachable on this machine: (in-process + floor) / in-process = ${best.toFixed(2)}× at p50, so the ≤ ${GOAL_P50_RATIO}× goal is ${best <= GOAL_P50_RATIO ? 'reachable here' : `out of reach here for any code (the two raw hops alone take ${(f.p50 / i.p50).toFixed(2)}× the in-process path's time; within the goal they would take at most ${(GOAL_P50_RATIO - 1).toFixed(2)}×)`}`,
    )
  }
  console.log([...lines, ...misses, ...errors].join('\n'))
})

// The vitest rows: one tick per iteration (each waits SETTLE_MS of quiet first, so their times are not the latency:
// the summary above is). Their samples are added to the summary.
describe('tick → venue call (one tick per iteration)', () => {
  for (const s of [inproc, zmq])
    bench(s.name, () => measure(s, 1, true), { iterations: 20, time: 0, warmupIterations: 0, warmupTime: 0 })
})
