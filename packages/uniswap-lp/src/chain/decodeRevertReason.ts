import { AbiCoder, dataSlice } from 'ethers'

const ERROR_STRING = '0x08c379a0'
const PANIC_UINT = '0x4e487b71'

/**
 * The revert reason carried by an ethers v6 / JSON-RPC error: `Error(string)` text, `Panic(uint256)` code, raw custom
 * error data, or the node's message when there is no data.
 */
export function decodeRevertReason(error: unknown): string {
  const e = error as { reason?: unknown; revert?: { args?: unknown[] } } | null
  if (e && typeof e.reason === 'string' && e.reason !== '') return e.reason
  const data = findRevertData(error)
  if (data?.startsWith(ERROR_STRING))
    return String(AbiCoder.defaultAbiCoder().decode(['string'], dataSlice(data, 4))[0])
  if (data?.startsWith(PANIC_UINT)) {
    return `panic 0x${BigInt(AbiCoder.defaultAbiCoder().decode(['uint256'], dataSlice(data, 4))[0]).toString(16)}`
  }
  if (data !== undefined && data !== '0x') return `custom error ${data}`
  if (data === '0x') return 'reverted without a reason'
  return nodeMessageOf(error) ?? 'unknown error'
}

/** The JSON-RPC error message, without ethers' appended request dump (which may hold the signed transaction). */
export function nodeMessageOf(error: unknown): string | undefined {
  const e = error as { error?: { message?: unknown }; info?: { error?: { message?: unknown } }; shortMessage?: unknown }
  if (typeof e?.info?.error?.message === 'string') return e.info.error.message
  if (typeof e?.error?.message === 'string') return e.error.message
  if (typeof e?.shortMessage === 'string') return e.shortMessage
  return undefined
}

function findRevertData(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 5) return undefined
  const e = error as { data?: unknown; error?: unknown; info?: unknown; cause?: unknown }
  if (typeof e.data === 'string' && e.data.startsWith('0x')) return e.data
  return (
    findRevertData(e.error, depth + 1) ??
    findRevertData((e.info as { error?: unknown } | undefined)?.error, depth + 1) ??
    findRevertData(e.cause, depth + 1)
  )
}
