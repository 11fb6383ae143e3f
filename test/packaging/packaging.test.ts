/**
 * The packages as someone who installs them from a registry gets them: built,
 * packed with `pnpm pack` (workspace:* rewritten as `pnpm publish` would),
 * installed with npm into a project outside the workspace, type-checked there
 * with our .d.ts files not skipped, and run with plain Node.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installConsumer } from './support/consumer.js'
import { exportTargets, packagesLoadedBy, sourceMapProblems, typesNotFirst, undeclaredImports } from './support/manifest.js'
import { buildPackages, packPackages, type PackedPackage } from './support/pack.js'
import { runCommand } from './support/run-command.js'
import { typecheckConsumer, type TypecheckCase } from './support/typecheck.js'
import { repoRoot, workspacePackages, workspaceVersion } from './support/workspace.js'

/** What an app brings itself: the frameworks (peers), zod for its schemas, and types. */
const CONSUMER_PEERS = ['react', '@types/react', 'vue', 'svelte', 'solid-js', 'zod', '@types/node']
/** Packages an app must have one copy of: ours may only name them as peers. */
const SINGLETONS = ['react', 'vue', 'svelte', 'solid-js', 'zod', '@stepstream/server']
/**
 * Both majors of @stepstream/protocol's zod peer range (^3.25.0 || ^4.0.0),
 * besides the newest zod 4 the main consumer has: zod 3's last release (3.25.0
 * itself ships broken) and zod 4's first. The schemas' .d.ts must read the same in each.
 */
const ZOD_PEERS = ['3.25.76', '4.0.0']
/**
 * The oldest frameworks the adapters' peer ranges admit (React's newest 18
 * types: an app on React 18 has those). The adapters are built against the
 * newest, so this is where an API or a type added later would show.
 */
const LOWEST_FRAMEWORKS: ReadonlyArray<{ adapter: string; file: string; peers: Record<string, string> }> = [
  { adapter: '@stepstream/react', file: 'react.tsx', peers: { react: '18.0.0', '@types/react': '18.3.8' } },
  { adapter: '@stepstream/vue', file: 'vue.ts', peers: { vue: '3.4.0' } },
  { adapter: '@stepstream/svelte', file: 'svelte.ts', peers: { svelte: '5.0.0' } },
  { adapter: '@stepstream/solid', file: 'solid.tsx', peers: { 'solid-js': '1.8.0' } },
]

const workspace = workspacePackages()
const names = workspace.map(({ manifest }) => manifest.name)

let workDir: string
let consumerDir: string
/** A consumer per zod in ZOD_PEERS, with @stepstream/protocol only. */
const zodConsumerDirs = new Map<string, string>()
/**
 * An app per adapter with its LOWEST_FRAMEWORKS peer: apart, since Vue 3.3
 * still declared a global JSX namespace, which clashes with React's types.
 */
const lowestConsumerDirs = new Map<string, string>()
let packed: Map<string, PackedPackage>

function packedPackage(name: string): PackedPackage {
  const pkg = packed.get(name)
  if (!pkg) throw new Error(`${name} was not packed`)
  return pkg
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'stepstream-packaging-'))
  consumerDir = join(workDir, 'consumer')
  await buildPackages()
  packed = new Map((await packPackages(join(workDir, 'tarballs'))).map((pkg) => [pkg.name, pkg]))
  const tarballs = Object.fromEntries([...packed.values()].map((pkg) => [pkg.name, `file:${pkg.tarball}`]))
  const peers = Object.fromEntries(CONSUMER_PEERS.map((name) => [name, workspaceVersion(name)]))
  // A dependency, not a peer, but pinned too: ioredis 6.1.0's own .d.ts import
  // the untyped redis-errors, which fails any app that checks its libraries.
  peers.ioredis = workspaceVersion('ioredis', join(repoRoot, 'packages/redis'))
  for (const zod of ZOD_PEERS) zodConsumerDirs.set(zod, join(workDir, `consumer-zod-${zod}`))
  const ours = (...names: string[]) => Object.fromEntries(['@stepstream/protocol', '@stepstream/client', ...names].map((name) => [name, tarballs[name]!]))
  for (const { adapter } of LOWEST_FRAMEWORKS) lowestConsumerDirs.set(adapter, join(workDir, `consumer-lowest-${adapter.split('/')[1]}`))
  await Promise.all([
    installConsumer(consumerDir, { ...tarballs, ...peers }),
    ...LOWEST_FRAMEWORKS.map(({ adapter, peers: oldest }) => installConsumer(lowestConsumerDirs.get(adapter)!, { ...ours(adapter), ...oldest, zod: peers.zod! })),
    ...[...zodConsumerDirs].map(([zod, dir]) => installConsumer(dir, { '@stepstream/protocol': tarballs['@stepstream/protocol']!, zod })),
  ])
}, 600_000)

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

