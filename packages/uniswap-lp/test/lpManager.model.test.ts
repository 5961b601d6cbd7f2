import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { poolInterface, positionManagerInterface } from '../src/chain/interfaces.js'
import { applyLedgerBlock, type LedgerContext } from '../src/manager/applyLedgerBlock.js'
import {
  type BlockHeader,
  type ChainLog,
  type ChainSource,
  logMatchesQuery,
  type TxGas,
} from '../src/manager/chainTypes.js'
import { ChainMovedError, RpcReadError } from '../src/manager/errors.js'
import { createLedger, ledgerHead, parseLedger, serializeLedger } from '../src/manager/ledger.js'
import type { Ledger, LedgerState } from '../src/manager/ledgerState.js'
import { syncChain } from '../src/manager/syncChain.js'
import { createPnlState } from '../src/valuation/createPnlState.js'

/**
 * Model-based test of the follower's pure state (ledger + syncChain) against an in-memory chain, over random
 * interleavings of new blocks with pool and position-manager logs, reorgs (logs removed and replaced), reorgs that
 * happen in the middle of a sync step, RPC faults, wrong-fork answers and restarts from a serialized checkpoint.
 *
 * Invariants, checked after every step that succeeded on a chain that did not move under it:
 *  I1  the processed block is on the canonical chain (its hash is the chain's hash at that height);
 *  I2  processed ≤ the highest head − confirmations the follower was ever told (it never acts on a block less deep
 *      than confirmations when it processes it), and once caught up (behind = 0) processed = head − confirmations,
 *      unless a reorg made the chain shorter under a block that stays canonical (then processed stays put);
 *  I3  the ledger state equals the fold of applyLedgerBlock over exactly the canonical blocks 1..processed, fed
 *      every receipt (so nothing is double-counted after a reorg, nothing removed is kept, and the follower asked for
 *      the gas of every transaction that matters);
 *  I4  swaps counted = canonical Swap logs up to processed.
 * A step that throws (fault, moved chain) must leave the ledger the caller holds unchanged (it is immutable), and the
 * errors are only RpcReadError or ChainMovedError. After the run, with faults off, the follower always catches up.
 */

const POOL_SWAP_TOPIC = poolInterface.getEvent('Swap')!.topicHash
const POOL = '0x00000000000000000000000000000000000000a1'
const PM = '0x00000000000000000000000000000000000000b2'
const OWNER = '0x00000000000000000000000000000000000000c3'
const OTHER = '0x00000000000000000000000000000000000000d4'

const ctx: LedgerContext = {
  pool: POOL,
  positionManager: PM,
  owner: OWNER,
  usdPricesAt: () => ({ token0: '1', token1: '2000' }),
  nativeUsdPriceAt: () => '2000',
}

type EventSpec =
  | { kind: 'swap'; toOwner: boolean; tickOffset: number }
  | { kind: 'mint'; token: number; liquidity: number }
  | { kind: 'increase'; token: number; liquidity: number }
  | { kind: 'decrease'; token: number; liquidity: number }
  | { kind: 'collect'; token: number; amount: number }
  | { kind: 'transferOut'; token: number }
  | { kind: 'foreign'; token: number }
  /** An NFT of another pool minted to the owner: no Mint log of our pool in the transaction. */
  | { kind: 'foreignMint'; token: number }

type Block = BlockHeader & { logs: ChainLog[]; gas: Record<string, TxGas> }

