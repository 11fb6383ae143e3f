import { defineProject } from 'vitest/config'

// The packages as published: builds them, packs them, installs the tarballs
// into a temp project with npm and checks types and runtime there. No source
// aliases here on purpose: everything must resolve from the tarballs.
export default defineProject({
  test: {
    name: 'packaging',
    environment: 'node',
    include: ['*.test.ts'],
    // tsc runs side by side at most two at a time: CI has two cores.
    maxConcurrency: 2,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
})
