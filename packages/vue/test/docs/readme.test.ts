/**
 * The root README's Vue example, kept in ./ReadmeArticleWriter.vue and
 * checked to be in the README verbatim. This package typechecks with tsc,
 * which does not read `.vue` files, so the test checks the SFC itself: its
 * `<script setup>` is typechecked with the package's compiler options, and the
 * component, compiled by Vue's SFC compiler, is mounted against the README's
 * quick-start server.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { flushPromises, mount } from '@vue/test-utils'
import ts from 'typescript'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Component } from 'vue'
import { compileScript, parse } from 'vue/compiler-sfc'
import { readmeServerFetch } from '../../../../test/fixtures/readme-server.js'
import { until } from '../../../../test/fixtures/article-workflow.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const read = (path: string) => readFileSync(here(path), 'utf8')
const generated = here('./.generated/')

const source = read('./ReadmeArticleWriter.vue')
const { descriptor, errors } = parse(source, { filename: 'ReadmeArticleWriter.vue' })

afterEach(() => {
  vi.unstubAllGlobals()
})

describe("the root README's Vue example", () => {
  it('is in the README verbatim', () => {
    expect(read('../../../../README.md')).toContain('### Vue\n\n```vue\n' + source + '```\n')
  })

  it('is a valid SFC whose <script setup> typechecks', () => {
    expect(errors).toEqual([])
    mkdirSync(generated, { recursive: true })
    const file = `${generated}ReadmeArticleWriter.setup.ts`
    writeFileSync(file, descriptor.scriptSetup!.content)
    const config = ts.getParsedCommandLineOfConfigFile(here('../../tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
    const program = ts.createProgram([file], config.options)
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    expect(diagnostics).toEqual([])
  }, 60_000)

  it('writes, pauses for approval and publishes', async () => {
    const server = readmeServerFetch()
    vi.stubGlobal('fetch', server.fetch)
    mkdirSync(generated, { recursive: true })
    const compiled = `${generated}ReadmeArticleWriter.vue.ts`
    writeFileSync(compiled, compileScript(descriptor, { id: 'readme', inlineTemplate: true }).content)
    const { default: ReadmeArticleWriter } = (await import(/* @vite-ignore */ compiled)) as { default: Component }
    const wrapper = mount(ReadmeArticleWriter)

    await wrapper.get('button').trigger('click')
    await until(() => wrapper.findAll('button').some((button) => button.text() === 'Publish?'), 'the approval')
    expect(wrapper.get('pre').text()).toBe('A short piece about rivers.')
    expect(wrapper.findAll('p').map((p) => p.text())).toContain('writer: finished')
    await wrapper.findAll('button').find((button) => button.text() === 'Publish?')!.trigger('click')
    await until(() => wrapper.find('article').exists(), 'the article')
    await flushPromises()
    expect(wrapper.get('article').text()).toBe('About rivers')
    expect(server.requests.map(({ body }) => body && Object.keys(body).find((key) => key === 'input' || key === 'approval'))).toEqual(['input', 'approval'])
    // The headers getter ran for each request (the token ref is empty here).
    expect(server.requests.map(({ headers }) => headers.get('authorization'))).toEqual(['Bearer', 'Bearer'])
    wrapper.unmount()
  })
})
