// plan's decision per source (docs/source-files.md "What plan decides"): every row of the table,
// with the files built the way pull writes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filesOf, parseFolder, type LocalSource } from '../../src/core/sourceFiles.ts';
import { sourceHash } from '../../src/core/sourceLock.ts';
import { planSource } from '../../src/core/sourcePlan.ts';

const ref = { kind: 'metricSource' as const, name: 'm' };
const statsig = { name: 'm', sql: 'SELECT user_id, ts\nFROM t\n', description: 'old', tags: ['a'], timestampColumn: 'ts', idTypeMapping: [], owner: { ownerID: 'u1' } };
const hash = (data: Record<string, unknown>) => sourceHash('metricSource', data);

function local(data: Record<string, unknown>): LocalSource {
  const folder = parseFolder(new Map(filesOf(ref, data).map((f) => [f.path, f.text])));
  assert.deepEqual(folder.problems, []);
  const source = folder.sources[0];
  assert.ok(source);
  return source;
}

test('the files are Statsig\'s version: nothing, with no diff, whatever the lock says', () => {
  for (const base of [hash(statsig), hash({ ...statsig, description: 'older' }), undefined]) {
    const p = planSource(ref, local(statsig), statsig, base);
    assert.deepEqual([p.action, p.step, p.diff, p.changed], ['nothing', undefined, '', []]);
  }
});

test('a changed SQL is an update sending the whole source, with a diff of the .sql; a changed description too (metric sources have no PATCH), with a diff of the .source.json', () => {
  const sql = planSource(ref, local({ ...statsig, sql: 'SELECT user_id, ts\nFROM t\nWHERE x\n' }), statsig, hash(statsig));
  assert.deepEqual([sql.action, sql.step, sql.changed], ['update', 'update', ['sql']]);
  assert.equal(sql.body?.['sql'], 'SELECT user_id, ts\nFROM t\nWHERE x\n');
  assert.equal(sql.diff, '--- statsig: metric-sources/m.sql\n+++ files: metric-sources/m.sql\n@@ -1,2 +1,3 @@\n SELECT user_id, ts\n FROM t\n+WHERE x\n');
  const description = planSource(ref, local({ ...statsig, description: 'new' }), statsig, hash(statsig));
  assert.deepEqual([description.action, description.body?.['description'], description.changed], ['update', 'new', ['description']]);
  assert.match(description.diff, /^--- statsig: metric-sources\/m\.source\.json\n[^]*^- {2}"description": "old",\n\+ {2}"description": "new",$/m);
});

test('new files: create; files of a source deleted on Statsig since the pull: conflict (--force creates it)', () => {
  const create = planSource(ref, local(statsig), undefined, undefined);
  assert.deepEqual([create.action, create.step], ['create', 'create']);
  const deleted = planSource(ref, local(statsig), undefined, hash(statsig));
  assert.deepEqual([deleted.action, deleted.step, deleted.reason], ['conflict', 'create', 'it was deleted on Statsig since the pull']);
});

test('changed on Statsig since the pull, or never pulled, and the files differ: conflict naming why (--force updates)', () => {
  const mine = local({ ...statsig, sql: 'SELECT 2' });
  const pulledFrom = { ...statsig, description: 'before someone changed it' };
  const changed = planSource(ref, mine, statsig, hash(pulledFrom));
  assert.deepEqual([changed.action, changed.step, changed.reason], ['conflict', 'update', 'it was changed on Statsig since the pull']);
  assert.notEqual(changed.diff, '');
  const unpulled = planSource(ref, mine, statsig, undefined);
  assert.deepEqual([unpulled.action, unpulled.step], ['conflict', 'update']);
  assert.match(unpulled.reason ?? '', /not in statsig\.lock\.json/);
});

test('--prune: no files, Statsig as pulled → delete; created or changed on Statsig since → conflict (--force deletes)', () => {
  assert.deepEqual([planSource(ref, undefined, statsig, hash(statsig)).action, planSource(ref, undefined, statsig, hash(statsig)).step], ['delete', 'delete']);
  const created = planSource(ref, undefined, statsig, undefined);
  assert.deepEqual([created.action, created.step], ['conflict', 'delete']);
  assert.match(created.reason ?? '', /created on Statsig after the pull/);
  assert.deepEqual([planSource(ref, undefined, statsig, hash({ ...statsig, tags: [] })).action], ['conflict']);
});

test('a kind with PATCH: a field PATCH can carry is a patch of that field only', () => {
  const aref = { kind: 'assignmentSource' as const, name: 'a' };
  const remote = { name: 'a', sql: 'SELECT 1', description: 'old', timestampColumn: 'ts', idTypeMapping: [], experimentIDColumn: 'e', groupIDColumn: 'g', tags: [] };
  const folder = parseFolder(new Map(filesOf(aref, { ...remote, description: 'new' }).map((f) => [f.path, f.text])));
  const p = planSource(aref, folder.sources[0], remote, sourceHash('assignmentSource', remote));
  assert.deepEqual([p.action, p.body, p.changed], ['patch', { description: 'new' }, ['description']]);
});
