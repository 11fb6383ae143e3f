import { copy, disconnectHintId, initialTopic, testIds, workflows, type FlakySwitch, type WorkflowName } from '@stepstream/playground-shared'
import { createSignal, For } from 'solid-js'

interface RunFormProps {
  workflowName: WorkflowName
  onWorkflowChange: (name: WorkflowName) => void
  flaky: FlakySwitch
  onFlakyChange: (on: boolean) => void
  live: boolean
  canStop: boolean
  canDisconnect: boolean
  canReset: boolean
  onStart: (topic: string) => void
  onStop: () => void
  onDisconnect: () => void
  onReset: () => void
}

// Props are read as `props.x` (never destructured) so they stay reactive.
export function RunForm(props: RunFormProps) {
  const [topic, setTopic] = createSignal(initialTopic())
  return (
    <form
      class="panel form"
      onSubmit={(event) => {
        event.preventDefault()
        props.onStart(topic().trim())
      }}
    >
      <label>
        {copy.workflowLabel}
        <select
          data-testid={testIds.workflowSelect}
          value={props.workflowName}
          disabled={props.live}
          onChange={(event) => props.onWorkflowChange(event.currentTarget.value as WorkflowName)}
        >
          <For each={workflows}>{(workflow) => <option value={workflow.name}>{workflow.label}</option>}</For>
        </select>
      </label>
      <label>
        {copy.topicLabel}
        <input data-testid={testIds.topicInput} type="text" value={topic()} disabled={props.live} onInput={(event) => setTopic(event.currentTarget.value)} />
      </label>
      <label class="check">
        <input data-testid={testIds.flakyToggle} type="checkbox" checked={props.flaky.checked} disabled={props.flaky.disabled} onChange={(event) => props.onFlakyChange(event.currentTarget.checked)} />
        {props.flaky.label}
      </label>
      <div class="actions">
        <button class="primary" data-testid={testIds.startButton} type="submit" disabled={props.live || topic().trim() === ''}>
          {copy.start}
        </button>
        <button class="danger" data-testid={testIds.stopButton} type="button" disabled={!props.canStop} onClick={() => props.onStop()}>
          {copy.stop}
        </button>
        <button data-testid={testIds.disconnectButton} type="button" aria-describedby={disconnectHintId} disabled={!props.canDisconnect} onClick={() => props.onDisconnect()}>
          {copy.disconnect}
        </button>
        <button data-testid={testIds.resetButton} type="button" disabled={!props.canReset} onClick={() => props.onReset()}>
          {copy.reset}
        </button>
      </div>
      <p class="hint" id={disconnectHintId}>
        {copy.disconnectHint}
      </p>
    </form>
  )
}
