// Save = validate, never publish. The pipeline every save runs, in order: JSON syntax → the zod
// schema of the request that a push would send, unknown and immutable fields → local SQL and
// column checks → Statsig's own dry run (the same request with `dryRun: true`). Every problem
// carries the exact text range it belongs to. Nothing here mutates anything on Statsig.
//
// Linear in the document, whatever it holds: at most MAX_PROBLEMS problems are listed (the rest are
// counted on one summary line, and their text ranges are never computed), the SQL string's escapes
// are mapped once, and the user's field names are only ever compared as own properties.
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { z } from 'zod';
import type { SourcesApi } from './api.ts';
import type { SourceRef } from './kinds.ts';
import { formatPath, jsonEqual, type JsonPath } from '../shared/jsonPath.ts';
import {
  capProblems, parseDocument, parsePropertyPath, problemCounts, ProblemList, rangeOfPath, StringOffsets, type Problem,
} from './document.ts';
import { errorMessage, isStatsigApiError, ValidationError } from './errors.ts';
import { jsonSchemaFor } from './jsonSchema.ts';
import { descriptor, identityOf, withoutServerOwned, type KindDescriptor, type KindId } from './kinds.ts';
import { analyzeSql, DIALECTS, matchColumn, type SqlDialect } from './sql/index.ts';
import { locateSqlError } from './sqlErrors.ts';
import { conflictMarkers } from './merge.ts';
import { clock, plural, problemCountOf } from '../shared/format.ts';

/** What a draft is checked against (built from its DraftContext, src/core/draftContext.ts). */
export interface ValidationContext {
  readonly kind: KindId;
  readonly ref: SourceRef;
  /** A source that does not exist on Statsig yet: push creates it. */
  readonly isNew: boolean;
  /** What the draft is compared with: its base, else Statsig's version as last read (DraftContext.compareWith); undefined for a new source. */
  readonly base: Record<string, unknown> | undefined;
  /** The project's unit ID types (GET /console/v1/unit_id_types), when known: `statsigUnitID` is checked against them. */
  readonly unitIdTypes?: readonly string[];
  /** The warehouse's SQL dialect: the SQL is parsed in it and mapped columns are compared by its rules (src/core/sql). */
  readonly dialect: SqlDialect;
  /** The draft is in the middle of a merge: conflict markers left in its SQL are errors (src/core/merge.ts). */
  readonly merging?: boolean;
}

export type PushMode = 'create' | 'update' | 'patch' | 'none';

export interface PushPlan {
  readonly mode: PushMode;
  /** What would be sent (server-owned fields are stripped by the API layer). */
  readonly body: Record<string, unknown>;
  /** Top-level fields that differ from the base. */
  readonly changed: readonly string[];
}

export type DryRunOutcome =
  | { readonly state: 'passed'; readonly message: string | undefined }
  | { readonly state: 'failed' }
  | { readonly state: 'unchanged' }
  | { readonly state: 'unavailable' }
  | { readonly state: 'skipped' }
  | { readonly state: 'error'; readonly message: string; readonly error: unknown };

export interface StatusLine {
  readonly tone: 'ok' | 'warning' | 'error';
  readonly text: string;
}

export interface ValidationResult {
  readonly problems: readonly Problem[];
  readonly dryRun: DryRunOutcome;
  readonly status: StatusLine;
  /** Undefined when the text is not a JSON object. */
  readonly plan: PushPlan | undefined;
}

const knownFields = new Map<KindId, Set<string>>();
function fieldsOf(kind: KindId): Set<string> {
  let set = knownFields.get(kind);
  if (!set) {
    set = new Set(Object.keys((jsonSchemaFor(kind)['properties'] ?? {})));
    knownFields.set(kind, set);
  }
  return set;
}

