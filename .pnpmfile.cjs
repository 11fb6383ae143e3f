// Hooks pnpm runs in this workspace.
//
// beforePacking: `@stepstream/source` is the workspace's export condition for
// running packages from src/ (tests, playgrounds, dev). src/ is not published,
// so `pnpm pack` / `pnpm publish` drop the condition: a published exports map
// names only files in the tarball. test/packaging checks the result.

const SOURCE_CONDITION = '@stepstream/source'

/** The exports map without the source condition, at any depth. */
function withoutSourceCondition(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, nested]) => [key, withoutSourceCondition(nested)]),
  )
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      if (manifest.exports) manifest.exports = withoutSourceCondition(manifest.exports)
      return manifest
    },
  },
}
