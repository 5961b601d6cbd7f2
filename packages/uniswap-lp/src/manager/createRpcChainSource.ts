import { type BlockHeader, type ChainLog, type ChainSource, logMatchesQuery, type TxGas } from './chainTypes.js'
import { RpcReadError } from './errors.js'
import type { JsonRpc } from './jsonRpc.js'

/**
 * The follower's reads over JSON-RPC: eth_blockNumber, eth_getBlockByNumber (header only), eth_getLogs by block range
 * with an address list (no installed filters, which nodes drop), eth_getTransactionReceipt. Every answer is shape-checked;
 * a malformed one is an RpcReadError.
 */
export function createRpcChainSource(rpc: JsonRpc): ChainSource {
  return {
    async getBlockNumber() {
      return quantity('eth_blockNumber', await rpc.request('eth_blockNumber', []))
    },
    async getBlockHeader(blockNumber) {
      const r = await rpc.request('eth_getBlockByNumber', [hex(blockNumber), false])
      if (r === null) return null
      const b = object('eth_getBlockByNumber', r)
      const header: BlockHeader = {
        number: quantity('eth_getBlockByNumber', b.number),
        hash: hash32('eth_getBlockByNumber', b.hash),
        parentHash: hash32('eth_getBlockByNumber', b.parentHash),
        timestampSec: quantity('eth_getBlockByNumber', b.timestamp),
      }
      if (header.number !== blockNumber)
        throw new RpcReadError({ method: 'eth_getBlockByNumber', reason: `asked ${blockNumber}, got ${header.number}` })
      return header
    },
    async getLogs(q) {
      const r = await rpc.request('eth_getLogs', [
        {
          address: q.address.toLowerCase(),
          ...(q.topics === undefined ? {} : { topics: q.topics }),
          fromBlock: hex(q.fromBlock),
          toBlock: hex(q.toBlock),
        },
      ])
      if (!Array.isArray(r)) throw new RpcReadError({ method: 'eth_getLogs', reason: 'the result is not an array' })
      return r.map((raw): ChainLog => {
        const l = object('eth_getLogs', raw)
        const log: ChainLog = {
          blockNumber: quantity('eth_getLogs', l.blockNumber),
          blockHash: hash32('eth_getLogs', l.blockHash),
          transactionHash: hash32('eth_getLogs', l.transactionHash),
          logIndex: quantity('eth_getLogs', l.logIndex),
          address: String(l.address).toLowerCase(),
          topics: Array.isArray(l.topics) ? l.topics.map((t) => hash32('eth_getLogs', t)) : [],
          data: typeof l.data === 'string' ? l.data : '0x',
          removed: l.removed === true,
        }
        if (!logMatchesQuery(log, q))
          throw new RpcReadError({
            method: 'eth_getLogs',
            reason: `a log that does not match the query (${log.address})`,
          })
        return log
      })
    },
    async getTxGas(txHashes) {
      const out: Record<string, TxGas> = {}
      for (const txHash of txHashes) {
        const r = await rpc.request('eth_getTransactionReceipt', [txHash])
        if (r === null) continue
        const receipt = object('eth_getTransactionReceipt', r)
        const gasUsed = BigInt(quantityBig('eth_getTransactionReceipt', receipt.gasUsed))
        const price = quantityBig('eth_getTransactionReceipt', receipt.effectiveGasPrice)
        out[txHash] = { from: String(receipt.from).toLowerCase(), gasCostWei: gasUsed * price }
      }
      return out
    },
  }
}

function hex(n: number): string {
  return `0x${n.toString(16)}`
}

function object(method: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RpcReadError({ method, reason: 'the result is not an object' })
  return value as Record<string, unknown>
}

function quantityBig(method: string, value: unknown): bigint {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]+$/.test(value))
    throw new RpcReadError({ method, reason: `not a hex quantity: ${String(value).slice(0, 20)}` })
  return BigInt(value)
}

function quantity(method: string, value: unknown): number {
  const n = quantityBig(method, value)
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RpcReadError({ method, reason: 'a quantity above 2^53' })
  return Number(n)
}

function hash32(method: string, value: unknown): string {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value))
    throw new RpcReadError({ method, reason: `not a 32-byte hash: ${String(value).slice(0, 20)}` })
  return value.toLowerCase()
}
