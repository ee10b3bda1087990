// The three-way merge of a draft with Statsig's version (src/core/merge.ts): field by field, the SQL
// line by line (diff3), conflicts with the standard markers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatSource } from '../../src/core/document.ts';
import { draftContext } from '../../src/core/draftContext.ts';
import { parseDraft } from '../../src/core/draftFiles.ts';
import {
  MARKERS, conflictMarkers, type FieldConflict, conflictMarkersIn, mergeSource, mergeSql, mergedText, preview, resolveField,
} from '../../src/core/merge.ts';
import { UNRESOLVED_MERGE_MESSAGE, localValidation, validateDraft } from '../../src/core/validation.ts';
import { jsonEqual } from '../../src/shared/jsonPath.ts';

const SQL = ['SELECT', '  user_id,', '  event_name,', '  event_ts', 'FROM analytics.events', 'WHERE event_ts >= {statsig_start_date}', 'AND 1 = 1'].join('\n');
const base = {
  name: 'app_events', description: 'old', tags: ['core'], sql: SQL, timestampColumn: 'event_ts',
  idTypeMapping: [{ statsigUnitID: 'userID', column: 'user_id' }], owner: { ownerID: 'u1' },
};
const lines = (...ls: string[]) => ls.join('\n');
const replaceLine = (sql: string, index: number, line: string) => sql.split('\n').map((l, i) => (i === index ? line : l)).join('\n');

