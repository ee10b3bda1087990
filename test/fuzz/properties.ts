// Property-based fuzzing of everything that reads user or peer data: the save pipeline of every
// kind, the editor protocol in both directions, and the host's application of form edits. Shared by
// the unit stage (test/unit/fuzz.test.ts: a fixed seed, a few thousand cases per target) and long
// campaigns (`npm run fuzz -- --count N [--seed S]`, test/fuzz/run.ts).
//
// Every target states what must hold for any input: nothing throws (a typed result is the only way
// to say no), results are well-formed (ranges inside the text, at most MAX_PROBLEMS problems plus
// one summary, paths that cross the protocol), and what a parser accepts survives a round trip.
// How fast each case ran is the campaign's report, never a unit-test assertion.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits } from 'jsonc-parser';
import type { SourcesApi } from '../../src/core/api.ts';
import type { SourceRef } from '../../src/core/kinds.ts';
import {
  formatSource, LineIndex, MAX_PROBLEMS, parseDocument, planEdit, type Problem,
} from '../../src/core/document.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { KindIds, type KindId } from '../../src/core/kinds.ts';
import { analyzeSql, matchColumn } from '../../src/core/sql/analyze.ts';
import { SQL_DIALECTS } from '../../src/core/sql/dialects.ts';
import { templateFor } from '../../src/core/templates.ts';
import { validateDraft, type ValidationContext } from '../../src/core/validation.ts';
import { parseHostMessage, parseWebviewMessage, type HostMessage } from '../../src/shared/editorProtocol.ts';
import { getAt, jsonEqual, type JsonPath } from '../../src/shared/jsonPath.ts';
import { humanize } from '../../src/webview/formModel.ts';
import { parseSourceText } from '../../src/webview/sourceText.ts';
import { useSqlParser } from '../unit/helpers/sqlParser.ts';

// The SQL parser from node_modules (read on the first case that parses SQL).
useSqlParser();

/** One fuzz target: inputs, the property (throws when it does not hold), and an input's size. */
export interface FuzzTarget<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  check(input: T): Promise<void>;
  /** Characters of the input, for the report's "slowest input". */
  size(input: T): number;
}

// ------------------------------------------------------------------ building blocks

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'propertyIsEnumerable'];
const UNSAFE_NUMBERS = ['99999999999999999999', '1e20', '-0', '1e400', '-1e400', '1e-400', '9007199254740993', '0.1', '-1', '1.5e308', '123456789012345678901234567890'];
const SQL_TOKENS = ['select', ' ', '\n', 'from', 't', 'user_id', 'event_ts', '(', ')', "'", '"', '`', '/*', '*/', '--', '*', ',', '.', '\\', '{statsig_start_date}', 'é', '\u212a', 'USER_ID'];
const JSON_TOKENS = ['{', '}', '[', ']', ':', ',', '"a"', '"sql"', '"name"', '1', '-', '"', '\\', '/*', '*/', '//', '\n', ' ', 'true', 'null', ...UNSAFE_NUMBERS, '"__proto__"', '"\\u00', '\t', '\u2028'];

const refs: Record<KindId, SourceRef[]> = {
  assignmentSource: [{ kind: 'assignmentSource', name: 'exposures' }],
  entityPropertySource: [{ kind: 'entityPropertySource', name: 'props' }],
  qualifyingEvent: [{ kind: 'qualifyingEvent', name: 'qe' }],
  metricSource: [{ kind: 'metricSource', name: 'orders' }],
  ingestionSource: ['Metrics', 'Events', 'Exposures'].map((dataset) => ({ kind: 'ingestionSource', type: 'snowflake-v2', dataset, sourceName: 'web' }) as const),
};

const tokens = (from: readonly string[], max: number) => fc.array(fc.constantFrom(...from), { maxLength: max }).map((t) => t.join(''));

