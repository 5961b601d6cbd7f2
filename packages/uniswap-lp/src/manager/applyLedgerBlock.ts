import { decodePoolLog, POOL_EVENT_TOPICS } from '../chain/decodePoolLog.js'
import { positionManagerInterface } from '../chain/interfaces.js'
import { applyPnlEvent } from '../valuation/applyPnlEvent.js'
import type { PnlEvent } from '../valuation/pnlTypes.js'
import type { UsdPrices } from '../valuation/valueInUsd.js'
import type { ChainLog, TxGas } from './chainTypes.js'
import type { LedgerState } from './ledgerState.js'

/** Who we are and how events are priced. Addresses in any case. */
export type LedgerContext = {
  pool: string
  positionManager: string
  owner: string
  /** USD prices of token0/token1 at a pool price (the manager's price source). */
  usdPricesAt(sqrtPriceX96: bigint): UsdPrices
  /** USD per whole native token, for gas. */
  nativeUsdPriceAt(sqrtPriceX96: bigint): string
}

export type LedgerBlock = {
  readonly number: number
  readonly hash: string
  readonly timestampSec: number
  /** Logs of the pool and of the position manager in this block, any order (sorted by logIndex here). */
  readonly logs: readonly ChainLog[]
  /** Receipts' gas for the transactions the follower asked about (see ledgerTxHashesOfInterest). */
  readonly gasByTx: Readonly<Record<string, TxGas>>
}

const pmTopics = {
  transfer: positionManagerInterface.getEvent('Transfer')!.topicHash,
  increase: positionManagerInterface.getEvent('IncreaseLiquidity')!.topicHash,
  decrease: positionManagerInterface.getEvent('DecreaseLiquidity')!.topicHash,
  collect: positionManagerInterface.getEvent('Collect')!.topicHash,
}
const ZERO_TOPIC = `0x${'0'.repeat(64)}`

/**
 * Transactions that minted liquidity in our pool (a pool Mint log). An NFT transferred to the owner becomes one of
 * ours only in such a transaction (the position manager's mint): the owner's NFTs of other pools never enter the
 * ledger or its PnL. An NFT of this pool received from elsewhere is found by discovery on the next start.
 */
function poolMintTxs(logs: readonly ChainLog[], pool: string): Set<string> {
  const out = new Set<string>()
  for (const log of logs)
    if (log.address.toLowerCase() === pool && log.topics[0]?.toLowerCase() === POOL_EVENT_TOPICS.mint)
      out.add(log.transactionHash)
  return out
}

/** The transactions whose receipts the follower must fetch for this block: ours that touch our positions or swap. */
export function ledgerTxHashesOfInterest(
  state: LedgerState,
  logs: readonly ChainLog[],
  ctx: Pick<LedgerContext, 'pool' | 'positionManager' | 'owner'>,
): string[] {
  const ids = new Set(state.tokenIds)
  const owner = ctx.owner.toLowerCase()
  const minting = poolMintTxs(logs, ctx.pool.toLowerCase())
  const out = new Set<string>()
  for (const log of sortLogs(logs)) {
    const address = log.address.toLowerCase()
    const topic0 = log.topics[0]?.toLowerCase()
    if (address === ctx.positionManager.toLowerCase()) {
      if (topic0 === pmTopics.transfer) {
        const to = topicAddress(log.topics[2])
        const tokenId = BigInt(log.topics[3] ?? '0').toString()
        if (to === owner && minting.has(log.transactionHash)) ids.add(tokenId)
      }
      const tokenId = log.topics[topic0 === pmTopics.transfer ? 3 : 1]
      if (tokenId !== undefined && ids.has(BigInt(tokenId).toString())) out.add(log.transactionHash)
    } else if (address === ctx.pool.toLowerCase() && topic0 === POOL_EVENT_TOPICS.swap) {
      if (topicAddress(log.topics[2]) === owner) out.add(log.transactionHash)
    }
  }
  return [...out]
}

/**
 * Applies one canonical block to the ledger state (pure; the input is not modified). Position-manager logs of our
 * token ids become PnL events (IncreaseLiquidity → deposit, DecreaseLiquidity → withdraw, Collect → fees beyond the
 * principal owed), NFT transfers to/from the owner add/remove token ids, pool Swap logs move the valuation price, and
 * the gas of our transactions (receipt.from = owner) is charged once per transaction.
 */
