// The one report of Validate All and Push All: which sources pass, which fail and why (with their
// problems, at SQL lines or field paths), and then what the push did with each. Plain text: server
// messages are shown as they are, never as markdown or links.
import type { Problem, Severity } from './document.ts';
import { LineIndex } from './document.ts';
import type { KindId } from './kinds.ts';
import { sqlOf } from './sqlView.ts';
import { formatPath } from '../shared/jsonPath.ts';

export type ReportMark = 'pass' | 'fail' | 'pushed' | 'unchanged' | 'conflict' | 'notRun';

export interface ReportLine {
  readonly severity: Severity;
  /** "SQL line 3, column 28", "timestampColumn", or "" for the whole source. */
  readonly where: string;
  readonly message: string;
}

export interface ReportEntry {
  /** `metric source "user_signups"` */
  readonly label: string;
  readonly mark: ReportMark;
  /** One line: the validation's status, or what the push did. */
  readonly summary: string;
  readonly problems: readonly ReportLine[];
}

const MARKS: Record<ReportMark, string> = { pass: '✓', pushed: '✓', unchanged: '=', fail: '✗', conflict: '!', notRun: '-' };
/** Per source: enough to act on without flooding the report. */
const MAX_LINES = 20;

/** A source's problems as report lines: inside the SQL at SQL lines, elsewhere by field. */
export function reportLines(kind: KindId, content: string, problems: readonly Problem[]): ReportLine[] {
  const read = sqlOf(kind, content);
  const sql = read.ok ? new LineIndex(read.sql) : undefined;
  return problems.filter((p) => p.omitted === undefined).map((p) => {
    let where = formatPath(p.path);
    if (p.sqlRange && sql) {
      const { line, character } = sql.position(p.sqlRange.from);
      where = `SQL line ${line + 1}, column ${character + 1}`;
    }
    return { severity: p.severity, where, message: oneLine(p.message) };
  });
}

/** Server text stays on its line: a newline in a message cannot forge another entry. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function renderReport(heading: readonly string[], entries: readonly ReportEntry[]): string {
  const out = [...heading.map(oneLine), ''];
  // Failures first: they are what the reader came for.
  const order: ReportMark[] = ['fail', 'conflict', 'notRun', 'pass', 'pushed', 'unchanged'];
  const sorted = [...entries].sort((a, b) => order.indexOf(a.mark) - order.indexOf(b.mark));
  for (const e of sorted) {
    out.push(`${MARKS[e.mark]} ${oneLine(e.label)}: ${oneLine(e.summary)}`);
    for (const p of e.problems.slice(0, MAX_LINES)) out.push(`    ${p.severity.padEnd(7)} ${p.where ? `${oneLine(p.where)}: ` : ''}${oneLine(p.message)}`);
    if (e.problems.length > MAX_LINES) out.push(`    … and ${e.problems.length - MAX_LINES} more (the Problems panel lists them all)`);
  }
  return `${out.join('\n')}\n`;
}
