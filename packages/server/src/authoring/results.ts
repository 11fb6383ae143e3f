import type { Failed, Succeeded } from './types.js'

/** The workflow's successful result; `output` becomes `RUN_FINISHED.result`. */
export function succeed<TOutput>(output: TOutput): Succeeded<TOutput> {
  return { ok: true, output }
}

/** Ends the run with `RUN_ERROR { code, message: reason }` (code defaults to `workflow_failed`). */
export function fail(reason: string, options: { code?: string } = {}): Failed {
  return options.code === undefined ? { ok: false, reason } : { ok: false, reason, code: options.code }
}
