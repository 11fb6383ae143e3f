// Not a README example: what the server README's runWorkflow example leaves to the host.
import { inMemoryRunStore } from '@stepstream/server'

export const runStore = inMemoryRunStore()
/** What the example's `send(index, event)` was given. */
export const sent: { index: number; event: unknown }[] = []
