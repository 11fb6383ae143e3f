// Size budget (issue 7): min+gz of each package as an app bundles it
// (esbuild, ESM, minified, tree-shaken, gzip -9). The client counts with its
// dependencies; an adapter counts without its framework and the client,
// which the app ships anyway. A budget row over its limit fails `pnpm bench`.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { fmt } from './lib.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const KB = 1024

const FRAMEWORKS = ['react', 'react-dom', 'react/*', 'vue', 'svelte', 'svelte/*', 'solid-js', 'solid-js/*']
const OURS = ['@stepstream/client', '@stepstream/protocol']
// What the client imports from its dependencies: the floor its size cannot go under.
const CLIENT_DEPENDENCIES = [
  `export { Store } from '@tanstack/store'`,
  `export { createParser } from 'eventsource-parser'`,
  `export { applyOperation, validator } from 'fast-json-patch/module/core.mjs'`,
  `export { unescapePathComponent } from 'fast-json-patch/module/helpers.mjs'`,
].join('\n')

async function sizeOf(contents, { external = [], platform = 'browser', resolveDir = here } = {}) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform,
    external,
    logLevel: 'silent',
    metafile: true,
  })
  const code = result.outputFiles[0].contents
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length, inputs: Object.values(result.metafile.outputs)[0].inputs }
}

/** Minified bytes per package (or our own package's source) in a bundle. */
function byPackage(inputs) {
  const totals = new Map()
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/) ?? path.match(/packages\/([^/]+)\//)
    const name = match ? (match[1].startsWith('@') || path.includes('node_modules') ? match[1] : `@stepstream/${match[1]}`) : path
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput)
  }
  return [...totals].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => `${name} ${fmt(bytes / KB, 1)} KB`).join(', ')
}

const show = ({ min, gz }) => `${fmt(gz / KB, 2)} KB (min ${fmt(min / KB, 2)} KB)`

export default async function sizeBench() {
  const rows = []
  const budget = (metric, size, limitKb) => rows.push({ metric, value: show(size), target: `≤ ${limitKb} KB min+gz`, pass: size.gz <= limitKb * KB })
  const info = (metric, size) => rows.push({ metric, value: show(size), target: '—', pass: true })

  info('@stepstream/protocol, everything it exports', await sizeOf(`export * from '@stepstream/protocol'`))
  // The budgeted figure is the one issue 2 names: what an app that talks to a
  // server over HTTP ships. The whole package (adapter plumbing, reducer and
  // patch helpers for custom transports, the local connection) is shown beside it.
  const client = await sizeOf(`export { WorkflowClient, fetchWorkflowEvents } from '@stepstream/client'`)
  budget('@stepstream/client, WorkflowClient + fetchWorkflowEvents, with its dependencies', client, 10)
  info('@stepstream/client, everything it exports, with its dependencies', await sizeOf(`export * from '@stepstream/client'`))
  info(
    "the client's dependencies alone (the parts it imports)",
    await sizeOf(CLIENT_DEPENDENCIES, { resolveDir: fileURLToPath(new URL('../packages/client', import.meta.url)) }),
  )
  // For scale: what an app ships for the AG-UI reference client, the one the interop and throughput rows compare with.
  info("for comparison: @ag-ui/client 1.0's HttpAgent, with its dependencies", await sizeOf(`export { HttpAgent } from '@ag-ui/client'`))
  for (const adapter of ['react', 'vue', 'svelte', 'solid']) {
    budget(`@stepstream/${adapter}, without ${adapter === 'solid' ? 'solid-js' : adapter} and the client`, await sizeOf(`export * from '@stepstream/${adapter}'`, { external: [...FRAMEWORKS, ...OURS] }), 1.5)
  }
  info('@stepstream/server (Node), with its dependencies', await sizeOf(`export * from '@stepstream/server'`, { platform: 'node' }))
  return {
    title: 'Size budget (min+gz)',
    rows,
    notes: [
      `Where the client's minified bytes come from: ${byPackage(client.inputs)}.`,
      'Built from each package\'s `dist` (`pnpm build` runs first). The Svelte adapter\'s `create-workflow.svelte.js` is measured as shipped; the app\'s Svelte compiler turns its runes into `svelte/internal` calls, which belong to the framework.',
    ],
  }
}