/** A name a user could type anywhere a column or key goes: regex syntax, quotes, unicode, prototype names, very long. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(...PROTOTYPE_KEYS, '.*', '(a|a)*$', '[', '\\', '"', "'", '`', '*', '', ' ', 'user_id', 'USER_ID', 'a.b', '${x}'),
  fc.record({ c: fc.constantFrom('a', 'A', '(', '*', '.', 'é', '\\'), n: fc.integer({ min: 1000, max: 40_000 }) }).map(({ c, n }) => c.repeat(n)),
);

/** JSON values with the numbers, keys and strings that broke things before. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    hostileName,
    fc.constantFrom(1e20, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, 0.1, -1),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileName, fc.constantFrom(...PROTOTYPE_KEYS)), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

type Mutation =
  | { readonly op: 'set'; readonly key: string; readonly value: unknown }
  | { readonly op: 'delete'; readonly key: string }
  | { readonly op: 'sql'; readonly sql: string }
  | { readonly op: 'column'; readonly name: string }
  | { readonly op: 'text'; readonly at: number; readonly cut: number; readonly insert: string };

const mutation = (keys: readonly string[]): fc.Arbitrary<Mutation> => fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: fc.oneof(fc.constantFrom(...keys), hostileName), value: hostileJson }),
  fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
  fc.record({ op: fc.constant('sql' as const), sql: tokens(SQL_TOKENS, 40) }),
  fc.record({ op: fc.constant('column' as const), name: hostileName }),
  fc.record({ op: fc.constant('text' as const), at: fc.nat(), cut: fc.nat({ max: 8 }), insert: tokens(JSON_TOKENS, 3) }),
);

function mutate(ref: SourceRef, doc: Record<string, unknown>, mutations: readonly Mutation[], pretty: boolean): string {
  const sqlField = ref.kind === 'ingestionSource' ? 'query' : 'sql';
  let value: Record<string, unknown> = { ...doc };
  const edits: Extract<Mutation, { op: 'text' }>[] = [];
  for (const m of mutations) {
    if (m.op === 'set') Object.defineProperty(value, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (m.op === 'delete') value = Object.fromEntries(Object.entries(value).filter(([k]) => k !== m.key));
    else if (m.op === 'sql') value[sqlField] = m.sql;
    else if (m.op === 'column') {
      if (ref.kind === 'ingestionSource') value['column_mapping'] = { unit_id: m.name, ids: { [m.name]: m.name } };
      else value['idTypeMapping'] = [{ statsigUnitID: 'userID', column: m.name }, { statsigUnitID: m.name, column: 'user_id' }];
      value['timestampColumn'] = m.name;
    } else edits.push(m);
  }
  let text = pretty ? formatSource(value) : JSON.stringify(value);
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
  }
  return text;
}

export interface DocumentCase {
  readonly ref: SourceRef;
  readonly text: string;
  readonly isNew: boolean;
  readonly base: 'none' | 'template' | 'prototype-keys';
  /** What Statsig's dry run answers: passes, or fails with these errors[].property paths. */
  readonly server: 'pass' | readonly string[];
  readonly family: string;
}

