export * from './binance/index.js'
export * from './chain/index.js'
export * from './matching/index.js'
