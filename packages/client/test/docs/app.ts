/** What the README examples hand to the app's `render()`, for the tests to read. */
export const rendered: unknown[] = []
