import { ConnectorError } from './base.js'

export type SequenceGapErrorType = SequenceGapError & { name: 'SequenceGapError' }

/** A diff-depth event does not continue the previous one (Binance `pu` ≠ previous `u`); the book must be rebuilt. */
export class SequenceGapError extends ConnectorError {
  override name = 'SequenceGapError' as const
  readonly symbol: string
  readonly expected: number
  readonly got: number

  constructor({ venue, symbol, expected, got }: { venue: string; symbol: string; expected: number; got: number }) {
    super(`Book ${symbol}: sequence gap (expected ${expected}, got ${got}).`, {
      code: 'SEQUENCE_GAP',
      venue,
      retryable: true,
      metaMessages: ['Next: resubscribe; the book is rebuilt from a REST snapshot.'],
    })
    this.symbol = symbol
    this.expected = expected
    this.got = got
  }
}

export type BookInvariantErrorType = BookInvariantError & { name: 'BookInvariantError' }

/** The local book broke an invariant (crossed, or a zero-size level); it is discarded and rebuilt. */
export class BookInvariantError extends ConnectorError {
  override name = 'BookInvariantError' as const
  readonly symbol: string
  readonly invariant: 'crossed' | 'zero-size-level'

  constructor({
    venue,
    symbol,
    invariant,
    detail,
  }: { venue: string; symbol: string; invariant: 'crossed' | 'zero-size-level'; detail: string }) {
    super(`Book ${symbol}: invariant "${invariant}" broken (${detail}).`, {
      code: 'BOOK_INVARIANT',
      venue,
      retryable: true,
      metaMessages: ['Next: discard the book and rebuild it from a REST snapshot.'],
    })
    this.symbol = symbol
    this.invariant = invariant
  }
}
