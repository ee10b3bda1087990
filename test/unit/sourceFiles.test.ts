// The sources-as-code folder format (src/core/sourceFiles.ts) and its lock (src/core/sourceLock.ts):
// name encoding properties, source ↔ files round trips for every kind, and parse errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { descriptor, identityOf, KindIds, refOf, type KindId, type SourceRef } from '../../src/core/kinds.ts';
import { IngestionReadDatasets, IngestionTypes } from '../../src/core/schemas/ingestion.ts';
import { formatSource, parseDocument } from '../../src/core/document.ts';
import { asInFiles, decodeName, encodeName, filesOf, parseFolder, sourceOfFile, sourceStem } from '../../src/core/sourceFiles.ts';
import { placeProblem } from '../../src/core/sourceFindings.ts';
import { planPull } from '../../src/core/sourcePull.ts';
import { joinSourceFiles, splitSourceFiles } from '../../src/core/sqlView.ts';
import { canonicalSource, formatLock, lockKey, parseLock, sourceHash, withEntry } from '../../src/core/sourceLock.ts';

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', '.', '..', ' ', 'a.', ' a', 'CON', 'con.sql', 'Lpt9', 'nul .x', 'com1', 'a/b', '..\\x', 'x:y', 'a?*', 'A', 'a', '~0', '~1', '%41', 'a~1', '\u0000', '\ud800', '\udfff\ud800', 'É', 'é', 'ß', 'SS'),
  fc.array(fc.constantFrom('a', 'A', '.', ' ', '%', '~', '/', 'c', 'o', 'n', 'N', 'é', '\ud83d\ude00', '\ud800', '1'), { maxLength: 8 }).map((a) => a.join('')),
);

