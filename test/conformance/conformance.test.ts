import { configure } from '@testing-library/dom'
import { afterEach, describe, inject, it } from 'vitest'
import type { Harness } from './harness.js'
import { ownershipScenarios } from './ownership-scenarios.js'
import { scenarios } from './scenarios.js'
import { unmountScenarios } from './unmount-scenarios.js'

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

// A form whose options are fixed at creation (the Svelte store) cannot be
// given new options, so the scenarios that change them do not apply to it:
// they are left out of its table rather than reported as skipped.
const applicable = [...scenarios, ...ownershipScenarios, ...unmountScenarios].filter((scenario) => !(scenario.changesOptions && harness.fixedOptions))

describe(`adapter conformance: ${harness.name}`, () => {
  afterEach(() => harness.cleanup())
  it.for(applicable)('$name', async (scenario) => {
    await scenario.run(harness)
  })
})
