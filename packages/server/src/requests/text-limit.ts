/**
 * The longest text a request field may hold (feedback, a signal name). Also
 * what a workflow may wait for: a signal name no request can send would
 * leave the run paused for good.
 */
export const MAX_TEXT_LENGTH = 10_000
