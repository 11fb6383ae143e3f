import { copy, testIds, type Article, type ArticleOutput } from '@stepstream/playground-shared'
import { Match, Switch } from 'solid-js'

export function OutputPanel(props: { output: ArticleOutput }) {
  const article = (): Article | undefined => (props.output.ok ? props.output.article : undefined)
  const reason = (): string | undefined => (props.output.ok ? undefined : props.output.reason)
  return (
    <section class="panel output" data-testid={testIds.output} data-ok={String(props.output.ok)}>
      <h2>{copy.output}</h2>
      <Switch>
        <Match when={article()}>
          {(article) => (
            <article>
              <h3 data-testid={testIds.outputTitle}>{article().title}</h3>
              <p data-testid={testIds.outputBody}>{article().body}</p>
              <p class="muted">
                {article().url} · {article().revisions} revision(s)
              </p>
            </article>
          )}
        </Match>
        <Match when={reason()}>{(reason) => <p data-testid={testIds.outputBody}>{reason()}</p>}</Match>
      </Switch>
    </section>
  )
}
