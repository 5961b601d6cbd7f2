import { EventsOutOfOrderError } from '../errors/input.js'

export type TimedEvent = { readonly tsNs: bigint; readonly file: string; readonly row: number }

/**
 * Merges time-ordered async sources into one stream ordered by (tsNs, source position in `sources`, order within the
 * source). Memory is bounded by one look-ahead event per source. Within one source the order is kept as given (pool
 * events stay in block / log-index order even when several share a block timestamp). A source that goes back in time
 * is an error, not a silent reorder.
 * @throws EventsOutOfOrderError naming the file, row and `tsNs`.
 */
export async function* mergeSources<T extends TimedEvent>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]())
  // One look-ahead event per source; the next event is the head with the least (tsNs, source index). A linear scan over
  // the heads (there are few sources) needs no queue entry or bigint key per event.
  const heads: (T | undefined)[] = sources.map(() => undefined)
  const last: bigint[] = sources.map(() => -1n)
  const pull = async (index: number): Promise<void> => {
    const next = await iterators[index]!.next()
    if (next.done) {
      heads[index] = undefined
      return
    }
    const event = next.value
    if (event.tsNs < last[index]!) {
      throw new EventsOutOfOrderError({
        file: event.file,
        row: event.row,
        field: 'tsNs',
        previous: String(last[index]),
        value: String(event.tsNs),
      })
    }
    last[index] = event.tsNs
    heads[index] = event
  }
  if (sources.length > 64) throw new RangeError('mergeSources: at most 64 sources')
  for (let i = 0; i < iterators.length; i++) await pull(i)
  for (;;) {
    let best = -1
    let bestTsNs = 0n
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]
      // Strictly less: on equal timestamps the lower source index wins.
      if (head !== undefined && (best < 0 || head.tsNs < bestTsNs)) {
        best = i
        bestTsNs = head.tsNs
      }
    }
    if (best < 0) return
    yield heads[best]!
    await pull(best)
  }
}
