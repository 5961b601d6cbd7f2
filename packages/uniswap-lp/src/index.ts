// @alp/uniswap-lp: named, tree-shakable exports only. See README.md for the module map.

export * from './chain/index.js'
export * from './config/index.js'
export * from './errors/index.js'
export * from './feeTier/index.js'
export * from './inventory/index.js'
export * from './math/index.js'
export * from './planner/index.js'
export * from './policy/index.js'
export * from './valuation/index.js'
