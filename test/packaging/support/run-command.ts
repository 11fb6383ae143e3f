import { spawn } from 'node:child_process'

export interface RunOptions {
  cwd: string
  /** The command and everything it started are killed after this long. */
  timeoutMs: number
}

/**
 * Runs a command to completion and resolves with its stdout; rejects with its
 * output when it exits non-zero or outlives `timeoutMs`. The child leads its
 * own process group so a timeout also kills what it spawned (pnpm -> tsup ->
 * tsc), leaving nothing running on CI's shared cores.
 */
export function runCommand(command: string, args: string[], { cwd, timeoutMs }: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve(stdout)
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`
      reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) ${why}\n${stdout}\n${stderr}`.trim()))
    })
  })
}

/** The environment without what would make a child resolve modules differently from a fresh shell. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  delete env.NODE_PATH
  return env
}
