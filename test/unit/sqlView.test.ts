// The `.sql` view: a source's SQL read out of its JSON and written back in place (src/core/sqlView.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatSource } from '../../src/core/document.ts';
import { parseSourcePath, sourcePath } from '../../src/core/sourceUri.ts';
import { problemsInSql, sqlOf, withSql } from '../../src/core/sqlView.ts';

const source = { name: 'orders', sql: 'SELECT 1', timestampColumn: 'ts', idTypeMapping: [{ statsigUnitID: 'user_id', column: 'user_id' }] };

test('the SQL reads out of the kind\'s SQL field (ingestion sources: query); absent reads as empty', () => {
  assert.deepEqual(sqlOf('metricSource', formatSource(source)), { ok: true, sql: 'SELECT 1' });
  assert.deepEqual(sqlOf('ingestionSource', formatSource({ query: 'SELECT 2' })), { ok: true, sql: 'SELECT 2' });
  assert.deepEqual(sqlOf('metricSource', '{}'), { ok: true, sql: '' });
});

test('JSON that does not parse, or SQL that is not text, cannot be shown and says why', () => {
  const broken = sqlOf('metricSource', '{"sql": ');
  assert.equal(broken.ok, false);
  assert.match(broken.ok ? '' : broken.reason, /does not parse/);
  const notText = sqlOf('metricSource', '{"sql": 42}');
  assert.match(notText.ok ? '' : notText.reason, /not text/);
});

test('property: writing SQL back changes the SQL and no other byte of meaning; reading it gives it back', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 30 }), (sql, description) => {
    const json = formatSource({ ...source, description });
    const next = withSql('metricSource', json, sql);
    assert.ok(next.ok);
    assert.deepEqual(JSON.parse(next.json), { ...source, description, sql });
    assert.deepEqual(sqlOf('metricSource', next.json), { ok: true, sql });
  }), { seed: 12, numRuns: 500 });
});

test('only problems located in the SQL reach the view, at SQL offsets', () => {
  const inSql = { path: ['sql'], message: 'x', severity: 'error', source: 'statsig', range: { start: 40, end: 45 }, sqlRange: { from: 3, to: 8 } } as const;
  const elsewhere = { path: ['timestampColumn'], message: 'y', severity: 'error', source: 'schema', range: { start: 60, end: 64 } } as const;
  assert.deepEqual(problemsInSql([inSql, elsewhere], 'sql', 20).map((p) => [p.from, p.to]), [[3, 8]]);
  const nowhere = { path: ['sql'], message: 'the warehouse said no', severity: 'error', source: 'statsig', range: { start: 30, end: 50 } } as const;
  assert.deepEqual(problemsInSql([nowhere], 'sql', 20).map((p) => [p.from, p.to]), [[0, 20]], 'a message that points nowhere covers the whole SQL');
});

test('a source\'s .sql path names the same source as its .json path', () => {
  for (const ref of [{ kind: 'metricSource', name: 'a/b c' } as const, { kind: 'ingestionSource', type: 'snowflake-v2', dataset: 'Events', sourceName: 'web' } as const]) {
    const path = sourcePath(ref, 'sql');
    assert.ok(path.endsWith('.sql'));
    assert.deepEqual(parseSourcePath(path, 'sql'), ref);
    assert.equal(parseSourcePath(path, 'json'), undefined, 'a .sql path is not a source document');
  }
});
