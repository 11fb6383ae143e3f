import '@stepstream/playground-shared/styles.css'
import { keepFocusOnTheRun } from '@stepstream/playground-shared'
import { createApp } from 'vue'
import App from './App.vue'

// Focus that loses its control (pressed, or gone with the run) goes to the run status (focus.ts).
keepFocusOnTheRun()
createApp(App).mount('#app')
