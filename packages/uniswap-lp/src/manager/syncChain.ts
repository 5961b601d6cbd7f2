import { toBeHex, zeroPadValue } from 'ethers'
import { positionManagerInterface } from '../chain/interfaces.js'
import { applyLedgerBlock, type LedgerContext, ledgerTxHashesOfInterest } from './applyLedgerBlock.js'
import type { BlockHeader, ChainLog, ChainSource } from './chainTypes.js'
import { ChainMovedError, ReorgTooDeepError } from './errors.js'
import { appendLedgerEntry, ledgerHead, rollbackLedger } from './ledger.js'
import type { Ledger } from './ledgerState.js'

export type SyncChainParameters = {
  ledger: Ledger
  source: ChainSource
  ctx: LedgerContext
  /** Act only on blocks at least this deep: the target is head − confirmations. */
  confirmations: number
  /** Most blocks per eth_getLogs call. */
  maxBlockRange: number
}

export type SyncChainReturnType = {
  ledger: Ledger
  /** Set when a reorg was found: the last common block and the processed block it replaced. */
  reorg: { commonBlock: number; replacedHead: number } | null
  /** Blocks covered by this step (0 when already at the target). */
  blocks: number
  /** Logs applied. */
  logs: number
  /** head − confirmations minus the new processed block (0: caught up). */
  behind: number
}

export type SyncChainErrorType = ChainMovedError | ReorgTooDeepError | Error

/**
 * One step of the follower: checks that the processed block is still canonical (else rolls back to the last common
 * kept block), then reads the pool's logs and the position manager's logs that concern the owner for the next
 * confirmed block range with eth_getLogs (readRangeLogs) and applies them block by block. All reads happen before anything is applied, and the result is a new
 * ledger: a failed or interrupted step changes nothing, so the caller may simply retry. Consistency checks: the range's
 * last block hash is read before and after the logs, every log's block hash must equal its block's header, and the
 * processed block is re-checked at the end (any mismatch → ChainMovedError, nothing applied).
 * @throws {SyncChainErrorType}
 */
export async function syncChain(p: SyncChainParameters): Promise<SyncChainReturnType> {
  const { source, ctx } = p
  let ledger = p.ledger
  const chainHead = await source.getBlockNumber()
  const target = chainHead - p.confirmations
  let reorg: SyncChainReturnType['reorg'] = null

  // 1. Is the processed block still canonical? A changed hash is believed only when a second read agrees (a lagging
  //    or flaky node behind a load balancer must not trigger a roll-back); then walk back over the kept entries. A
  //    false mismatch during the walk only rolls back further (always safe: every kept entry is a full state).
  const processed = ledgerHead(ledger)
  const now = await source.getBlockHeader(processed.number)
  if (!sameHash(now, processed.hash)) {
    const again = await source.getBlockHeader(processed.number)
    if (again?.hash.toLowerCase() !== now?.hash.toLowerCase())
      throw new ChainMovedError({ blockNumber: processed.number, reason: 'two reads of the processed block disagree' })
    let common: number | null = null
    for (let i = ledger.entries.length - 2; i >= 0; i--) {
      const entry = ledger.entries[i]!
      if (sameHash(await source.getBlockHeader(entry.number), entry.hash)) {
        common = entry.number
        break
      }
    }
    if (common === null) {
      const oldest = ledger.entries[0]!
      if (sameHash(await source.getBlockHeader(oldest.number), oldest.hash))
        throw new ChainMovedError({ blockNumber: oldest.number, reason: 'the oldest kept block answered two ways' })
      throw new ReorgTooDeepError({ processedBlock: processed.number, oldestKeptBlock: oldest.number })
    }
    ledger = rollbackLedger(ledger, common)
    reorg = { commonBlock: common, replacedHead: processed.number }
  }

  const base = ledgerHead(ledger)
  const from = base.number + 1
  if (from > target) return { ledger, reorg, blocks: 0, logs: 0, behind: Math.max(0, target - base.number) }
  const to = Math.min(target, from + p.maxBlockRange - 1)

  // 2. Read everything for [from, to].
  const before = await requireHeader(source, to)
  const logs = await readRangeLogs(source, ctx, base.state.tokenIds, from, to)
  for (const log of logs) {
    if (log.removed === true) throw new ChainMovedError({ blockNumber: log.blockNumber, reason: 'a removed log' })
    if (log.blockNumber < from || log.blockNumber > to)
      throw new ChainMovedError({ blockNumber: log.blockNumber, reason: `a log outside [${from}, ${to}]` })
  }
  const byBlock = new Map<number, ChainLog[]>()
  for (const log of logs) {
    const list = byBlock.get(log.blockNumber)
    if (list === undefined) byBlock.set(log.blockNumber, [log])
    else list.push(log)
  }
  const numbers = [...byBlock.keys()].sort((a, b) => a - b)
  const headers = new Map<number, BlockHeader>()
  for (const n of numbers) headers.set(n, n === to ? before : await requireHeader(source, n))
  for (const log of logs) {
    if (headers.get(log.blockNumber)!.hash.toLowerCase() !== log.blockHash.toLowerCase())
      throw new ChainMovedError({ blockNumber: log.blockNumber, reason: 'a log from another fork' })
  }
  const interest = ledgerTxHashesOfInterest(base.state, logs, ctx)
  const gasByTx = interest.length === 0 ? {} : await source.getTxGas(interest)
  const after = await requireHeader(source, to)
  if (after.hash.toLowerCase() !== before.hash.toLowerCase())
    throw new ChainMovedError({ blockNumber: to, reason: 'the range end changed hash' })
  if (!sameHash(await source.getBlockHeader(base.number), base.hash))
    throw new ChainMovedError({ blockNumber: base.number, reason: 'the processed block changed hash' })

  // 3. Apply, block by block (pure).
  let state = base.state
  for (const n of numbers) {
    const header = headers.get(n)!
    state = applyLedgerBlock(
      state,
      { number: n, hash: header.hash, timestampSec: header.timestampSec, logs: byBlock.get(n)!, gasByTx },
      ctx,
    )
    ledger = appendLedgerEntry(ledger, { number: n, hash: header.hash.toLowerCase(), state })
  }
  if (ledgerHead(ledger).number !== to)
    ledger = appendLedgerEntry(ledger, { number: to, hash: before.hash.toLowerCase(), state })
  return { ledger, reorg, blocks: to - base.number, logs: logs.length, behind: target - to }
}

