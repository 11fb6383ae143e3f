export {
  redisRunStore,
  DEFAULT_LEASE_TTL_MS,
  type RedisRunStore,
  type RedisRunStoreOptions,
} from './redis-run-store.js'
export { RunStoreClosedError } from './closed.js'
export { LiveTailUnavailableError } from './tail-unavailable.js'
