/**
 * A bounded push → async-iterator bridge for typed events. When the consumer is slower than the venue the OLDEST item
 * is dropped (market data is conflatable; `dropped` counts them). `close()` ends iteration.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = []
  private waiting: ((result: IteratorResult<T>) => void) | undefined
  private closed = false
  dropped = 0

  constructor(
    private readonly capacity = 10_000,
    private readonly onReturn?: () => void,
  ) {}

  push(item: T): void {
    if (this.closed) return
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = undefined
      resolve({ value: item, done: false })
      return
    }
    this.items.push(item)
    if (this.items.length > this.capacity) {
      this.items.shift()
      this.dropped++
    }
  }

  close(): void {
    this.closed = true
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = undefined
      resolve({ value: undefined, done: true })
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false })
    if (this.closed) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve) => {
      this.waiting = resolve
    })
  }

  return(): Promise<IteratorResult<T>> {
    this.close()
    this.onReturn?.()
    return Promise.resolve({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this
  }
}