/** The documents of one kind: arbitrary text, mutated valid ones, deep nesting, huge strings, hostile names, prototype keys, unsafe numbers. */
export function documentCase(kind: KindId): fc.Arbitrary<DocumentCase> {
  const ref = fc.constantFrom(...refs[kind]);
  const family = (name: string, text: (ref: SourceRef) => fc.Arbitrary<string>) =>
    ref.chain((r) => text(r).map((t) => ({ ref: r, text: t, family: name })));
  const template = (r: SourceRef) => templateFor(r);
  const sqlField = (r: SourceRef) => (r.kind === 'ingestionSource' ? 'query' : 'sql');
  const documents = fc.oneof(
    family('arbitrary text', () => fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.json(), tokens(JSON_TOKENS, 60))),
    family('mutated valid', (r) => fc.tuple(fc.array(mutation(Object.keys(template(r))), { maxLength: 6 }), fc.boolean()).map(([ms, pretty]) => mutate(r, template(r), ms, pretty))),
    family('deep nesting', (r) => fc.record({ depth: fc.integer({ min: 150, max: 6000 }), kind: fc.constantFrom('[]', '{}', 'mixed', 'unclosed'), where: fc.boolean() }).map(({ depth, kind: k, where }) => {
      const inner = k === '[]' ? nested(depth, '[', ']', '1') : k === '{}' ? nested(depth, '{"a":', '}', '1') : k === 'mixed' ? nested(depth, '[{"b":', '}]', 'null') : '['.repeat(depth);
      const body = JSON.stringify(template(r)).slice(1, -1);
      return where ? `{"x": ${inner}, ${body}}` : `{${body}, "idTypeMapping": ${inner}}`;
    })),
    family('huge strings', (r) => fc.record({ piece: fc.constantFrom('(', ')', '/*', "'", '"', '\\n', '\\"', '\\u0041', 'a', '-- x\\n', 'user_id ', '*/'), n: fc.integer({ min: 1000, max: 25_000 }), field: fc.constantFrom('sql', 'column', 'key', 'description') }).map(({ piece, n, field }) => {
      const doc = template(r);
      const raw = piece.repeat(n);
      // The pieces are JSON text (escapes included): placed into the document as a raw string literal.
      const literal = `"${raw.replaceAll('"', '\\"').replaceAll('\\\\"', '\\"')}"`;
      const target = field === 'sql' ? sqlField(r) : field === 'column' ? 'timestampColumn' : field === 'description' ? 'description' : null;
      const body = JSON.stringify(Object.fromEntries(Object.entries(doc).filter(([k]) => k !== target))).slice(1, -1);
      return target ? `{"${target}": ${literal}, ${body}}` : `{${literal}: 1, ${body}}`;
    })),
    family('hostile names', (r) => fc.array(hostileName, { minLength: 1, maxLength: 4 }).map((names) => mutate(r, template(r), names.map((name) => ({ op: 'column' as const, name })), true))),
    family('prototype keys', (r) => fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom('top', 'mapping', 'nested')), { minLength: 1, maxLength: 4 }).map((keys) => {
      let text = JSON.stringify(template(r)).slice(0, -1);
      for (const [key, where] of keys) {
        if (where === 'top') text += `, ${JSON.stringify(key)}: 1`;
        else if (where === 'mapping') text += r.kind === 'ingestionSource' ? `, "column_mapping": {${JSON.stringify(key)}: "x", "ids": {${JSON.stringify(key)}: "y"}}` : `, "idTypeMapping": [{${JSON.stringify(key)}: "x", "column": "user_id", "statsigUnitID": "userID"}]`;
        else text += `, "owner": {${JSON.stringify(key)}: {${JSON.stringify(key)}: []}}`;
      }
      return `${text}}`;
    })),
    family('unsafe numbers', (r) => fc.array(fc.tuple(fc.constantFrom(...Object.keys(template(r)), 'extra'), fc.constantFrom(...UNSAFE_NUMBERS)), { minLength: 1, maxLength: 4 }).map((pairs) => {
      const doc = template(r);
      const keys = new Set(pairs.map(([k]) => k));
      const body = JSON.stringify(Object.fromEntries(Object.entries(doc).filter(([k]) => !keys.has(k)))).slice(1, -1);
      return `{${pairs.map(([k, n]) => `${JSON.stringify(k)}: ${n}`).join(', ')}${body ? `, ${body}` : ''}}`;
    })),
  );
  const serverPath = fc.oneof(
    fc.constantFrom('', 'sql', 'query', 'name', 'idTypeMapping[99999999999999999999].column', 'idTypeMapping[1].column', 'a.99999999999999999999', '[', ']]', '..', '__proto__.x', 'constructor[0]', '(root)'),
    fc.string({ maxLength: 30 }),
    fc.tuple(hostileName, fc.constantFrom(...UNSAFE_NUMBERS, '0', '3')).map(([a, n]) => `${a}[${n}].${a}`),
  );
  return fc.record({
    doc: documents,
    isNew: fc.boolean(),
    base: fc.constantFrom('none', 'template', 'prototype-keys'),
    server: fc.oneof(fc.constant('pass' as const), fc.array(serverPath, { maxLength: 5 }), fc.integer({ min: 300, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => `idTypeMapping[${i}].column`))),
  }).map(({ doc, isNew, base, server }) => ({ ...doc, isNew, base, server }));
}

// ------------------------------------------------------------------ checks

function assertWellFormed(text: string, problems: readonly Problem[]): void {
  assert.ok(problems.length <= MAX_PROBLEMS + 1, `${problems.length} problems`);
  const limit = Math.max(1, text.length);
  const items = problems.map((p) => ({ path: [...p.path], message: p.message, severity: p.severity, ...(p.sqlRange ? { sqlRange: p.sqlRange } : {}) }));
  for (const p of problems) {
    assert.ok(Number.isInteger(p.range.start) && Number.isInteger(p.range.end), 'integer range');
    assert.ok(p.range.start >= 0 && p.range.start <= p.range.end && p.range.end <= limit, `range ${p.range.start}..${p.range.end} of ${text.length}`);
    if (p.sqlRange) assert.ok(p.sqlRange.from >= 0 && p.sqlRange.from <= p.sqlRange.to, 'sql range');
    assert.equal(typeof p.message, 'string');
  }
  // What the host sends the webview about these problems is accepted whole.
  const message = parseHostMessage({ type: 'diagnostics', items });
  assert.ok(message.ok && message.message.type === 'diagnostics' && message.message.items.length === items.length, 'every diagnostic crosses the protocol');
}

