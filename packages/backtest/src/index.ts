// @alp/backtest: named, tree-shakable exports only. See README.md for the module map.
export * from './errors/index.js'
export * from './pool/index.js'
