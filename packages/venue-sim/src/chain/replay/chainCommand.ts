import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { createReplayClock } from '../../clock/index.js'
import { parsePositiveNumberOption } from '../../startVenueFromArgs.js'
import { startLocalChain } from '../startLocalChain.js'
import { readPoolEvents } from './readPoolEvents.js'
import { replayPoolDay } from './replayPoolDay.js'

export type ChainCommandOptions = {
  day?: string
  file?: string
  dataDir?: string
  speed?: number
  events?: number
  from?: number
  to?: number
  progressEvery: number
  exitWhenDone?: boolean
  clockStart?: number
  clockWallStart?: number
}

/**
 * The action of `alp-venue-sim chain`: runs the replay; a bad --day/--file (no such file, no event) is reported through
 * commander (message on stderr, exit code 2) before anything starts.
 */
export async function runChainCommand(options: ChainCommandOptions, command: Command): Promise<void> {
  try {
    await runChainReplayFromOptions(options)
  } catch (error) {
    if (error instanceof InvalidArgumentError)
      command.error(`error: ${error.message}`, { exitCode: 2, code: error.code })
    throw error
  }
}

/** The `alp-venue-sim chain` command (options only; the caller attaches `runChainCommand`). */
export function createChainCommand(): Command {
  return new Command('chain')
    .description(
      'start anvil with the real Uniswap v3 contracts and replay a recorded day of the USDC/WETH 0.05% pool on it (pool, background liquidity, every swap as a transaction at the recorded block times)',
    )
    .option('--day <YYYY-MM-DD>', 'a day of data/uniswap-mainnet-<day>/ (2024-01-05 or 2023-11-10)', parseDayOption)
    .option('--file <tick.csv>', 'a demeter-fetch *.tick.csv instead of --day')
    .option(
      '--data-dir <dir>',
      'the folder holding uniswap-mainnet-<day>/ (default: the nearest data/ above the current folder)',
    )
    .option(
      '--speed <x>',
      'pace blocks at x times the record time: of the clock with --clock-start, else from the first block (default: as fast as possible)',
      parsePositiveNumberOption,
    )
    .option(
      '--clock-start <time>',
      'run on a replay clock: the record time (ISO or ms) at --clock-wall-start; each block waits for its timestamp',
      parseRecordTimeOption,
    )
    .option(
      '--clock-wall-start <time>',
      'with --clock-start: the wall time (ISO or ms) the replay starts at (default now); give every process the same three numbers',
      parseRecordTimeOption,
    )
    .option('--events <n>', 'replay only the first n events of the file', parseCountOption)
    .option(
      '--from <time>',
      'record time (ISO or ms) where pacing starts; earlier events replay at full speed',
      parseRecordTimeOption,
    )
    .option('--to <time>', 'record time (ISO or ms) where the replay stops (exclusive)', parseRecordTimeOption)
    .option('--progress-every <n>', 'print a progress line every n events', parseCountOption, 500)
    .option('--exit-when-done', 'stop anvil and exit after the last event (default: keep the chain up until Ctrl-C)')
}

function parseDayOption(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new InvalidArgumentError('Expected a day as YYYY-MM-DD.')
  return text
}

/** A record time: an ISO 8601 date-time with a zone (2024-01-05T06:00:00Z) or whole ms since the epoch. */
function parseRecordTimeOption(text: string): number {
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError(
      'Expected an ISO 8601 time with a zone (2024-01-05T06:00:00Z) or ms since the epoch.',
    )
  }
  return ms
}

function parseCountOption(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('Expected an integer > 0.')
  return n
}

/** Finds the `*.tick.csv` of a day: `<dataDir>/uniswap-mainnet-<day>/*0x88e6…-<day>.tick.csv`. */
export function findDayFile(day: string, dataDir?: string): string {
  const dirs: string[] = []
  if (dataDir !== undefined) dirs.push(resolve(dataDir))
  else {
    for (let dir = process.cwd(); ; dir = dirname(dir)) {
      dirs.push(join(dir, 'data'))
      if (dirname(dir) === dir) break
    }
  }
  for (const dir of dirs) {
    const folder = join(dir, `uniswap-mainnet-${day}`)
    if (!existsSync(folder)) continue
    const file = readdirSync(folder).find((name) => name.endsWith(`-${day}.tick.csv`) && !name.includes('.pool.'))
    if (file !== undefined) return join(folder, file)
  }
  throw new InvalidArgumentError(
    `no uniswap-mainnet-${day}/*-${day}.tick.csv under ${dataDir ?? 'any data/ folder above the current one'} (days in the repository: 2024-01-05, 2023-11-10; or pass --file).`,
  )
}

