import { canDisconnect, canReset, canStop, copy, disconnectHintId, initialTopic, isLive, testIds, workflows, type FlakySwitch, type WorkflowName } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

export interface RunFormHandlers {
  workflowName: WorkflowName
  flakyNetwork: boolean
  onWorkflowChange(name: WorkflowName): void
  onFlakyChange(on: boolean): void
  onStart(topic: string): void
  onStop(): void
  onDisconnect(): void
  onReset(): void
}

export interface RunFormView extends View {
  /** Shows what the server does to this tab's streams, once the page knows it (connection.ts). */
  showFlaky(flaky: FlakySwitch): void
}

export function runForm(handlers: RunFormHandlers): RunFormView {
  const select = h('select', { testId: testIds.workflowSelect, on: { change: () => handlers.onWorkflowChange(select.value as WorkflowName) } },
    ...workflows.map((workflow) => h('option', { attrs: { value: workflow.name } }, workflow.label)),
  )
  select.value = handlers.workflowName
  const topic = h('input', { testId: testIds.topicInput, attrs: { type: 'text' }, on: { input: () => syncButtons() } })
  topic.value = initialTopic()
  const flaky = h('input', { testId: testIds.flakyToggle, attrs: { type: 'checkbox' }, on: { change: () => handlers.onFlakyChange(flaky.checked) } })
  flaky.checked = handlers.flakyNetwork
  const flakyLabel = document.createTextNode(copy.flakyLabel)
  const start = h('button', { className: 'primary', testId: testIds.startButton, attrs: { type: 'submit' } }, copy.start)
  const stop = h('button', { className: 'danger', testId: testIds.stopButton, attrs: { type: 'button' }, on: { click: () => handlers.onStop() } }, copy.stop)
  const disconnect = h('button', { testId: testIds.disconnectButton, attrs: { type: 'button', 'aria-describedby': disconnectHintId }, on: { click: () => handlers.onDisconnect() } }, copy.disconnect)
  const reset = h('button', { testId: testIds.resetButton, attrs: { type: 'button' }, on: { click: () => handlers.onReset() } }, copy.reset)

  let live = false
  let stoppable = false
  let disconnectable = false
  let resettable = false
  function syncButtons() {
    select.disabled = live
    topic.disabled = live
    start.disabled = live || topic.value.trim() === ''
    stop.disabled = !stoppable
    disconnect.disabled = !disconnectable
    reset.disabled = !resettable
  }

  const element = h('form', {
      className: 'panel form',
      on: {
        submit: (event) => {
          event.preventDefault()
          handlers.onStart(topic.value.trim())
        },
      },
    },
    h('label', {}, copy.workflowLabel, select),
    h('label', {}, copy.topicLabel, topic),
    h('label', { className: 'check' }, flaky, flakyLabel),
    h('div', { className: 'actions' }, start, stop, disconnect, reset),
    h('p', { className: 'hint', attrs: { id: disconnectHintId } }, copy.disconnectHint),
  )
  syncButtons()
  const drawLive = whenChanged((state) => isLive(state), (value) => {
    live = value
    syncButtons()
  })
  const drawStop = whenChanged(canStop, (value) => {
    stoppable = value
    syncButtons()
  })
  const drawDisconnect = whenChanged(canDisconnect, (value) => {
    disconnectable = value
    syncButtons()
  })
  const drawReset = whenChanged(canReset, (value) => {
    resettable = value
    syncButtons()
  })
  return {
    element,
    showFlaky: (shown) => {
      flaky.checked = shown.checked
      flaky.disabled = shown.disabled
      flakyLabel.data = shown.label
    },
    update: (state) => {
      drawLive(state)
      drawStop(state)
      drawDisconnect(state)
      drawReset(state)
    },
  }
}
