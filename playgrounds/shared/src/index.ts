export * from './demo.js'
export * from './url-state.js'
export * from './connection.js'
export * from './format.js'
