// The status bar item's text: which project(s) are connected, and a countdown while the client
// holds mutations back to stay under Statsig's rate limit. Pure, so it is unit-tested.

export function statusText(projectLabels: readonly string[], throttledMs: number): string {
  if (projectLabels.length === 0) return '$(plug) Statsig: not connected';
  const who = projectLabels.length === 1 ? (projectLabels[0] ?? '') : `${projectLabels.length} projects`;
  if (throttledMs > 0) return `$(watch) Statsig: ${who} — throttled ${Math.ceil(throttledMs / 1000)}s`;
  return `$(database) Statsig: ${who}`;
}
