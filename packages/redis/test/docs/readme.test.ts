/**
 * The Redis examples as the READMEs show them, kept here so this package's
 * typecheck covers them: the root README's "Running several server
 * processes" server (../readme.test.ts runs that README text as two
 * processes on one Redis) and this package's README examples (a single
 * node, a Redis Cluster).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

describe('the Redis README examples', () => {
  it("the root README's several-processes server is in the README verbatim", () => {
    expect(read('../../../../README.md')).toContain('no sticky sessions:\n\n```ts\n' + read('./readme-server.ts') + '```\n')
  })

  it("this package's README example is in the README verbatim", () => {
    expect(read('../../README.md')).toContain('```ts\n' + read('./readme-redis-run-store.ts') + '```\n')
  })

  it("this package's Redis Cluster example is in the README verbatim", () => {
    expect(read('../../README.md')).toContain('```ts\n' + read('./readme-cluster.ts') + '```\n')
  })
})
