import { Interface } from 'ethers'
import { RpcReadError } from './errors.js'
import type { JsonRpc } from './jsonRpc.js'

/** Multicall3's address on every chain it is deployed to (https://www.multicall3.com). */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11'

const multicall3Interface = new Interface([
  'function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)',
])

export type BatchCall = { readonly target: string; readonly data: string }
export type BatchCallResult = { readonly success: boolean; readonly returnData: string }

/**
 * Reads many eth_calls at one block. `multicall3`: one eth_call to Multicall3.aggregate3 per batch; `individual`: one
 * eth_call per read (the fallback on chains without Multicall3, reported by `mode`). `rpcCalls` counts eth_calls sent.
 */
export type BatchReader = {
  readonly mode: 'multicall3' | 'individual'
  readonly rpcCalls: number
  read(calls: readonly BatchCall[], blockNumber: number): Promise<BatchCallResult[]>
}

export type CreateBatchReaderParameters = {
  rpc: JsonRpc
  /** Default MULTICALL3_ADDRESS; null forces one call per read. */
  multicall3?: string | null | undefined
}

/**
 * Picks the batching mode once: Multicall3 when it has code on this chain, otherwise one call per read.
 * @throws RpcReadError when the code check itself fails (retry).
 */
export async function createBatchReader(p: CreateBatchReaderParameters): Promise<BatchReader> {
  const address = p.multicall3 === undefined ? MULTICALL3_ADDRESS : p.multicall3
  let mode: BatchReader['mode'] = 'individual'
  if (address !== null) {
    const code = await p.rpc.request('eth_getCode', [address, 'latest'])
    if (typeof code !== 'string') throw new RpcReadError({ method: 'eth_getCode', reason: 'not a hex string' })
    if (code !== '0x' && code !== '0x0') mode = 'multicall3'
  }
  let rpcCalls = 0
  const ethCall = async (to: string, data: string, blockNumber: number): Promise<string> => {
    rpcCalls++
    const r = await p.rpc.request('eth_call', [{ to, data }, `0x${blockNumber.toString(16)}`])
    if (typeof r !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(r))
      throw new RpcReadError({ method: 'eth_call', reason: 'the result is not hex data' })
    return r
  }
  return {
    get mode() {
      return mode
    },
    get rpcCalls() {
      return rpcCalls
    },
    async read(calls, blockNumber) {
      if (calls.length === 0) return []
      if (mode === 'individual') {
        const out: BatchCallResult[] = []
        for (const c of calls) out.push({ success: true, returnData: await ethCall(c.target, c.data, blockNumber) })
        return out
      }
      const data = multicall3Interface.encodeFunctionData('aggregate3', [
        calls.map((c) => ({ target: c.target, allowFailure: true, callData: c.data })),
      ])
      const raw = await ethCall(address!, data, blockNumber)
      let decoded: { success: boolean; returnData: string }[]
      try {
        decoded = multicall3Interface.decodeFunctionResult('aggregate3', raw)[0]
      } catch (cause) {
        throw new RpcReadError({ method: 'eth_call', reason: 'Multicall3 returned undecodable data', cause })
      }
      if (decoded.length !== calls.length)
        throw new RpcReadError({ method: 'eth_call', reason: `Multicall3 returned ${decoded.length} results` })
      return decoded.map((r) => ({ success: Boolean(r.success), returnData: String(r.returnData) }))
    },
  }
}
