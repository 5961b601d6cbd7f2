import { VenueSimError } from '../../errors/base.js'

const docsPath = 'https://github.com/alp-sdk/alp/blob/main/docs/venue-sim.md#chain-replay'

export type PoolEventsFormatErrorType = PoolEventsFormatError & { name: 'PoolEventsFormatError' }

/** A row of a decoded pool-events CSV (`*.tick.csv`) cannot be read. */
export class PoolEventsFormatError extends VenueSimError {
  override name = 'PoolEventsFormatError' as const
  readonly file: string
  readonly line: number
  readonly column: string | undefined

  constructor({ file, line, column, reason }: { file: string; line: number; column?: string; reason: string }) {
    super(`Pool events ${file} line ${line}${column === undefined ? '' : ` column ${column}`}: ${reason}.`, {
      code: 'POOL_EVENTS_FORMAT',
      docsPath,
      metaMessages: [
        'Next: pass a demeter-fetch *.tick.csv (columns in data/uniswap-mainnet-2024-01-05/PROVENANCE.md).',
      ],
    })
    this.file = file
    this.line = line
    this.column = column
  }
}

export type ChainReplayErrorType = ChainReplayError & { name: 'ChainReplayError' }

/** The chain replayer cannot start or continue (no swap in the events, a setup transaction failed, a block missing). */
export class ChainReplayError extends VenueSimError {
  override name = 'ChainReplayError' as const

  constructor({ reason, cause }: { reason: string; cause?: unknown }) {
    super(`Chain replay: ${reason}.`, {
      code: 'CHAIN_REPLAY',
      docsPath,
      cause,
      metaMessages: ['Next: check that anvil still runs and that the events are one pool day in log order.'],
    })
  }
}
