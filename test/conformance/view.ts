import { screen, waitFor } from '@testing-library/dom'
import { expect } from 'vitest'
import { viewKeys, type ViewKey } from './harness.js'

export type View = Record<ViewKey, string>

/** What the framework rendered, field by field. */
export function view(): View {
  return Object.fromEntries(viewKeys.map((key) => [key, screen.getByTestId(key).textContent ?? ''])) as View
}

/** Waits until the rendered view shows all of `expected` (strings, or asymmetric matchers). */
export async function shows(expected: Partial<Record<ViewKey, unknown>>): Promise<void> {
  await waitFor(() => expect(view()).toMatchObject(expected))
}
