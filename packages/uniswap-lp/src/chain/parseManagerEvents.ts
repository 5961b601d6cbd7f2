import type { TransactionReceipt } from 'ethers'
import { positionManagerInterface } from './interfaces.js'

/** The position manager's events in one receipt, decoded. */
export type ManagerEvents = {
  readonly increase: readonly { tokenId: bigint; liquidity: bigint; amount0Raw: bigint; amount1Raw: bigint }[]
  readonly decrease: readonly { tokenId: bigint; liquidity: bigint; amount0Raw: bigint; amount1Raw: bigint }[]
  readonly collect: readonly { tokenId: bigint; recipient: string; amount0Raw: bigint; amount1Raw: bigint }[]
  /** ERC-721 transfers (mint: from = zero address; burn: to = zero address). */
  readonly transfer: readonly { from: string; to: string; tokenId: bigint }[]
}

/** Decodes IncreaseLiquidity, DecreaseLiquidity, Collect and Transfer logs emitted by `positionManager`. */
export function parseManagerEvents(receipt: TransactionReceipt, positionManager: string): ManagerEvents {
  const events = { increase: [], decrease: [], collect: [], transfer: [] } as {
    increase: ManagerEvents['increase'][number][]
    decrease: ManagerEvents['decrease'][number][]
    collect: ManagerEvents['collect'][number][]
    transfer: ManagerEvents['transfer'][number][]
  }
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== positionManager.toLowerCase()) continue
    const parsed = positionManagerInterface.parseLog({ topics: [...log.topics], data: log.data })
    if (parsed === null) continue
    const a = parsed.args
    switch (parsed.name) {
      case 'IncreaseLiquidity':
        events.increase.push({
          tokenId: a.tokenId,
          liquidity: a.liquidity,
          amount0Raw: a.amount0,
          amount1Raw: a.amount1,
        })
        break
      case 'DecreaseLiquidity':
        events.decrease.push({
          tokenId: a.tokenId,
          liquidity: a.liquidity,
          amount0Raw: a.amount0,
          amount1Raw: a.amount1,
        })
        break
      case 'Collect':
        events.collect.push({
          tokenId: a.tokenId,
          recipient: a.recipient,
          amount0Raw: a.amount0,
          amount1Raw: a.amount1,
        })
        break
      case 'Transfer':
        events.transfer.push({ from: a.from, to: a.to, tokenId: a.tokenId })
        break
    }
  }
  return events
}