/** `o[k]` when `k` is o's own field; never what Object.prototype has under that name. */
function own(o: Record<string, unknown>, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

export function planPush(ctx: Pick<ValidationContext, 'kind' | 'ref' | 'isNew' | 'base'>, value: Record<string, unknown>): PushPlan {
  const d = descriptor(ctx.kind);
  const editable = (o: Record<string, unknown>) => Object.keys(o).filter((k) => !d.serverOwnedFields.includes(k));
  if (ctx.isNew) return { mode: 'create', body: value, changed: editable(value) };
  // An existing source whose starting point is unknown (a draft saved from a restored editor): send
  // everything, the way this kind takes a whole object.
  if (!ctx.base) return { mode: d.capabilities.fullUpdate ? 'update' : 'patch', body: value, changed: editable(value) };
  const base = ctx.base;
  const keys = [...new Set([...editable(base), ...editable(value)])];
  const changed = keys.filter((k) => !jsonEqual(own(base, k), own(value, k)));
  if (changed.length === 0) return { mode: 'none', body: value, changed };
  // Without a full update (ingestion) the whole object goes by PATCH.
  if (!d.capabilities.fullUpdate) return { mode: 'patch', body: value, changed };
  // PATCH cannot carry sql and cannot remove a field; anything else that changed can go by PATCH.
  const patchable = d.capabilities.patch && !changed.includes(d.sqlField) && changed.every((k) => Object.hasOwn(value, k));
  if (patchable) return { mode: 'patch', body: Object.fromEntries(changed.map((k) => [k, own(value, k)])), changed };
  return { mode: 'update', body: value, changed };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? `"${formatPath(issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s)))}"` : 'The source';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${field} is required.`;
  return `${field}: ${issue.message.replace(/^Invalid input: /, '')}.`.replace(/\.\.$/, '.');
}

function schemaFor(d: KindDescriptor, plan: PushPlan): z.ZodType<Record<string, unknown>> | undefined {
  if (plan.mode === 'create') return d.schemas.create;
  if (plan.mode === 'patch' && d.schemas.patch) return d.schemas.patch;
  return d.schemas.update;
}

/** Everything that can be said without the network (at most MAX_PROBLEMS problems and a summary line). */
export const UNRESOLVED_MERGE_MESSAGE = 'Unresolved merge conflict: keep the lines you want and delete the markers.';

/** `markers`: conflict markers left in the SQL of a draft being merged. */
export function localValidation(text: string, ctx: ValidationContext): { problems: Problem[]; plan: PushPlan | undefined; root: Node | undefined; markers: number } {
  const parsed = parseDocument(text);
  if (!parsed.ok) return { problems: parsed.problems, plan: undefined, root: undefined, markers: 0 };
  // The tree (parsed.root) is built only if a problem needs a range.
  const { value } = parsed;
  const d = descriptor(ctx.kind);
  const problems = new ProblemList();
  const at = (path: JsonPath, message: string, severity: Problem['severity'], source: Problem['source'], key = false): void =>
    problems.add(severity, source, () => ({ path, message, severity, source, range: rangeOfPath(parsed.root, path, { key }) }));

  const plan = planPush(ctx, value);
  // The schema of the request a push would send (a full body for create/update, the changed fields for PATCH).
  const body = withoutServerOwned(d.id, plan.body);
  const schema = schemaFor(d, plan);
  const checked = schema?.safeParse(body);
  if (checked && !checked.success) {
    for (const issue of checked.error.issues) at(issue.path as JsonPath, issueMessage(issue), 'error', 'schema');
  }
  const known = fieldsOf(ctx.kind);
  for (const k of Object.keys(value)) {
    if (!known.has(k) && !(ctx.base && Object.hasOwn(ctx.base, k))) {
      at([k], `Unknown field "${k}": Statsig's API has no such field for a ${d.singular} (check the spelling).`, 'error', 'schema', true);
    }
  }
  // The fields that name the source must say what its address says (also for a new source: its
  // draft, tab and tree entry live under that name), and immutable fields must keep their value.
  const identity: Record<string, unknown> = identityOf(ctx.ref);
  const flagged = new Set<string>();
  for (const [k, expected] of Object.entries(identity)) {
    if (!jsonEqual(expected, own(value, k))) {
      flagged.add(k);
      at([k], `"${k}" identifies this source and must stay ${JSON.stringify(expected)}. To use another ${k}, create a new source (New Source…).`, 'error', 'schema');
    }
  }
  // Unit ID types: a value the project does not know is a warning (Statsig's dry run has the last word).
  const mapping = own(value, 'idTypeMapping');
  if (ctx.unitIdTypes && ctx.unitIdTypes.length > 0 && Array.isArray(mapping)) {
    const types = new Set(ctx.unitIdTypes);
    const list = ctx.unitIdTypes.slice(0, 20).join(', ') + (ctx.unitIdTypes.length > 20 ? ', …' : '');
    mapping.forEach((m: unknown, i) => {
      const id = m && typeof m === 'object' ? own(m as Record<string, unknown>, 'statsigUnitID') : undefined;
      if (typeof id === 'string' && !types.has(id)) {
        at(['idTypeMapping', i, 'statsigUnitID'], `"${id.length > 60 ? `${id.slice(0, 60)}…` : id}" is not a unit ID type of this project. Known: ${list}.`, 'warning', 'schema');
      }
    });
  }
  if (ctx.base && !ctx.isNew) {
    for (const k of d.immutableFields) {
      if (!flagged.has(k) && !jsonEqual(own(ctx.base, k), own(value, k))) {
        at([k], `"${k}" cannot change after the source is created. To use another ${k}, create a new source.`, 'error', 'schema');
      }
    }
  }
  // SQL: unless the source reads a table. Parsed in the project's dialect (src/core/sql); its
  // problems land on the exact characters of the SQL string, and every mapped column is compared
  // with what the query returns: an error when the output is fully known and lacks it, a note
  // when the output cannot be known locally (a * over a table). Statsig's dry run has the last word.
  const sql = own(value, d.sqlField);
  const readsTable = own(value, 'sourceType') === 'table';
  let offsets: StringOffsets | undefined | null = null; // built for the first SQL problem, once
  const sqlRange = (from: number, to: number) => {
    if (offsets === null) offsets = StringOffsets.at(text, parsed.root, [d.sqlField]);
    return offsets?.range(from, Math.max(to, from + 1)) ?? rangeOfPath(parsed.root, [d.sqlField]);
  };
  // A merge in progress (src/core/merge.ts): each conflict marker left in the SQL is an error on its
  // line, and the SQL, two versions at once until they are gone, is not analysed.
  const markers = ctx.merging && typeof sql === 'string' ? conflictMarkers(sql) : [];
  for (const m of markers) {
    problems.add('error', 'sql', () => ({ path: [d.sqlField], message: UNRESOLVED_MERGE_MESSAGE, severity: 'error', source: 'sql', range: sqlRange(m.from, m.to), sqlRange: { from: m.from, to: m.to } }));
  }
  if (typeof sql === 'string' && !readsTable && markers.length === 0) {
    const analysis = analyzeSql(sql, ctx.dialect);
    for (const p of analysis.problems) {
      problems.add(p.severity, 'sql', () => ({ path: [d.sqlField], message: p.message, severity: p.severity, source: 'sql', range: sqlRange(p.from, p.to), sqlRange: { from: p.from, to: p.to } }));
    }
    const output = analysis.output;
    if (output) {
      const label = DIALECTS[ctx.dialect].label;
      const then = d.capabilities.dryRun ? 'Statsig\'s dry run checks it' : 'check that it does (there is no server dry run for this kind)';
      for (const c of d.mappedColumns(value)) {
        const m = matchColumn(output, c.column, ctx.dialect);
        const name = `"${shorten(c.column)}"`;
        if (m.kind === 'missing') {
          at(c.path, `${name} is not returned by this query; it returns ${listed(m.returns, m.more)}.`, 'error', 'sql');
        } else if (m.kind === 'case') {
          at(c.path, `${name} differs only in case from the quoted column "${m.column.name ?? ''}" the query returns; ${label} compares quoted names exactly.`, 'warning', 'sql');
        } else if (m.kind === 'unknown') {
          at(c.path, `Whether the query returns ${name} cannot be known locally: ${m.reason}. ${then}.`, 'info', 'sql');
        }
      }
    }
  }
  return { problems: problems.list(), plan, markers: markers.length, get root() { return parsed.root; } };
}