describe('mergeSource', () => {
  test('a field changed on one side only takes that side: the draft\'s description and Statsig\'s tags', () => {
    const draft = { ...base, description: 'mine' };
    const remote = { ...base, tags: ['core', 'theirs'] };
    const r = mergeSource('metricSource', base, draft, remote);
    assert.deepEqual(r.merged, { ...base, description: 'mine', tags: ['core', 'theirs'] });
    assert.deepEqual(r.takenFromStatsig, ['tags']);
    assert.deepEqual(r.keptFromDraft, ['description']);
    assert.deepEqual(r.fieldConflicts, []);
    assert.equal(r.sqlConflicts, 0);
    assert.equal(r.sqlFromBoth, false);
  });

  test('the same change on both sides merges; server-owned fields are Statsig\'s and never reported', () => {
    const draft = { ...base, description: 'agreed', owner: { ownerID: 'stale' } };
    const remote = { ...base, description: 'agreed', owner: { ownerID: 'u2' } };
    const r = mergeSource('metricSource', base, draft, remote);
    assert.deepEqual(r.merged, { ...base, description: 'agreed', owner: { ownerID: 'u2' } });
    assert.deepEqual([r.takenFromStatsig, r.keptFromDraft, r.fieldConflicts], [[], [], []]);
  });

  test('a field added on one side and one removed on the other side both merge', () => {
    const { description: _d, ...withoutDescription } = base;
    const draft = { ...base, datePartitionColumn: 'ds' };
    const r = mergeSource('metricSource', base, draft, withoutDescription);
    assert.equal(Object.hasOwn(r.merged, 'description'), false);
    assert.equal(r.merged['datePartitionColumn'], 'ds');
    assert.deepEqual(r.takenFromStatsig, ['description']);
    assert.deepEqual(r.keptFromDraft, ['datePartitionColumn']);
  });

  test('the SQL changed on both sides in different lines merges cleanly, with both changes', () => {
    const draft = { ...base, sql: replaceLine(SQL, 1, '  user_id AS uid,') };
    const remote = { ...base, sql: replaceLine(SQL, 6, 'AND 2 = 2') };
    const r = mergeSource('metricSource', base, draft, remote);
    assert.equal(r.sqlConflicts, 0);
    assert.equal(r.sqlFromBoth, true);
    assert.equal(r.merged['sql'], replaceLine(replaceLine(SQL, 1, '  user_id AS uid,'), 6, 'AND 2 = 2'));
    assert.deepEqual(r.fieldConflicts, []);
  });

  test('the SQL changed on both sides in the same line: one conflict block with the markers, the base between', () => {
    const draft = { ...base, sql: replaceLine(SQL, 4, 'FROM analytics.events_v2') };
    const remote = { ...base, sql: replaceLine(SQL, 4, 'FROM analytics.events_v3') };
    const r = mergeSource('metricSource', base, draft, remote);
    assert.equal(r.sqlConflicts, 1);
    assert.deepEqual(r.sqlConflictRanges, [{ startLine: 4, endLine: 10 }]);
    const merged = String(r.merged['sql']).split('\n');
    assert.deepEqual(merged.slice(4, 11), [
      MARKERS.draft, 'FROM analytics.events_v2', MARKERS.base, 'FROM analytics.events', MARKERS.separator, 'FROM analytics.events_v3', MARKERS.remote,
    ]);
    assert.deepEqual(merged.slice(0, 4), SQL.split('\n').slice(0, 4), 'the lines around it are kept');
    assert.deepEqual(conflictMarkers(String(r.merged['sql'])).map((m) => m.line), [4, 6, 8, 10]);
  });

  test('another field changed on both sides differently is a field conflict; the merged object holds the draft\'s value until resolved', () => {
    const draft = { ...base, description: 'mine', timestampColumn: 'ts_mine' };
    const remote = { ...base, description: 'theirs', tags: ['x'] };
    const r = mergeSource('metricSource', base, draft, remote);
    assert.deepEqual(r.fieldConflicts, [{ path: ['description'], base: 'old', draft: 'mine', remote: 'theirs' }]);
    assert.equal(r.merged['description'], 'mine');
    assert.deepEqual(resolveField(r.merged, ['description'], 'theirs'), { ...base, description: 'theirs', timestampColumn: 'ts_mine', tags: ['x'] });
    assert.deepEqual(r.merged['description'], 'mine', 'resolveField copies');
  });

  test('objects merge key by key (an ingestion source\'s column_mapping); a list is one value', () => {
    const ib = { type: 'snowflake-v2', dataset: 'Events', source_name: 'web', query: 'SELECT 1', id: 'i1', column_mapping: { event_name: 'e', timestamp: 't', ids: { userID: 'u' } } };
    const draft = { ...ib, column_mapping: { ...ib.column_mapping, event_name: 'e2', ids: { userID: 'u2' } } };
    const remote = { ...ib, id: 'i2', column_mapping: { ...ib.column_mapping, timestamp: 't2', ids: { userID: 'u3' } } };
    const r = mergeSource('ingestionSource', ib, draft, remote);
    assert.deepEqual(r.merged['column_mapping'], { event_name: 'e2', timestamp: 't2', ids: { userID: 'u2' } });
    assert.equal(r.merged['id'], 'i2');
    assert.deepEqual(r.fieldConflicts, [{ path: ['column_mapping', 'ids', 'userID'], base: 'u', draft: 'u2', remote: 'u3' }]);
    assert.deepEqual(r.keptFromDraft, ['column_mapping.event_name']);
    assert.deepEqual(r.takenFromStatsig, ['column_mapping.timestamp']);
    assert.deepEqual(resolveField(r.merged, ['column_mapping', 'ids', 'userID'], 'u3')['column_mapping'], { event_name: 'e2', timestamp: 't2', ids: { userID: 'u3' } });
    const lists = mergeSource('metricSource', base, { ...base, tags: ['a'] }, { ...base, tags: ['b'] });
    assert.deepEqual(lists.fieldConflicts.map((c) => c.path), [['tags']]);
  });

  test('an ingestion source\'s SQL is its "query"; a SQL that is not text on one side is a field conflict', () => {
    const ib = { type: 'snowflake-v2', dataset: 'Events', source_name: 'web', query: lines('SELECT a', 'FROM t', 'WHERE 1', 'LIMIT 5') };
    const r = mergeSource('ingestionSource', ib, { ...ib, query: lines('SELECT b', 'FROM t', 'WHERE 1', 'LIMIT 5') }, { ...ib, query: lines('SELECT a', 'FROM t', 'WHERE 1', 'LIMIT 6') });
    assert.equal(r.merged['query'], lines('SELECT b', 'FROM t', 'WHERE 1', 'LIMIT 6'));
    const odd = mergeSource('metricSource', base, { ...base, sql: 'SELECT 2' }, { ...base, sql: 42 });
    assert.deepEqual(odd.fieldConflicts.map((c) => c.path), [['sql']]);
    assert.equal(odd.sqlConflicts, 0);
  });

  test('a SQL added on both sides (absent in the base) merges as text from empty', () => {
    const { sql: _s, ...noSql } = base;
    const r = mergeSource('metricSource', noSql, { ...noSql, sql: 'SELECT 1' }, { ...noSql, sql: 'SELECT 2' });
    assert.equal(r.sqlConflicts, 1);
    assert.equal(conflictMarkers(String(r.merged['sql'])).length, 4);
  });
});

