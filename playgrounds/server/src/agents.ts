import { mockAgent } from '@stepstream/server'
import { draftText, editedText, factCheckText, publishAttemptText, publishFailure, publishText, researchText, slugFor, titleFor } from './script.js'

export interface Draft {
  title: string
  body: string
}

export interface EditorInput {
  topic: string
  draft: string
  revision: number
  feedback?: string
}

/**
 * The demo's agents. `paceMs` is the pause between streamed words: slow
 * enough in `pnpm dev` to watch, quicker in the end-to-end tests.
 */
export function demoAgents(paceMs: number) {
  return {
    researcher: mockAgent<{ topic: string }, { notes: string }>({
      name: 'researcher',
      text: ({ topic }) => researchText(topic),
      result: ({ topic }) => ({ notes: researchText(topic) }),
      chunkDelayMs: paceMs,
    }),
    writer: mockAgent<{ topic: string }, Draft>({
      name: 'writer',
      text: ({ topic }) => draftText(topic),
      result: ({ topic }) => ({ title: titleFor(topic), body: draftText(topic) }),
      chunkDelayMs: paceMs,
    }),
    editor: mockAgent<EditorInput, Draft>({
      name: 'editor',
      text: ({ topic, revision, feedback }) => editedText(topic, revision, feedback),
      result: ({ topic, revision, feedback }) => ({ title: titleFor(topic), body: editedText(topic, revision, feedback) }),
      chunkDelayMs: paceMs,
    }),
    factChecker: mockAgent<{ topic: string; draft: string }, { issues: number }>({
      name: 'fact-checker',
      text: ({ topic }) => factCheckText(topic),
      result: () => ({ issues: 1 }),
      chunkDelayMs: paceMs,
    }),
    publisher: mockAgent<{ topic: string; slot?: string }, { url: string }>({
      name: 'publisher',
      text: ({ topic, slot }) => publishText(topic, slot),
      result: ({ topic }) => ({ url: `/articles/${slugFor(topic)}` }),
      chunkDelayMs: paceMs,
    }),
    // Streams its attempt, then throws: the failing workflow's step that shows the error path.
    unreachablePublisher: mockAgent<{ topic: string }, { url: string }>({
      name: 'publisher',
      text: ({ topic }) => publishAttemptText(topic),
      result: ({ topic }) => ({ url: `/articles/${slugFor(topic)}` }),
      fail: ({ topic }) => publishFailure(topic),
      chunkDelayMs: paceMs,
    }),
  }
}

export type DemoAgents = ReturnType<typeof demoAgents>

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}
