export { type CreateManualClockErrorType, createManualClock, type ManualClock } from './createManualClock.js'
export {
  type CreateReplayClockErrorType,
  type CreateReplayClockParameters,
  createReplayClock,
  type ReplayClock,
} from './createReplayClock.js'
export { resolveRequestClock } from './resolveRequestClock.js'
export { isReplayTimeClock, type ReplayTimeClock } from './types.js'
