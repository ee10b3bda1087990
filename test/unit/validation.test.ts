// The save pipeline: JSON syntax, schema, unknown/immutable fields, local SQL checks, and Statsig's
// dry run against the emulator over real HTTP — every problem on the exact text it is about.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SourceRecord } from '../../src/core/kinds.ts';
import { formatSource, lineColumn, parseDocument, parsePropertyPath, rangeOfPath, stringValueRange } from '../../src/core/document.ts';
import { analyzeSql, matchColumn } from '../../src/core/sql/analyze.ts';
import { localValidation, planPush, validateDraft, type ValidationContext } from '../../src/core/validation.ts';
import { harness, type Harness } from './helpers/emulator.ts';
import { useSqlParser } from './helpers/sqlParser.ts';
import { problemCount } from '../../src/shared/format.ts';

let h: Harness;
let metric: SourceRecord;
let assignment: SourceRecord;
before(async () => {
  useSqlParser();
  h = await harness();
  [metric] = (await h.api.list('metricSource')).records as [SourceRecord];
  [assignment] = (await h.api.list('assignmentSource')).records as [SourceRecord];
});
after(() => h.close());

// The emulator's warehouse is DuckDB.
const ctxOf = (r: SourceRecord): ValidationContext => ({ kind: r.ref.kind, ref: r.ref, isNew: false, base: r.data, dialect: 'duckdb' });
const textAt = (text: string, range: { start: number; end: number }) => text.slice(range.start, range.end);

describe('document', () => {
  it('reports malformed JSON with line and column, never throws', () => {
    const text = '{\n  "name": "x",\n  "sql": "select 1"\n  "tags": []\n}\n';
    const parsed = parseDocument(text);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.match(parsed.problems[0]?.message ?? '', /Expected a comma \(line 4, column 3\)/);
    assert.deepEqual(lineColumn(text, parsed.problems[0]?.range.start ?? 0), { line: 4, column: 3 });
    for (const bad of ['', '[]', '"x"', '{"a":1,}', '{"a":1} extra']) assert.equal(parseDocument(bad).ok, false, bad);
  });

  it('finds the text of a path, of a missing field, and of characters inside an escaped string', () => {
    const text = formatSource({ name: 'a', sql: 'select "x"\nfrom t', idTypeMapping: [{ statsigUnitID: 'userID', column: 'uid' }] });
    const parsed = parseDocument(text);
    assert.ok(parsed.ok);
    assert.equal(textAt(text, rangeOfPath(parsed.root, ['idTypeMapping', 0, 'column'])), '"uid"');
    assert.equal(textAt(text, rangeOfPath(parsed.root, ['idTypeMapping', 0, 'column'], { key: true })), '"column"');
    assert.equal(textAt(text, rangeOfPath(parsed.root, ['idTypeMapping', 0, 'nope'])), '{', 'missing field → its object');
    const r = stringValueRange(text, parsed.root, ['sql'], 'select "x"\n'.length, 'select "x"\nfrom'.length);
    assert.ok(r);
    assert.equal(textAt(text, r), 'from');
  });

  it('reads Statsig error property paths', () => {
    assert.deepEqual(parsePropertyPath('idTypeMapping[1].column'), ['idTypeMapping', 1, 'column']);
    assert.deepEqual(parsePropertyPath('sql'), ['sql']);
    assert.deepEqual(parsePropertyPath(''), []);
  });
});