function fakeApi(server: DocumentCase['server']): SourcesApi {
  const answer = () => {
    if (server === 'pass') return Promise.resolve({ data: {}, message: 'ok' });
    return Promise.reject(new ValidationError({ method: 'POST', path: '/fuzz' }, 400, 'invalid', server.map((property) => ({ property, errorMessage: 'bad' }))));
  };
  return { create: answer, update: answer, patch: answer } as unknown as SourcesApi;
}

async function checkDocument(c: DocumentCase): Promise<void> {
  const template = templateFor(c.ref);
  const base = c.base === 'none' ? undefined : c.base === 'template' ? template
    : Object.defineProperties({ ...template }, Object.fromEntries(PROTOTYPE_KEYS.map((k) => [k, { value: 1, enumerable: true }])));
  // Every dialect gets its share of cases (picked from the text, so a case replays the same).
  const dialect = SQL_DIALECTS[c.text.length % SQL_DIALECTS.length] ?? 'snowflake';
  const ctx: ValidationContext = { kind: c.ref.kind, ref: c.ref, isNew: c.isNew, base, dialect };
  const result = await validateDraft(c.text, ctx, fakeApi(c.server));
  assertWellFormed(c.text, result.problems);
  assert.equal(typeof result.status.text, 'string');
  const parsed = parseDocument(c.text);
  assert.equal(result.plan === undefined, !parsed.ok, 'a plan exactly when the text is a JSON object');
  // The webview's reading of the same text agrees on whether it is a source at all.
  const shown = parseSourceText(c.text);
  if (parsed.ok) assert.ok(shown.ok, 'the webview shows what the host accepts');
  if (!shown.ok) assert.ok(shown.line >= 1 && shown.column >= 1);
}

/** Never throws; accepted messages are stable (parsing what was accepted gives it back, also after a structured clone). */
function checkParser<T>(parse: (input: unknown) => { ok: true; message: T } | { ok: false; error: string }, input: unknown): void {
  const first = parse(input);
  if (!first.ok) {
    assert.equal(typeof first.error, 'string');
    return;
  }
  // As posted: a structured clone (which also gives null-prototype objects Object.prototype).
  const posted = structuredClone(first.message);
  const again = parse(posted);
  assert.ok(again.ok, 'what was accepted is accepted again');
  assert.deepEqual(again.message, posted);
}

const validHost: HostMessage[] = [
  { type: 'init', kind: 'metricSource', title: 't', schema: { type: 'object' }, readOnlyPaths: ['name'], sqlField: 'sql', sqlDialect: 'snowflake', text: '{}', isNew: false, capabilities: { dryRun: true }, editorSettings: { fontFamily: 'Fira Code, monospace', fontSize: 14, tabSize: 4 } },
  { type: 'document', text: '{"name":"x"}' },
  { type: 'editorSettings', settings: { tabSize: 2 } },
  { type: 'diagnostics', items: [{ path: ['idTypeMapping', 1, 'column'], message: 'm', severity: 'error' }, { path: ['sql'], message: 'm', severity: 'warning', sqlRange: { from: 1, to: 2 } }] },
  { type: 'status', tone: 'ok', text: 'x' },
  { type: 'extras', sections: [{ title: 't', rows: [{ label: 'l', value: 'v' }] }] },
];

/** A valid message with one field replaced (or removed, or added) by something hostile. */
const mutatedMessage = (valid: readonly Record<string, unknown>[]) => fc.tuple(
  fc.constantFrom(...valid),
  fc.array(fc.tuple(fc.oneof(fc.constantFrom('type', 'items', 'path', 'text', 'value', 'remove', 'sqlRange', 'command', 'severity', 'schema'), fc.constantFrom(...PROTOTYPE_KEYS)), fc.oneof(hostileJson, fc.anything(), fc.constant(undefined))), { maxLength: 3 }),
).map(([message, changes]) => {
  const out: Record<string, unknown> = structuredClone(message);
  for (const [k, v] of changes) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});

