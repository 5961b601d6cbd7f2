import { ChainRpcError } from '../../errors/chain.js'

export type JsonRpcCall = { readonly method: string; readonly params: readonly unknown[] }

/**
 * Sends JSON-RPC calls as one HTTP batch and returns the results in call order. Any error answer throws
 * `ChainRpcError` naming the method. (The ethers provider sends one request per call; a replayed block needs several.)
 */
export async function sendJsonRpcBatch(rpcUrl: string, calls: readonly JsonRpcCall[]): Promise<unknown[]> {
  if (calls.length === 0) return []
  const body = calls.map((c, id) => ({ jsonrpc: '2.0', id, method: c.method, params: c.params }))
  let answers: { id: number; result?: unknown; error?: { code: number; message: string; data?: unknown } }[]
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    answers = (await response.json()) as typeof answers
  } catch (cause) {
    throw new ChainRpcError({ method: calls.map((c) => c.method).join(','), cause })
  }
  if (!Array.isArray(answers)) {
    throw new ChainRpcError({
      method: calls[0]!.method,
      cause: new Error(`not a batch answer: ${JSON.stringify(answers)}`),
    })
  }
  const results: unknown[] = new Array(calls.length)
  for (const answer of answers) {
    const call = calls[answer.id]
    if (call === undefined) continue
    if (answer.error !== undefined) {
      const error = Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data })
      throw new ChainRpcError({ method: call.method, cause: error })
    }
    results[answer.id] = answer.result
  }
  return results
}
