import { Cluster } from 'ioredis'
import { redisRunStore } from '@stepstream/redis'

const redis = new Cluster([{ host: '127.0.0.1', port: 7000 }]) // any node(s) of the cluster
const runStore = redisRunStore({ redis }) // not closed by store.close(): redis.quit() when done
