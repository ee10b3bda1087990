// A source's SQL as a document of its own (the `.sql` view): the SQL string of the source's JSON,
// read out and written back in place. Pure; src/features/documents/sourceFs.ts serves it.
import { applyEdits } from 'jsonc-parser';
import { parseDocument, planEdit, type Problem } from './document.ts';
import { descriptor, type KindId } from './kinds.ts';

export type SqlRead = { readonly ok: true; readonly sql: string } | { readonly ok: false; readonly reason: string };

/** The SQL of a source's JSON text (an absent SQL field reads as empty). */
export function sqlOf(kind: KindId, json: string): SqlRead {
  const parsed = parseDocument(json);
  const field = descriptor(kind).sqlField;
  if (!parsed.ok) return { ok: false, reason: `The JSON of this source does not parse, so its "${field}" cannot be shown as SQL. Fix it in the source's editor first.` };
  const value = parsed.value[field];
  if (value === undefined || value === null) return { ok: true, sql: '' };
  if (typeof value !== 'string') return { ok: false, reason: `The "${field}" of this source is not text, so it cannot be shown as SQL. Fix it in the source's editor first.` };
  return { ok: true, sql: value };
}

/** `json` with its SQL replaced by `sql`, every other byte kept; an error message when the JSON cannot take it. */
export function withSql(kind: KindId, json: string, sql: string): { readonly ok: true; readonly json: string } | { readonly ok: false; readonly reason: string } {
  const plan = planEdit(json, [descriptor(kind).sqlField], sql);
  if (!plan.ok) return { ok: false, reason: plan.message };
  return { ok: true, json: applyEdits(json, plan.edits) };
}

/**
 * The problems that lie inside the SQL, placed in the SQL text itself; a problem about the SQL
 * that points nowhere in it (a warehouse message naming no line or token) covers the whole SQL,
 * never an invented line.
 */
export function problemsInSql(problems: readonly Problem[], sqlField: string, sqlLength: number): { readonly problem: Problem; readonly from: number; readonly to: number }[] {
  return problems.flatMap((problem) => {
    if (problem.sqlRange) return [{ problem, from: problem.sqlRange.from, to: problem.sqlRange.to }];
    const aboutSql = problem.path.length === 1 && problem.path[0] === sqlField && !problem.omitted;
    return aboutSql ? [{ problem, from: 0, to: sqlLength }] : [];
  });
}

/**
 * A workspace source's two files as one document (the custom editor's): the `.source.json` text with
 * the `.sql` file's text put in as the SQL field, every other byte kept. `sql` undefined: no `.sql`
 * file, the JSON as it is.
 */
export function joinSourceFiles(kind: KindId, json: string, sql: string | undefined): { readonly ok: true; readonly json: string } | { readonly ok: false; readonly reason: string } {
  if (sql === undefined) return { ok: true, json };
  const joined = withSql(kind, json, sql);
  return joined.ok ? joined : { ok: false, reason: `The .source.json does not parse, so the source cannot be opened as one: ${joined.reason.replace(/ \(Open as JSON\)\.$/, '.')} Fix it in a text editor.` };
}

/**
 * The inverse of joinSourceFiles: the document's SQL field as the `.sql` file's text (undefined when
 * there is none, or it is not text, which then stays in the JSON), and the JSON without it.
 */
export function splitSourceFiles(kind: KindId, json: string): { readonly ok: true; readonly json: string; readonly sql: string | undefined } | { readonly ok: false; readonly reason: string } {
  const parsed = parseDocument(json);
  if (!parsed.ok) return { ok: false, reason: 'The document is not valid JSON, so it cannot be saved into its .source.json and .sql files. Fix the JSON first.' };
  const field = descriptor(kind).sqlField;
  const sql = parsed.value[field];
  if (typeof sql !== 'string') return { ok: true, json, sql: undefined };
  const plan = planEdit(json, [field], undefined);
  if (!plan.ok) return { ok: false, reason: plan.message };
  return { ok: true, json: applyEdits(json, plan.edits), sql };
}
