import { EventsOutOfOrderError } from '../errors/input.js'
import { EventQueue } from './eventQueue.js'

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
  // Ties across sources: the queue's seq is the push order, so push heads in source order and re-push in source order.
  const heads = new EventQueue<{ event: T; index: number }>()
  const last: bigint[] = sources.map(() => -1n)
  const pull = async (index: number): Promise<void> => {
    const next = await iterators[index]!.next()
    if (next.done) return
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
    heads.push(event.tsNs * 64n + BigInt(index), { event, index })
  }
  if (sources.length > 64) throw new RangeError('mergeSources: at most 64 sources')
  for (let i = 0; i < iterators.length; i++) await pull(i)
  for (;;) {
    const top = heads.pop()
    if (top === undefined) return
    yield top.value.event
    await pull(top.value.index)
  }
}
