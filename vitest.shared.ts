import { fileURLToPath } from 'node:url'

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))

const entries: Record<string, string> = {
  '@stepstream/protocol/schemas': 'protocol/src/schemas.ts',
  '@stepstream/protocol': 'protocol/src/index.ts',
  '@stepstream/client': 'client/src/index.ts',
  '@stepstream/server': 'server/src/index.ts',
  '@stepstream/react': 'react/src/index.ts',
  '@stepstream/vue': 'vue/src/index.ts',
  '@stepstream/svelte': 'svelte/src/index.ts',
  '@stepstream/solid': 'solid/src/index.ts',
  '@stepstream/redis': 'redis/src/index.ts',
}

/**
 * Tests import packages by their public names but run against `src/`, so a
 * test never passes or fails because of a stale build. Exact matches only, so
 * '@stepstream/protocol' does not swallow '@stepstream/protocol/schemas'.
 */
export const sourceAliases = Object.entries(entries).map(([name, file]) => ({
  find: new RegExp(`^${name.replace('/', '\\/')}$`),
  replacement: packagesDir + file,
}))
