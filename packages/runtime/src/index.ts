export * from './config/index.js'
export * from './errors/index.js'
export * from './journal/index.js'
export * from './transport/index.js'
