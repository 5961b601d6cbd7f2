export * from './errors/index.js'
export * from './transport/index.js'
export * from './config/index.js'
