import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bench, describe } from 'vitest'
import { decodePoolLog } from './decodePoolLog.js'
import { poolInterface } from './interfaces.js'

// 1 000 real logs of the USDC/WETH 0.05 % pool (2024-01-05): topics are the quoted list, data the last column.
const rawCsv = join(
  import.meta.dirname,
  '../../../../data/uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.raw.csv',
)
const logs = readFileSync(rawCsv, 'utf8')
  .split('\n')
  .slice(1, 1_001)
  .map((line) => ({ topics: line.match(/0x[0-9a-f]{64}(?=')/g) ?? [], data: line.slice(line.lastIndexOf(',') + 1) }))

describe('decode 1 000 real pool logs', () => {
  bench('decodePoolLog (topic switch + decodeEventLog, typed result)', () => {
    for (const log of logs) decodePoolLog(log)
  })
  bench('ethers Interface.parseLog (generic, untyped Result)', () => {
    for (const log of logs) poolInterface.parseLog(log)
  })
})
