/**
 * The README examples in Vue: the root README's, kept in
 * ./ReadmeArticleWriter.vue, and this package's, in ./ReadmeWorkspaceWriter.vue;
 * each is checked to be in its README verbatim. This package typechecks with
 * tsc, which does not read `.vue` files, so the test checks each SFC itself:
 * its `<script setup>` is typechecked with the package's compiler options, and
 * the component, compiled by Vue's SFC compiler, is mounted against the
 * README's quick-start server.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { flushPromises, mount } from '@vue/test-utils'
import ts from 'typescript'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Component } from 'vue'
import { compileScript, parse, type SFCDescriptor } from 'vue/compiler-sfc'
import { readmeServerFetch } from '../../../../test/fixtures/readme-server.js'
import { until } from '../../../../test/fixtures/article-workflow.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const read = (path: string) => readFileSync(here(path), 'utf8')
const generated = here('./.generated/')

/** An example SFC: its source and what Vue's SFC parser makes of it. */
function example(name: string) {
  const source = read(`./${name}.vue`)
  const { descriptor, errors } = parse(source, { filename: `${name}.vue` })
  return { name, source, descriptor, errors }
}

/**
 * The type errors of an SFC's `<script setup>`. Compiler macros are globals
 * there (vue-tsc declares them); plain tsc gets them from an import prepended
 * to the generated copy.
 */
function typeErrorsOf(name: string, descriptor: SFCDescriptor): string[] {
  mkdirSync(generated, { recursive: true })
  const file = `${generated}${name}.setup.ts`
  writeFileSync(file, `import { defineProps } from 'vue'\n${descriptor.scriptSetup!.content}`)
  const config = ts.getParsedCommandLineOfConfigFile(here('../../tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
  const program = ts.createProgram([file], config.options)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
}

/** The SFC compiled by Vue's compiler (template inlined), imported as a component. */
async function componentOf(name: string, descriptor: SFCDescriptor): Promise<Component> {
  mkdirSync(generated, { recursive: true })
  const compiled = `${generated}${name}.vue.ts`
  writeFileSync(compiled, compileScript(descriptor, { id: name, inlineTemplate: true }).content)
  return ((await import(/* @vite-ignore */ compiled)) as { default: Component }).default
}

const buttonNamed = (wrapper: ReturnType<typeof mount>, text: string) => wrapper.findAll('button').find((button) => button.text() === text)

/** An example file, with the checks every one gets: in its README verbatim (after `opening`), a valid SFC whose <script setup> typechecks. */
function checkedExample(file: string, readme: string, opening: string) {
  const loaded = example(file)

  it('is in the README verbatim', () => {
    expect(read(readme)).toContain(opening + loaded.source + '```\n')
  })

  it('is a valid SFC whose <script setup> typechecks', () => {
    expect(loaded.errors).toEqual([])
    expect(typeErrorsOf(loaded.name, loaded.descriptor)).toEqual([])
  }, 60_000)

  return loaded
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe("the root README's Vue example", () => {
  const { name, descriptor } = checkedExample('ReadmeArticleWriter', '../../../../README.md', '### Vue\n\n```vue\n')

  it('writes, pauses for approval and publishes', async () => {
    const server = readmeServerFetch()
    vi.stubGlobal('fetch', server.fetch)
    const wrapper = mount(await componentOf(name, descriptor))

    await wrapper.get('button').trigger('click')
    await until(() => buttonNamed(wrapper, 'Publish?') !== undefined, 'the approval')
    expect(wrapper.get('pre').text()).toBe('A short piece about rivers.')
    expect(wrapper.findAll('p').map((p) => p.text())).toContain('writer: finished')
    await buttonNamed(wrapper, 'Publish?')!.trigger('click')
    await until(() => wrapper.find('article').exists(), 'the article')
    await flushPromises()
    expect(wrapper.get('article').text()).toBe('About rivers')
    expect(server.requests.map(({ body }) => body && Object.keys(body).find((key) => key === 'input' || key === 'approval'))).toEqual(['input', 'approval'])
    // The headers getter ran for each request (the token ref is empty here).
    expect(server.requests.map(({ headers }) => headers.get('authorization'))).toEqual(['Bearer', 'Bearer'])
    wrapper.unmount()
  })
})

describe("this package's README example (options as a getter)", () => {
  const { name, descriptor } = checkedExample('ReadmeWorkspaceWriter', '../../README.md', '```vue\n')

  it('sends the next run to the workspace the props name now, and calls their onPublished', async () => {
    const server = readmeServerFetch()
    const urls: string[] = []
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => (urls.push(url), server.fetch(url, init)))
    const north = vi.fn()
    const south = vi.fn()
    const wrapper = mount(await componentOf(name, descriptor), { props: { workspace: 'north', onPublished: north } })
    const publish = async () => {
      await buttonNamed(wrapper, 'Write')!.trigger('click')
      await until(() => buttonNamed(wrapper, 'Publish?') !== undefined, 'the approval')
      await buttonNamed(wrapper, 'Publish?')!.trigger('click')
      await flushPromises()
    }

    await publish()
    await until(() => north.mock.calls.length > 0, 'the north onPublished')
    expect(north).toHaveBeenCalledWith('About rivers')

    await wrapper.setProps({ workspace: 'south', onPublished: south })
    await publish()
    await until(() => south.mock.calls.length > 0, 'the south onPublished')
    expect(south).toHaveBeenCalledWith('About rivers')
    expect(north).toHaveBeenCalledTimes(1)
    expect(urls).toEqual(['/api/north/workflow', '/api/north/workflow', '/api/south/workflow', '/api/south/workflow'])
    wrapper.unmount()
  })
})
