#!/usr/bin/env node
// Compiles the test ERC20 (settable decimals, open mint) with solc-js and writes artifacts/TestERC20.json.
// Run from packages/venue-sim: `node scripts/compile-erc20.mjs`. The artifact is committed, so tests need no compiler.
// `node scripts/compile-erc20.mjs --check` recompiles and exits 1 when the committed artifact differs.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title TestERC20: a minimal ERC20 for local chains. Anyone may mint: never deploy it anywhere that matters.
contract TestERC20 {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= amount, "ERC20: insufficient allowance");
            allowance[from][msg.sender] = allowed - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf[from];
        require(balance >= amount, "ERC20: transfer amount exceeds balance");
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
`

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
}
const input = { language: 'Solidity', sources: { 'TestERC20.sol': { content: SOURCE } }, settings }
const output = JSON.parse(solc.compile(JSON.stringify(input)))
const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage)
  process.exit(1)
}
const contract = output.contracts['TestERC20.sol'].TestERC20
const artifact = {
  contractName: 'TestERC20',
  sourceName: 'TestERC20.sol',
  compiler: {
    name: 'solc-js',
    version: solc.version(),
    settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion },
  },
  abi: contract.abi,
  bytecode: `0x${contract.evm.bytecode.object}`,
  source: SOURCE,
}
const outPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'TestERC20.json')
const text = `${JSON.stringify(artifact, null, 2)}\n`
if (process.argv.includes('--check')) {
  // Compare parsed JSON, so a formatter's whitespace changes do not count as a difference.
  const committed = JSON.stringify(JSON.parse(readFileSync(outPath, 'utf8')))
  if (committed !== JSON.stringify(artifact)) {
    console.error(`${outPath} differs from a fresh compile: run node scripts/compile-erc20.mjs`)
    process.exit(1)
  }
  console.log(`${outPath} matches a fresh compile (${solc.version()})`)
} else {
  writeFileSync(outPath, text)
  console.log(`wrote ${outPath} (${solc.version()}, ${contract.evm.bytecode.object.length / 2} bytes)`)
}
