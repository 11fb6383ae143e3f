import { WorkflowClient } from '@stepstream/client';
export function ownOptions(options) {
    return options.client ? undefined : options;
}
export function clientOptions(options) {
    const { id: _id, stopOnUnmount: _stopOnUnmount, client: _client, ...rest } = options;
    return rest;
}
export function clientFor(options) {
    const own = ownOptions(options);
    return own ? new WorkflowClient(clientOptions(own)) : options.client;
}
/** Lets go of an owned client: closes its stream, or aborts the run with `stopOnUnmount`. */
export function letGo(client, stopOnUnmount) {
    if (stopOnUnmount)
        void client.stop();
    else
        client.disconnect();
}
/** Actions bound to whatever client `current()` returns when they are called. */
export function bindActions(current) {
    return {
        start: (input, options) => current().start(input, options),
        approve: (approved, feedback) => current().approve(approved, feedback),
        signal: (name, payload, options) => current().signal(name, payload, options),
        attach: (runId, options) => current().attach(runId, options),
        resume: () => current().resume(),
        stop: () => current().stop(),
        disconnect: () => current().disconnect(),
        reset: () => current().reset(),
    };
}
