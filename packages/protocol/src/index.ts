export * from './events.js'
export * from './requests.js'
export * from './constructors.js'
