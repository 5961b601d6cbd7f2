import type { BlockTag, Interface, Provider, Result } from 'ethers'
import { ChainReadError } from '../errors/chain.js'

export type CallContractParameters = {
  to: string
  iface: Interface
  functionName: string
  args?: readonly unknown[] | undefined
  /** Read at this block (a number keeps several reads consistent). Default 'latest'. */
  blockTag?: BlockTag | undefined
  /** eth_call sender (matters for calls that check msg.sender). */
  from?: string | undefined
}

export type CallContractErrorType = ChainReadError

/** One eth_call, decoded; any failure becomes `ChainReadError` naming the function and address. */
export async function callContract(provider: Provider, p: CallContractParameters): Promise<Result> {
  try {
    const data = p.iface.encodeFunctionData(p.functionName, p.args ?? [])
    const result = await provider.call({
      to: p.to,
      data,
      blockTag: p.blockTag ?? 'latest',
      ...(p.from ? { from: p.from } : {}),
    })
    return p.iface.decodeFunctionResult(p.functionName, result)
  } catch (cause) {
    throw new ChainReadError({ what: `${p.functionName}()`, address: p.to, cause })
  }
}
