// Where a problem of a source lies in its files (sources as code): validation works on the source
// as one JSON document (the `.source.json` fields with the SQL put back); the user edits two
// files. A problem inside the SQL goes to the `.sql` file at its SQL offsets, any other to the key
// (or value) it names in the `.source.json`. The CLI prints these; the workspace shows them as
// diagnostics on the files.
import { LineIndex, rangeOfPath, type parseDocument, type Problem, type Severity } from './document.ts';
import type { LocalSource } from './sourceFiles.ts';

export interface FileProblem {
  /** The file, as LocalSource names it (relative to the root). */
  readonly file: string;
  readonly role: 'sql' | 'json';
  /** Offsets into that file's text, and the 1-based line and column of `start`. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly message: string;
  readonly source: Problem['source'];
}

/** Where one problem of the combined source lies in its files. `jsonRoot`: parseDocument(source.jsonText). */
export function placeProblem(source: LocalSource, problem: Problem, sqlField: string, jsonRoot: ReturnType<typeof parseDocument>): FileProblem {
  const base = { severity: problem.severity, message: problem.message, source: problem.source };
  const aboutSql = problem.path.length >= 1 && problem.path[0] === sqlField;
  if (source.sqlPath !== undefined && source.sqlText !== undefined && (problem.sqlRange || aboutSql)) {
    // A problem about the SQL that points nowhere in it covers the whole SQL, never an invented line.
    const start = problem.sqlRange?.from ?? 0;
    const end = problem.sqlRange ? Math.max(problem.sqlRange.to, start) : source.sqlText.length;
    const { line, column } = new LineIndex(source.sqlText).lineColumn(start);
    return { ...base, file: source.sqlPath, role: 'sql', start, end, line, column };
  }
  const range = jsonRoot.ok ? rangeOfPath(jsonRoot.root, problem.path, { key: true }) : { start: 0, end: 0 };
  const { line, column } = new LineIndex(source.jsonText).lineColumn(range.start);
  return { ...base, file: source.jsonPath, role: 'json', start: range.start, end: Math.max(range.end, range.start), line, column };
}