describe('mergeSql', () => {
  test('CRLF SQL keeps CRLF; touching changes conflict (as git does)', () => {
    const b = 'a\r\nb\r\nc\r\nd';
    assert.deepEqual(mergeSql(b, 'A\r\nb\r\nc\r\nd', 'a\r\nb\r\nc\r\nD'), { sql: 'A\r\nb\r\nc\r\nD', conflicts: [] });
    assert.equal(mergeSql('a\nb\nc', 'a\nB\nc', 'a\nb\nC').conflicts.length, 1);
  });

  test('an insertion on each side at different places merges; the same insertion on both sides is not a conflict', () => {
    assert.equal(mergeSql('a\nb\nc\nd', 'x\na\nb\nc\nd', 'a\nb\nc\nd\ny').sql, 'x\na\nb\nc\nd\ny');
    assert.deepEqual(mergeSql('a\nb', 'a\nz\nb', 'a\nz\nb'), { sql: 'a\nz\nb', conflicts: [] });
  });
});

describe('conflict markers', () => {
  test('each marker line is found at its line and offsets; lookalikes are not markers', () => {
    const sql = lines('SELECT 1', '<<<<<<< your draft', 'a', '||||||| base', 'b', '=======', 'c', '>>>>>>> Statsig', '-- <<<<<<< in a comment', '<<<<<<<<', '======= x', '>>>>>>>');
    const found = conflictMarkers(sql);
    assert.deepEqual(found.map((m) => [m.line, m.marker]), [[1, '<<<<<<<'], [3, '|||||||'], [5, '======='], [7, '>>>>>>>'], [11, '>>>>>>>']]);
    const first = found[0];
    assert.ok(first);
    assert.equal(sql.slice(first.from, first.to), '<<<<<<< your draft');
    assert.deepEqual(conflictMarkers('a\r\n=======\r\nb').map((m) => [m.line, m.from, m.to]), [[1, 3, 10]]);
    assert.deepEqual(conflictMarkers('SELECT 1'), []);
  });

  test('conflictMarkersIn counts the markers of the kind\'s SQL field of the JSON text; text that is not JSON is not resolved', () => {
    assert.equal(conflictMarkersIn('metricSource', formatSource({ sql: 'a\n=======\nb' })), 1);
    assert.equal(conflictMarkersIn('metricSource', formatSource({ sql: 'a', description: '\n=======\n' })), 0);
    assert.equal(conflictMarkersIn('metricSource', formatSource({ description: 'no sql' })), 0);
    assert.equal(conflictMarkersIn('ingestionSource', formatSource({ query: '>>>>>>> Statsig' })), 1);
    assert.equal(conflictMarkersIn('metricSource', '{ not json'), undefined);
  });
});