const shorten = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** "a, b, c", and "…" when there are `more`. */
function listed(names: readonly string[], more: number): string {
  if (names.length === 0) return 'no columns';
  const shown = names.map(shorten).join(', ');
  return more > 0 ? `${shown}, … (${more.toLocaleString('en-US')} more)` : shown;
}

/** One count, one wording: the status line and the editor's problems box both use problemCountOf. */
const count = (problems: readonly Problem[]) => problemCountOf(problemCounts(problems));

/** The whole pipeline. `api` undefined means "not connected": local checks only. */
export async function validateDraft(
  text: string, ctx: ValidationContext, api: SourcesApi | undefined, options: { signal?: AbortSignal; now?: () => Date } = {},
): Promise<ValidationResult> {
  const now = options.now ?? (() => new Date());
  const d = descriptor(ctx.kind);
  const local = localValidation(text, ctx);
  const { problems, plan } = local;
  const { error: errors, warning: warnings } = problemCounts(problems);
  const warned = warnings ? `, ${plural(warnings, 'warning')}` : '';
  if (!plan) {
    return { problems, plan, dryRun: { state: 'skipped' }, status: { tone: 'error', text: `Draft saved — not valid JSON (${count(problems)}). Nothing was sent to Statsig.` } };
  }
  if (local.markers > 0) {
    return { problems, plan, dryRun: { state: 'skipped' }, status: { tone: 'error', text: `Draft saved — ${plural(local.markers, 'conflict marker')} left in the SQL; the dry run runs once the merge is resolved.` } };
  }
  // Errors of the local SQL check (syntax, a mapped column the query does not return) never keep
  // Statsig's dry run from running: the local parser is not the warehouse, and the dry run has the
  // last word (a push needs it to pass). Any other local error does.
  const sqlErrors = problems.filter((p) => p.source === 'sql' && p.severity === 'error' && !p.omitted).length;
  const blocking = errors - sqlErrors;
  if (blocking > 0) {
    return { problems, plan, dryRun: { state: 'skipped' }, status: { tone: 'error', text: `Draft saved — ${count(problems)} found locally; the dry run runs once the ${blocking === 1 ? 'error is' : 'errors are'} fixed.` } };
  }
  const sqlNote = sqlErrors ? `; the local SQL check found ${plural(sqlErrors, 'error')}` : '';
  const tone = sqlErrors ? 'error' : warnings ? 'warning' : 'ok';
  if (!d.capabilities.dryRun) {
    return { problems, plan, dryRun: { state: 'unavailable' }, status: { tone, text: `No server dry run for ${d.label.toLowerCase()} — validated locally${sqlErrors ? `: ${count(problems)}` : warned}.` } };
  }
  if (plan.mode === 'none') {
    return { problems, plan, dryRun: { state: 'unchanged' }, status: { tone, text: `No changes against Statsig's version${sqlNote}${warned}.` } };
  }
  if (!api) {
    const text = sqlErrors ? `Draft saved — ${count(problems)} found locally; connect to Statsig to run the dry run.` : 'Draft saved and valid locally; connect to Statsig to run the dry run.';
    return { problems, plan, dryRun: { state: 'error', message: 'not connected', error: undefined }, status: { tone: sqlErrors ? 'error' : 'warning', text } };
  }
  try {
    const call = { dryRun: true, signal: options.signal };
    const result = plan.mode === 'create' ? await api.create(ctx.kind, plan.body, call)
      : plan.mode === 'patch' ? await api.patch(ctx.ref, plan.body, call)
        : await api.update(ctx.ref, plan.body, call);
    const disagrees = sqlErrors ? `, but the local SQL check found ${plural(sqlErrors, 'error')} Statsig did not (the local parser may not know this syntax)` : '';
    return { problems, plan, dryRun: { state: 'passed', message: result.message }, status: { tone: sqlErrors || warnings ? 'warning' : 'ok', text: `Dry run passed ${clock(now())}${disagrees}${warned}.` } };
  } catch (error) {
    if (error instanceof ValidationError) {
      const found = serverProblems(text, local.root ?? { type: 'object', offset: 0, length: text.length }, d, error);
      const all = capProblems([...problems, ...found]);
      return { problems: all, plan, dryRun: { state: 'failed' }, status: { tone: 'error', text: `Dry run failed: ${count(all)}.` } };
    }
    if (isStatsigApiError(error) && error.kind === 'cancelled') throw error;
    const message = errorMessage(error);
    return { problems, plan, dryRun: { state: 'error', message, error }, status: { tone: 'warning', text: `Draft saved, but the dry run could not run: ${message}` } };
  }
}

