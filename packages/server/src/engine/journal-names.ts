/**
 * What the step journal files a command under. Replay checks each command
 * the body yields against the recorded one by these two, so they must not
 * depend on anything but what the body asked for.
 */
import type { CommandPayload } from '../authoring/commands.js'
import type { JournalCommand, PendingInput } from '../store/run-store.js'

export function journalCommandOf(command: CommandPayload): JournalCommand {
  return command.type
}

export function journalNameOf(command: CommandPayload): string {
  switch (command.type) {
    case 'call':
      return command.stepName
    case 'approval':
      return command.title
    case 'signal':
    case 'sleep':
      return command.name
    case 'now':
    case 'uuid':
    case 'route':
      // Not the orchestrator's name: renaming it must not fail the rebuild of its paused runs.
      return command.type
  }
}

/** The journal name of the command a run paused at, from what it waits for. */
export function pendingNameOf(input: PendingInput): string {
  return input.kind === 'approval' ? input.title : input.signalName
}
