import { id } from 'ethers'
import { describe, expect, it } from 'vitest'
import { UnknownPoolLogError } from '../errors/chain.js'
import { decodePoolLog, POOL_EVENT_TOPICS } from './decodePoolLog.js'

// First log of the USDC/WETH 0.05 % pool on 2024-01-05 (tx 0x0bb5e0dc…, log 169); expected values from
// demeter-fetch's decoded row of the same log (data/uniswap-mainnet-2024-01-05/*.tick.csv).
const swapLog = {
  topics: [
    '0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67',
    '0x0000000000000000000000003fc91a3afd70395cd496c647d5a6cc9d4b2b7fad',
    '0x0000000000000000000000003fc91a3afd70395cd496c647d5a6cc9d4b2b7fad',
  ],
  data: '0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffea5d662000000000000000000000000000000000000000000000000002386f26fc1000000000000000000000000000000000000000051fdf2fd9b2526872a9b723450f2000000000000000000000000000000000000000000000000acd43e0e7cf808c50000000000000000000000000000000000000000000000000000000000030985',
}

describe('decodePoolLog', () => {
  it('topics are the keccak256 of the v3-core event signatures', () => {
    expect(POOL_EVENT_TOPICS.swap).toBe(id('Swap(address,address,int256,int256,uint160,uint128,int24)'))
    expect(POOL_EVENT_TOPICS.mint).toBe(id('Mint(address,address,int24,int24,uint128,uint256,uint256)'))
    expect(POOL_EVENT_TOPICS.burn).toBe(id('Burn(address,int24,int24,uint128,uint256,uint256)'))
    expect(POOL_EVENT_TOPICS.collect).toBe(id('Collect(address,address,int24,int24,uint128,uint128)'))
  })

  it('decodes a real mainnet Swap (negative amount0, tick 199045)', () => {
    expect(decodePoolLog(swapLog)).toEqual({
      type: 'swap',
      sender: '0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD',
      recipient: '0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD',
      amount0Raw: -22_686_110n,
      amount1Raw: 10_000_000_000_000_000n,
      sqrtPriceX96: 1_662_995_104_975_155_420_368_771_254_341_874n,
      liquidity: 12_453_647_101_533_358_277n,
      tick: 199_045,
    })
  })

  it('refuses other events (Flash) and truncated data with UnknownPoolLogError', () => {
    const flash = { topics: [id('Flash(address,address,uint256,uint256,uint256,uint256)')], data: '0x' }
    expect(() => decodePoolLog(flash)).toThrow(UnknownPoolLogError)
    expect(() => decodePoolLog({ topics: swapLog.topics, data: swapLog.data.slice(0, 66) })).toThrow(
      UnknownPoolLogError,
    )
    expect(() => decodePoolLog({ topics: [], data: '0x' })).toThrow(UnknownPoolLogError)
  })
})
