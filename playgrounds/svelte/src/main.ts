import '@stepstream/playground-shared/styles.css'
import { keepFocusOnTheRun } from '@stepstream/playground-shared'
import { mount } from 'svelte'
import App from './App.svelte'

// Focus that loses its control (pressed, or gone with the run) goes to the run status (focus.ts).
keepFocusOnTheRun()
mount(App, { target: document.getElementById('app')! })
