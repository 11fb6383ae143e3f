import '@stepstream/playground-shared/styles.css'
import { keepFocusOnTheRun } from '@stepstream/playground-shared'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'

// Focus that loses its control (pressed, or gone with the run) goes to the run status (focus.ts).
keepFocusOnTheRun()

// StrictMode on purpose: the adapter promises one request per action even when effects run twice.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
