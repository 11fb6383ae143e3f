import type { RunRecord } from '@stepstream/server'
import { Redis } from 'ioredis'
import { inject } from 'vitest'
import { redisRunStore, type RedisRunStore, type RedisRunStoreOptions } from '@stepstream/redis'

export const redisUrl = (): string => inject('redisUrl')

/** A store on the test redis-server under a prefix of its own, so tests never see each other's keys. */
export function testStore(options: Omit<RedisRunStoreOptions, 'url' | 'redis'> & { prefix?: string } = {}): RedisRunStore {
  return redisRunStore({ url: redisUrl(), keyPrefix: options.prefix ?? uniquePrefix(), ...options })
}

export function uniquePrefix(): string {
  return `t:${crypto.randomUUID().slice(0, 8)}:`
}

export function rawClient(): Redis {
  return new Redis(redisUrl())
}

export function record(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  const now = Date.now()
  return {
    runId,
    workflow: 'wf',
    status: 'running',
    inputFingerprint: 'fp',
    applied: [],
    segmentStarts: [0],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
}

/** Resolves once `check` is true, polling; fails the test after `timeoutMs` (a bound, not an assertion on time). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
