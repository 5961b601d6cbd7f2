import { createPool } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { discoverPositions } from '../src/chain/discoverPositions.js'
import { executeMint } from '../src/chain/executeMint.js'
import { planMint } from '../src/chain/planMint.js'
import { readNftPosition } from '../src/chain/readNftPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
import { type ChainFixture, setupChainFixture } from './src/chainFixture.js'

/**
 * Runtime code of Multicall3's aggregate3 (mds1/multicall, MIT): this Solidity, compiled with solc 0.8.37
 * (optimizer 200 runs, evmVersion paris), installed with anvil_setCode at the canonical address:
 *
 *   function aggregate3(Call3[] calldata calls) public payable returns (Result[] memory returnData) {
 *     returnData = new Result[](calls.length);
 *     for (uint256 i = 0; i < calls.length; i++) {
 *       (returnData[i].success, returnData[i].returnData) = calls[i].target.call(calls[i].callData);
 *       require(calls[i].allowFailure || returnData[i].success, "Multicall3: call failed");
 *     }
 *   }
 */
const MULTICALL3_RUNTIME =
  '0x60806040526004361061001e5760003560e01c806382ad56cb14610023575b600080fd5b610036610031366004610204565b61004c565b604051610043919061027b565b60405180910390f35b6060818067ffffffffffffffff81111561006857610068610330565b6040519080825280602002602001820160405280156100ae57816020015b6040805180820190915260008152606060208201528152602001906001900390816100865790505b50915060005b818110156101fc57368585838181106100cf576100cf610346565b90506020028101906100e1919061035c565b905060008483815181106100f7576100f7610346565b60200260200101519050816000016020810190610114919061037c565b6001600160a01b031661012a60408401846103ac565b6040516101389291906103fa565b6000604051808303816000865af19150503d8060008114610175576040519150601f19603f3d011682016040523d82523d6000602084013e61017a565b606091505b506020808401919091529015158252610199906040840190840161040a565b806101a2575080515b6101f25760405162461bcd60e51b815260206004820152601760248201527f4d756c746963616c6c333a2063616c6c206661696c6564000000000000000000604482015260640160405180910390fd5b50506001016100b4565b505092915050565b6000806020838503121561021757600080fd5b823567ffffffffffffffff81111561022e57600080fd5b8301601f8101851361023f57600080fd5b803567ffffffffffffffff81111561025657600080fd5b8560208260051b840101111561026b57600080fd5b6020919091019590945092505050565b6000602082016020835280845180835260408501915060408160051b86010192506020860160005b8281101561032457603f1987860301845281518051151586526020810151905060406020870152805180604088015260005b818110156102f257602081840181015160608a84010152016102d5565b506000606082890101526060601f19601f830116880101965050506020820191506020840193506001810190506102a3565b50929695505050505050565b634e487b7160e01b600052604160045260246000fd5b634e487b7160e01b600052603260045260246000fd5b60008235605e1983360301811261037257600080fd5b9190910192915050565b60006020828403121561038e57600080fd5b81356001600160a01b03811681146103a557600080fd5b9392505050565b6000808335601e198436030181126103c357600080fd5b83018035915067ffffffffffffffff8211156103de57600080fd5b6020019150368190038213156103f357600080fd5b9250929050565b8183823760009101908152919050565b60006020828403121561041c57600080fd5b813580151581146103a557600080fdfea2646970667358221220f2cc133113babbc71eb2003c2a70eb7e75b17e11db559530087467f5e547ed5964736f6c63430008250033'
const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11'

let f: ChainFixture
beforeAll(async () => {
  f = await setupChainFixture()
})
afterAll(async () => {
  await f?.chain.stop()
})
beforeEach(async () => {
  await f.reset()
})

async function mintRange(offsetSpacings: number, widthSpacings: number): Promise<bigint> {
  const state = await readPoolState(f.chain.provider, f.pool.pool)
  const center = nearestUsableTick(state.tick, f.pool.tickSpacing) + offsetSpacings * f.pool.tickSpacing
  const plan = planMint({
    pool: f.pool,
    sqrtPriceX96: state.sqrtPriceX96,
    tickCurrent: state.tick,
    tickLower: center - widthSpacings * f.pool.tickSpacing,
    tickUpper: center + widthSpacings * f.pool.tickSpacing,
    amount0DesiredRaw: f.pool.token0 === f.usdc ? 2_000n * 10n ** 6n : 1n * 10n ** 18n,
    amount1DesiredRaw: f.pool.token1 === f.usdc ? 2_000n * 10n ** 6n : 1n * 10n ** 18n,
    slippageBps: f.guards.slippageBps,
  })
  return (await executeMint(f.context(), plan)).tokenId
}

describe('discoverPositions: our NFTs in one pool, found again after a restart', () => {
  it('finds every NFT of the owner in the pool (not another pool, not another owner), with ticks and liquidity; per-call without Multicall3, batched with it, same answer', async () => {
    const owner = await f.lp.getAddress()
    const ours = [await mintRange(0, 3), await mintRange(2, 5), await mintRange(-1, 2)]
    // Another pool (same tokens, 0.3 %) where the LP also holds an NFT: must not be returned.
    const other = await createPool(f.chain, { tokenA: f.weth, tokenB: f.usdc, feePips: 3000, priceBPerA: '2000' })
    const { addLiquidity } = await import('@alp/venue-sim/chain')
    await addLiquidity(f.chain, {
      pool: other,
      from: owner,
      amount0DesiredRaw: other.token0 === f.usdc ? 1_000n * 10n ** 6n : 10n ** 18n,
      amount1DesiredRaw: other.token1 === f.usdc ? 1_000n * 10n ** 6n : 10n ** 18n,
    })
    const query = { positionManager: f.chain.uniswap.positionManager, owner, pool: f.pool }

    // anvil has no Multicall3: one eth_call per read (balanceOf + 4 tokenOfOwnerByIndex + 4 positions), said so.
    expect(await f.chain.provider.getCode(MULTICALL3)).toBe('0x')
    const perCall = await discoverPositions(f.chain.provider, query)
    expect(perCall.batching).toBe('per-call')
    expect(perCall.ownedCount).toBe(4)
    expect(perCall.rpcCalls).toBe(1 + 4 + 4)
    expect(perCall.positions.map((p) => p.tokenId)).toEqual(ours)
    for (const p of perCall.positions) {
      const direct = await readNftPosition(f.chain.provider, {
        positionManager: query.positionManager,
        tokenId: p.tokenId,
      })
      expect(p).toEqual(direct)
      expect(p.liquidity).toBeGreaterThan(0n)
    }

    await f.chain.provider.send('anvil_setCode', [MULTICALL3, MULTICALL3_RUNTIME])
    const batched = await discoverPositions(f.chain.provider, query)
    expect(batched.batching).toBe('multicall3')
    expect(batched.rpcCalls).toBe(3)
    expect(batched.positions).toEqual(perCall.positions)
    // Batches of 2 reads: balanceOf (1) + tokenOfOwnerByIndex (2 batches) + positions (2 batches).
    const small = await discoverPositions(f.chain.provider, { ...query, batchSize: 2 })
    expect(small.rpcCalls).toBe(5)
    expect(small.positions).toEqual(perCall.positions)
    // multicall3: null forces one call per read even where Multicall3 exists.
    expect((await discoverPositions(f.chain.provider, { ...query, multicall3: null })).batching).toBe('per-call')

    // Another owner holds nothing here.
    const nobody = await discoverPositions(f.chain.provider, { ...query, owner: f.trader })
    expect([nobody.ownedCount, nobody.positions.length]).toEqual([0, 0])
  })
})
