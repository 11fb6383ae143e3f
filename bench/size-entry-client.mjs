// What an app that uses the client ships: esbuild tree-shakes the rest.
export { WorkflowClient, fetchWorkflowEvents } from '@stepstream/client'
