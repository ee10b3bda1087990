// Words and numbers shown to people, in one place so the status line, the webview's problems box,
// push prompts and the ingestion panels say the same thing the same way. Pure (no DOM, no
// `vscode`): the host and the webview both use it, and it is unit-tested in plain Node.

/** "1 problem", "2 problems"; `pluralForm` for nouns that do not just take an "s". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** "09:05": the time of day every status line shows. */
export function clock(at: Date): string {
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';
const SEVERITY_NOUNS: readonly (readonly [ProblemSeverity, string])[] = [['error', 'error'], ['warning', 'warning'], ['info', 'info']];

/**
 * How many problems a list holds, counting every item the person is shown: "1 problem",
 * "3 problems", and when severities are mixed "3 problems (2 errors, 1 warning)". The status line
 * and the problems box must both call this with the same list, so they never disagree.
 */
export function problemCount(items: readonly { readonly severity: ProblemSeverity }[]): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const i of items) counts[i.severity]++;
  return problemCountOf(counts);
}

export type ProblemCounts = Readonly<Record<ProblemSeverity, number>>;

/** The same words from counts (a capped list says how many it left out: they count too). */
export function problemCountOf(counts: ProblemCounts): string {
  const total = plural(counts.error + counts.warning + counts.info, 'problem');
  const parts = SEVERITY_NOUNS.map(([severity, noun]) => [counts[severity], noun] as const).filter(([n]) => n > 0);
  return parts.length > 1 ? `${total} (${parts.map(([n, noun]) => plural(n, noun, noun === 'info' ? 'infos' : undefined)).join(', ')})` : total;
}

// ------------------------------------------------------------------ ingestion runs and status

export interface TimeOptions {
  /** BCP 47 locale; default: the runtime's (VS Code's display language in the extension host). */
  readonly locale?: string;
  /** IANA zone; default: the machine's local zone. */
  readonly timeZone?: string;
  /** Seconds too ("03:30:12"): for moments a person tells apart within a minute (pushes). */
  readonly seconds?: boolean;
  /** false: without "(2 h ago)" (a title that stays on screen). */
  readonly relative?: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "2 h ago", "3 days ago" (and "in 5 min"); undefined past a week. */
export function relativeTime(at: Date, now: Date): string | undefined {
  const diff = now.getTime() - at.getTime();
  const span = Math.abs(diff);
  let amount: string;
  if (span < MINUTE) return 'just now';
  if (span < HOUR) amount = `${Math.floor(span / MINUTE)} min`;
  else if (span < DAY) amount = `${Math.floor(span / HOUR)} h`;
  else if (span < 7 * DAY) amount = plural(Math.floor(span / DAY), 'day');
  else return undefined;
  return diff >= 0 ? `${amount} ago` : `in ${amount}`;
}

/**
 * An ISO timestamp from Statsig ("2026-11-22T02:30:00.000Z") as local date and time, with how long
 * ago when it is recent: "22 Nov 2026, 03:30 (2 h ago)". Anything that is not a date is returned
 * unchanged (server text is shown, never dropped).
 */
export function formatTimestamp(iso: string, now: Date, options: TimeOptions = {}): string {
  const at = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(at.getTime())) return iso;
  const local = new Intl.DateTimeFormat(options.locale, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    ...(options.seconds ? { second: '2-digit' } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  }).format(at);
  const relative = options.relative === false ? undefined : relativeTime(at, now);
  return relative ? `${local} (${relative})` : local;
}

/**
 * A calendar day from Statsig ("2026-11-21", or that day at midnight UTC as ingestion status's
 * `ds` sends it) as "Sat, 21 Nov 2026". Read in UTC on purpose: in local time a zone west of
 * Greenwich would show the day before.
 */
export function formatDay(ds: string, options: Pick<TimeOptions, 'locale'> = {}): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?Z)?$/.exec(ds);
  const at = match ? new Date(`${match[1]}T00:00:00Z`) : undefined;
  if (!at || Number.isNaN(at.getTime())) return ds;
  return new Intl.DateTimeFormat(options.locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(at);
}

/**
 * A status or trigger code as words: "SUCCEEDED" → "Succeeded", "IN_PROGRESS" → "In progress",
 * "pulse_complete" → "Pulse complete", "scheduled" → "Scheduled". Text that is not a code (has
 * spaces, say) is returned unchanged.
 */
export function formatStatus(code: string): string {
  if (!/^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/.test(code)) return code;
  const words = code.replace(/[_-]+/g, ' ');
  // Already mixed case ("Scheduled", "dryRun") is someone's wording: keep it, only capitalised.
  const text = words === words.toUpperCase() || words === words.toLowerCase() ? words.toLowerCase() : words;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