/**
 * Runs `alp-venue-sim chain`: starts anvil with its genesis an hour before the first event (so block timestamps are
 * the record's, unshifted), replays, prints the RPC URL, addresses, progress and the report. Resolves when done (with
 * --exit-when-done) or on SIGINT/SIGTERM.
 */
export async function runChainReplayFromOptions(
  options: ChainCommandOptions,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  if (options.day === undefined && options.file === undefined) throw new InvalidArgumentError('Pass --day or --file.')
  const file = options.file ?? findDayFile(options.day!, options.dataDir)
  let events = readPoolEvents(file)
  if (options.events !== undefined) events = events.slice(0, options.events)
  if (events.length === 0) throw new InvalidArgumentError(`${file} holds no event.`)
  const chain = await startLocalChain({ extraArgs: ['--timestamp', String(events[0]!.timestampSec - 3_600)] })
  let interrupted = false
  let replay: ReturnType<typeof replayPoolDay> | undefined
  const onSignal = () => {
    interrupted = true
    replay?.stop()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    out(`anvil ${chain.rpcUrl} (chain id ${chain.chainId})`)
    let exact = 0
    let swaps = 0
    const clock =
      options.clockStart === undefined
        ? undefined
        : createReplayClock({
            startMs: options.clockStart,
            speed: options.speed ?? 1,
            wallStartMs: options.clockWallStart,
          })
    if (clock !== undefined) {
      out(
        `clock --clock-start ${new Date(clock.startMs).toISOString()} --speed ${options.speed ?? 1} --clock-wall-start ${new Date(clock.wallStartMs).toISOString()}`,
      )
    }
    replay = replayPoolDay({
      chain,
      events,
      clock,
      speed: clock === undefined ? options.speed : undefined,
      from: options.from,
      to: options.to,
      onEvent: (p) => {
        if (p.swap !== undefined) {
          swaps++
          if (p.swap.exactPrice) exact++
        }
        if ((p.index + 1) % options.progressEvery === 0 || p.index + 1 === p.total) {
          out(
            `progress ${p.index + 1}/${p.total} events, ${swaps} swaps (${exact} at the recorded price), record time ${new Date(p.event.timestampSec * 1000).toISOString()}, block ${p.chainBlockNumber}`,
          )
        }
      },
    })
    const setup = await replay.ready
    out(`pool ${setup.pool.pool} (fee ${setup.pool.feePips}, tick spacing ${setup.pool.tickSpacing})`)
    out(`token0 USDC ${setup.usdc} (6 decimals)  token1 WETH ${setup.weth} (18 decimals)`)
    out(`background LP ${setup.backgroundLp}  sender ${setup.account}  router ${setup.swapRouter}`)
    out(
      `replaying ${events.length} events of ${file} ${clock !== undefined ? 'on the replay clock' : options.speed === undefined ? 'as fast as possible' : `at ${options.speed}x`}; timestamps shifted by ${setup.timestampShiftSec} s`,
    )
    const report = await replay.done
    out(
      `done: ${report.swapsSent}/${report.swapsInRecord} swaps sent, ${report.swapsExactPrice} at the recorded sqrtPriceX96, amount0 diff max ${report.amount0Difference.max} median ${report.amount0Difference.median}, amount1 diff max ${report.amount1Difference.max} median ${report.amount1Difference.median}, ${report.mintsSent} mints, ${report.burnsSent} burns, ${report.blocks} blocks, ${report.staleLiquidityRows.length} rows with a wrong total_liquidity, ${(report.durationMs / 1000).toFixed(1)} s${report.stopped ? ' (stopped)' : ''}`,
    )
    if (!options.exitWhenDone && !interrupted) {
      out(`the chain stays up at ${chain.rpcUrl}; Ctrl-C to stop.`)
      await new Promise<void>((resolveWait) => {
        process.once('SIGINT', () => resolveWait())
        process.once('SIGTERM', () => resolveWait())
      })
    }
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    await chain.stop()
  }
}
