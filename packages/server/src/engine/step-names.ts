/** Step names must be unique among open steps (AG-UI pairs STEP_* by name). */
export function uniqueName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name
  let suffix = 2
  while (taken.includes(`${name} (${suffix})`)) suffix += 1
  return `${name} (${suffix})`
}