export function applyLedgerBlock(state: LedgerState, block: LedgerBlock, ctx: LedgerContext): LedgerState {
  const owner = ctx.owner.toLowerCase()
  const pool = ctx.pool.toLowerCase()
  const pm = ctx.positionManager.toLowerCase()
  const tsMs = Math.max(block.timestampSec * 1000, state.pnl.lastTsMs ?? 0)
  const ids = new Set(state.tokenIds)
  const minting = poolMintTxs(block.logs, pool)
  const principalOwed = { ...state.principalOwed }
  let { pnl, feesCollected0Raw, feesCollected1Raw, gasPaidWei, poolLogs, swaps, sqrtPriceX96, anomalies } = state
  const apply = (event: PnlEvent) => {
    try {
      pnl = applyPnlEvent(pnl, event)
    } catch (error) {
      // A withdraw the baseline cannot explain (position opened before the manager's first start with a burn of more
      // than it saw): counted, never silently folded in.
      if (error instanceof Error && 'code' in error) anomalies++
      else throw error
    }
  }
  const charged = new Set<string>()
  const chargeGas = (txHash: string) => {
    const gas = block.gasByTx[txHash]
    if (gas === undefined || charged.has(txHash) || gas.from.toLowerCase() !== owner) return
    charged.add(txHash)
    gasPaidWei += gas.gasCostWei
    apply({ type: 'gas', tsMs, gasCostWei: gas.gasCostWei, nativeUsdPrice: ctx.nativeUsdPriceAt(sqrtPriceX96) })
  }
  for (const log of sortLogs(block.logs)) {
    const address = log.address.toLowerCase()
    const topic0 = log.topics[0]?.toLowerCase()
    if (address === pool) {
      const event = decodePoolLog(log)
      poolLogs++
      if (event.type === 'swap') {
        swaps++
        sqrtPriceX96 = event.sqrtPriceX96
        if (event.recipient.toLowerCase() === owner) chargeGas(log.transactionHash)
      }
      continue
    }
    if (address !== pm) continue
    const prices = ctx.usdPricesAt(sqrtPriceX96)
    if (topic0 === pmTopics.transfer) {
      const from = topicAddress(log.topics[1])
      const to = topicAddress(log.topics[2])
      const tokenId = BigInt(log.topics[3] ?? '0').toString()
      const wasOurs = ids.has(tokenId)
      if (to === owner && minting.has(log.transactionHash)) ids.add(tokenId)
      else if (from === owner && wasOurs) {
        ids.delete(tokenId)
        if (log.topics[2]?.toLowerCase() !== ZERO_TOPIC) delete principalOwed[tokenId]
      }
      if (wasOurs || ids.has(tokenId)) chargeGas(log.transactionHash)
      continue
    }
    const tokenIdTopic = log.topics[1]
    if (tokenIdTopic === undefined) continue
    const tokenId = BigInt(tokenIdTopic).toString()
    if (!ids.has(tokenId)) continue
    chargeGas(log.transactionHash)
    if (topic0 === pmTopics.increase) {
      const e = positionManagerInterface.decodeEventLog('IncreaseLiquidity', log.data, log.topics)
      apply({
        type: 'deposit',
        positionId: tokenId,
        tsMs,
        liquidity: BigInt(e.liquidity),
        amount0Raw: BigInt(e.amount0),
        amount1Raw: BigInt(e.amount1),
        prices,
      })
    } else if (topic0 === pmTopics.decrease) {
      const e = positionManagerInterface.decodeEventLog('DecreaseLiquidity', log.data, log.topics)
      const amount0Raw = BigInt(e.amount0)
      const amount1Raw = BigInt(e.amount1)
      const owed = principalOwed[tokenId] ?? { amount0Raw: 0n, amount1Raw: 0n }
      principalOwed[tokenId] = { amount0Raw: owed.amount0Raw + amount0Raw, amount1Raw: owed.amount1Raw + amount1Raw }
      apply({
        type: 'withdraw',
        positionId: tokenId,
        tsMs,
        liquidity: BigInt(e.liquidity),
        amount0Raw,
        amount1Raw,
        prices,
      })
    } else if (topic0 === pmTopics.collect) {
      const e = positionManagerInterface.decodeEventLog('Collect', log.data, log.topics)
      const amount0Raw = BigInt(e.amount0)
      const amount1Raw = BigInt(e.amount1)
      const owed = principalOwed[tokenId] ?? { amount0Raw: 0n, amount1Raw: 0n }
      const principal0 = amount0Raw < owed.amount0Raw ? amount0Raw : owed.amount0Raw
      const principal1 = amount1Raw < owed.amount1Raw ? amount1Raw : owed.amount1Raw
      const rest = { amount0Raw: owed.amount0Raw - principal0, amount1Raw: owed.amount1Raw - principal1 }
      if (rest.amount0Raw === 0n && rest.amount1Raw === 0n) delete principalOwed[tokenId]
      else principalOwed[tokenId] = rest
      const fees0Raw = amount0Raw - principal0
      const fees1Raw = amount1Raw - principal1
      feesCollected0Raw += fees0Raw
      feesCollected1Raw += fees1Raw
      apply({ type: 'collect', positionId: tokenId, tsMs, fees0Raw, fees1Raw, prices })
    }
  }
  return {
    tokenIds: [...ids].sort(compareDecimal),
    principalOwed,
    pnl,
    feesCollected0Raw,
    feesCollected1Raw,
    gasPaidWei,
    poolLogs,
    swaps,
    sqrtPriceX96,
    anomalies,
  }
}

function sortLogs(logs: readonly ChainLog[]): ChainLog[] {
  return [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
}

function topicAddress(topic: string | undefined): string {
  return topic === undefined ? '' : `0x${topic.slice(-40)}`.toLowerCase()
}

function compareDecimal(a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}
