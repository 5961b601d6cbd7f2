import { EventsOutOfOrderError, InvalidFieldError } from '../errors/input.js'
import {
  parseBigIntField,
  parsePositiveBigIntField,
  parseSafeIntegerField,
  parseTickField,
  parseUtcDateTimeField,
} from './parseFields.js'
import { openCsv } from './readCsvRows.js'
import type { PoolLogEvent } from './types.js'

const KINDS: Readonly<Record<string, PoolLogEvent['kind']>> = {
  SWAP: 'swap',
  MINT: 'mint',
  BURN: 'burn',
  COLLECT: 'collect',
}

/**
 * Streams the decoded pool events of a demeter-fetch `*.tick.csv` / `*.pool.tick.csv` file in file order, checking that
 * (block_number, log index) strictly increases and that timestamps never go back.
 * @throws CsvColumnMissingError, InvalidFieldError (file, row, field), EventsOutOfOrderError.
 */
export async function* readPoolLogEvents(path: string): AsyncGenerator<PoolLogEvent> {
  for await (const batch of readPoolLogEventBatches(path)) yield* batch
}

/**
 * The same events as `readPoolLogEvents`, one array per file chunk (a few hundred events): one await per chunk instead
 * of one per event, for `mergeSourceBatches`.
 */
export async function* readPoolLogEventBatches(path: string): AsyncGenerator<PoolLogEvent[]> {
  const source = await openCsv(
    path,
    [
      'block_number',
      'block_timestamp',
      'tx_type',
      // The 0.05 % file names the column pool_log_index, the 0.3 % file log_index.
      ['pool_log_index', 'log_index'],
      'amount0',
      'amount1',
      'total_liquidity',
      'sqrtPriceX96',
      'current_tick',
      'tick_lower',
      'tick_upper',
      'liquidity',
    ],
    { onlyRequiredColumns: true },
  )
  const c = source.columns
  const file = source.file
  const iLog = c.pool_log_index!
  const logIndexColumn = source.header[iLog] ?? 'pool_log_index'
  let lastBlock = -1
  let lastLog = -1
  let lastTsNs = -1n
  // One context object per field, reading the current row lazily (no allocation per row).
  let row = 0
  const contexts = new Map<string, { file: string; readonly row: number; field: string }>()
  const ctx = (field: string) => {
    let context = contexts.get(field)
    if (context === undefined) {
      context = {
        file,
        get row() {
          return row
        },
        field,
      }
      contexts.set(field, context)
    }
    return context
  }
  // Field contexts, built once (ctx() is a map lookup; the hot loop reads these constants).
  const ctxs = {
    block_number: ctx('block_number'),
    block_timestamp: ctx('block_timestamp'),
    amount0: ctx('amount0'),
    amount1: ctx('amount1'),
    total_liquidity: ctx('total_liquidity'),
    sqrtPriceX96: ctx('sqrtPriceX96'),
    current_tick: ctx('current_tick'),
    tick_lower: ctx('tick_lower'),
    tick_upper: ctx('tick_upper'),
    liquidity: ctx('liquidity'),
  }
  const ctxLogIndex = ctx(logIndexColumn)
  for await (const lines of source.rowBatches) {
    const batch: PoolLogEvent[] = []
    for (const line of lines) {
      row = line.row
      const fields = line.fields
      const kindText = fields[c.tx_type!] ?? ''
      const kind = KINDS[kindText]
      if (kind === undefined)
        throw new InvalidFieldError({
          file,
          row,
          field: 'tx_type',
          value: kindText,
          rule: 'SWAP, MINT, BURN or COLLECT',
        })
      const blockNumber = parseSafeIntegerField(fields[c.block_number!], ctxs.block_number)
      const logIndex = parseSafeIntegerField(fields[iLog], ctxLogIndex)
      if (blockNumber < lastBlock || (blockNumber === lastBlock && logIndex <= lastLog)) {
        throw new EventsOutOfOrderError({
          file,
          row,
          field: blockNumber < lastBlock ? 'block_number' : logIndexColumn,
          previous: `${lastBlock}/${lastLog}`,
          value: `${blockNumber}/${logIndex}`,
        })
      }
      const tsNs = parseUtcDateTimeField(fields[c.block_timestamp!], ctxs.block_timestamp)
      if (tsNs < lastTsNs) {
        throw new EventsOutOfOrderError({
          file,
          row,
          field: 'block_timestamp',
          previous: String(lastTsNs),
          value: String(tsNs),
        })
      }
      lastBlock = blockNumber
      lastLog = logIndex
      lastTsNs = tsNs
      const hasRange = kind !== 'swap'
      const liquidityText = fields[c.liquidity!]
      batch.push({
        source: 'pool',
        kind,
        tsNs,
        blockNumber,
        logIndex,
        amount0: parseBigIntField(fields[c.amount0!], ctxs.amount0),
        amount1: parseBigIntField(fields[c.amount1!], ctxs.amount1),
        totalLiquidity: parseBigIntField(fields[c.total_liquidity!], ctxs.total_liquidity),
        sqrtPriceX96: parsePositiveBigIntField(fields[c.sqrtPriceX96!], ctxs.sqrtPriceX96),
        tick: parseTickField(fields[c.current_tick!], ctxs.current_tick),
        tickLower: hasRange ? parseTickField(fields[c.tick_lower!], ctxs.tick_lower) : undefined,
        tickUpper: hasRange ? parseTickField(fields[c.tick_upper!], ctxs.tick_upper) : undefined,
        liquidity: kind === 'mint' || kind === 'burn' ? parseBigIntField(liquidityText, ctxs.liquidity) : undefined,
        file,
        row,
      })
    }
    if (batch.length > 0) yield batch
  }
}
