import { loadUniswapArtifact, type UniswapArtifactName } from '@alp/venue-sim/chain'
import { type Fragment, type FunctionFragment, Interface } from 'ethers'
import { describe, expect, it } from 'vitest'
import { nonfungiblePositionManagerAbi } from '../src/chain/abi/nonfungiblePositionManagerAbi.js'
import { quoterV2Abi } from '../src/chain/abi/quoterV2Abi.js'
import { swapRouterAbi } from '../src/chain/abi/swapRouterAbi.js'
import { uniswapV3PoolAbi } from '../src/chain/abi/uniswapV3PoolAbi.js'

const cases: [string, readonly string[], UniswapArtifactName][] = [
  ['UniswapV3Pool', uniswapV3PoolAbi, 'UniswapV3Pool'],
  ['NonfungiblePositionManager', nonfungiblePositionManagerAbi, 'NonfungiblePositionManager'],
  ['SwapRouter', swapRouterAbi, 'SwapRouter'],
  ['QuoterV2', quoterV2Abi, 'QuoterV2'],
]

/**
 * Everything the encoding depends on: for functions the selector signature, mutability and named outputs (input names
 * are not part of the ABI encoding and the artifact omits some); for events the full form (names, indexed flags).
 */
function describeFragment(fragment: Fragment): string {
  if (fragment.type !== 'function') return fragment.format('full')
  const f = fragment as FunctionFragment
  return `${f.format('sighash')} ${f.stateMutability} returns (${f.outputs.map((o) => o.format('full')).join(', ')})`
}

describe.each(cases)('the human-readable %s ABI', (_name, abi, artifactName) => {
  it('matches the official npm artifact fragment for fragment (names, types, outputs, indexed flags)', () => {
    const ours = new Interface(abi)
    const official = new Interface(loadUniswapArtifact(artifactName).abi)
    expect(ours.fragments.length).toBe(abi.length)
    for (const fragment of ours.fragments) {
      if (fragment.type === 'function') {
        const name = (fragment as unknown as { name: string }).name
        const theirs = official.getFunction(name)
        expect(theirs, name).not.toBeNull()
        expect(describeFragment(fragment)).toBe(describeFragment(theirs!))
      } else if (fragment.type === 'event') {
        const name = (fragment as unknown as { name: string }).name
        const theirs = official.getEvent(name)
        expect(theirs, name).not.toBeNull()
        expect(describeFragment(fragment)).toBe(describeFragment(theirs!))
      }
    }
  })
})
