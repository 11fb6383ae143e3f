/**
 * A key prefix on a cluster is the store's `keyPrefix` after the client's
 * own (ioredis `keyPrefix`): the server hashes both. One whose first braces
 * are empty (`{}`) makes Redis hash every whole key, so a run's keys, and a
 * slot's wake and deletions streams, spread over slots: the store refuses it
 * when made (as it does a `keyPrefix` of its own with `{}`), instead of
 * failing each run's writes with CROSSSLOT while its tail retries for good.
 */
import { Cluster } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'
import { keySlot, slotTagFor } from '../src/slots.js'
import { clusterClient, clusterNodes } from './helpers.js'

const clients: Cluster[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => {})))
})

describe('a key prefix on a Redis Cluster', () => {
  it("refuses a client keyPrefix with an empty hash tag, as it refuses the store's own", () => {
    const client = new Cluster(clusterNodes(), { keyPrefix: 'app{}:', lazyConnect: true })
    clients.push(client)
    expect(() => redisRunStore({ redis: client, keyPrefix: 'runs:' })).toThrow(TypeError)
  })

  it('hands out no per-slot tag after a base whose keys have no hash tag: any would land in another slot', async () => {
    const inspector = clusterClient()
    clients.push(inspector)
    for (const base of ['{}', 'a{}b:', '{}{x}:']) {
      // The key such a tag would make: Redis hashes it whole, suffix included, so it is not in the slot asked for.
      expect(Number(await inspector.cluster('KEYSLOT', `${base}{s0}:deletions`))).toBe(keySlot(`${base}{s0}:deletions`))
      for (const slot of [0, 7, 16_383]) expect(() => slotTagFor(base, slot)).toThrow(/no Redis Cluster hash tag/)
    }
  })
})
