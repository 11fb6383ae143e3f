import { copy, testIds, type ArticleOutput } from '@stepstream/playground-shared'

export function OutputPanel({ output }: { output: ArticleOutput }) {
  return (
    <section className="panel output" data-testid={testIds.output} data-ok={output.ok}>
      <h2>{copy.output}</h2>
      {output.ok ? (
        <article>
          <h3 data-testid={testIds.outputTitle}>{output.article.title}</h3>
          <p data-testid={testIds.outputBody}>{output.article.body}</p>
          <p className="muted">
            {output.article.url} · {output.article.revisions} revision(s)
          </p>
        </article>
      ) : (
        <p data-testid={testIds.outputBody}>{output.reason}</p>
      )}
    </section>
  )
}
