import { redisRunStore } from '@stepstream/redis'

const runStore = redisRunStore({
  url: 'redis://127.0.0.1:6379', // or `redis: new Redis(...)` (ioredis; not closed by store.close())
  ttl: 60 * 60 * 1000,            // as inMemoryRunStore: settled and paused runs expire after their last change
  keyPrefix: 'stepstream:',       // default
  leaseTtl: 10_000,               // executor lease; renewed every third
})
