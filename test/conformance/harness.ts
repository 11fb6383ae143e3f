import type { AdapterOptions, SharedClientOptions, StandardSchemaV1, WorkflowClient, WorkflowClientOptions, WorkflowClientState, WorkflowConnection } from '@stepstream/client'
import { articleInput, articleOutput, type ArticleInput, type ArticleOutput, type WorkflowName } from './workflows.js'

type ArticleClientOptions = WorkflowClientOptions<ArticleInput, ArticleOutput>

/** The client options that are the app's callbacks (onEvent, onStateChange, onFinish, …), typed as the client takes them. */
export type HarnessCallbacks = {
  [K in keyof ArticleClientOptions as NonNullable<ArticleClientOptions[K]> extends (...args: never[]) => unknown ? K : never]: ArticleClientOptions[K]
}

/** Options for a client the adapter creates from them, and so owns. */
export interface OwnHarnessOptions {
  connection: WorkflowConnection
  /** Which served workflow (sent as the `workflow` body field). */
  workflow: WorkflowName
  /** The run the adapter follows: a new one makes it let go of its client and create another. */
  id?: string
  stopOnUnmount?: boolean
  /** Check the output against its schema (`WorkflowClientOptions.validate`). */
  validate?: boolean
  /** The output schema in place of `articleOutput` (one whose check a scenario holds open, say). */
  output?: StandardSchemaV1<unknown, ArticleOutput>
  /** The app's callbacks, handed to the adapter with the other options. */
  callbacks?: HarnessCallbacks
  client?: undefined
}

/** The client behind a mounted component, typed from the schemas. */
export type ArticleClient = WorkflowClient<ArticleInput, ArticleOutput>

/**
 * What a scenario asks a harness to mount: one component using the adapter's
 * `useWorkflow`, either with options of its own or with `{ client }`, a client
 * someone else owns (possibly the component's own, handed back).
 */
export type HarnessOptions = OwnHarnessOptions | SharedClientOptions<ArticleInput, ArticleOutput>

/** The adapter's options for a scenario's: every harness passes exactly these to `useWorkflow`. */
export function adapterOptions(options: HarnessOptions): AdapterOptions<ArticleInput, ArticleOutput> {
  if (options.client) return { client: options.client }
  const { connection, workflow, id, stopOnUnmount, validate, output = articleOutput, callbacks } = options
  return { connection, body: { workflow }, input: articleInput, output, id, stopOnUnmount, validate, ...callbacks }
}

/** The actions as the mounted component received them from the adapter, typed from the schemas. */
export type HarnessActions = Pick<ArticleClient, 'start' | 'approve' | 'signal' | 'attach' | 'resume' | 'stop' | 'disconnect' | 'reset'>

/** What a harness's view hands out of the component: the actions, and the client it follows now. */
export type Exposed = HarnessActions & { readonly client: ArticleClient }

export interface Mounted {
  actions: HarnessActions
  /** The client the adapter follows now (its `client`), e.g. to hand back to it as shared. */
  readonly client: ArticleClient
  /**
   * Gives the mounted component new options, the framework's own way, and
   * resolves once it has followed them (and let go of any client it left).
   */
  update(options: HarnessOptions): Promise<void>
  /** Unmounts through the testing library, as a page leaving would; resolves once the adapter has let go of its client. */
  unmount(): Promise<void>
}

/**
 * One framework's way to mount the view below. Everything else (the
 * scenarios, the server, the assertions) is shared: a new framework needs
 * only a harness.
 */
export interface Harness {
  name: string
  /**
   * Set when the adapter form reads its options once, so a mounted component
   * cannot be given new ones: why. Scenarios that change options
   * (`Scenario.changesOptions`) are then left out of its table.
   */
  fixedOptions?: string
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