const pmTopics = {
  transfer: positionManagerInterface.getEvent('Transfer')!.topicHash,
  increase: positionManagerInterface.getEvent('IncreaseLiquidity')!.topicHash,
  decrease: positionManagerInterface.getEvent('DecreaseLiquidity')!.topicHash,
  collect: positionManagerInterface.getEvent('Collect')!.topicHash,
}

/**
 * The logs of one range that can matter: every pool log; of the position manager (shared by every pool and every LP,
 * so never read whole) only NFT transfers to or from the owner and the liquidity/collect logs of our token ids plus
 * the ids transferred to the owner in the range. Deduplicated, in chain order.
 */
async function readRangeLogs(
  source: ChainSource,
  ctx: LedgerContext,
  tokenIds: readonly string[],
  fromBlock: number,
  toBlock: number,
): Promise<ChainLog[]> {
  const range = { fromBlock, toBlock }
  const ownerTopic = zeroPadValue(ctx.owner.toLowerCase(), 32)
  const pm = ctx.positionManager
  const poolLogs = await source.getLogs({ address: ctx.pool, ...range })
  const transfersIn = await source.getLogs({ address: pm, topics: [pmTopics.transfer, null, ownerTopic], ...range })
  const transfersOut = await source.getLogs({ address: pm, topics: [pmTopics.transfer, ownerTopic], ...range })
  const ids = new Set(tokenIds.map((id) => BigInt(id)))
  for (const log of transfersIn) ids.add(BigInt(log.topics[3] ?? '0'))
  const idLogs =
    ids.size === 0
      ? []
      : await source.getLogs({
          address: pm,
          topics: [[pmTopics.increase, pmTopics.decrease, pmTopics.collect], [...ids].map((id) => toBeHex(id, 32))],
          ...range,
        })
  const seen = new Set<string>()
  const out: ChainLog[] = []
  for (const log of [...poolLogs, ...transfersIn, ...transfersOut, ...idLogs]) {
    const key = `${log.blockHash}:${log.logIndex}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(log)
  }
  return out.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
}

function sameHash(header: BlockHeader | null, hash: string): boolean {
  return header !== null && header.hash.toLowerCase() === hash.toLowerCase()
}

async function requireHeader(source: ChainSource, blockNumber: number): Promise<BlockHeader> {
  const header = await source.getBlockHeader(blockNumber)
  if (header === null) throw new ChainMovedError({ blockNumber, reason: 'the node has no such block' })
  return header
}
