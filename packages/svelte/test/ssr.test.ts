// @vitest-environment node
import type { ConnectionRequest, WorkflowConnection } from '@stepstream/client'
import { render } from 'svelte/server'
import { describe, expect, it } from 'vitest'
import RunesArticle from './RunesArticle.svelte'
import StoreArticle from './StoreArticle.svelte'

describe('server-side rendering', () => {
  it.each([
    ['the store ($wf)', StoreArticle],
    ['createWorkflow (runes)', RunesArticle],
  ])('renders %s in its initial state and sends nothing', (_name, Component) => {
    const sent: ConnectionRequest[] = []
    const connection: WorkflowConnection = {
      send: (request) => {
        sent.push(request)
        return Promise.reject(new Error('no network during SSR'))
      },
    }
    expect(typeof window).toBe('undefined')
    const { body } = render(Component, { props: { connection } })
    expect(body).toContain('<p data-testid="status">idle</p>')
    expect(sent).toHaveLength(0)
  })
})
