import { copy, testIds, type ArticleOutput } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

function panel(output: ArticleOutput): HTMLElement {
  const content = output.ok
    ? h('article', {},
        h('h3', { testId: testIds.outputTitle }, output.article.title),
        h('p', { testId: testIds.outputBody }, output.article.body),
        h('p', { className: 'muted' }, `${output.article.url} · ${output.article.revisions} revision(s)`),
      )
    : h('p', { testId: testIds.outputBody }, output.reason)
  const section = h('section', { className: 'panel output', testId: testIds.output }, h('h2', {}, copy.output), content)
  section.dataset.ok = String(output.ok)
  return section
}

export function outputPanel(): View {
  const slot = h('div', { className: 'slot' })
  return {
    element: slot,
    update: whenChanged((state) => state.output, (output) => slot.replaceChildren(...(output ? [panel(output)] : []))),
  }
}