class MemoryChain {
  blocks: Block[] = []
  #nonce = 0
  constructor() {
    this.blocks.push(this.#block(0, `0x${'0'.repeat(64)}`, []))
  }
  #hash(): string {
    this.#nonce++
    return `0x${this.#nonce.toString(16).padStart(64, '0')}`
  }
  #block(number: number, parentHash: string, specs: EventSpec[]): Block {
    const hash = this.#hash()
    const logs: ChainLog[] = []
    const gas: Record<string, TxGas> = {}
    specs.forEach((spec, i) => {
      const tx = this.#hash()
      gas[tx] = { from: spec.kind === 'swap' && !spec.toOwner ? OTHER : OWNER, gasCostWei: BigInt(1000 + this.#nonce) }
      for (const encoded of encode(spec)) {
        logs.push({
          blockNumber: number,
          blockHash: hash,
          transactionHash: tx,
          logIndex: logs.length,
          address: encoded.address,
          topics: encoded.topics,
          data: encoded.data,
        })
      }
      void i
    })
    return { number, hash, parentHash, timestampSec: 1_700_000_000 + number * 12, logs, gas }
  }
  get head(): number {
    return this.blocks.length - 1
  }
  mine(specs: EventSpec[]): void {
    this.blocks.push(this.#block(this.blocks.length, this.blocks[this.head]!.hash, specs))
  }
  /** Drops the top `depth` blocks (never block 0) and mines `count` new ones. */
  reorg(depth: number, count: number, specs: EventSpec[][]): void {
    this.blocks.length = Math.max(1, this.blocks.length - depth)
    for (let i = 0; i < count; i++) this.mine(specs[i] ?? [])
  }
}

function encode(spec: EventSpec): { address: string; topics: string[]; data: string }[] {
  const pm = (name: string, args: unknown[]) => {
    const r = positionManagerInterface.encodeEventLog(name, args)
    return { address: PM, topics: r.topics, data: r.data }
  }
  const zero = '0x0000000000000000000000000000000000000000'
  switch (spec.kind) {
    case 'swap': {
      const tick = -200_000 + spec.tickOffset
      const r = poolInterface.encodeEventLog('Swap', [
        OTHER,
        spec.toOwner ? OWNER : OTHER,
        1000n,
        -2n,
        (1n << 96n) + BigInt(spec.tickOffset) * 1_000_000n,
        10n ** 18n,
        tick,
      ])
      return [{ address: POOL, topics: r.topics, data: r.data }]
    }
    case 'mint': {
      const mint = poolInterface.encodeEventLog('Mint', [PM, PM, -200_100, -199_900, BigInt(spec.liquidity), 1n, 1n])
      return [
        { address: POOL, topics: mint.topics, data: mint.data },
        pm('Transfer', [zero, OWNER, BigInt(spec.token)]),
        pm('IncreaseLiquidity', [BigInt(spec.token), BigInt(spec.liquidity), 1000n * BigInt(spec.liquidity), 3n]),
      ]
    }
    case 'foreignMint':
      return [
        pm('Transfer', [zero, OWNER, BigInt(200 + spec.token)]),
        pm('IncreaseLiquidity', [BigInt(200 + spec.token), 9n, 1n, 1n]),
      ]
    case 'increase':
      return [pm('IncreaseLiquidity', [BigInt(spec.token), BigInt(spec.liquidity), 7n, 11n])]
    case 'decrease':
      return [pm('DecreaseLiquidity', [BigInt(spec.token), BigInt(spec.liquidity), 5n, 2n])]
    case 'collect':
      return [pm('Collect', [BigInt(spec.token), OWNER, BigInt(spec.amount), BigInt(spec.amount * 2)])]
    case 'transferOut':
      return [pm('Transfer', [OWNER, OTHER, BigInt(spec.token)])]
    case 'foreign':
      return [pm('IncreaseLiquidity', [BigInt(100 + spec.token), 5n, 1n, 1n])]
  }
}

type Fault = { method: keyof ChainSource; kind: 'throw' | 'wrongFork' }

/** The ChainSource over the memory chain, with armed faults and an optional reorg fired after N calls. */
function source(
  chain: MemoryChain,
  faults: Fault[],
  trap: { afterCalls: number; fire: () => void } | null,
  onHead: (head: number) => void,
) {
  let calls = 0
  let moved = false
  const tick = (method: keyof ChainSource): Fault | undefined => {
    calls++
    if (trap !== null && calls === trap.afterCalls) {
      trap.fire()
      moved = true
    }
    const i = faults.findIndex((f) => f.method === method)
    if (i < 0) return undefined
    return faults.splice(i, 1)[0]
  }
  const s: ChainSource = {
    async getBlockNumber() {
      if (tick('getBlockNumber')?.kind === 'throw') throw new RpcReadError({ method: 'eth_blockNumber', reason: 'x' })
      onHead(chain.head)
      return chain.head
    },
    async getBlockHeader(n) {
      const fault = tick('getBlockHeader')
      if (fault?.kind === 'throw') throw new RpcReadError({ method: 'eth_getBlockByNumber', reason: 'x' })
      const b = chain.blocks[n]
      if (b === undefined) return null
      const header = { number: b.number, hash: b.hash, parentHash: b.parentHash, timestampSec: b.timestampSec }
      return fault?.kind === 'wrongFork' ? { ...header, hash: `0x${'f'.repeat(64)}` } : header
    },
    async getLogs(q) {
      const fault = tick('getLogs')
      if (fault?.kind === 'throw') throw new RpcReadError({ method: 'eth_getLogs', reason: 'x' })
      const logs = chain.blocks
        .slice(q.fromBlock, q.toBlock + 1)
        .flatMap((b) => b.logs)
        .filter((l) => logMatchesQuery(l, q))
      return fault?.kind === 'wrongFork' ? logs.map((l) => ({ ...l, blockHash: `0x${'e'.repeat(64)}` })) : logs
    },
    async getTxGas(hashes) {
      if (tick('getTxGas')?.kind === 'throw')
        throw new RpcReadError({ method: 'eth_getTransactionReceipt', reason: 'x' })
      const all = Object.assign({}, ...chain.blocks.map((b) => b.gas)) as Record<string, TxGas>
      return Object.fromEntries(hashes.filter((h) => all[h] !== undefined).map((h) => [h, all[h]!]))
    },
  }
  return { source: s, moved: () => moved }
}

function baselineState(): LedgerState {
  return {
    tokenIds: [],
    principalOwed: {},
    pnl: createPnlState({ decimals0: 6, decimals1: 18 }),
    feesCollected0Raw: 0n,
    feesCollected1Raw: 0n,
    gasPaidWei: 0n,
    poolLogs: 0,
    swaps: 0,
    sqrtPriceX96: 1n << 96n,
    anomalies: 0,
  }
}

/** The reference: fold every canonical block 1..upTo, with every receipt. */
function fold(chain: MemoryChain, upTo: number): LedgerState {
  let state = baselineState()
  const allGas = Object.assign({}, ...chain.blocks.map((b) => b.gas)) as Record<string, TxGas>
  for (const b of chain.blocks.slice(1, upTo + 1)) {
    if (b.logs.length === 0) continue
    state = applyLedgerBlock(
      state,
      { number: b.number, hash: b.hash, timestampSec: b.timestampSec, logs: b.logs, gasByTx: allGas },
      ctx,
    )
  }
  return state
}

const token = fc.integer({ min: 1, max: 4 })
const eventSpec: fc.Arbitrary<EventSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('swap' as const),
    toOwner: fc.boolean(),
    tickOffset: fc.integer({ min: -500, max: 500 }),
  }),
  fc.record({ kind: fc.constant('mint' as const), token, liquidity: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('increase' as const), token, liquidity: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('decrease' as const), token, liquidity: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ kind: fc.constant('collect' as const), token, amount: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('transferOut' as const), token }),
  fc.record({ kind: fc.constant('foreign' as const), token }),
  fc.record({ kind: fc.constant('foreignMint' as const), token }),
)
const blockSpecs = fc.array(eventSpec, { maxLength: 3 })
const method = fc.constantFrom<keyof ChainSource>('getBlockNumber', 'getBlockHeader', 'getLogs', 'getTxGas')