describe.each(names)('%s, as packed', (name) => {
  it('ships dist, its README and package.json, and nothing else', () => {
    const { files } = packedPackage(name)
    const stray = files.filter((file) => !(file.startsWith('dist/') || file === 'package.json' || /^(README|LICEN[CS]E)(\.md)?$/i.test(file)))
    expect(stray).toEqual([])
    expect(files.filter((file) => /\.(test|spec)\.|(^|\/)(test|src)\//.test(file))).toEqual([])
    expect(files).toContain('README.md')
  })

  it('ships the license its manifest names', () => {
    const { files, manifest, root } = packedPackage(name)
    expect(files).toContain('LICENSE')
    expect(manifest.license).toBe('MIT')
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/)
  })

  it('has a publishable manifest: real versions, exports that exist, no side effects', () => {
    const { manifest, root } = packedPackage(name)
    const source = workspace.find((pkg) => pkg.manifest.name === name)!.manifest
    for (const field of ['dependencies', 'peerDependencies', 'devDependencies'] as const) {
      for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
        expect(range, `${field}.${dependency}`).not.toMatch(/^workspace:/)
        // workspace:* publishes the exact version, workspace:^ a caret range on it.
        if (names.includes(dependency)) expect([source.version, `^${source.version}`], `${field}.${dependency}`).toContain(range)
      }
    }
    expect(manifest).toMatchObject({ type: 'module', sideEffects: false, license: expect.any(String) })
    const exports = manifest.exports ?? {}
    // Every subpath the workspace exports is published.
    expect(Object.keys(exports)).toEqual(Object.keys(source.exports ?? {}))
    const targets = [...exportTargets(exports), manifest.main, manifest.types].filter((target) => target !== undefined)
    expect(targets.filter((target) => !existsSync(join(root, target)))).toEqual([])
    expect(typesNotFirst(exports)).toEqual([])
  })

  it('imports nothing at runtime or in its types that it does not declare', () => {
    const pkg = packedPackage(name)
    expect(undeclaredImports(pkg)).toEqual([])
    expect(Object.keys(pkg.manifest.dependencies ?? {}).filter((dependency) => SINGLETONS.includes(dependency))).toEqual([])
    // An optional peer (zod) is for a subpath only: the main entry must load without it.
    const optional = Object.entries(pkg.manifest.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional).map(([peer]) => peer)
    const main = exportTargets((pkg.manifest.exports ?? {})['.']).find((target) => target.endsWith('.js') && target.startsWith('./dist/'))!
    expect(packagesLoadedBy(join(pkg.root, main)).filter((loaded) => optional.includes(loaded))).toEqual([])
  })

  it('ships source maps that do not point at missing sources', () => {
    expect(sourceMapProblems(packedPackage(name))).toEqual([])
  })
})

/**
 * Each consumer file is checked under both resolutions apps use. The bundler
 * app is full-stack (DOM and Node types); with nodenext the browser files get
 * the DOM only and the Node files @types/node only, as separate apps would.
 */
