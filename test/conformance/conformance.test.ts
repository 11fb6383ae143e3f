import { configure } from '@testing-library/dom'
import { afterEach, describe, inject, it } from 'vitest'
import type { Harness } from './harness.js'
import { ownershipScenarios } from './ownership-scenarios.js'
import { scenarios } from './scenarios.js'

declare module 'vitest' {
  interface ProvidedContext {
    /** The harness this project runs the table with: a file name in ./harnesses. */
    harness: string
  }
}

// Streams are in-process but asynchronous; give slow CI machines room.
configure({ asyncUtilTimeout: 5000 })

// Each project loads only its own framework's harness (the others would not
// even compile without their framework's vite plugin).
const { harness } = (await import(/* @vite-ignore */ `./harnesses/${inject('harness')}.js`)) as { harness: Harness }

describe(`adapter conformance: ${harness.name}`, () => {
  afterEach(() => harness.cleanup())
  it.for([...scenarios, ...ownershipScenarios])('$name', async (scenario, { skip }) => {
    // Reported as skipped with the reason, so the table stays the same for every adapter.
    if (scenario.changesOptions && harness.fixedOptions) skip(`not applicable: ${harness.fixedOptions}`)
    await scenario.run(harness)
  })
})
