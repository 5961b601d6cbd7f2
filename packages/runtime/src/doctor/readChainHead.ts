/** Chain id and latest block of a JSON-RPC endpoint. */
export type ChainHead = { readonly chainId: number; readonly blockNumber: number; readonly blockTimestampS: number }

/** `eth_chainId` and `eth_getBlockByNumber("latest")` over plain JSON-RPC. @throws Error naming the method. */
export async function readChainHead(rpcUrl: string, timeoutMs: number): Promise<ChainHead> {
  const call = async (method: string, params: unknown[]) => {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`)
    const body = (await res.json()) as { result?: unknown; error?: { message?: string } }
    if (body.error) throw new Error(`${method}: ${body.error.message ?? 'error'}`)
    return body.result
  }
  const chainId = Number(BigInt(String(await call('eth_chainId', []))))
  const block = (await call('eth_getBlockByNumber', ['latest', false])) as {
    number?: string
    timestamp?: string
  } | null
  if (!block?.number || !block.timestamp) throw new Error('eth_getBlockByNumber: no latest block')
  return { chainId, blockNumber: Number(BigInt(block.number)), blockTimestampS: Number(BigInt(block.timestamp)) }
}
