import type { WorkflowClient, WorkflowClientState, WorkflowConnection } from '@stepstream/client'
import type { ArticleInput, ArticleOutput, WorkflowName } from './workflows.js'

/** What a scenario asks a harness to mount: one component using the adapter's `useWorkflow`. */
export interface HarnessOptions {
  connection: WorkflowConnection
  /** Which served workflow (sent as the `workflow` body field). */
  workflow: WorkflowName
  stopOnUnmount?: boolean
  /** Check the output against its schema (`WorkflowClientOptions.validate`). */
  validate?: boolean
}

/** The actions as the mounted component received them from the adapter, typed from the schemas. */
export type HarnessActions = Pick<
  WorkflowClient<ArticleInput, ArticleOutput>,
  'start' | 'approve' | 'signal' | 'attach' | 'resume' | 'stop' | 'disconnect' | 'reset'
>

export interface Mounted {
  actions: HarnessActions
  /** Unmounts through the testing library, as a page leaving would. */
  unmount(): void
}

/**
 * One framework's way to mount the view below. Everything else (the
 * scenarios, the server, the assertions) is shared: a new framework needs
 * only a harness.
 */
export interface Harness {
  name: string
  mount(options: HarnessOptions): Mounted | Promise<Mounted>
  /** The testing library's cleanup, after each scenario. */
  cleanup(): void
}


/** The fields a harness renders, each as `<output data-testid={key}>{text}</output>`. */
export type ViewFields = Pick<
  WorkflowClientState<ArticleOutput>,
  'status' | 'connection' | 'runId' | 'steps' | 'currentText' | 'pendingApproval' | 'pendingSignal' | 'output' | 'error'
>

/**
 * The text of each rendered field, computed from what the adapter returned.
 * `output` narrows on its discriminant here, so a harness whose adapter lost
 * the schema's type does not compile.
 */
export function present(fields: ViewFields): Record<string, string> {
  const { output } = fields
  return {
    status: fields.status,
    connection: fields.connection,
    runId: fields.runId ?? '',
    steps: fields.steps.map((step) => `${step.stepName}:${step.status}`).join(','),
    text: fields.currentText,
    approval: fields.pendingApproval?.title ?? '',
    signal: fields.pendingSignal?.signalName ?? '',
    output: output === undefined ? '' : output.ok ? `article: ${output.article}` : `rejected: ${output.reason}`,
    error: fields.error?.code ?? '',
  }
}

export const viewKeys = ['status', 'connection', 'runId', 'steps', 'text', 'approval', 'signal', 'output', 'error'] as const
export type ViewKey = (typeof viewKeys)[number]
