import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodePoolLog, type PoolEvent } from '../src/chain/decodePoolLog.js'
import { readCsv } from './src/readCsv.js'

// Real Uniswap v3 mainnet USDC/WETH logs of 2024-01-05 (demeter-fetch samples; see the PROVENANCE.md beside them).
const dataDir = join(import.meta.dirname, '..', '..', '..', 'data', 'uniswap-mainnet-2024-01-05')

type Expected = {
  file: string
  raw: string
  decoded: string
  logIndexColumn: string
  /** From PROVENANCE.md. */
  counts: { total: number; swap?: number; mint?: number; burn?: number; collect?: number }
}

const pools: Expected[] = [
  {
    file: '0.05% pool 0x88e6…5640',
    raw: 'ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.raw.csv',
    decoded: 'ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.tick.csv',
    logIndexColumn: 'pool_log_index',
    counts: { total: 6234, swap: 6046, mint: 54, burn: 69, collect: 65 },
  },
  {
    file: '0.3% pool 0x8ad5…d6d8',
    raw: 'ethereum-0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8-2024-01-05.raw.csv',
    decoded: 'ethereum-0x8ad599c3a0ff1de082011efddc58f1908eb6e6d8-2024-01-05.pool.tick.csv',
    logIndexColumn: 'log_index',
    counts: { total: 304, swap: 267 },
  },
]

/** "199045.0" -> 199045; refuses anything that is not an integral float. */
function parseTickColumn(value: string | undefined): number {
  const match = /^(-?\d+)\.0$/.exec(value ?? '')
  if (match === null) throw new Error(`tick column ${value} is not an integral float`)
  return Number(match[1])
}

function column(row: Record<string, string>, name: string): string {
  const value = row[name]
  if (value === undefined) throw new Error(`missing column ${name}`)
  return value
}

describe.each(pools)('decoding the real mainnet logs of the $file', (pool) => {
  it('decodes every raw log with the pool ABI and every field equals the decoded row of the same tx and log index', () => {
    const rawRows = readCsv(join(dataDir, pool.raw))
    const decodedRows = readCsv(join(dataDir, pool.decoded))
    const byKey = new Map(
      decodedRows.map((r) => [`${column(r, 'transaction_hash')}:${column(r, pool.logIndexColumn)}`, r]),
    )
    expect(byKey.size).toBe(decodedRows.length)

    const counts = { swap: 0, mint: 0, burn: 0, collect: 0 }
    // State carried between events, replayed from the logs alone (null until the first swap reveals it).
    let sqrtPriceX96: bigint | null = null
    let tick: number | null = null
    let matched = 0
    // One assertion at the end (tens of thousands of expect() calls would dominate the run time).
    const mismatches: string[] = []
    const check = (field: string, csvValue: unknown, decodedValue: unknown, raw: Record<string, string>): void => {
      if (csvValue !== decodedValue && mismatches.length < 20) {
        mismatches.push(
          `${raw.transaction_hash}:${raw.log_index} ${field}: csv ${String(csvValue)} decoded ${String(decodedValue)}`,
        )
      }
    }
    // Sort by block, then log index (the files are in that order; sorting makes the replay independent of it).
    const ordered = [...rawRows].sort((a, b) => {
      const block = Number(column(a, 'block_number')) - Number(column(b, 'block_number'))
      return block !== 0 ? block : Number(column(a, 'log_index')) - Number(column(b, 'log_index'))
    })
    for (const raw of ordered) {
      const topics = column(raw, 'topics').match(/0x[0-9a-fA-F]{64}/g) ?? []
      const event: PoolEvent = decodePoolLog({ topics, data: column(raw, 'data') })
      const row = byKey.get(`${column(raw, 'transaction_hash')}:${column(raw, 'log_index')}`)
      if (row === undefined)
        throw new Error(`no decoded row for ${column(raw, 'transaction_hash')}:${column(raw, 'log_index')}`)
      check('tx_type', column(row, 'tx_type').toLowerCase(), event.type, raw)
      check('amount0', BigInt(column(row, 'amount0')), event.amount0Raw, raw)
      check('amount1', BigInt(column(row, 'amount1')), event.amount1Raw, raw)
      counts[event.type]++
      if (event.type === 'swap') {
        check('sqrtPriceX96', BigInt(column(row, 'sqrtPriceX96')), event.sqrtPriceX96, raw)
        check('current_tick', parseTickColumn(row.current_tick), event.tick, raw)
        check('total_liquidity', BigInt(column(row, 'total_liquidity')), event.liquidity, raw)
        check('sender', column(row, 'sender'), event.sender.toLowerCase(), raw)
        check('receipt', column(row, 'receipt'), event.recipient.toLowerCase(), raw)
        sqrtPriceX96 = event.sqrtPriceX96
        tick = event.tick
      } else {
        check('tick_lower', parseTickColumn(row.tick_lower), event.tickLower, raw)
        check('tick_upper', parseTickColumn(row.tick_upper), event.tickUpper, raw)
        // demeter-fetch writes the Mint event's `sender` (the caller) and the Burn/Collect event's `owner`.
        check('sender', column(row, 'sender'), (event.type === 'mint' ? event.sender : event.owner).toLowerCase(), raw)
        if (event.type === 'collect') check('receipt', column(row, 'receipt'), event.recipient.toLowerCase(), raw)
        else check('liquidity', BigInt(column(row, 'liquidity')), event.liquidity, raw)
        // Mint/burn/collect do not move the price: the row carries the last swap's price and tick. (The row's
        // total_liquidity is demeter-fetch's own bookkeeping, not in the log; it is not asserted here.)
        if (sqrtPriceX96 !== null && tick !== null) {
          check('sqrtPriceX96', BigInt(column(row, 'sqrtPriceX96')), sqrtPriceX96, raw)
          check('current_tick', parseTickColumn(row.current_tick), tick, raw)
        }
      }
      matched++
    }
    expect(mismatches).toEqual([])
    expect(matched).toBe(pool.counts.total)
    expect(rawRows.length).toBe(pool.counts.total)
    expect(decodedRows.length).toBe(pool.counts.total)
    if (pool.counts.swap !== undefined) expect(counts.swap).toBe(pool.counts.swap)
    if (pool.counts.mint !== undefined) expect(counts.mint).toBe(pool.counts.mint)
    if (pool.counts.burn !== undefined) expect(counts.burn).toBe(pool.counts.burn)
    if (pool.counts.collect !== undefined) expect(counts.collect).toBe(pool.counts.collect)
  })
})
