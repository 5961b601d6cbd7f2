export { EventQueue, type QueueEntry } from './eventQueue.js'
export { mergeSourceBatches, type TimedEvent } from './mergeSourceBatches.js'
export { mergeSources } from './mergeSources.js'
export { createSimClock, type SimClock } from './simClock.js'
