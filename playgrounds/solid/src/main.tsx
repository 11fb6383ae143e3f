import '@stepstream/playground-shared/styles.css'
import { keepFocusOnTheRun } from '@stepstream/playground-shared'
import { render } from 'solid-js/web'
import { App } from './App.js'

// Focus that loses its control (pressed, or gone with the run) goes to the run status (focus.ts).
keepFocusOnTheRun()
render(() => <App />, document.getElementById('root')!)