type Op =
  | { op: 'mine'; blocks: EventSpec[][] }
  | { op: 'reorg'; depth: number; blocks: EventSpec[][] }
  | { op: 'fault'; method: keyof ChainSource; kind: 'throw' | 'wrongFork' }
  | { op: 'sync'; reorgMidStep: { afterCalls: number; depth: number; blocks: EventSpec[][] } | null }
  | { op: 'restart' }

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('mine' as const),
        blocks: fc.array(blockSpecs, { minLength: 1, maxLength: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('reorg' as const),
        depth: fc.integer({ min: 1, max: 4 }),
        blocks: fc.array(blockSpecs, { maxLength: 5 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('fault' as const),
        method,
        kind: fc.constantFrom('throw' as const, 'wrongFork' as const),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('sync' as const),
        reorgMidStep: fc.option(
          fc.record({
            afterCalls: fc.integer({ min: 1, max: 6 }),
            depth: fc.integer({ min: 1, max: 3 }),
            blocks: fc.array(blockSpecs, { maxLength: 4 }),
          }),
          { freq: 4 },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
  ),
  { maxLength: 40 },
)

describe('LP manager follower: model-based over logs, reorgs, RPC faults and restarts', () => {
  it('keeps the ledger equal to the fold over the canonical chain (no double count, nothing removed kept)', async () => {
    await fc.assert(
      fc.asyncProperty(
        ops,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        async (program, confirmations, maxBlockRange) => {
          const chain = new MemoryChain()
          let ledger: Ledger = createLedger({ number: 0, hash: chain.blocks[0]!.hash, state: baselineState() }, 64)
          const faults: Fault[] = []
          let maxHeadSeen = 0
          const check = (behind: number) => {
            const head = ledgerHead(ledger)
            expect(head.hash).toBe(chain.blocks[head.number]!.hash) // I1
            expect(head.number).toBeLessThanOrEqual(Math.max(0, maxHeadSeen - confirmations)) // I2
            if (behind === 0 && chain.head - confirmations >= head.number)
              expect(head.number).toBe(Math.max(0, chain.head - confirmations))
            const expected = fold(chain, head.number)
            expect(head.state).toEqual(expected) // I3
            const swaps = chain.blocks
              .slice(1, head.number + 1)
              .flatMap((b) => b.logs)
              .filter((l) => l.topics[0] === POOL_SWAP_TOPIC).length
            expect(head.state.swaps).toBe(swaps) // I4
          }
          const step = async (trap: { afterCalls: number; fire: () => void } | null) => {
            const s = source(chain, faults, trap, (h) => {
              maxHeadSeen = Math.max(maxHeadSeen, h)
            })
            const before = ledger
            let r: Awaited<ReturnType<typeof syncChain>>
            try {
              r = await syncChain({ ledger, source: s.source, ctx, confirmations, maxBlockRange })
            } catch (error) {
              expect(error instanceof RpcReadError || error instanceof ChainMovedError, String(error)).toBe(true)
              expect(ledger).toBe(before)
              return null
            }
            ledger = r.ledger
            if (!s.moved()) check(r.behind)
            return r
          }
          for (const op of program) {
            switch (op.op) {
              case 'mine':
                for (const specs of op.blocks) chain.mine(specs)
                break
              case 'reorg':
                chain.reorg(op.depth, op.blocks.length, op.blocks)
                break
              case 'fault':
                faults.push({ method: op.method, kind: op.kind })
                break
              case 'restart':
                ledger = parseLedger(serializeLedger(ledger))
                break
              case 'sync': {
                const m = op.reorgMidStep
                await step(
                  m === null
                    ? null
                    : { afterCalls: m.afterCalls, fire: () => chain.reorg(m.depth, m.blocks.length, m.blocks) },
                )
                break
              }
            }
          }
          // Faults off: the follower catches up and satisfies every invariant.
          faults.length = 0
          for (let i = 0; i < 200; i++) {
            const r = await step(null)
            expect(r).not.toBeNull()
            if (r!.behind === 0) break
          }
          check(0)
        },
      ),
      { numRuns: 300 },
    )
  }, 120_000)
})
