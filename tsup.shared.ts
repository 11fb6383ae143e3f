import { defineConfig, type Options } from 'tsup'

/** How every package builds: ESM with declarations, for Node 20+ and current browsers. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    ...overrides,
  })
}
