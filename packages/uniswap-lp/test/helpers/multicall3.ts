import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { LocalChain } from '@alp/venue-sim/chain'

/** The canonical Multicall3 address (https://www.multicall3.com). */
export const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11'

// aggregate3 with the same ABI and semantics as Multicall3 (allowFailure per call), written for this test: anvil
// without a fork has no Multicall3, and no npm package here ships its compiled artifact.
const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Multicall3Aggregate3 {
  struct Call3 { address target; bool allowFailure; bytes callData; }
  struct Result { bool success; bytes returnData; }
  function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
    returnData = new Result[](calls.length);
    for (uint256 i = 0; i < calls.length; i++) {
      (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
      require(ok || calls[i].allowFailure, "Multicall3: call failed");
      returnData[i] = Result(ok, ret);
    }
  }
}`

let runtime: string | undefined

/** Compiles the aggregate3 contract (solc-js, once per process) and places its runtime code at MULTICALL3. */
export async function installMulticall3(chain: LocalChain): Promise<void> {
  if (runtime === undefined) {
    const venueSim = fileURLToPath(new URL('../../../venue-sim/package.json', import.meta.url))
    const solc = createRequire(venueSim)('solc') as { compile(input: string): string }
    const out = JSON.parse(
      solc.compile(
        JSON.stringify({
          language: 'Solidity',
          sources: { 'M.sol': { content: source } },
          settings: {
            evmVersion: 'paris',
            optimizer: { enabled: true, runs: 200 },
            outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } },
          },
        }),
      ),
    )
    const object = out.contracts?.['M.sol']?.Multicall3Aggregate3?.evm?.deployedBytecode?.object
    if (typeof object !== 'string' || object.length === 0)
      throw new Error(`solc failed: ${JSON.stringify(out.errors ?? out).slice(0, 500)}`)
    runtime = `0x${object}`
  }
  await chain.provider.send('anvil_setCode', [MULTICALL3, runtime])
}
