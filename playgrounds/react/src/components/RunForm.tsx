import { copy, disconnectHintId, initialTopic, testIds, workflows, type FlakySwitch, type WorkflowName } from '@stepstream/playground-shared'
import { useState, type FormEvent } from 'react'

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

export function RunForm(props: RunFormProps) {
  const [topic, setTopic] = useState(initialTopic)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    props.onStart(topic.trim())
  }
  return (
    <form className="panel form" onSubmit={submit}>
      <label>
        {copy.workflowLabel}
        <select
          data-testid={testIds.workflowSelect}
          value={props.workflowName}
          disabled={props.live}
          onChange={(event) => props.onWorkflowChange(event.target.value as WorkflowName)}
        >
          {workflows.map((workflow) => (
            <option key={workflow.name} value={workflow.name}>
              {workflow.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {copy.topicLabel}
        <input data-testid={testIds.topicInput} type="text" value={topic} disabled={props.live} onChange={(event) => setTopic(event.target.value)} />
      </label>
      <label className="check">
        <input data-testid={testIds.flakyToggle} type="checkbox" checked={props.flaky.checked} disabled={props.flaky.disabled} onChange={(event) => props.onFlakyChange(event.target.checked)} />
        {props.flaky.label}
      </label>
      <div className="actions">
        <button className="primary" data-testid={testIds.startButton} type="submit" disabled={props.live || topic.trim() === ''}>
          {copy.start}
        </button>
        <button className="danger" data-testid={testIds.stopButton} type="button" disabled={!props.canStop} onClick={props.onStop}>
          {copy.stop}
        </button>
        <button data-testid={testIds.disconnectButton} type="button" aria-describedby={disconnectHintId} disabled={!props.canDisconnect} onClick={props.onDisconnect}>
          {copy.disconnect}
        </button>
        <button data-testid={testIds.resetButton} type="button" disabled={!props.canReset} onClick={props.onReset}>
          {copy.reset}
        </button>
      </div>
      <p className="hint" id={disconnectHintId}>
        {copy.disconnectHint}
      </p>
    </form>
  )
}