describe('mergedText', () => {
  test('keeps the draft\'s own text except the fields that changed', () => {
    const draftText = '{\n    "name": "app_events",\n    "description": "mine",\n    "tags": ["core"]\n}\n';
    const text = mergedText(draftText, { name: 'app_events', description: 'mine', tags: ['core', 'theirs'], extra: 1 });
    assert.match(text, /^\{\n {4}"name": "app_events",\n {4}"description": "mine",/, text);
    assert.deepEqual(JSON.parse(text), { name: 'app_events', description: 'mine', tags: ['core', 'theirs'], extra: 1 });
    const removed = mergedText(draftText, { name: 'app_events', tags: ['core'] });
    assert.deepEqual(JSON.parse(removed), { name: 'app_events', tags: ['core'] });
    assert.equal(mergedText('{ broken', { a: 1 }), formatSource({ a: 1 }));
  });

  test('preview shows a value on one line, bounded', () => {
    assert.equal(preview(undefined), '(absent)');
    assert.equal(preview('a\nb'), '"a\\nb"');
    assert.equal(preview({ a: [1, 2] }), '{"a":[1,2]}');
    assert.equal(preview('x'.repeat(200), 20).length, 20);
  });
});

describe('properties', () => {
  const LINES = ['SELECT a', 'b,', 'c', 'FROM t', 'WHERE x', '', 'JOIN u', '-- note'];
  const sqlArb = fc.array(fc.constantFrom(...LINES), { maxLength: 12 }).map((ls) => ls.join('\n'));
  const value = fc.oneof(fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 0, max: 2 }), fc.constant(['a']), fc.constant({ k: 1 }), fc.constant(undefined));
  const source = fc.record({
    sql: sqlArb, description: value, tags: value, timestampColumn: value, owner: fc.constantFrom({ ownerID: 'u1' }, { ownerID: 'u2' }),
    column_mapping: fc.record({ a: value, b: value }),
  }).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
  const withoutOwner = ({ owner: _o, ...rest }: Record<string, unknown>) => rest;
  const RUNS = { seed: 12, numRuns: 400 };

  test('base === remote: the merge is the draft (Statsig\'s server-owned fields aside)', () => {
    fc.assert(fc.property(source, source, (b, d) => {
      const r = mergeSource('metricSource', b, d, b);
      assert.ok(jsonEqual(withoutOwner(r.merged), withoutOwner(d)));
      assert.deepEqual([r.fieldConflicts.length, r.sqlConflicts, r.takenFromStatsig.length], [0, 0, 0]);
    }), RUNS);
  });

  test('base === draft: the merge is the remote', () => {
    fc.assert(fc.property(source, source, (b, r) => {
      const m = mergeSource('metricSource', b, b, r);
      assert.ok(jsonEqual(m.merged, r));
      assert.deepEqual([m.fieldConflicts.length, m.sqlConflicts, m.keptFromDraft.length], [0, 0, 0]);
    }), RUNS);
  });

  test('symmetric: swapping draft and remote swaps the sides, the conflicts are the same, a clean merge is the same', () => {
    fc.assert(fc.property(source, source, source, (b, d, r) => {
      const one = mergeSource('metricSource', b, d, r);
      const two = mergeSource('metricSource', b, r, d);
      // The same conflicts (listed in each draft's key order), with the sides swapped.
      const byPath = (cs: readonly FieldConflict[], swap: boolean) => cs.map((c) => JSON.stringify([c.path, c.base, swap ? c.remote : c.draft, swap ? c.draft : c.remote])).sort();
      assert.deepEqual(byPath(one.fieldConflicts, false), byPath(two.fieldConflicts, true));
      assert.equal(one.sqlConflicts, two.sqlConflicts);
      assert.deepEqual([...one.takenFromStatsig].sort(), [...two.keptFromDraft].sort());
      if (one.fieldConflicts.length === 0 && one.sqlConflicts === 0) assert.ok(jsonEqual(withoutOwner(one.merged), withoutOwner(two.merged)));
    }), RUNS);
  });

  test('a clean SQL merge has no markers and every line either side added; a conflicting one has four markers per block', () => {
    fc.assert(fc.property(sqlArb, sqlArb, sqlArb, (b, d, r) => {
      const m = mergeSql(b, d, r);
      const markers = conflictMarkers(m.sql);
      if (m.conflicts.length === 0) {
        assert.deepEqual(markers, []);
        const merged = new Set(m.sql.split('\n'));
        const baseLines = new Set(b.split('\n'));
        for (const line of [...d.split('\n'), ...r.split('\n')]) if (!baseLines.has(line)) assert.ok(merged.has(line), `"${line}" is in the merge`);
      } else {
        assert.equal(markers.length, 4 * m.conflicts.length);
        assert.deepEqual(markers.filter((x) => x.marker === '<<<<<<<').map((x) => x.line), m.conflicts.map((c) => c.startLine));
        assert.deepEqual(markers.filter((x) => x.marker === '>>>>>>>').map((x) => x.line), m.conflicts.map((c) => c.endLine));
      }
    }), { seed: 13, numRuns: 1000 });
  });

  test('mergedText always parses to the merged object', () => {
    fc.assert(fc.property(source, source, (d, merged) => {
      assert.ok(jsonEqual(JSON.parse(mergedText(formatSource(d), merged)), merged));
    }), RUNS);
  });
});

