// @alp/backtest: named, tree-shakable exports only. See README.md for the module map.
export * from './data/index.js'
export * from './engine/index.js'
export * from './errors/index.js'
export * from './latency/index.js'
export * from './pool/index.js'
export * from './replay/index.js'
