import { mergeSourceBatches, type TimedEvent } from './mergeSourceBatches.js'

/**
 * Merges time-ordered async sources into one stream ordered by (tsNs, source position in `sources`, order within the
 * source). Memory is bounded by one look-ahead event per source. Within one source the order is kept as given (pool
 * events stay in block / log-index order even when several share a block timestamp). A source that goes back in time
 * is an error, not a silent reorder. The per-event form of `mergeSourceBatches` (each event is a chunk of one); use
 * that one with chunked readers on hot paths.
 * @throws EventsOutOfOrderError naming the file, row and `tsNs`.
 */
export async function* mergeSources<T extends TimedEvent>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  for await (const batch of mergeSourceBatches(sources.map(singleEventChunks))) yield* batch
}

async function* singleEventChunks<T>(source: AsyncIterable<T>): AsyncGenerator<readonly T[]> {
  for await (const event of source) yield [event]
}
