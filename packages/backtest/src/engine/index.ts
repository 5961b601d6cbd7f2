export { EventQueue, type QueueEntry } from './eventQueue.js'
export { mergeSourceBatches } from './mergeSourceBatches.js'
export { mergeSources, type TimedEvent } from './mergeSources.js'
export { createSimClock, type SimClock } from './simClock.js'
