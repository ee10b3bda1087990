// The two addressing strategies (named, ingestion) and the descriptors that point to them: keys,
// labels, identity and URI paths round-trip for both; the request for one source goes where the
// Console API expects it; descriptors agree with their capabilities; and, property-based, every ref
// survives ref → URI path → ref with its key intact.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  KINDS, KindIds, NAMED_KINDS, descriptor, identityOf, isIngestionRef, refDetail, refKey, refLabel, refName, refOf,
  type IngestionRef, type NamedRef, type SourceRef,
} from '../../src/core/kinds.ts';
import { UnaddressableNameError, ingestionAddressing, namedAddressing } from '../../src/core/kindsAddressing.ts';
import { parseSourcePath, sourcePath } from '../../src/core/sourceUri.ts';
import { IngestionTypes } from '../../src/core/schemas/ingestion.ts';
import { templateFor } from '../../src/core/templates.ts';

const metric: NamedRef = { kind: 'metricSource', name: 'orders/2024 $& 100%' };
const ingestion: IngestionRef = { kind: 'ingestionSource', type: 'snowflake-v2', dataset: 'Events', sourceName: 'web/app' };

describe('named strategy', () => {
  test('key, name, label, detail and identity', () => {
    assert.equal(refKey(metric), 'metricSource:orders/2024 $& 100%');
    assert.equal(refName(metric), metric.name);
    assert.equal(refLabel(metric), metric.name);
    assert.equal(refDetail(metric), undefined);
    assert.deepEqual(identityOf(metric), { name: metric.name });
    assert.equal(isIngestionRef(metric), false);
  });

  test('identity → ref → identity, and the URI path, round-trip', () => {
    assert.deepEqual(refOf('metricSource', identityOf(metric)), metric);
    assert.equal(refOf('metricSource', { name: 42 }), undefined, 'a name must be a string');
    assert.equal(sourcePath(metric), '/metricSource/orders%2F2024 $& 100%25.json');
    assert.deepEqual(parseSourcePath(sourcePath(metric)), metric);
  });

  test('the name goes in the item path, encoded, with `$&` kept literally; dot segments throw before anything is sent', () => {
    const d = descriptor('metricSource');
    assert.deepEqual(namedAddressing.request(d, metric, 'GET'), { path: `/console/v1/metrics/metric_source/${encodeURIComponent(metric.name)}` });
    assert.deepEqual(namedAddressing.request(d, metric, 'DELETE'), namedAddressing.request(d, metric, 'PATCH'));
    for (const name of ['.', '..']) assert.throws(() => namedAddressing.request(d, { kind: 'metricSource', name }, 'GET'), UnaddressableNameError);
    assert.match(namedAddressing.unaddressable({ kind: 'metricSource', name: '..' }) ?? '', /dot segment/);
  });

  test('an answer is read as the server names it; a wrong shape is an invalid item', () => {
    const d = descriptor('entityPropertySource');
    const ref: NamedRef = { kind: 'entityPropertySource', name: 'users' };
    const data = { name: 'users', description: '', tags: [], sql: 'SELECT 1', idTypeMapping: [] };
    assert.deepEqual(namedAddressing.recordIn(d, ref, data), { ref, key: 'entityPropertySource:users', data });
    const bad = namedAddressing.recordIn(d, ref, { name: 'users', sql: 42 });
    assert.ok(bad && 'issues' in bad && bad.issues.some((i) => i.startsWith('sql')), JSON.stringify(bad));
  });

  test('New Source asks one name; the prompt says when it cannot change', () => {
    assert.deepEqual(namedAddressing.questions(descriptor('metricSource')), [{ field: 'name', prompt: 'Name (it cannot change after creation)' }]);
    assert.deepEqual(namedAddressing.questions(descriptor('assignmentSource')), [{ field: 'name', prompt: 'Name' }]);
  });
});

