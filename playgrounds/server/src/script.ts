/**
 * What the mock agents say. Deterministic for a topic, so a test can compare
 * the text a browser ended up showing with the text that was meant to stream.
 */

export function titleFor(topic: string): string {
  return `${topic}: a field guide`
}

export function slugFor(topic: string): string {
  return topic.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'article'
}

export function researchText(topic: string): string {
  return `Notes on ${topic}: readers want to see progress as it happens, to stay in control of what ships, and to trust that nothing is lost when the network drops. Three sources agree that visible steps beat a spinner.`
}

export function draftText(topic: string): string {
  return `${titleFor(topic)}. ${topic} are easier to trust when every step of the work is visible. A writer drafts, an editor tightens the prose, and a person approves before anything is published. Each word arrives as the agent produces it, so the page never sits silent while a model thinks, and a dropped connection picks up exactly where it stopped.`
}

export function editedText(topic: string, revision: number, feedback?: string): string {
  const opening =
    revision === 0
      ? `Edited draft. ${topic} earn trust by showing their work:`
      : `Revision ${revision}, addressing "${feedback ?? ''}". ${topic} earn trust by showing their work, step by step:`
  return `${opening} a writer drafts, an editor sharpens, and a reviewer approves before publishing. Text streams in as it is written, state changes arrive as small patches, and a lost connection resumes from the last event it saw, so no word is shown twice.`
}

export function factCheckText(topic: string): string {
  return `Checked the claims about ${topic}. One sentence overstates what resume guarantees; the editor should say that every event is applied exactly once.`
}

export function publishText(topic: string, slot = 'now'): string {
  return `Publishing "${titleFor(topic)}" (slot: ${slot}). Rendered the page, updated the index, and notified subscribers. Live at /articles/${slugFor(topic)}.`
}

export function publishAttemptText(topic: string): string {
  return `Publishing "${titleFor(topic)}": rendered the page, now handing it to the publishing service.`
}

/** Why the failing workflow's publisher gives up: the message its failed step and the run's error carry. */
export function publishFailure(topic: string): string {
  return `The publishing service did not answer: "${titleFor(topic)}" was not published.`
}