const typechecks: TypecheckCase[] = [
  {
    name: 'bundler',
    moduleResolution: 'bundler',
    environment: 'full-stack',
    files: ['server.ts', 'redis.ts', 'node-client.ts', 'client.ts', 'react.tsx', 'vue.ts', 'svelte.ts', 'solid.tsx', 'schemas.ts'],
  },
  { name: 'nodenext-browser', moduleResolution: 'nodenext', environment: 'browser', files: ['client.ts', 'react.tsx', 'vue.ts', 'svelte.ts', 'solid.tsx', 'schemas.ts'] },
  { name: 'nodenext-node', moduleResolution: 'nodenext', environment: 'node', files: ['server.ts', 'redis.ts', 'node-client.ts', 'schemas.ts'] },
  { name: 'node10', moduleResolution: 'node10', environment: 'full-stack', files: ['server.ts', 'node-client.ts', 'client.ts', 'react.tsx', 'schemas.ts'] },
]

describe.concurrent('the installed packages type-check for a consumer (strict, skipLibCheck: false)', () => {
  it.each(typechecks)('$name', async (check) => {
    await typecheckConsumer(consumerDir, check)
  }, 180_000)

  it.each(LOWEST_FRAMEWORKS)('$adapter with the oldest framework its peer range admits', async ({ adapter, file }) => {
    const dir = lowestConsumerDirs.get(adapter)!
    await typecheckConsumer(dir, { name: 'lowest', moduleResolution: 'bundler', environment: 'browser', files: ['client.ts', file] })
    await runCommand(process.execPath, ['--input-type=module', '-e', `await import('${adapter}')`], { cwd: dir, timeoutMs: 60_000 })
  }, 180_000)

  it.each(ZOD_PEERS)('the schemas subpath with zod %s', async (zod) => {
    const dir = zodConsumerDirs.get(zod)!
    await typecheckConsumer(dir, { name: 'schemas', moduleResolution: 'nodenext', environment: 'browser', files: ['schemas.ts'] })
    const parse = "const { workflowEventSchema } = await import('@stepstream/protocol/schemas'); console.log(workflowEventSchema.parse({ type: 'RUN_STARTED', threadId: 't', runId: 'r' }).runId)"
    const runId = await runCommand(process.execPath, ['--input-type=module', '-e', parse], { cwd: dir, timeoutMs: 30_000 })
    expect(runId.trim()).toBe('r')
  }, 180_000)
})

describe('the installed packages at runtime (plain Node)', () => {
  it('load every entry point', async () => {
    const specifiers = [...packed.values()].flatMap((pkg) => Object.keys(pkg.manifest.exports ?? {}).map((subpath) => pkg.name + subpath.slice(1)))
    const script = `for (const specifier of ${JSON.stringify(specifiers)}) await import(specifier)`
    await runCommand(process.execPath, ['--input-type=module', '-e', script], { cwd: consumerDir, timeoutMs: 60_000 })
  }, 90_000)

  it('require() every entry point from CommonJS (Node 20.19+ and 22.12+ load ES modules that way)', async () => {
    const specifiers = [...packed.values()].flatMap((pkg) => Object.keys(pkg.manifest.exports ?? {}).map((subpath) => pkg.name + subpath.slice(1)))
    const script = `for (const specifier of ${JSON.stringify(specifiers)}) if (typeof require(specifier) !== 'object') process.exit(1)`
    await runCommand(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: consumerDir, timeoutMs: 60_000 })
  }, 90_000)

  it("serve the README's workflow over HTTP and run it to the end, through an approval", async () => {
    const stdout = await runCommand(process.execPath, ['run.mjs'], { cwd: consumerDir, timeoutMs: 60_000 })
    const result = JSON.parse(stdout) as Record<string, unknown>
    expect(result).toMatchObject({
      pausedStatus: 'paused',
      pendingApproval: { title: 'Publish?', description: 'About rivers' },
      status: 'finished',
      output: { ok: true, article: 'About rivers' },
      error: null,
      steps: [
        ['writer', 'finished', 'A short piece about rivers.'],
        ['Publish?', 'finished', ''],
      ],
      // Every event on the wire is one the protocol's own schemas accept.
      invalidEvents: [],
    })
  }, 90_000)
})