describe('local SQL checks', () => {
  // Re-targeted from the regex checks (src/core/sqlCheck.ts, removed) to the parser (src/core/sql).
  const errors = (sql: string) => analyzeSql(sql, 'duckdb').problems.map((p) => [p.from, p.message]);

  it('finds unterminated strings, comments, identifiers and unbalanced parentheses at their position', () => {
    assert.deepEqual(analyzeSql('  ', 'duckdb').problems.map((p) => [p.from, p.to, p.message, p.severity]), [[0, 0, 'The SQL is empty.', 'error']]);
    assert.deepEqual(errors("select 'abc from t"), [[7, "This string is never closed (missing ')."]]);
    assert.deepEqual(errors('select (1 + (2) from t'), [[16, 'Expected ) to close the ( at line 1, column 8, found FROM.']]);
    assert.deepEqual(errors('select 1) from t'), [[8, 'This ) has no matching (.']]);
    assert.deepEqual(errors('select 1 /* open'), [[9, 'This comment is never closed (missing */).']]);
    assert.deepEqual(errors('select "a from t'), [[7, 'This quoted name is never closed (missing ").']]);
    assert.deepEqual(errors("select 'it''s', '(' -- )\nfrom t where x = 'a''b'"), []);
  });

  it('knows whether the query returns a column', () => {
    const kind = (sql: string, column: string) => matchColumn(analyzeSql(sql, 'duckdb').output ?? { columns: [], unknown: [] }, column, 'duckdb').kind;
    assert.equal(kind('select user_id, ts from t', 'USER_ID'), 'found');
    assert.equal(kind('select user_idx from t', 'user_id'), 'missing');
    assert.equal(kind('select * from t', 'anything'), 'unknown');
    assert.equal(kind('select a -- user_id\nfrom t', 'user_id'), 'missing');
    assert.equal(kind('select a, ds from (select user_id as a, ds from t)', 'user_id'), 'missing');
  });

  it('mapped columns: an error when the output is known and lacks one, a note when it cannot be known', () => {
    const base = { ...metric.data, idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], datePartitionColumn: undefined };
    const missing = formatSource({ ...base, sql: 'SELECT uid, ts FROM t', timestampColumn: 'ts' });
    const p = localValidation(missing, ctxOf(metric)).problems.filter((x) => x.source === 'sql');
    assert.deepEqual(p.map((x) => [x.severity, x.path, x.message, textAt(missing, x.range)]), [
      ['error', ['idTypeMapping', 0, 'column'], '"user_id" is not returned by this query; it returns uid, ts.', '"user_id"'],
    ]);
    const star = formatSource({ ...base, sql: 'SELECT * FROM analytics.events', timestampColumn: 'ts' });
    const notes = localValidation(star, ctxOf(metric)).problems.filter((x) => x.source === 'sql');
    assert.deepEqual(notes.map((x) => x.severity), ['info', 'info']);
    assert.equal(notes[0]?.message, 'Whether the query returns "ts" cannot be known locally: it selects * from the table analytics.events, whose columns only the warehouse knows. Statsig\'s dry run checks it.');
  });
});

describe('push plan', () => {
  it('PATCH for patchable fields, full update when sql changes or a field is removed, none when equal', () => {
    const base = assignment.data;
    assert.equal(planPush(ctxOf(assignment), { ...base }).mode, 'none');
    const patch = planPush(ctxOf(assignment), { ...base, description: 'new words' });
    assert.deepEqual([patch.mode, patch.body], ['patch', { description: 'new words' }]);
    assert.equal(planPush(ctxOf(assignment), { ...base, sql: `${String(base['sql'])} ` }).mode, 'update');
    const { description: _d, ...withoutDescription } = base;
    assert.equal(planPush(ctxOf(assignment), withoutDescription).mode, 'update');
    assert.equal(planPush(ctxOf(metric), { ...metric.data, description: 'x' }).mode, 'update', 'metric sources have no PATCH');
    assert.equal(planPush({ ...ctxOf(metric), isNew: true, base: undefined }, metric.data).mode, 'create');
  });
});

