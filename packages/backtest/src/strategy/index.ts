export { decimalToTicks, ticksToDecimal } from './decimalToTicks.js'
export { type RunBacktestParameters, runBacktest, STRATEGY_OWNER } from './runBacktest.js'
