export { startPlaygroundServer, createPlaygroundHandler, type PlaygroundServer, type PlaygroundServerOptions } from './server.js'
export { flaky, type FlakyOptions } from './flaky.js'
export * as script from './script.js'
export { MAX_REVISIONS } from './workflows/article.js'