const diagnosticItems = fc.array(fc.oneof(
  fc.record({ path: fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.double(), fc.constantFrom(1e20, -1, 2 ** 53)), { maxLength: 4 }), message: fc.string({ maxLength: 5 }), severity: fc.constantFrom('error', 'warning', 'info', 'fatal') }),
  fc.anything(),
), { maxLength: 6 }).map((items) => ({ type: 'diagnostics', items }));

export interface EditCase {
  readonly text: string;
  readonly path: (string | number)[];
  readonly value: unknown;
}

const editCase: fc.Arbitrary<EditCase> = fc.constantFrom(...KindIds.flatMap((k) => refs[k])).chain((ref) => {
  const doc = templateFor(ref);
  const existing: (string | number)[][] = [
    ...Object.keys(doc).map((k) => [k]),
    ['idTypeMapping', 0, 'column'], ['idTypeMapping', 1], ['idTypeMapping', 0], ['column_mapping', 'ids', 'userID'], ['tags', 0], ['owner', 'ownerName'],
  ];
  const segment = fc.oneof(hostileName, fc.nat({ max: 4 }), fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom(2 ** 40));
  return fc.record({
    text: fc.oneof({ weight: 4, arbitrary: fc.boolean().map((pretty) => (pretty ? formatSource(doc) : JSON.stringify(doc))) }, { weight: 1, arbitrary: fc.array(mutation(Object.keys(doc)), { maxLength: 3 }).map((ms) => mutate(ref, doc, ms, true)) }),
    path: fc.oneof(
      fc.constantFrom(...existing),
      fc.tuple(fc.constantFrom(...existing), fc.array(segment, { maxLength: 3 })).map(([p, more]) => [...p, ...more]),
      fc.array(segment, { maxLength: 4 }),
      fc.integer({ min: 150, max: 400 }).map((n) => Array.from({ length: n }, () => 'a')),
    ),
    value: fc.oneof(
      { weight: 4, arbitrary: hostileJson },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.oneof(fc.anything(), fc.integer({ min: 150, max: 3000 }).map((n) => { let v: unknown = 1; for (let i = 0; i < n; i++) v = [v]; return v; }), fc.constant(Number.NaN), fc.constant(new Date(0))) },
    ),
  });
});

function checkEdit(c: EditCase): void {
  const plan = planEdit(c.text, c.path, c.value);
  const before = parseDocument(c.text);
  if (!plan.ok) {
    assert.ok(plan.reason === 'invalid-document' ? !before.ok : before.ok, plan.reason);
    assert.equal(typeof plan.message, 'string');
    return;
  }
  assert.ok(before.ok, 'an edit plan only for a valid document');
  for (const e of plan.edits) assert.ok(e.offset >= 0 && e.length >= 0 && e.offset + e.length <= c.text.length, 'edit inside the text');
  const after = parseDocument(applyEdits(c.text, plan.edits));
  assert.ok(after.ok, `the edited document parses: ${after.ok ? '' : after.problems[0]?.message ?? ''}`);
  const parent = getAt(after.value, c.path.slice(0, -1));
  if (c.value !== undefined) {
    assert.ok(jsonEqual(getAt(after.value, c.path), JSON.parse(JSON.stringify(c.value))), 'the value is where the path says');
  } else if (!Array.isArray(parent)) {
    assert.equal(getAt(after.value, c.path), undefined, 'removed');
  }
  // Nothing else moved: every other top-level field is as it was.
  const [head] = c.path;
  for (const k of Object.keys(before.value)) if (k !== head) assert.ok(jsonEqual(after.value[k], before.value[k]), `field ${k} untouched`);
}

