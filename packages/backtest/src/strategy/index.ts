export { decimalToTicks, ticksToDecimal } from './decimalToTicks.js'
export { type RunBacktestParameters, runBacktest, STRATEGY_OWNER } from './runBacktest.js'
export {
  type L2HedgeBacktestResults,
  type L2HedgeFill,
  type L2HedgeOrderEvent,
  type RunL2HedgeBacktestParameters,
  runL2HedgeBacktest,
} from './runL2HedgeBacktest.js'