describe('validateDraft', () => {
  it('wrong type, missing field, unknown field and a renamed identity are errors on their exact text; no dry run is sent', async () => {
    const before = h.emulator.stats().requests;
    const { owner: _o, ...data } = metric.data;
    const text = formatSource({ ...data, name: 'renamed', timestampAsDay: 'yes', sqll: 'x', sql: undefined });
    const result = await validateDraft(text, ctxOf(metric), h.api);
    const byMessage = (re: RegExp) => result.problems.find((p) => re.test(p.message));
    assert.equal(textAt(text, byMessage(/"timestampAsDay": expected boolean/)?.range ?? { start: 0, end: 0 }), '"yes"');
    assert.ok(byMessage(/"sql" is required/));
    assert.equal(textAt(text, byMessage(/Unknown field "sqll"/)?.range ?? { start: 0, end: 0 }), '"sqll"');
    assert.equal(textAt(text, byMessage(/"name" identifies this source/)?.range ?? { start: 0, end: 0 }), '"renamed"');
    assert.equal(result.dryRun.state, 'skipped');
    assert.equal(result.status.tone, 'error');
    assert.equal(h.emulator.stats().requests, before, 'nothing reached Statsig');
  });

  it('a new source, or one whose starting point is unknown, still cannot be named otherwise than its address', async () => {
    const before = h.emulator.stats().requests;
    const { owner: _o, ...data } = metric.data;
    const text = formatSource({ ...data, name: 'someone_else' });
    for (const ctx of [{ ...ctxOf(metric), isNew: true, base: undefined }, { ...ctxOf(metric), base: undefined }]) {
      const result = await validateDraft(text, ctx, h.api);
      const problem = result.problems.find((p) => /"name" identifies this source and must stay/.test(p.message));
      assert.ok(problem, JSON.stringify(result.problems));
      assert.equal(textAt(text, problem.range), '"someone_else"');
      assert.equal(result.dryRun.state, 'skipped');
    }
    assert.equal(h.emulator.stats().requests, before, 'nothing reached Statsig');
  });

  it('a valid change passes Statsig\'s dry run (full update when sql changed) and changes nothing remotely', async () => {
    const sql = `${String(metric.data['sql'])}\n-- checked`;
    const text = formatSource({ ...metric.data, sql });
    const result = await validateDraft(text, ctxOf(metric), h.api, { now: () => new Date(2026, 0, 1, 12, 4) });
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), []);
    assert.equal(result.dryRun.state, 'passed');
    assert.equal(result.status.text, 'Dry run passed 12:04.');
    assert.equal((await h.api.get(metric.ref)).data['sql'], metric.data['sql'], 'a dry run persists nothing');
  });

  it('SQL that does not run fails the dry run with a diagnostic on the sql string', async () => {
    const text = formatSource({ ...metric.data, sql: 'SELECT nope FROM missing_table_xyz' });
    const result = await validateDraft(text, ctxOf(metric), h.api);
    assert.equal(result.dryRun.state, 'failed');
    const p = result.problems.find((x) => x.source === 'statsig');
    assert.ok(p, 'a problem from Statsig');
    // The warehouse names the table: the problem lands on it, not on the whole SQL or "line 1".
    assert.equal(textAt(text, p.range), 'missing_table_xyz');
    assert.deepEqual(p.sqlRange, { from: 'SELECT nope FROM '.length, to: 'SELECT nope FROM missing_table_xyz'.length });
    assert.match(result.status.text, /^Dry run failed: \d+ problems?( \(.+\))?\.$/);
    // One count, one wording: the status line says exactly what the problems box (problemCount of the same list) says.
    assert.equal(result.status.text, `Dry run failed: ${problemCount(result.problems)}.`);
  });

  it('a mapped column the query does not return fails on that column (errors[].property path)', async () => {
    const mapping = [...(assignment.data['idTypeMapping'] as { statsigUnitID: string; column: string }[])];
    mapping.push({ statsigUnitID: 'stableID', column: 'no_such_column' });
    const text = formatSource({ ...assignment.data, idTypeMapping: mapping });
    const result = await validateDraft(text, ctxOf(assignment), h.api);
    assert.equal(result.dryRun.state, 'failed');
    const fromStatsig = result.problems.filter((p) => p.source === 'statsig');
    assert.ok(fromStatsig.some((p) => textAt(text, p.range) === '"no_such_column"'), JSON.stringify(fromStatsig));
    const local = result.problems.find((p) => p.source === 'sql');
    assert.equal(local?.severity, 'error', 'the local column check found it first (and the dry run still ran)');
    assert.match(local?.message ?? '', /^"no_such_column" is not returned by this query; it returns /);
  });

  it('unchanged → no dry run; ingestion → validated locally only; network failure → says so, keeps the draft', async () => {
    const same = await validateDraft(formatSource(assignment.data), ctxOf(assignment), h.api);
    assert.equal(same.dryRun.state, 'unchanged');
    const [ingestion] = (await h.api.list('ingestionSource')).records;
    assert.ok(ingestion);
    const ing = await validateDraft(formatSource({ ...ingestion.data, query: `${String(ingestion.data['query'])} ` }), ctxOf(ingestion), h.api);
    assert.equal(ing.dryRun.state, 'unavailable');
    assert.match(ing.status.text, /^No server dry run for ingestion sources — validated locally/);
    h.emulator.setFaults({ dropRate: 1 });
    try {
      const dropped = await validateDraft(formatSource({ ...assignment.data, description: 'offline edit' }), ctxOf(assignment), h.makeApi({ retry: { limit: 0 } }));
      assert.equal(dropped.dryRun.state, 'error');
      assert.match(dropped.status.text, /^Draft saved, but the dry run could not run: /);
    } finally {
      h.emulator.setFaults({ dropRate: 0 });
    }
  });

  it('local SQL errors carry positions inside the SQL and in the document', () => {
    const text = formatSource({ ...metric.data, sql: 'select (a\nfrom t' });
    const { problems } = localValidation(text, ctxOf(metric));
    const p = problems.find((x) => x.source === 'sql' && x.severity === 'error');
    assert.deepEqual(p?.sqlRange, { from: 10, to: 14 });
    assert.equal(textAt(text, p?.range ?? { start: 0, end: 0 }), 'from');
  });

  it('a local SQL error does not keep the dry run from running: Statsig has the last word', async () => {
    // Valid DuckDB that the local parser does not read would look like this; here the SQL is really broken.
    const text = formatSource({ ...metric.data, sql: 'SELECT user_id, FROM WHERE' });
    const result = await validateDraft(text, ctxOf(metric), h.api);
    assert.ok(result.problems.some((p) => p.source === 'sql' && p.severity === 'error'));
    assert.equal(result.dryRun.state, 'failed', 'the dry run ran');
    assert.ok(result.problems.some((p) => p.source === 'statsig'));
  });
});