/**
 * Statsig's `errors[]` as problems on the fields they name (the whole source when they name none),
 * at most MAX_PROBLEMS and a summary line. A path with an index that is not a safe integer is cut
 * there (parsePropertyPath), so every path can cross the editor protocol.
 */
export function serverProblems(text: string, root: Node, d: KindDescriptor, error: ValidationError): Problem[] {
  const items = error.errors.length > 0 ? error.errors : [{ property: '', errorMessage: error.message }];
  const problems = new ProblemList();
  let sqlOffsets: StringOffsets | undefined | null = null;
  for (const e of items) {
    problems.add('error', 'statsig', () => {
      const path = parsePropertyPath(e.property);
      const message = e.property ? `Statsig: ${e.property}: ${e.errorMessage}` : `Statsig: ${e.errorMessage}`;
      if (path.length === 1 && path[0] === d.sqlField) {
        if (sqlOffsets === null) sqlOffsets = StringOffsets.at(text, root, path);
        const length = sqlOffsets?.length ?? 0;
        // Where the warehouse's message points (a line, a position, a quoted token); when it
        // points at nothing found, the SQL is marked as a whole and no line is claimed.
        const sqlNode = findNodeAtLocation(root, path);
        const span = typeof sqlNode?.value === 'string' ? locateSqlError(sqlNode.value, e.errorMessage) : undefined;
        const range = (span ? sqlOffsets?.range(span.from, span.to) : sqlOffsets?.range(0, length)) ?? rangeOfPath(root, path);
        return { path, message, severity: 'error', source: 'statsig', range, ...(span ? { sqlRange: span } : {}) };
      }
      return { path, message, severity: 'error', source: 'statsig', range: rangeOfPath(root, path) };
    });
  }
  return problems.list();
}
