import { readFileSync } from 'node:fs'
import { PoolEventsFormatError } from './errors.js'

export type PoolEventKind = 'SWAP' | 'MINT' | 'BURN' | 'COLLECT'

/**
 * One decoded pool event of a demeter-fetch `*.tick.csv` row. Amounts are signed pool deltas in token base units
 * (positive: the pool received). `totalLiquidity` is the file's active liquidity after the event: exact on SWAP rows
 * (the Swap event's `liquidity`), not always updated on MINT/BURN rows (see `detectStaleLiquidityRows`).
 */
export type PoolEvent = {
  /** 1-based line of the row in its file (the header is line 1), as an editor and issue #17 count. */
  readonly line: number
  readonly blockNumber: number
  /** Block timestamp, seconds since the epoch (the file's UTC "YYYY-MM-DD hh:mm:ss"). */
  readonly timestampSec: number
  readonly kind: PoolEventKind
  readonly transactionHash: string
  readonly txIndex: number
  readonly logIndex: number
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
  readonly totalLiquidity: bigint
  readonly sqrtPriceX96: bigint
  /** Current tick after the event (written as a float in the file, "199045.0"). */
  readonly tick: number
  /** MINT/BURN/COLLECT: the position's range. */
  readonly tickLower: number | undefined
  readonly tickUpper: number | undefined
  /** MINT/BURN: the position liquidity added or removed. */
  readonly liquidity: bigint | undefined
  readonly positionId: string | undefined
}

export type ParsePoolEventsParameters = {
  /** Name used in error messages (default "pool events"). */
  file?: string | undefined
}

export type ParsePoolEventsErrorType = PoolEventsFormatError

const REQUIRED = [
  'block_number',
  'block_timestamp',
  'tx_type',
  'transaction_hash',
  'pool_tx_index',
  'pool_log_index',
  'amount0',
  'amount1',
  'total_liquidity',
  'sqrtPriceX96',
  'current_tick',
  'position_id',
  'tick_lower',
  'tick_upper',
  'liquidity',
] as const

const KINDS: ReadonlySet<string> = new Set(['SWAP', 'MINT', 'BURN', 'COLLECT'])

/**
 * Parses a demeter-fetch `*.tick.csv` (the decoded Swap/Mint/Burn/Collect events of one pool). Hand-written: the files
 * are plain comma-separated values with no quoting, and a typed reader with exact bigints and per-cell errors is a few
 * dozen lines (see the package README). Rows keep the file order (block, then log index).
 */
export function parsePoolEvents(text: string, parameters: ParsePoolEventsParameters = {}): PoolEvent[] {
  const file = parameters.file ?? 'pool events'
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',')
  const index = new Map(header.map((name, i) => [name.trim(), i]))
  for (const name of REQUIRED) {
    if (!index.has(name)) throw new PoolEventsFormatError({ file, line: 1, reason: `missing column "${name}"` })
  }
  const events: PoolEvent[] = []
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!
    if (raw.trim() === '') continue
    const lineNumber = i + 1
    const cells = raw.split(',')
    if (cells.length !== header.length) {
      throw new PoolEventsFormatError({
        file,
        line: lineNumber,
        reason: `${cells.length} cells, the header has ${header.length}`,
      })
    }
    const cell = (name: (typeof REQUIRED)[number]): string => cells[index.get(name)!]!.trim()
    const fail = (column: string, reason: string): never => {
      throw new PoolEventsFormatError({ file, line: lineNumber, column, reason })
    }
    const integer = (name: (typeof REQUIRED)[number]): bigint => {
      const value = cell(name)
      if (!/^-?\d+$/.test(value)) fail(name, `"${value}" is not an integer`)
      return BigInt(value)
    }
    // Ticks are written as floats ("199045.0"): accept an integral value only.
    const tickOf = (name: (typeof REQUIRED)[number]): number | undefined => {
      const value = cell(name)
      if (value === '') return undefined
      const match = /^(-?\d+)(?:\.0+)?$/.exec(value)
      if (match === null) return fail(name, `"${value}" is not an integral tick`)
      return Number(match[1])
    }
    const kind = cell('tx_type')
    if (!KINDS.has(kind)) fail('tx_type', `"${kind}" is not SWAP, MINT, BURN or COLLECT`)
    const ts = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(cell('block_timestamp'))
    if (ts === null) fail('block_timestamp', `"${cell('block_timestamp')}" is not "YYYY-MM-DD hh:mm:ss"`)
    const [, y, mo, d, h, mi, s] = ts!.map(Number) as [number, number, number, number, number, number, number]
    const tick = tickOf('current_tick')
    if (tick === undefined) fail('current_tick', 'empty')
    const liquidityCell = cell('liquidity')
    if (liquidityCell !== '' && !/^\d+$/.test(liquidityCell)) fail('liquidity', `"${liquidityCell}" is not an integer`)
    const positionId = cell('position_id')
    events.push({
      line: lineNumber,
      blockNumber: Number(integer('block_number')),
      timestampSec: Date.UTC(y, mo - 1, d, h, mi, s) / 1000,
      kind: kind as PoolEventKind,
      transactionHash: cell('transaction_hash'),
      txIndex: Number(integer('pool_tx_index')),
      logIndex: Number(integer('pool_log_index')),
      amount0Raw: integer('amount0'),
      amount1Raw: integer('amount1'),
      totalLiquidity: integer('total_liquidity'),
      sqrtPriceX96: integer('sqrtPriceX96'),
      tick: tick!,
      tickLower: tickOf('tick_lower'),
      tickUpper: tickOf('tick_upper'),
      liquidity: liquidityCell === '' ? undefined : BigInt(liquidityCell),
      positionId: positionId === '' ? undefined : positionId,
    })
  }
  return events
}

/** Reads and parses a `*.tick.csv` file (see `parsePoolEvents`). */
export function readPoolEvents(path: string): PoolEvent[] {
  return parsePoolEvents(readFileSync(path, 'utf8'), { file: path })
}
