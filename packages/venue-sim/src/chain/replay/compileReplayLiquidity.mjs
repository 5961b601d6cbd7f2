#!/usr/bin/env node
// Compiles ReplayLiquidity (exact-liquidity mint/burn on a v3 pool, for the chain replayer) with solc-js and writes
// ReplayLiquidity.json beside this script. Run from packages/venue-sim: `node src/chain/replay/compileReplayLiquidity.mjs`.
// The artifact is committed, so the replayer needs no compiler. `--check` recompiles and exits 1 when it differs.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

interface IReplayErc20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

interface IReplayPool {
    function token0() external view returns (address);
    function token1() external view returns (address);
    function mint(address recipient, int24 tickLower, int24 tickUpper, uint128 amount, bytes calldata data)
        external returns (uint256 amount0, uint256 amount1);
    function burn(int24 tickLower, int24 tickUpper, uint128 amount) external returns (uint256 amount0, uint256 amount1);
    function collect(address recipient, int24 tickLower, int24 tickUpper, uint128 amount0Requested, uint128 amount1Requested)
        external returns (uint128 amount0, uint128 amount1);
}

/// @title ReplayLiquidity: the chain replayer's background LP. It holds its own tokens and mints or burns an exact
/// liquidity amount directly on a pool (the position manager derives liquidity from token amounts, rounding down, so it
/// cannot reproduce a recorded liquidity to the unit). Only its deployer may call it. Local chains only.
contract ReplayLiquidity {
    address public immutable owner;
    address private pendingPool;

    constructor() {
        owner = msg.sender;
    }

    function mint(address pool, int24 tickLower, int24 tickUpper, uint128 liquidity)
        external returns (uint256 amount0, uint256 amount1)
    {
        require(msg.sender == owner, "owner");
        pendingPool = pool;
        (amount0, amount1) = IReplayPool(pool).mint(address(this), tickLower, tickUpper, liquidity, "");
        pendingPool = address(0);
    }

    /// Burns \`liquidity\` and collects everything the position is owed (principal and fees) back to this contract.
    function burn(address pool, int24 tickLower, int24 tickUpper, uint128 liquidity)
        external returns (uint256 amount0, uint256 amount1)
    {
        require(msg.sender == owner, "owner");
        (amount0, amount1) = IReplayPool(pool).burn(tickLower, tickUpper, liquidity);
        IReplayPool(pool).collect(address(this), tickLower, tickUpper, type(uint128).max, type(uint128).max);
    }

    function uniswapV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata) external {
        require(msg.sender == pendingPool, "pool");
        if (amount0Owed > 0) require(IReplayErc20(IReplayPool(msg.sender).token0()).transfer(msg.sender, amount0Owed), "t0");
        if (amount1Owed > 0) require(IReplayErc20(IReplayPool(msg.sender).token1()).transfer(msg.sender, amount1Owed), "t1");
    }
}
`

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
}
const input = { language: 'Solidity', sources: { 'ReplayLiquidity.sol': { content: SOURCE } }, settings }
const output = JSON.parse(solc.compile(JSON.stringify(input)))
const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage)
  process.exit(1)
}
const contract = output.contracts['ReplayLiquidity.sol'].ReplayLiquidity
const artifact = {
  contractName: 'ReplayLiquidity',
  sourceName: 'ReplayLiquidity.sol',
  compiler: {
    name: 'solc-js',
    version: solc.version(),
    settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion },
  },
  abi: contract.abi,
  bytecode: `0x${contract.evm.bytecode.object}`,
  source: SOURCE,
}
const outPath = join(dirname(fileURLToPath(import.meta.url)), 'ReplayLiquidity.json')
const text = `${JSON.stringify(artifact, null, 2)}\n`
if (process.argv.includes('--check')) {
  const committed = JSON.stringify(JSON.parse(readFileSync(outPath, 'utf8')))
  if (committed !== JSON.stringify(artifact)) {
    console.error(`${outPath} differs from a fresh compile: run node src/chain/replay/compileReplayLiquidity.mjs`)
    process.exit(1)
  }
  console.log(`${outPath} matches a fresh compile (${solc.version()})`)
} else {
  writeFileSync(outPath, text)
  console.log(`wrote ${outPath} (${solc.version()}, ${contract.evm.bytecode.object.length / 2} bytes)`)
}
