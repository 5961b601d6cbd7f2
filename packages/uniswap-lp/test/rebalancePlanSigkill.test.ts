import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readNftPosition } from '../src/chain/readNftPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { ChainReadError } from '../src/errors/chain.js'
import { positionEnumerationInterface } from '../src/manager/readChainHoldings.js'
import { getAmountsForLiquidity } from '../src/math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../src/math/tickMath.js'
import { planRebalance } from '../src/rebalance/planRebalance.js'
import { FileRebalancePlanStore, serializeRebalancePlan } from '../src/rebalance/planStore.js'
import {
  type Holdings,
  POLICY,
  rangesAtPrice,
  readHoldings,
  type Scenario,
  setupScenario,
} from './rebalancePlan.helpers.js'
import { type ChainFixture, setupChainFixture } from './src/chainFixture.js'

/**
 * A real process kill at every boundary of a base + limit rebalance (close, swap, mint base, mint limit; after each
 * signature, broadcast, receipt and saved step): a child node process runs the plan from the built package with a
 * file store, announces the boundary on stdout and blocks the whole thread there; the parent SIGKILLs it, starts a
 * new process that resumes the plan, and compares what the wallet holds (enumerated on chain) with an uninterrupted
 * run from the same anvil snapshot.
 */
const CHILD = fileURLToPath(new URL('./helpers/rebalancePlanChild.mjs', import.meta.url))

let f: ChainFixture
let s: Scenario
let dir: string
beforeAll(async () => {
  f = await setupChainFixture()
  s = await setupScenario(f)
  dir = await mkdtemp(join(tmpdir(), 'alp-rebalance-sigkill-'))
}, 60_000)
afterAll(async () => {
  await f?.chain.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

type Run = { planPath: string; storePath: string }
type Exit = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** The plan of rebalancePlan.test.ts at the scenario's state: close the NFT, sell 30 % of its token1, mint base + limit. */
async function writePlan(id: string): Promise<Run> {
  const tokenId = s.open[0]!
  const position = await readNftPosition(f.chain.provider, {
    positionManager: f.chain.uniswap.positionManager,
    tokenId,
  })
  const { sqrtPriceX96 } = await readPoolState(f.chain.provider, f.pool.pool)
  const principal = getAmountsForLiquidity(
    sqrtPriceX96,
    getSqrtRatioAtTick(position.tickLower),
    getSqrtRatioAtTick(position.tickUpper),
    position.liquidity,
  )
  const ranges = await rangesAtPrice(f)
  const plan = planRebalance({
    pool: f.pool,
    close: [tokenId],
    swap: { zeroForOne: false, amountInRaw: (principal.amount1 * 3n) / 10n },
    mints: [ranges.base, ranges.limitBelow],
    id,
    createdAtMs: 1_700_000_000_000,
  })
  const planPath = join(dir, `${id}.plan.json`)
  await writeFile(planPath, serializeRebalancePlan(plan))
  return { planPath, storePath: join(dir, `${id}.store.json`) }
}

type Mode = 'execute' | 'resume' | 'manager'
const POINTS = ['afterSign', 'afterBroadcast', 'afterReceipt', 'afterStep'] as const
type Point = (typeof POINTS)[number]
/** Boundaries in the order one run passes them: step × 4 + the point's place. */
const boundaryNumber = (index: number, point: Point) => index * 4 + POINTS.indexOf(point)

/** A child running `mode`; with killFrom it blocks at the first boundary numbered ≥ killFrom (see the child). */
function startChild(run: Run, mode: Mode, killFrom?: number): ChildProcess {
  const config = {
    mode,
    pool: f.pool.pool,
    baseToken: f.pool.token0.toLowerCase() === f.weth.toLowerCase() ? 'token0' : 'token1',
    rpcUrl: f.chain.rpcUrl,
    chainId: f.chain.chainId,
    contracts: {
      positionManager: f.chain.uniswap.positionManager,
      swapRouter: f.chain.uniswap.swapRouter,
      quoterV2: f.chain.uniswap.quoterV2,
    },
    guards: { ...f.guards, expectedChainId: f.guards.expectedChainId.toString() },
    policy: { ...POLICY, maxFeePerGasCapWei: POLICY.maxFeePerGasCapWei.toString() },
    planPath: run.planPath,
    storePath: run.storePath,
    killFrom,
  }
  return spawn(process.execPath, [CHILD], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      ALP_SIGKILL_CHILD: JSON.stringify(config),
      ALP_TEST_PLAN_KEY: f.chain.testPrivateKeys[5]!,
    },
  })
}

