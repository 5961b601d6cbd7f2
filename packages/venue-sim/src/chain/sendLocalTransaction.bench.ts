import { Interface, toBeHex } from 'ethers'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { loadTestErc20Artifact } from './artifacts.js'
import { deployTestToken } from './deployTestToken.js'
import type { LocalChain } from './localChain.js'
import { sendLocalTransaction } from './sendLocalTransaction.js'
import { startLocalChain } from './startLocalChain.js'

// One ERC-20 mint per iteration: eth_sendTransactionSync (one round trip, receipt included) against the usual
// eth_sendTransaction + eth_getTransactionReceipt polling (what a hand-rolled `tx.wait()` replacement does).
let chain: LocalChain
let token: string
const erc20 = new Interface(loadTestErc20Artifact().abi)

beforeAll(async () => {
  chain = await startLocalChain()
  token = await deployTestToken(chain, { name: 'Bench', symbol: 'B', decimals: 18 })
})
afterAll(async () => {
  await chain?.stop()
})

describe('send a transaction and get its receipt on anvil', () => {
  bench('sendLocalTransaction (eth_sendTransactionSync)', async () => {
    await sendLocalTransaction(
      chain.provider,
      { from: chain.accounts[1]!, to: token, data: erc20.encodeFunctionData('mint', [chain.accounts[1], 1n]) },
      'mint',
    )
  })

  bench('eth_sendTransaction + receipt polling (20 ms)', async () => {
    const hash = (await chain.provider.send('eth_sendTransaction', [
      {
        from: chain.accounts[1],
        to: token,
        data: erc20.encodeFunctionData('mint', [chain.accounts[1], 1n]),
        gas: toBeHex(200_000),
      },
    ])) as string
    for (;;) {
      const receipt = await chain.provider.send('eth_getTransactionReceipt', [hash])
      if (receipt !== null) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })
})