describe('ingestion strategy', () => {
  test('key, name, label, detail and identity', () => {
    assert.equal(refKey(ingestion), 'ingestionSource:snowflake-v2/Events/web/app');
    assert.equal(refName(ingestion), 'web/app');
    assert.equal(refLabel(ingestion), 'web/app (snowflake-v2, Events)');
    assert.equal(refDetail(ingestion), 'snowflake-v2 · Events');
    assert.deepEqual(identityOf(ingestion), { type: 'snowflake-v2', dataset: 'Events', source_name: 'web/app' });
    assert.equal(isIngestionRef(ingestion), true);
  });

  test('identity → ref → identity, and the URI path, round-trip; an unknown type names nothing', () => {
    assert.deepEqual(refOf('ingestionSource', identityOf(ingestion)), ingestion);
    assert.deepEqual(refOf('ingestionSource', { ...identityOf(ingestion), query: 'SELECT 1' }), ingestion, 'other fields of a body are ignored');
    assert.equal(refOf('ingestionSource', { ...identityOf(ingestion), type: 'oracle' }), undefined);
    assert.equal(sourcePath(ingestion), '/ingestionSource/snowflake-v2/Events/web%2Fapp.json');
    assert.deepEqual(parseSourcePath(sourcePath(ingestion)), ingestion);
  });

  test('reads and deletes carry the identity as query parameters, writes in the body, all on one path', () => {
    const d = descriptor('ingestionSource');
    const identity = { type: 'snowflake-v2', dataset: 'Events', source_name: 'web/app' };
    assert.deepEqual(ingestionAddressing.request(d, ingestion, 'GET'), { path: '/console/v1/ingestion', query: identity });
    assert.deepEqual(ingestionAddressing.request(d, ingestion, 'DELETE'), { path: '/console/v1/ingestion', query: identity });
    assert.deepEqual(ingestionAddressing.request(d, ingestion, 'PATCH'), { path: '/console/v1/ingestion', body: identity });
    assert.equal(ingestionAddressing.unaddressable({ ...ingestion, sourceName: '..' }), undefined, 'a query parameter carries any name');
  });

  test('an answer holds the whole type and dataset: the one asked for is picked out', () => {
    const d = descriptor('ingestionSource');
    const answer = { id: 'x', type: 'snowflake-v2', enabled: true, data: { dataset: 'Events', sources: [{ source_name: 'other' }, { source_name: 'web/app', query: 'SELECT 1' }] } };
    const found = ingestionAddressing.recordIn(d, ingestion, answer);
    assert.ok(found && !('issues' in found));
    assert.equal(found.key, refKey(ingestion));
    assert.equal(found.data['query'], 'SELECT 1');
    assert.equal(ingestionAddressing.recordIn(d, { ...ingestion, sourceName: 'missing' }, answer), undefined);
    const odd = ingestionAddressing.recordIn(d, ingestion, { id: 'x', type: 'snowflake-v2', enabled: true, data: { whatever: 1 } });
    assert.ok(odd && 'issues' in odd, 'an answer of neither shape is an invalid item, not "absent"');
  });

  test('New Source asks type, dataset (those that can be created), then source_name', () => {
    const questions = ingestionAddressing.questions(descriptor('ingestionSource'));
    assert.deepEqual(questions.map((q) => q.field), ['type', 'dataset', 'source_name']);
    assert.deepEqual(questions[0]?.choices, IngestionTypes);
    assert.deepEqual(questions[1]?.choices, ['Events', 'Metrics', 'export_exposures']);
    assert.equal(questions[2]?.choices, undefined);
  });
});

describe('descriptors', () => {
  test('a list path exactly when the kind can be listed; {name} in every named item path', () => {
    for (const d of Object.values(KINDS)) {
      assert.equal(d.capabilities.listAll, d.paths.list !== undefined, d.id);
      assert.ok(d.icon, d.id);
      assert.equal(d.id, KindIds.find((k) => k === d.id));
    }
    for (const d of NAMED_KINDS) assert.match(d.paths.item, /\{name\}/, d.id);
    assert.deepEqual(NAMED_KINDS.map((d) => d.id), KindIds.filter((k) => k !== 'ingestionSource'));
  });

  test('a template starts with the identity fields and passes its create schema', () => {
    const refs: SourceRef[] = [
      ...NAMED_KINDS.map((d): SourceRef => ({ kind: d.id, name: 'new_one' })),
      ...['Events', 'Metrics', 'export_exposures'].map((dataset): SourceRef => ({ ...ingestion, dataset })),
    ];
    for (const ref of refs) {
      const t = templateFor(ref);
      const fields = descriptor(ref.kind).addressing.identityFields;
      assert.deepEqual(Object.keys(t).slice(0, fields.length), [...fields], refKey(ref));
      assert.deepEqual(refOf(ref.kind, t), ref, refKey(ref));
      assert.ok(descriptor(ref.kind).schemas.create.safeParse(t).success, refKey(ref));
    }
  });
});

describe('ref ↔ URI path ↔ key (property-based)', () => {
  const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 16 });
  const namedRef = fc.record({ kind: fc.constantFrom(...NAMED_KINDS.map((d) => d.id)), name: text });
  const ingestionRef = fc.record({ kind: fc.constant('ingestionSource' as const), type: fc.constantFrom(...IngestionTypes), dataset: text, sourceName: text });
  // Plain objects, as refs are everywhere else (fc.record builds them without a prototype).
  const anyRef: fc.Arbitrary<SourceRef> = fc.oneof(namedRef, ingestionRef).map((r) => ({ ...r }));
  const options = { seed: 20_240_601, numRuns: 3000 };

  // Coming back from its path also means two different refs never share one (the key is no such
  // guarantee: it does not escape `/`, and only the server's fixed datasets keep it unambiguous).
  test('every ref comes back from its path, with the same key, identity and path', () => {
    fc.assert(fc.property(anyRef, (ref) => {
      const back = parseSourcePath(sourcePath(ref));
      assert.deepEqual(back, ref);
      assert.equal(refKey(back), refKey(ref));
      assert.deepEqual(refOf(ref.kind, identityOf(ref)), ref);
      assert.equal(sourcePath(back), sourcePath(ref));
    }), options);
  });

  test('a path that names a ref names the same ref after another trip through sourcePath', () => {
    const segment = fc.oneof(text.map((s) => s.replace(/%/g, '%25').replace(/\//g, '%2F')), fc.constantFrom('', '%', '%E0%A4%A', ...IngestionTypes));
    const path = fc.tuple(fc.constantFrom(...KindIds), fc.array(segment, { minLength: 0, maxLength: 4 })).map(([kind, segs]) => `/${[kind, ...segs].join('/')}.json`);
    fc.assert(fc.property(path, (p) => {
      const ref = parseSourcePath(p);
      if (ref) assert.deepEqual(parseSourcePath(sourcePath(ref)), ref);
    }), options);
  });
});