describe('validation of a draft being merged', () => {
  const ref = { kind: 'metricSource' as const, name: 'app_events' };
  const conflicted = mergeSource('metricSource', base, { ...base, sql: replaceLine(SQL, 4, 'FROM analytics.mine') }, { ...base, sql: replaceLine(SQL, 4, 'FROM analytics.theirs') });
  const text = formatSource(conflicted.merged);
  const ctx = { kind: 'metricSource' as const, ref, isNew: false, base, dialect: 'duckdb' as const };

  test('each marker left in the SQL is an error at its exact line, and the SQL is not analysed meanwhile', () => {
    const { problems, markers } = localValidation(text, { ...ctx, merging: true });
    assert.equal(markers, 4);
    const sqlProblems = problems.filter((p) => p.source === 'sql');
    assert.deepEqual(sqlProblems.map((p) => p.message), Array(4).fill(UNRESOLVED_MERGE_MESSAGE));
    const sql = String(conflicted.merged['sql']);
    const lineOf = (offset: number) => sql.slice(0, offset).split('\n').length - 1;
    assert.deepEqual(sqlProblems.map((p) => lineOf(p.sqlRange?.from ?? -1)), [4, 6, 8, 10]);
    assert.deepEqual(sqlProblems.map((p) => sql.slice(p.sqlRange?.from, p.sqlRange?.to)), [MARKERS.draft, MARKERS.base, MARKERS.separator, MARKERS.remote]);
    // In the JSON text, the range covers the marker's characters inside the SQL string.
    const first = sqlProblems[0];
    assert.ok(first);
    assert.equal(text.slice(first.range.start, first.range.end), MARKERS.draft);
  });

  test('the dry run does not run while markers are left; not merging, markers are just SQL', async () => {
    const result = await validateDraft(text, { ...ctx, merging: true }, undefined);
    assert.equal(result.dryRun.state, 'skipped');
    assert.match(result.status.text, /4 conflict markers left in the SQL; the dry run runs once the merge is resolved/);
    assert.equal(localValidation(text, ctx).markers, 0);
    assert.equal(localValidation(text, ctx).problems.some((p) => p.message === UNRESOLVED_MERGE_MESSAGE), false);
  });
});

describe('a draft remembers a merge in progress', () => {
  const draft = { version: 1, uri: 'statsig://p/metricSource/app_events.json', content: '{}', base, isNew: false, savedAt: 1 };

  test('the Draft schema takes `merging` and still reads drafts written without it', () => {
    assert.deepEqual(parseDraft(JSON.stringify(draft)), draft);
    const merging = { ...draft, merging: { remote: { ...base, description: 'theirs' }, at: 2 } };
    assert.deepEqual(parseDraft(JSON.stringify(merging)), merging);
    assert.equal(parseDraft(JSON.stringify({ ...draft, merging: { remote: 'x', at: 2 } })), undefined, 'a malformed merge is no draft');
  });

  test('the draft context says so, and only then', () => {
    const ref = { kind: 'metricSource' as const, name: 'app_events' };
    assert.equal(draftContext('p', ref, { draft: { base, isNew: false, merging: { remote: base, at: 1 } }, readFrom: undefined, lastRemote: undefined }).merging, true);
    assert.equal('merging' in draftContext('p', ref, { draft: { base, isNew: false }, readFrom: undefined, lastRemote: undefined }), false);
  });
});