function isSafeFileName(stem: string): boolean {
  for (const file of [`${stem}.sql`, `${stem}.source.json`]) {
    if ([...file].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f' || '<>:"/\\|?*'.includes(c))) return false;
    if (/^[. ]|[. ]$/.test(stem)) return false;
    const base = file.slice(0, file.indexOf('.')).replace(/ +$/, '');
    if (RESERVED.test(base)) return false;
    if (/[^\u0020-\u007e]/.test(file)) return false;
  }
  return stem.length > 0;
}

describe('source names as file names', () => {
  test('round trip for any string', () => {
    fc.assert(fc.property(hostile, (name) => assert.equal(decodeName(encodeName(name)), name)), { numRuns: 3000 });
  });

  test('encoded names are safe file names (printable ASCII, no reserved name, no edge dot or space)', () => {
    fc.assert(fc.property(hostile, (name) => assert.ok(isSafeFileName(encodeName(name)), `${JSON.stringify(name)} → ${encodeName(name)}`)), { numRuns: 3000 });
  });

  test('distinct names never collide, even case-insensitively', () => {
    fc.assert(fc.property(hostile, hostile, (a, b) => {
      fc.pre(a !== b);
      assert.notEqual(encodeName(a).toLowerCase(), encodeName(b).toLowerCase());
    }), { numRuns: 3000 });
    const names = ['orders', 'Orders', 'ORDERS', 'oRders', 'orders~1', 'Orders~1'];
    assert.equal(new Set(names.map((n) => encodeName(n).toLowerCase())).size, names.length);
  });

  test('plain names stay readable; the documented examples', () => {
    assert.equal(encodeName('daily_orders'), 'daily_orders');
    assert.equal(encodeName('Daily Orders v2'), 'Daily Orders v2~21');
    assert.equal(encodeName('a/b'), 'a%2Fb');
    assert.equal(encodeName('..'), '%2E%2E');
    assert.equal(encodeName('.hidden'), '%2Ehidden');
    assert.equal(encodeName('CON'), '%43ON~3');
    assert.equal(encodeName('nul.txt'), '%6Eul.txt');
    assert.equal(encodeName('café'), 'caf%C3%A9');
    assert.equal(encodeName(''), '~0');
  });

  test('a stem that encodeName would not write decodes to nothing', () => {
    for (const stem of ['Orders', 'orders~0', 'orders~1', '%41', '%zz', '%c3%a9', '%C3', 'a%2', '..', 'x~G']) assert.equal(decodeName(stem), undefined, stem);
  });
});

function sample(kind: KindId, identity: Record<string, string>, extra: Record<string, unknown> = {}): { ref: SourceRef; data: Record<string, unknown> } {
  const ref = refOf(kind, identity);
  assert.ok(ref);
  return { ref, data: { ...identityOf(ref), ...descriptor(kind).template(identity), ...extra } };
}

const identityArb = (kind: KindId) => (kind === 'ingestionSource'
  ? fc.record({ type: fc.constantFrom(...IngestionTypes), dataset: fc.oneof(fc.constantFrom(...IngestionReadDatasets), hostile), source_name: hostile })
  : fc.record({ name: hostile }));

describe('a source ↔ its files', () => {
  test('every kind, hostile names, any SQL: files → parseFolder gives the source back (server-owned fields dropped)', () => {
    for (const kind of KindIds) {
      fc.assert(fc.property(identityArb(kind), fc.string({ unit: 'binary', maxLength: 200 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), (identity, sql, unknown) => {
        const extras = Object.fromEntries(Object.entries(unknown).filter(([k]) => !(k in (descriptor(kind).template(identity))) && !descriptor(kind).addressing.identityFields.includes(k)));
        const { ref, data } = sample(kind, identity, { ...extras, [descriptor(kind).sqlField]: sql });
        const files = filesOf(ref, { ...data, ...(kind === 'ingestionSource' ? { id: 'srv' } : { owner: { ownerID: 'u', ownerName: 'U' } }) });
        const parsed = parseFolder(new Map(files.map((f) => [f.path, f.text])));
        assert.deepEqual(parsed.problems, []);
        assert.equal(parsed.sources.length, 1);
        const [back] = parsed.sources;
        assert.deepEqual(back?.ref, ref);
        assert.equal(back?.data[descriptor(kind).sqlField], sql);
        assert.equal(canonicalSource(kind, back?.data ?? {}), canonicalSource(kind, data));
        const owned = Object.fromEntries(descriptor(kind).serverOwnedFields.map((f) => [f, 'ignored']));
        assert.equal(sourceHash(kind, back?.data ?? {}), sourceHash(kind, { ...data, ...owned }));
      }), { numRuns: 150 });
    }
  });

  test('the documented layout: kind folders, SQL byte for byte, schema key order, 2-space indent, trailing newline', () => {
    const { ref, data } = sample('metricSource', { name: 'Orders' }, { sql: 'SELECT 1\r\n-- é\n', zeta: 1, alpha: { b: 1, a: 2 } });
    const files = filesOf(ref, { ...data, owner: { ownerID: 'x' } });
    assert.deepEqual(files.map((f) => f.path), ['metric-sources/Orders~1.sql', 'metric-sources/Orders~1.source.json']);
    assert.equal(files[0]?.text, 'SELECT 1\r\n-- é\n');
    const json = files[1]?.text ?? '';
    assert.ok(json.endsWith('}\n'));
    assert.ok(json.startsWith('{\n  "name": "Orders",\n'));
    assert.deepEqual(Object.keys(JSON.parse(json) as object).slice(-2), ['alpha', 'zeta']);
    assert.ok(!json.includes('owner') && !json.includes('"sql"'));
    assert.match(json, /"alpha": \{\n {4}"a": 2,\n {4}"b": 1\n {2}\}/);
    const ing = sample('ingestionSource', { type: 'snowflake-v2', dataset: 'Events', source_name: 'web/app' });
    assert.equal(sourceStem(ing.ref), 'ingestion-sources/snowflake-v2/Events/web%2Fapp');
  });

  test('bad folders: specific problems with file, line and column, nothing thrown', () => {
    const good = filesOf(sample('metricSource', { name: 'orders' }).ref, sample('metricSource', { name: 'orders' }).data);
    const json = good[1]?.text ?? '';
    const files = new Map<string, string>([
      ['metric-sources/lonely.sql', 'SELECT 1'],
      ['metric-sources/broken.source.json', '{\n  "name": "broken",\n  "x": tru\n}\n'],
      ['metric-sources/renamed.source.json', json],
      ['widgets/a.source.json', '{}'],
      ['metric-sources/Orders.source.json', json.replace('"orders"', '"Orders"')],
      ['metric-sources/notes.md', 'hi'],
      ['metric-sources/both.sql', 'SELECT 1'],
      ['metric-sources/both.source.json', '{"name":"both","sql":"SELECT 2"}'],
      ['ingestion-sources/s3/x.source.json', '{}'],
      ['statsig.lock.json', '{}'], ['.git/x.sql', ''], ['README.md', ''],
    ]);
    const { sources, problems } = parseFolder(files);
    assert.deepEqual(sources, []);
    const byFile = new Map([...problems].reverse().map((p) => [p.file, p]));
    assert.match(byFile.get('metric-sources/lonely.sql')?.message ?? '', /has no lonely\.source\.json beside it/);
    assert.deepEqual([byFile.get('metric-sources/broken.source.json')?.line, byFile.get('metric-sources/broken.source.json')?.column], [3, 8]);
    assert.match(byFile.get('metric-sources/broken.source.json')?.message ?? '', /^Not valid JSON: Unexpected character/);
    assert.match(byFile.get('metric-sources/renamed.source.json')?.message ?? '', /"name" is "orders" but the file name says "renamed" \(a source named "orders" belongs in metric-sources\/orders\.source\.json\)/);
    assert.equal(byFile.get('metric-sources/renamed.source.json')?.line, 2);
    assert.match(byFile.get('widgets/a.source.json')?.message ?? '', /"widgets" is not a kind folder; they are assignment-sources, /);
    assert.match(byFile.get('metric-sources/Orders.source.json')?.message ?? '', /"Orders" is not an encoded name/);
    assert.match(byFile.get('metric-sources/notes.md')?.message ?? '', /Not a source file/);
    assert.match(byFile.get('metric-sources/both.source.json')?.message ?? '', /"sql" is both in this file and in metric-sources\/both\.sql/);
    assert.match(byFile.get('ingestion-sources/s3/x.source.json')?.message ?? '', /ingestion-sources\/<type>\/<dataset>\/<source_name>/);
    assert.equal(problems.length, 9);
  });
});

describe('statsig.lock.json', () => {
  const ref = { kind: 'metricSource', name: 'a/b' } as const;
  test('keys, format, entries one at a time, and a strict schema', () => {
    assert.equal(lockKey(ref), 'metricSource/a/b');
    assert.equal(lockKey({ kind: 'ingestionSource', type: 's3', dataset: 'Events', sourceName: 'w' }), 'ingestionSource/s3/Events/w');
    const hash = sourceHash('metricSource', { name: 'a/b', sql: 'x' });
    assert.match(hash, /^[0-9a-f]{64}$/);
    const lock = withEntry(withEntry({ version: 1, projectId: 'p', sources: {} }, { kind: 'metricSource', name: 'z' }, hash), ref, hash);
    const text = formatLock(lock);
    assert.equal(text, `{\n  "version": 1,\n  "projectId": "p",\n  "sources": {\n    "metricSource/a/b": {\n      "hash": "${hash}"\n    },\n    "metricSource/z": {\n      "hash": "${hash}"\n    }\n  }\n}\n`);
    assert.deepEqual(parseLock(text), { ok: true, lock });
    assert.deepEqual(Object.keys(withEntry(lock, ref, undefined).sources), ['metricSource/z']);
    for (const bad of ['nope', '{}', JSON.stringify({ ...lock, version: 2 }), JSON.stringify({ ...lock, key: 'x' }), JSON.stringify({ ...lock, sources: { a: { hash: 'short' } } })]) {
      const read = parseLock(bad);
      assert.equal(read.ok, false, bad);
    }
  });

  test('the hash ignores key order and server-owned fields, and sees everything else', () => {
    assert.equal(sourceHash('metricSource', { a: 1, b: { y: 1, x: 2 } }), sourceHash('metricSource', { b: { x: 2, y: 1 }, a: 1, owner: { ownerID: 'o' } }));
    assert.notEqual(sourceHash('metricSource', { a: 1 }), sourceHash('metricSource', { a: 2 }));
    assert.notEqual(sourceHash('ingestionSource', { a: 1 }), sourceHash('ingestionSource', { a: 1, owner: 1 }));
  });
});

describe('workspace files (VS Code): a file\'s source, the two files as one document, a problem\'s place', () => {
  test('sourceOfFile names the source of each of its files, for every kind and hostile names; any other path names none', () => {
    for (const kind of KindIds) {
      fc.assert(fc.property(identityArb(kind), (identity) => {
        const { ref, data } = sample(kind, identity, { [descriptor(kind).sqlField]: 'SELECT 1' });
        for (const f of filesOf(ref, data)) {
          const found = sourceOfFile(f.path);
          assert.deepEqual(found?.ref, ref, f.path);
          assert.equal(found?.role, f.path.endsWith('.sql') ? 'sql' : 'json');
          assert.equal(found?.stem, sourceStem(ref));
        }
      }), { numRuns: 150 });
    }
    for (const path of ['statsig.lock.json', 'metric-sources/.hidden.sql', '.git/metric-sources/a.sql', 'widgets/a.sql', 'metric-sources/Orders.sql', 'metric-sources/a.json', 'metric-sources/x/a.sql', 'ingestion-sources/s3/a.sql', 'metric-sources/a.md', 'metric-sources//a.sql']) {
      assert.equal(sourceOfFile(path), undefined, path);
    }
  });

  test('join then split gives back the two files byte for byte (any SQL, any kind); the joined document holds the SQL', () => {
    for (const kind of KindIds) {
      fc.assert(fc.property(identityArb(kind), fc.string({ unit: 'binary', maxLength: 120 }), (identity, sql) => {
        const { ref, data } = sample(kind, identity, { [descriptor(kind).sqlField]: sql });
        const files = filesOf(ref, data);
        const sqlText = files.find((f) => f.path.endsWith('.sql'))?.text;
        const jsonText = files.find((f) => f.path.endsWith('.source.json'))?.text ?? '';
        const joined = joinSourceFiles(kind, jsonText, sqlText);
        assert.ok(joined.ok);
        assert.equal((JSON.parse(joined.json) as Record<string, unknown>)[descriptor(kind).sqlField], sql);
        assert.deepEqual(splitSourceFiles(kind, joined.json), { ok: true, json: jsonText, sql: sqlText });
      }), { numRuns: 100 });
    }
  });

  test('a document edited in the editor splits into its files; bad input is a sentence, never a throw', () => {
    assert.deepEqual(splitSourceFiles('metricSource', '{\n  "name": "a",\n  "sql": "SELECT 2"\n}\n'), { ok: true, json: '{\n  "name": "a"\n}\n', sql: 'SELECT 2' });
    assert.deepEqual(splitSourceFiles('metricSource', '{"name": "a", "sql": 3}'), { ok: true, json: '{"name": "a", "sql": 3}', sql: undefined });
    const broken = splitSourceFiles('metricSource', '{"name": ');
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.reason, /not valid JSON/);
    const notJson = joinSourceFiles('metricSource', '{"name": tru', 'SELECT 1');
    assert.equal(notJson.ok, false);
    assert.match(notJson.ok ? '' : notJson.reason, /The \.source\.json does not parse/);
    assert.deepEqual(joinSourceFiles('metricSource', '{"name": "a"}', undefined), { ok: true, json: '{"name": "a"}' });
  });

  test('placeProblem: a problem inside the SQL goes to the .sql file at its offsets; one about a field to its key in the .source.json', () => {
    const sqlText = 'SELECT a\nFROM t\nWHERE x';
    const jsonText = '{\n  "name": "m",\n  "timestampColumn": "ts"\n}\n';
    const source = { ref: { kind: 'metricSource' as const, name: 'm' }, data: {}, jsonPath: 'metric-sources/m.source.json', jsonText, sqlPath: 'metric-sources/m.sql', sqlText };
    const root = parseDocument(jsonText);
    const inSql = placeProblem(source, { path: ['sql'], message: 'bad', severity: 'error', source: 'sql', range: { start: 0, end: 0 }, sqlRange: { from: 14, to: 15 } }, 'sql', root);
    assert.deepEqual([inSql.file, inSql.role, inSql.start, inSql.end, inSql.line, inSql.column], ['metric-sources/m.sql', 'sql', 14, 15, 2, 6]);
    const wholeSql = placeProblem(source, { path: ['sql'], message: 'warehouse', severity: 'error', source: 'statsig', range: { start: 0, end: 0 } }, 'sql', root);
    assert.deepEqual([wholeSql.start, wholeSql.end, wholeSql.line], [0, sqlText.length, 1]);
    const field = placeProblem(source, { path: ['timestampColumn'], message: 'not a column', severity: 'error', source: 'schema', range: { start: 0, end: 0 } }, 'sql', root);
    assert.deepEqual([field.file, field.role, field.line, field.column], ['metric-sources/m.source.json', 'json', 3, 3]);
  });
});

describe('planPull: what a pull writes', () => {
  const ref = { kind: 'metricSource', name: 'orders' } as const;
  const data = (sql: string) => sample('metricSource', { name: 'orders' }, { sql }).data;
  const record = (sql: string) => ({ ref, key: 'metricSource:orders', data: data(sql) });
  const folderOf = (sql: string) => new Map(filesOf(ref, data(sql)).map((f) => [f.path, f.text]));
  const empty = { version: 1 as const, projectId: 'p', sources: {} };
  const pulledAt = (sql: string) => withEntry(empty, ref, sourceHash('metricSource', data(sql)));
  const all = new Set<KindId>(['metricSource']);

  test('an empty folder gets every source and its lock entry; a second pull writes nothing', () => {
    const first = planPull({ files: new Map(), lock: empty, records: [record('SELECT 1')], complete: all, force: false });
    assert.deepEqual([first.written, first.unchanged, first.removed, first.refused], [1, 0, 0, []]);
    assert.deepEqual(first.writes.map((w) => w.path), ['metric-sources/orders.sql', 'metric-sources/orders.source.json']);
    assert.equal(first.lock.sources['metricSource/orders']?.hash, sourceHash('metricSource', data('SELECT 1')));
    const again = planPull({ files: folderOf('SELECT 1'), lock: first.lock, records: [record('SELECT 1')], complete: all, force: false });
    assert.deepEqual([again.written, again.unchanged, again.writes.length], [0, 1, 0]);
  });

  test('files as pulled follow Statsig; a local change is refused (naming the file) unless forced', () => {
    const stale = planPull({ files: folderOf('SELECT 1'), lock: pulledAt('SELECT 1'), records: [record('SELECT 2')], complete: all, force: false });
    assert.deepEqual([stale.written, stale.refused], [1, []]);
    const changed = planPull({ files: folderOf('SELECT 1 -- mine'), lock: pulledAt('SELECT 1'), records: [record('SELECT 2')], complete: all, force: false });
    assert.deepEqual(changed.refused, ['metric-sources/orders.sql']);
    const forced = planPull({ files: folderOf('SELECT 1 -- mine'), lock: pulledAt('SELECT 1'), records: [record('SELECT 2')], complete: all, force: true });
    assert.deepEqual([forced.refused, forced.writes.find((w) => w.path.endsWith('.sql'))?.text], [[], 'SELECT 2']);
  });

  test('deleted on Statsig: removed when unchanged, refused when changed, kept when the listing was not complete', () => {
    const gone = planPull({ files: folderOf('SELECT 1'), lock: pulledAt('SELECT 1'), records: [], complete: all, force: false });
    assert.deepEqual([gone.removals, gone.removed, Object.keys(gone.lock.sources)], [['metric-sources/orders.source.json', 'metric-sources/orders.sql'], 1, []]);
    const mine = planPull({ files: folderOf('SELECT 1 -- mine'), lock: pulledAt('SELECT 1'), records: [], complete: all, force: false });
    assert.deepEqual(mine.refused, ['metric-sources/orders.source.json (deleted on Statsig)']);
    const partial = planPull({ files: folderOf('SELECT 1'), lock: pulledAt('SELECT 1'), records: [], complete: new Set(), force: false });
    assert.deepEqual([partial.removals, Object.keys(partial.lock.sources)], [[], ['metricSource/orders']]);
  });
});

test('planPull: a source whose encoded name is longer than a file name can be is not written and not locked, and says why', () => {
  const long = sample('metricSource', { name: 'é'.repeat(50) });
  const fits = sample('metricSource', { name: 'é'.repeat(40) });
  const plan = planPull({
    files: new Map(), lock: { version: 1, projectId: 'p', sources: {} }, complete: new Set(['metricSource']), force: false,
    records: [{ ref: long.ref, key: 'a', data: long.data }, { ref: fits.ref, key: 'b', data: fits.data }],
  });
  assert.equal(plan.skipped.length, 1);
  assert.deepEqual(plan.skipped[0]?.ref, long.ref);
  assert.match(plan.skipped[0]?.reason ?? '', /too long for a file name once encoded \(312 bytes with \.source\.json; file systems take 255\)/);
  assert.deepEqual(Object.keys(plan.lock.sources), [lockKey(fits.ref)]);
  assert.equal(plan.written, 1);
  assert.ok(plan.writes.every((w) => w.path.split('/').every((seg) => seg.length <= 255)));
});

test('asInFiles: Statsig\'s version and the files pulled from it give the same text whatever order Statsig answers in (a diff shows only real changes)', () => {
  fc.assert(fc.property(fc.constantFrom(...KindIds), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), (kind, extra) => {
    const { ref, data } = sample(kind, kind === 'ingestionSource' ? { type: 'snowflake-v2', dataset: 'Events', source_name: 'a' } : { name: 'a' }, { [descriptor(kind).sqlField]: 'SELECT 1' });
    const fromStatsig = { ...Object.fromEntries(Object.entries({ ...extra, ...data }).reverse()), owner: { ownerName: 'x', ownerID: 'y' } };
    const files = parseFolder(new Map(filesOf(ref, fromStatsig).map((f) => [f.path, f.text])));
    const local = files.sources[0];
    assert.ok(local, JSON.stringify(files.problems));
    assert.equal(formatSource(asInFiles(kind, local.data)), formatSource(asInFiles(kind, fromStatsig)));
  }), { numRuns: 200 });
});
