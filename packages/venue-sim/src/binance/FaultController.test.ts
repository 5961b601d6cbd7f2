import { describe, expect, it } from 'vitest'
import { FaultController } from './FaultController.js'

describe('FaultController lag knob', () => {
  it('lags only order-entry requests, lagNext times, and only with lagMs > 0', () => {
    const faults = new FaultController(1, { rest: { lagNext: 2, lagMs: 700 } })
    // a lookup or a cancel is never lagged and does not use up the count
    expect(faults.takeLagMs(false)).toBe(0)
    expect(faults.takeLagMs(true)).toBe(700)
    expect(faults.takeLagMs(false)).toBe(0)
    expect(faults.takeLagMs(true)).toBe(700)
    expect(faults.takeLagMs(true)).toBe(0)
    expect(faults.snapshot().rest?.lagNext).toBe(0)

    const noDuration = new FaultController(1, { rest: { lagNext: 1 } })
    expect(noDuration.takeLagMs(true)).toBe(0)
    // the count is kept for when a duration is set
    noDuration.set({ rest: { lagMs: 50 } })
    expect(noDuration.takeLagMs(true)).toBe(50)
  })
})
