import { EventsOutOfOrderError } from '../errors/input.js'

export type TimedEvent = { readonly tsNs: bigint; readonly file: string; readonly row: number }

/**
 * `mergeSources` for sources that deliver arrays of events (one file chunk each): the same order — (tsNs, source
 * position in `sources`, order within the source) — but one await per chunk instead of one per event. Yields arrays of
 * merged events; each array ends where a source needed its next chunk. Memory is bounded by one chunk per source plus
 * the array being filled. A chunk is checked for going back in time as it arrives.
 * @throws EventsOutOfOrderError naming the file, row and `tsNs` of the first event that goes back.
 */
export async function* mergeSourceBatches<T extends TimedEvent>(
  sources: readonly AsyncIterable<readonly T[]>[],
): AsyncGenerator<T[]> {
  if (sources.length > 64) throw new RangeError('mergeSources: at most 64 sources')
  const iterators = sources.map((s) => s[Symbol.asyncIterator]())
  const chunks: (readonly T[] | undefined)[] = sources.map(() => undefined)
  const positions: number[] = sources.map(() => 0)
  const last: bigint[] = sources.map(() => -1n)
  /** Loads the source's next non-empty chunk (checked), or marks the source done. */
  const refill = async (index: number): Promise<void> => {
    for (;;) {
      const next = await iterators[index]!.next()
      if (next.done) {
        chunks[index] = undefined
        return
      }
      const chunk = next.value
      if (chunk.length === 0) continue
      let previous = last[index]!
      for (const event of chunk) {
        if (event.tsNs < previous) {
          throw new EventsOutOfOrderError({
            file: event.file,
            row: event.row,
            field: 'tsNs',
            previous: String(previous),
            value: String(event.tsNs),
          })
        }
        previous = event.tsNs
      }
      last[index] = previous
      chunks[index] = chunk
      positions[index] = 0
      return
    }
  }
  try {
    for (let i = 0; i < iterators.length; i++) await refill(i)
    let out: T[] = []
    for (;;) {
      let best = -1
      let bestEvent: T | undefined
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i]
        if (chunk === undefined) continue
        const head = chunk[positions[i]!]!
        // Strictly less: on equal timestamps the lower source index wins.
        if (bestEvent === undefined || head.tsNs < bestEvent.tsNs) {
          best = i
          bestEvent = head
        }
      }
      if (bestEvent === undefined) {
        if (out.length > 0) yield out
        return
      }
      out.push(bestEvent)
      const position = ++positions[best]!
      if (position === chunks[best]!.length) {
        if (out.length > 0) {
          yield out
          out = []
        }
        await refill(best)
      }
    }
  } finally {
    await Promise.all(iterators.map((iterator) => iterator.return?.(undefined)))
  }
}
