/** One log as eth_getLogs returns it, parsed (numbers as numbers, hashes lower-case). */
export type ChainLog = {
  readonly blockNumber: number
  readonly blockHash: string
  readonly transactionHash: string
  readonly logIndex: number
  readonly address: string
  readonly topics: readonly string[]
  readonly data: string
  /** true only when a node reports the log as removed by a reorg (filters do; eth_getLogs normally does not). */
  readonly removed?: boolean | undefined
}

export type BlockHeader = {
  readonly number: number
  readonly hash: string
  readonly parentHash: string
  readonly timestampSec: number
}

/** What one of our transactions cost (from its receipt). */
export type TxGas = { readonly from: string; readonly gasCostWei: bigint }

export type LogQuery = {
  readonly address: string
  readonly topics?: readonly (string | readonly string[] | null)[] | undefined
  readonly fromBlock: number
  readonly toBlock: number
}

/** Whether a log matches a query's address and topics (eth_getLogs rules). */
export function logMatchesQuery(log: ChainLog, q: Pick<LogQuery, 'address' | 'topics'>): boolean {
  if (log.address.toLowerCase() !== q.address.toLowerCase()) return false
  return (q.topics ?? []).every((want, i) => {
    if (want === null) return true
    const have = log.topics[i]?.toLowerCase()
    if (have === undefined) return false
    return typeof want === 'string' ? have === want.toLowerCase() : want.some((w) => w.toLowerCase() === have)
  })
}

/**
 * The reads the chain follower needs. {@link createRpcChainSource} implements it over JSON-RPC (eth_getLogs by block
 * range, no filters); tests implement it in memory.
 */
export type ChainSource = {
  getBlockNumber(): Promise<number>
  /** null when the node does not have the block (yet). */
  getBlockHeader(blockNumber: number): Promise<BlockHeader | null>
  /** eth_getLogs semantics: one address; `topics[i]` null = any, a string = that topic, a list = any of them. */
  getLogs(p: LogQuery): Promise<readonly ChainLog[]>
  /** Gas paid by each transaction (missing entries: no receipt). */
  getTxGas(txHashes: readonly string[]): Promise<Readonly<Record<string, TxGas>>>
}