/** Resolves when the child prints a line starting with `prefix` (with that line), or rejects when it exits first. */
function waitForLine(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith(prefix))
      if (line !== undefined) resolve(line)
    })
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}) before '${prefix}'\nstdout: ${out}\nstderr: ${err}`)),
    )
  })
}

function waitForExit(child: ChildProcess): Promise<Exit> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })))
}

type Done = { status: string; minted: string[]; ranges?: string[]; storeCleared?: boolean }

/** The `DONE {…}` line of a child that exited 0. */
function parseDone(exit: Exit): Done {
  expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null })
  const line = exit.stdout.split('\n').find((l) => l.startsWith('DONE '))
  expect(line, exit.stdout).toBeDefined()
  return JSON.parse(line!.slice('DONE '.length)) as Done
}

/** Runs a child to its end and expects it to finish the plan. */
async function runToEnd(run: Run, mode: Mode): Promise<Done> {
  const done = parseDone(await waitForExit(startChild(run, mode)))
  expect(done.status).toBe('done')
  return done
}

/** What the chain says after a run: token holdings, NFT count, native balance and the owner's mined transactions. */
type Outcome = {
  holdings: Holdings
  nftCount: bigint
  nativeWei: bigint
  /** Σ gasUsed × effective gas price of every transaction the owner got mined since `fromBlock`. */
  gasPaidWei: bigint
  minedTxs: number
}

async function readOutcome(fromBlock: number): Promise<Outcome> {
  const holdings = await readHoldings(f, s.owner)
  const provider = f.chain.provider
  const [nftCount] = positionEnumerationInterface.decodeFunctionResult(
    'balanceOf',
    await provider.call({
      to: f.chain.uniswap.positionManager,
      data: positionEnumerationInterface.encodeFunctionData('balanceOf', [s.owner]),
      blockTag: holdings.blockNumber,
    }),
  )
  let gasPaidWei = 0n
  let minedTxs = 0
  for (let n = fromBlock + 1; n <= holdings.blockNumber; n++) {
    const block = (await provider.getBlock(n, true))!
    for (const tx of block.prefetchedTransactions) {
      if (tx.from.toLowerCase() !== s.owner.toLowerCase()) continue
      const receipt = (await provider.getTransactionReceipt(tx.hash))!
      gasPaidWei += receipt.gasUsed * receipt.gasPrice
      minedTxs++
    }
  }
  return {
    holdings,
    nftCount: BigInt(nftCount),
    nativeWei: await provider.getBalance(s.owner, holdings.blockNumber),
    gasPaidWei,
    minedTxs,
  }
}

/** The state right after setup, with the block and native balance it starts from. */
async function restore(): Promise<{ block: number; nativeWei: bigint }> {
  await s.restore()
  const block = await f.chain.provider.getBlockNumber()
  return { block, nativeWei: await f.chain.provider.getBalance(s.owner, block) }
}

/** Positions without the block they were read at (runs end at different heights). */
const comparable = (h: Holdings) => ({ ...h, blockNumber: 0 })

let reference: Outcome

describe('a rebalance plan under SIGKILL, one child process per run', () => {
  it('uninterrupted in a child process: the NFT is closed, two new positions, gas the only native cost', async () => {
    const start = await restore()
    const run = await writePlan('uninterrupted')
    await runToEnd(run, 'execute')
    const outcome = await readOutcome(start.block)
    const saved = (await new FileRebalancePlanStore(run.storePath).load())!
    expect(saved.steps.map((x) => x.status)).toEqual(['done', 'done', 'done', 'done'])
    const minted = saved.steps.flatMap((x) => (x.kind === 'mint' && x.result ? [x.result.tokenId] : []))
    expect(minted).toHaveLength(2)
    expect(outcome.holdings.positions.map((p) => p.tokenId)).toEqual(minted)
    expect(outcome.nftCount).toBe(2n)
    await expect(
      readNftPosition(f.chain.provider, { positionManager: f.chain.uniswap.positionManager, tokenId: s.open[0]! }),
    ).rejects.toBeInstanceOf(ChainReadError)
    // At least one transaction per step; the native balance moved by exactly the gas paid.
    expect(outcome.minedTxs).toBeGreaterThanOrEqual(4)
    expect(outcome.gasPaidWei).toBeGreaterThan(0n)
    expect(start.nativeWei - outcome.nativeWei).toBe(outcome.gasPaidWei)
    reference = outcome
  }, 30_000)

  // Between broadcast and receipt, from a fresh run at each step. The chain test below kills at every step's
  // afterSign, afterBroadcast and afterStep; afterReceipt is reached only here (a resumer settles a mined hash
  // without waiting for a receipt). Together: all 16 boundaries, each followed by a new process. (One child process
  // costs ~0.8 s of start-up on the shared machine, hence no second pass over the chain's boundaries.)
  const cases = [0, 1, 2, 3].flatMap((index) =>
    (['afterBroadcast', 'afterReceipt'] as const).map((point) => [index, point] as const),
  )
  it.each(cases)(
    'SIGKILLed at step %i (%s), resumed by a new process: holdings equal the uninterrupted run to the wei apart from gas, no NFT lost or doubled',
    async (index, point) => {
      expect(reference).toBeDefined()
      const start = await restore()
      const run = await writePlan(`kill-${index}-${point}`)
      const child = startChild(run, 'execute', boundaryNumber(index, point))
      const exited = waitForExit(child)
      expect(await waitForLine(child, 'BOUNDARY')).toBe(`BOUNDARY ${index} ${point}`)
      expect(child.kill('SIGKILL')).toBe(true)
      expect(await exited).toMatchObject({ code: null, signal: 'SIGKILL' })
      // The killed process left the plan unfinished in its file.
      const killed = (await new FileRebalancePlanStore(run.storePath).load())!
      expect(killed.status).toBe('running')

      const done = await runToEnd(run, 'resume')
      const outcome = await readOutcome(start.block)
      expect(comparable(outcome.holdings)).toEqual(comparable(reference.holdings))
      expect(outcome.nftCount).toBe(2n)
      // No transaction twice: the same number mined as without the kill, and the native balance differs from the
      // start by exactly their gas.
      expect(outcome.minedTxs).toBe(reference.minedTxs)
      expect(start.nativeWei - outcome.nativeWei).toBe(outcome.gasPaidWei)
      // The store names exactly the positions found by enumeration.
      const saved = (await new FileRebalancePlanStore(run.storePath).load())!
      expect(saved.status).toBe('done')
      expect(saved.steps.map((x) => x.status)).toEqual(['done', 'done', 'done', 'done'])
      const minted = saved.steps.flatMap((x) => (x.kind === 'mint' && x.result ? [x.result.tokenId] : []))
      expect(minted).toEqual(outcome.holdings.positions.map((p) => p.tokenId))
      expect(done.minted).toEqual(minted.map(String))
    },
    30_000,
  )

  it('killed again and again: each new process (resumeRebalancePlan and the LP manager start(), in turn) is SIGKILLed at the next boundary it reaches, until one finishes; same holdings as the uninterrupted run', async () => {
    expect(reference).toBeDefined()
    const start = await restore()
    const run = await writePlan('chain')
    const kills: string[] = []
    let killFrom = 0
    let mode: Mode = 'execute'
    let done: Done | null = null
    for (let processes = 1; done === null; processes++) {
      expect(processes).toBeLessThanOrEqual(17) // one kill per boundary at most, then the finisher
      const child = startChild(run, mode, killFrom)
      const exited = waitForExit(child)
      const boundary = await Promise.race([waitForLine(child, 'BOUNDARY').catch(() => null), exited.then(() => null)])
      if (boundary === null) {
        done = parseDone(await exited)
        break
      }
      expect(child.kill('SIGKILL')).toBe(true)
      expect(await exited).toMatchObject({ code: null, signal: 'SIGKILL' })
      const [, index, point] = boundary.split(' ')
      const number = boundaryNumber(Number(index), point as Point)
      expect(number).toBeGreaterThanOrEqual(killFrom)
      kills.push(`${index} ${point}`)
      killFrom = number + 1
      mode = mode === 'resume' ? 'manager' : 'resume'
    }
    // Every step was killed after its signature, after its broadcast and once saved (afterReceipt is reached only
    // when the resumer itself waits for a receipt; the cases above kill there).
    for (const index of [0, 1, 2, 3])
      for (const point of ['afterSign', 'afterBroadcast', 'afterStep'] as const)
        expect(kills).toContain(`${index} ${point}`)
    expect(done.status).toBe('done')
    const outcome = await readOutcome(start.block)
    expect(comparable(outcome.holdings)).toEqual(comparable(reference.holdings))
    expect(outcome.nftCount).toBe(2n)
    expect(outcome.minedTxs).toBe(reference.minedTxs)
    expect(start.nativeWei - outcome.nativeWei).toBe(outcome.gasPaidWei)
    expect(done.minted).toEqual(outcome.holdings.positions.map((p) => String(p.tokenId)))
    if (mode === 'manager') {
      // The manager's executor cleared the finished plan, and the manager holds exactly the minted positions.
      expect(done.storeCleared).toBe(true)
      expect(done.ranges).toEqual(done.minted)
    }
  }, 60_000)
})