/** The old regex implementation of humanize, the reference its one-pass replacement must agree with. */
function humanizeReference(key: string): string {
  const ACRONYMS: Record<string, string> = { sql: 'SQL', id: 'ID', ids: 'IDs', url: 'URL' };
  const words = key.replace(/[_\-\s]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').trim().split(' ').filter((w) => w !== '');
  return words.map((w, i) => ACRONYMS[w.toLowerCase()] ?? (/^[A-Z0-9]{2,}$/.test(w) ? w : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w.toLowerCase())).join(' ');
}

/** Small pure pieces checked against plain reference implementations. */
type HelperCase = { readonly text: string; readonly offsets: number[]; readonly key: string; readonly sql: string; readonly column: string };
const helperCase: fc.Arbitrary<HelperCase> = fc.record({
  text: fc.oneof(fc.string({ maxLength: 80 }), tokens(['\n', 'a', '\r\n', ' ', '"', '\\n'], 40)),
  offsets: fc.array(fc.integer({ min: -2, max: 100 }), { maxLength: 5 }),
  key: fc.oneof(fc.string({ maxLength: 12 }), tokens(['A', 'B', 'a', '0', '_', '-', ' ', 'ID', 'Url', 'é', 'É', '\u00a0'], 10)),
  sql: tokens(SQL_TOKENS, 30),
  column: fc.oneof(fc.constantFrom('user_id', 'USER_ID', 't', 'event_ts', 'a.b', 'é', '*', 'from t', '.t'), fc.string({ maxLength: 6 }), tokens(['a', '_', '.', ' ', '(', '*', 'T', '1'], 4)),
});

function checkHelpers(c: HelperCase): void {
  const lines = new LineIndex(c.text);
  for (const offset of c.offsets) {
    const clamped = Math.max(0, Math.min(offset, c.text.length));
    const before = c.text.slice(0, clamped);
    const line = before.split('\n').length;
    const column = clamped - before.lastIndexOf('\n');
    assert.deepEqual(lines.lineColumn(clamped), { line, column }, `offset ${clamped}`);
  }
  assert.equal(humanize(c.key), humanizeReference(c.key), JSON.stringify(c.key));
  // The column check: any SQL, any name, any dialect: an answer, never a throw; a column reported
  // found is one the query returns under that name.
  for (const dialect of SQL_DIALECTS) {
    const a = analyzeSql(c.sql, dialect);
    for (const p of a.problems) assert.ok(p.from >= 0 && p.from <= p.to && p.to <= c.sql.length, `problem ${p.from}..${p.to} of ${c.sql.length}`);
    if (!a.output) continue;
    const m = matchColumn(a.output, c.column, dialect);
    if (m.kind === 'found') assert.equal(m.column.name?.toLowerCase(), c.column.toLowerCase());
    if (m.kind === 'missing') assert.ok(a.output.unknown.length === 0, 'missing only when the output is fully known');
  }
}

// ------------------------------------------------------------------ the targets

export const targets: readonly FuzzTarget<never>[] = [
  ...KindIds.map((kind): FuzzTarget<DocumentCase> => ({
    name: `validate ${kind}`,
    arbitrary: documentCase(kind),
    check: checkDocument,
    size: (c) => c.text.length,
  })),
  {
    name: 'protocol host→webview',
    arbitrary: fc.oneof(fc.anything(), mutatedMessage(validHost), diagnosticItems),
    check: (input: unknown) => Promise.resolve(checkParser(parseHostMessage, input)),
    size: (input: unknown) => approximateSize(input),
  } satisfies FuzzTarget<unknown>,
  {
    name: 'protocol webview→host',
    arbitrary: fc.oneof(fc.anything(), mutatedMessage([{ type: 'ready' }, { type: 'edit', path: ['a', 0], value: 1 }, { type: 'edit', path: ['b'], remove: true }, { type: 'command', command: 'save' }])),
    check: (input: unknown) => Promise.resolve(checkParser(parseWebviewMessage, input)),
    size: (input: unknown) => approximateSize(input),
  } satisfies FuzzTarget<unknown>,
  {
    name: 'edits (planEdit)',
    arbitrary: editCase,
    check: (c: EditCase) => Promise.resolve(checkEdit(c)),
    size: (c: EditCase) => c.text.length + approximateSize(c.path) + approximateSize(c.value),
  } satisfies FuzzTarget<EditCase>,
  {
    name: 'helpers (line index, labels, column check)',
    arbitrary: helperCase,
    check: (c: HelperCase) => Promise.resolve(checkHelpers(c)),
    size: (c: HelperCase) => c.text.length + c.key.length + c.sql.length,
  } satisfies FuzzTarget<HelperCase>,
] as unknown as readonly FuzzTarget<never>[];

function approximateSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

export type { JsonPath };
