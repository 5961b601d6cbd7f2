/** An entry of the engine's queue: ordered by (tsNs, seq); seq is assigned at push time and breaks ties FIFO. */
export type QueueEntry<T> = { readonly tsNs: bigint; readonly seq: number; readonly value: T }

/**
 * A binary min-heap ordered by (tsNs, seq): the deterministic order of the engine. Two entries with the same
 * timestamp pop in push order, so a run is reproducible bit for bit.
 */
export class EventQueue<T> {
  private readonly heap: QueueEntry<T>[] = []
  private nextSeq = 0

  get size(): number {
    return this.heap.length
  }

  push(tsNs: bigint, value: T): void {
    const entry = { tsNs, seq: this.nextSeq++, value }
    const heap = this.heap
    heap.push(entry)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!less(entry, heap[parent]!)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = entry
  }

  peek(): QueueEntry<T> | undefined {
    return this.heap[0]
  }

  pop(): QueueEntry<T> | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    let i = 0
    const n = heap.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const child = r < n && less(heap[r]!, heap[l]!) ? r : l
      if (!less(heap[child]!, last)) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = last
    return top
  }
}

function less<T>(a: QueueEntry<T>, b: QueueEntry<T>): boolean {
  return a.tsNs < b.tsNs || (a.tsNs === b.tsNs && a.seq < b.seq)
}