describe('unit ID types', () => {
  it('a statsigUnitID the project does not know is a warning on that value, listing the known ones', async () => {
    const { types } = await h.api.listUnitIdTypes();
    const names = types.map((t) => t.name);
    const metric = (await h.api.list('metricSource')).records[0] as SourceRecord;
    const mapping = [{ statsigUnitID: 'userID', column: 'user_id' }, { statsigUnitID: 'usrID', column: 'user_id' }];
    const text = formatSource({ ...metric.data, idTypeMapping: mapping });
    const { problems } = localValidation(text, { ...ctxOf(metric), unitIdTypes: names });
    const warned = problems.filter((p) => p.message.includes('is not a unit ID type'));
    assert.equal(warned.length, 1);
    assert.deepEqual(warned[0]?.path, ['idTypeMapping', 1, 'statsigUnitID']);
    assert.equal(warned[0]?.severity, 'warning');
    assert.equal(warned[0]?.message, `"usrID" is not a unit ID type of this project. Known: ${names.join(', ')}.`);
    assert.equal(text.slice(warned[0]?.range.start, warned[0]?.range.end), '"usrID"');
    // Unknown types (not fetched): no check.
    assert.deepEqual(localValidation(text, ctxOf(metric)).problems.filter((p) => p.message.includes('unit ID type')), []);
  });
});
